// A suite as jobs: every (design, check, seed, simulator) — and every synthesis target — is one job,
// one lowbit command line. Seeds given as a count are derived from the suite's seed and the job's
// name, so a suite runs the same vectors every time (and its results can be cached) until its seed
// changes. A job's cache key is the hash of everything that decides its verdict.

import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { hashOf } from '../core/cache.js';
import { VERSION } from '../core/version.js';
import { paramFlags, readRtlDir, type Design } from './design.js';
import { CHECKS, type CheckName } from './regressChecks.js';
import type { Suite, SuiteDesign } from './regressSuite.js';

/** One job: one lowbit command on one design. */
export interface Job {
  /** Position in the suite's job list (stable for a suite file). */
  index: number;
  /** `design/check[/variant]`, unique in the suite: what --filter matches and reports show. */
  name: string;
  /** The design's name (a JUnit testsuite). */
  design: string;
  check: CheckName;
  seed?: number;
  sim?: string;
  target?: string;
  netlist?: string;
  /** The lowbit command line (after `lowbit`), without --out and --json: run it to reproduce the job. */
  argv: string[];
  /** Digest of the RTL the job runs on (generated, or the files of its rtl directory). */
  rtlDigest: string;
}

/** A seed derived from the suite's seed, the job's design and check, and its number: 48 bits. */
export function deriveSeed(suiteSeed: number, design: string, check: string, n: number): number {
  return parseInt(createHash('sha256').update(`${suiteSeed}\0${design}\0${check}\0${n}`).digest('hex').slice(0, 12), 16);
}

const list = (v: unknown): unknown[] => (v === undefined ? [undefined] : Array.isArray(v) ? v : [v]);

/** The digest of the RTL a design generates (what a job's cache key stands on). */
export function generatedRtlDigest(d: Design): string {
  const rtl = d.family.generate(d.params, d.top);
  return hashOf(['generated', d.top, ...rtl.files.flatMap((f) => [f.name, f.content])]);
}

/** The digest of the RTL a design's jobs run on. */
function rtlDigest(d: SuiteDesign): string {
  if (d.rtl === undefined) return generatedRtlDigest(d.design);
  const { dir, files } = readRtlDir(d.rtl);
  // The directory's files.f and params.json decide what is read and how: they are part of the RTL.
  const meta = ['files.f', 'params.json'].flatMap((n) => {
    try {
      return [n, readFileSync(`${dir}/${n}`)];
    } catch {
      return [];
    }
  });
  return hashOf(['rtl', ...meta, ...files.flatMap((f) => [f.slice(dir.length), readFileSync(f)])]);
}

/** The flags of a check's non-fan-out options, as the command takes them. */
function fixedFlags(check: CheckName, options: Record<string, unknown>): string[] {
  return CHECKS[check].options.flatMap((o) => {
    const v = options[o.key];
    if (v === undefined || o.fanOut || !o.flag) return [];
    if (o.type === 'boolean') return v === true ? [o.flag] : [];
    return [o.flag, String(v)];
  });
}

/** Every job of a suite, in file order. */
export function suiteJobs(suite: Suite): Job[] {
  const jobs: Job[] = [];
  const names = new Set<string>();
  const add = (j: Omit<Job, 'index'>) => {
    let name = j.name;
    for (let n = 2; names.has(name); n++) name = `${j.name}#${n}`;
    names.add(name);
    jobs.push({ ...j, name, index: jobs.length });
  };
  for (const d of suite.designs) {
    const digest = rtlDigest(d);
    const base = [d.design.family.name, ...paramFlags(d.design), '--top', d.design.top, ...(d.rtl !== undefined ? ['--rtl', d.rtl] : [])];
    for (const c of d.checks) {
      const fixed = fixedFlags(c.name, c.options);
      const prefix = `${d.name}/${c.name}`;
      const common = { design: d.name, check: c.name, rtlDigest: digest };
      if (c.name === 'cosim') {
        const seedsOpt = c.options.seeds ?? 1;
        const seeds = Array.isArray(seedsOpt) ? (seedsOpt as number[]) : Array.from({ length: seedsOpt as number }, (_, i) => deriveSeed(suite.seed, d.name, 'cosim', i));
        for (const netlist of list(c.options.netlist) as (string | undefined)[]) {
          for (const sim of list(c.options.sim ?? 'verilator') as string[]) {
            for (const seed of seeds) {
              add({
                ...common, name: `${prefix}/${sim}${netlist ? `/netlist=${netlist}` : ''}/seed=${seed}`, seed, sim, netlist,
                argv: ['cosim', ...base, ...fixed, '--sim', sim, ...(netlist ? ['--netlist', netlist] : []), '--seed', String(seed)],
              });
            }
          }
        }
      } else if (c.name === 'synth') {
        for (const target of list(c.options.target ?? 'generic') as string[]) {
          add({ ...common, name: `${prefix}/${target}`, target, argv: ['synth', ...base, ...fixed, '--target', target] });
        }
      } else if (c.name === 'power') {
        const seed = (c.options.seed as number | undefined) ?? deriveSeed(suite.seed, d.name, 'power', 0);
        const argv = ['power', ...base, ...fixed.filter((_, i, a) => a[i] !== '--seed' && a[i - 1] !== '--seed'), '--seed', String(seed)];
        add({ ...common, name: prefix, seed, argv });
      } else {
        add({ ...common, name: prefix, argv: [c.name, ...base, ...fixed] });
      }
    }
  }
  return jobs;
}

/** Glob-style job selection: `*` any run of characters, `?` one; a pattern without them matches as a substring. */
export function jobFilter(pattern: string): (name: string) => boolean {
  if (!/[*?]/.test(pattern)) return (n) => n.includes(pattern);
  const re = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
  return (n) => re.test(n);
}

/**
 * A job's cache key: lowbit's version and build, the RTL's digest, the command line with the RTL's
 * path left out (its digest stands for it), the tools (each one's version and path), and the family
 * modules a user loads (LOWBIT_FAMILIES: their golden models decide verdicts too).
 */
export function jobKey(j: Job, context: { build: string; tools: string; families: string }): string {
  const argv = j.argv.map((w, i) => (j.argv[i - 1] === '--rtl' ? '<rtl>' : w));
  return hashOf(['lowbit-regress-job', VERSION, context.build, j.rtlDigest, JSON.stringify(argv), context.tools, context.families]);
}
