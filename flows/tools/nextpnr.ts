// nextpnr-ice40: place and route of the iCE40 netlist `synth --target ice40` writes, for utilization
// and post-route Fmax. The bundled WebAssembly build (@yowasp/nextpnr-ice40) is the default;
// LOWBIT_NEXTPNR=system uses `nextpnr-ice40` from PATH.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoPath } from '../../core/paths.js';
import { hourUnlessLimited, parseToolOutput, runTool, ToolFailedError } from '../../core/tool.js';
import { ICE40_JSON } from './yosys.js';

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

function command(): { command: string; args: string[]; tool: string } {
  if (process.env.LOWBIT_NEXTPNR === 'system') return { command: 'nextpnr-ice40', args: [], tool: 'nextpnr-ice40' };
  return { command: process.execPath, args: [repoPath('flows', 'tools', 'yowasp.mjs'), 'nextpnr-ice40'], tool: 'yowasp-nextpnr-ice40' };
}

/** Places and routes `dir`/netlist-ice40.json; a design that does not fit is a report, not an exception. */
export async function placeAndRoute(dir: string, device: string, lut4: number, logPath: string, freqMHz = 12): Promise<PnrReport> {
  const d = DEVICES[device];
  const c = command();
  const base = { device, package: d.package, tool: c.tool === 'nextpnr-ice40' ? 'nextpnr-ice40 (system)' : '@yowasp/nextpnr-ice40' };
  // Every SB_LUT4 takes a logic cell: more LUTs than cells cannot fit, whatever placement does.
  if (lut4 > d.lcs) {
    return { ...base, fits: false, utilization: { ICESTORM_LC: { used: lut4, available: d.lcs } }, problem: `needs at least ${lut4} logic cells (one per SB_LUT4); ${device} has ${d.lcs}`, seconds: 0 };
  }
  try {
    const r = await runTool({ tool: c.tool, command: c.command, args: [...c.args, ...pnrArgs(device, freqMHz)], cwd: dir, logPath, what: `place and route on ${device}`, timeoutMs: hourUnlessLimited() });
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
