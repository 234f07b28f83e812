// lowbit cache info | clean: what the build cache holds, and removing entries (all, the ones unused for
// a while, or the least recently used down to a size).
import { Command } from 'commander';
import { cacheRoot, listEntries, removeEntry, sweepAll, type EntryInfo } from '../core/cache.js';
import { UsageError } from '../generators/common/params.js';
import { JSON_HELP, Out, guarded } from './common.js';

const DURATION_UNITS: Record<string, number> = { s: 1e3, m: 60e3, h: 3600e3, d: 86400e3, w: 7 * 86400e3 };
const SIZE_UNITS: Record<string, number> = { '': 1, k: 2 ** 10, m: 2 ** 20, g: 2 ** 30, t: 2 ** 40 };

/** "7d", "12h", "30m" -> ms. */
export function parseDuration(name: string, value: string): number {
  const m = /^(\d+(?:\.\d+)?)([smhdw])$/.exec(value.trim());
  if (!m) throw new UsageError(`${name} must be a duration like 7d, 12h or 30m (a number and one of s, m, h, d, w), not ${JSON.stringify(value)}`);
  return Number(m[1]) * DURATION_UNITS[m[2]];
}

/** "500M", "2G", "4096" -> bytes (K, M, G, T are powers of 1024; a trailing B or iB is allowed). */
export function parseSize(name: string, value: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*(?:([kmgt])(?:i?b)?|b)?$/i.exec(value.trim());
  if (!m) throw new UsageError(`${name} must be a size like 500M or 2G (a number of bytes, or with one of K, M, G, T), not ${JSON.stringify(value)}`);
  return Math.floor(Number(m[1]) * SIZE_UNITS[(m[2] ?? '').toLowerCase()]);
}

export function formatBytes(n: number): string {
  for (const [u, f] of [['G', 2 ** 30], ['M', 2 ** 20], ['K', 2 ** 10]] as const) if (n >= f) return `${(n / f).toFixed(1)} ${u}B`;
  return `${n} B`;
}

function totals(entries: EntryInfo[]): { entries: number; bytes: number } {
  return { entries: entries.length, bytes: entries.reduce((s, e) => s + e.bytes, 0) };
}

function perKind(entries: EntryInfo[]): Record<string, { entries: number; bytes: number }> {
  const kinds: Record<string, { entries: number; bytes: number }> = {};
  for (const e of entries) {
    const k = (kinds[e.kind] ??= { entries: 0, bytes: 0 });
    k.entries++;
    k.bytes += e.bytes;
  }
  return kinds;
}

export function cacheCommand(): Command {
  const cmd = new Command('cache').description(`the build cache (Verilator harnesses): ${'$'}LOWBIT_CACHE, else ${'$'}XDG_CACHE_HOME/lowbit or ~/.cache/lowbit`);
  cmd
    .command('info')
    .description('where the cache is, its size and its entries per kind')
    .option('--json', JSON_HELP)
    .action((opts: Record<string, unknown>) =>
      guarded(!!opts.json, async () => {
        const out = new Out(!!opts.json);
        const root = cacheRoot();
        const entries = listEntries(root);
        const t = totals(entries);
        const kinds = perKind(entries);
        out.say(`cache: ${root}${process.env.LOWBIT_CACHE ? ' (LOWBIT_CACHE)' : ''}`);
        for (const [k, v] of Object.entries(kinds)) out.say(`  ${k}: ${v.entries} entr${v.entries === 1 ? 'y' : 'ies'}, ${formatBytes(v.bytes)}`);
        out.say(`  total: ${t.entries} entr${t.entries === 1 ? 'y' : 'ies'}, ${formatBytes(t.bytes)}`);
        out.result({ ok: true, root, ...t, kinds });
        return 0;
      }),
    );
  cmd
    .command('clean')
    .description('remove cache entries: all of them, or those unused for D (--older-than), or the least recently used until the cache fits in S (--max-size); temp directories of dead runs always go')
    .option('--older-than <D>', 'remove entries not used for D, e.g. 7d, 12h, 30m')
    .option('--max-size <S>', 'then remove the least recently used entries until the rest fit in S, e.g. 500M, 2G')
    .option('--json', JSON_HELP)
    .action((opts: Record<string, unknown>) =>
      guarded(!!opts.json, async () => {
        const out = new Out(!!opts.json);
        // Bad values are rejected before anything is removed.
        const olderThan = opts.olderThan === undefined ? undefined : parseDuration('older-than', String(opts.olderThan));
        const maxSize = opts.maxSize === undefined ? undefined : parseSize('max-size', String(opts.maxSize));
        const root = cacheRoot();
        const swept = sweepAll(root);
        // Least recently used first.
        const entries = listEntries(root).sort((a, b) => a.lastUsed - b.lastUsed);
        const all = olderThan === undefined && maxSize === undefined;
        const now = Date.now();
        const remove = new Set(entries.filter((e) => all || (olderThan !== undefined && now - e.lastUsed > olderThan)));
        if (maxSize !== undefined) {
          let size = entries.filter((e) => !remove.has(e)).reduce((s, e) => s + e.bytes, 0);
          for (const e of entries) {
            if (size <= maxSize) break;
            if (remove.has(e)) continue;
            remove.add(e);
            size -= e.bytes;
          }
        }
        for (const e of remove) removeEntry(e.dir);
        const removed = totals([...remove]);
        const kept = totals(entries.filter((e) => !remove.has(e)));
        out.say(`cache: ${root}: removed ${removed.entries} entr${removed.entries === 1 ? 'y' : 'ies'} (${formatBytes(removed.bytes)}), kept ${kept.entries} (${formatBytes(kept.bytes)})` +
          (swept.removed ? `; swept ${swept.removed} leftover(s) of interrupted runs (${formatBytes(swept.bytes)})` : ''));
        out.result({ ok: true, root, removed, kept, swept });
        return 0;
      }),
    );
  return cmd;
}
