// nextpnr-ice40: place and route of the iCE40 netlist `synth --target ice40` writes, for utilization
// and post-route Fmax. The bundled WebAssembly build (@yowasp/nextpnr-ice40) is the default;
// LOWBIT_NEXTPNR=system uses `nextpnr-ice40` from PATH, a path another one (the same choice as
// Yosys's, made by core/tool.ts's resolveTool from the facts below).

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoPath } from '../../core/paths.js';
import { defineTool, hourUnlessLimited, parseToolOutput, resolveTool, runTool, ToolFailedError } from '../../core/tool.js';
import { ICE40_JSON } from './yosys.js';

/**
 * nextpnr-ice40's facts. 0.4 (the oldest with the --report JSON and --timing-allow-fail lowbit uses
 * that it was checked against; Debian bookworm's) is the minimum for an installed one. The version
 * is "Version nextpnr-0.6-..." or "Version 0.4-..." installed, "nextpnr-ice40 0.8.621" bundled.
 */
export const NEXTPNR = defineTool({
  id: 'nextpnr-ice40',
  name: 'nextpnr-ice40',
  executable: 'nextpnr-ice40',
  envVar: 'LOWBIT_NEXTPNR',
  version: { args: ['--version'], pattern: /(?:Version |^nextpnr-ice40 )(?:nextpnr-)?(\d+\.\d+)/m, minimum: '0.4' },
  install: 'apt-get install -y nextpnr-ice40',
  log: { warning: /^Warning: /, error: /^ERROR: / },
  bundled: { package: '@yowasp/nextpnr-ice40', launcher: [repoPath('flows', 'tools', 'yowasp.mjs'), 'nextpnr-ice40'], install: 'npm ci (in the lowbit checkout)' },
});

/** iCE40 devices: nextpnr's flag, the package used, and logic cells (LUT4 + carry + DFF each). */
export const DEVICES: Record<string, { flag: string; package: string; lcs: number }> = {
  lp384: { flag: '--lp384', package: 'qn32', lcs: 384 },
  lp1k: { flag: '--lp1k', package: 'tq144', lcs: 1280 },
  hx1k: { flag: '--hx1k', package: 'tq144', lcs: 1280 },
  u4k: { flag: '--u4k', package: 'sg48', lcs: 3520 },
  up5k: { flag: '--up5k', package: 'sg48', lcs: 5280 },
  lp8k: { flag: '--lp8k', package: 'cm81', lcs: 7680 },
  hx8k: { flag: '--hx8k', package: 'ct256', lcs: 7680 },
};

export interface PnrReport {
  device: string;
  package: string;
  fits: boolean;
  /** Resource -> used / available, from nextpnr (also printed when the design does not fit). */
  utilization: Record<string, { used: number; available: number }>;
  /** Post-route Fmax of clk, MHz (when it fits). */
  fmaxMHz?: number;
  /** Why it does not fit, in words. */
  problem?: string;
  tool: string;
  seconds: number;
}

export function pnrArgs(device: string, freqMHz: number): string[] {
  const d = DEVICES[device];
  return [d.flag, '--package', d.package, '--json', ICE40_JSON, '--report', 'pnr-ice40.json', '--freq', String(freqMHz), '--timing-allow-fail'];
}

/** Device utilisation lines nextpnr prints before placing (over 100% included). */
export function parseUtilisation(log: string): Record<string, { used: number; available: number }> {
  const out: Record<string, { used: number; available: number }> = {};
  for (const m of log.matchAll(/^Info:\s+(\w+):\s+(\d+)\/\s*(\d+)\s+\d+%/gm)) out[m[1]] = { used: Number(m[2]), available: Number(m[3]) };
  return out;
}

/** Places and routes `dir`/netlist-ice40.json; a design that does not fit is a report, not an exception. */
export async function placeAndRoute(dir: string, device: string, lut4: number, logPath: string, freqMHz = 12): Promise<PnrReport> {
  const d = DEVICES[device];
  // Resolved first: a bad LOWBIT_NEXTPNR is exit 2 even for a design that cannot fit.
  const c = resolveTool(NEXTPNR);
  const base = { device, package: d.package, tool: c.kind === 'bundled' ? c.name : c.kind === 'path' ? 'nextpnr-ice40 (system)' : `nextpnr-ice40 (${c.command})` };
  // Every SB_LUT4 takes a logic cell: more LUTs than cells cannot fit, whatever placement does.
  if (lut4 > d.lcs) {
    return { ...base, fits: false, utilization: { ICESTORM_LC: { used: lut4, available: d.lcs } }, problem: `needs at least ${lut4} logic cells (one per SB_LUT4); ${device} has ${d.lcs}`, seconds: 0 };
  }
  try {
    const r = await runTool({ tool: NEXTPNR, args: pnrArgs(device, freqMHz), cwd: dir, files: [ICE40_JSON], logPath, what: `place and route on ${device}`, timeoutMs: hourUnlessLimited() });
    const rep = parseToolOutput(base.tool, r.logPath, `place and route on ${device}, pnr-ice40.json`, () => JSON.parse(readFileSync(join(dir, 'pnr-ice40.json'), 'utf8'))) as { fmax?: Record<string, { achieved: number }>; utilization?: Record<string, { used: number; available: number }> };
    const clk = Object.entries(rep.fmax ?? {}).find(([k]) => k.startsWith('clk'));
    const utilization = Object.fromEntries(Object.entries(rep.utilization ?? {}).filter(([, v]) => v.used > 0));
    return { ...base, fits: true, utilization, fmaxMHz: clk?.[1].achieved, seconds: r.seconds };
  } catch (e) {
    if (!(e instanceof ToolFailedError)) throw e;
    const log = readFileSync(logPath, 'utf8');
    const util = parseUtilisation(log);
    const over = Object.entries(util).filter(([, v]) => v.used > v.available);
    if (over.length === 0) throw e;
    const problem = over.map(([k, v]) => `needs ${v.used} ${k === 'SB_IO' ? 'I/O pins (port bits)' : k === 'ICESTORM_LC' ? 'logic cells' : k}; ${device} (${d.package}) has ${v.available}`).join('; ');
    return { ...base, fits: false, utilization: util, problem, seconds: 0 };
  }
}
