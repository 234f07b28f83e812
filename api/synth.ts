// `lowbit synth`: Yosys synthesis for a target (asic: OpenSTA timing; ice40 with pnr: nextpnr place and
// route), per-MAC figures per MAC per cycle. The report is also saved as synth-<target>.json.

import { join } from 'node:path';
import { TARGETS, YOSYS, type Target } from '../flows/tools/yosys.js';
import { DEVICES, NEXTPNR, placeAndRoute, type PnrReport } from '../flows/tools/nextpnr.js';
import { STA } from '../flows/tools/opensta.js';
import { writeFileAtomic } from '../core/fsutil.js';
import { UsageError } from '../core/errors.js';
import type { RtlOptions } from './design.js';
import { RANGES, rangeOption } from './ranges.js';
import { checkEnv, oneOf, type Numeric } from './options.js';
import type { RunRecord } from './record.js';
import { runOnRtl } from './run.js';
import { synthesize, type SynthResult } from './synthesize.js';

/** Options of {@link synth}. */
export interface SynthOptions extends RtlOptions {
  /** generic (CMOS transistors), ice40, ecp5, xilinx or asic (OSU 0.18 um cells); default generic. */
  target?: Target | string;
  /** asic: the clock period ABC maps for and OpenSTA checks, ns, 0.01..1e6 (default 10). */
  clockNs?: Numeric;
  /** ice40: place and route with nextpnr-ice40. */
  pnr?: boolean;
  /** The iCE40 device for `pnr` (default hx8k). */
  device?: string;
}

/** What {@link synth} returns: `lowbit synth --json`, and run.json in `dir`. */
export type SynthesisReport = RunRecord & Omit<SynthResult, 'seconds' | 'top'> & {
  /** The output directory (scripts, netlists, logs, synth-<target>.json, run.json). */
  dir: string;
  pnr?: PnrReport;
};

/**
 * Synthesizes a design with Yosys for a target: cells, per-MAC figures (per MAC per cycle), area and
 * OpenSTA timing (asic), place and route (ice40 with `pnr`). `ok` is false when the design does not
 * fit the device.
 *
 * @param o - the design, `target`, `clockNs`, `pnr`, `device`, `rtl`, `out`
 * @returns the report (also saved as synth-<target>.json and run.json in `dir`)
 * @throws UsageError for bad options (exit 2), ToolFailedError (exit 1), ToolMissingError (exit 4)
 * @example
 * const r = await synth({ family: 'ternary', params: { rows: 4, k: 16 }, target: 'ice40' });
 * console.log(r.perMac.lut4);
 */
export async function synth(o: SynthOptions): Promise<SynthesisReport> {
  return runOnRtl(
    'synth',
    o,
    () => {
      const target = oneOf('target', o.target ?? 'generic', TARGETS);
      const clockNs = rangeOption('clock-ns', o.clockNs, RANGES.synth['clock-ns']);
      const device = o.device ?? 'hx8k';
      if (o.pnr && target !== 'ice40') throw new UsageError(`--pnr needs --target ice40, not ${target}`);
      if (!DEVICES[device]) throw new UsageError(`device must be one of ${Object.keys(DEVICES).join(', ')}, not ${JSON.stringify(device)}`);
      checkEnv({ tools: [YOSYS, ...(target === 'asic' ? [STA] : []), ...(o.pnr ? [NEXTPNR] : [])], liberty: target === 'asic' });
      return { target, clockNs, device };
    },
    async ({ d, rtl, rec, opts }) => {
      const dir = rtl.workDir;
      const rep = await synthesize(d, rtl, opts.target, rec, { clockNs: opts.clockNs, timing: true });
      let pnr: PnrReport | undefined;
      if (o.pnr) {
        const log = join(dir, 'logs', 'nextpnr-ice40.log');
        // A design with more LUTs than the device has cells is refused before nextpnr runs.
        if ((rep.lut4 ?? 0) <= DEVICES[opts.device].lcs) rec.used('nextpnr-ice40');
        pnr = await rec.step('nextpnr place and route', () => placeAndRoute(dir, opts.device, rep.lut4 ?? 0, log));
        const summary = join(dir, 'pnr-ice40-summary.json');
        writeFileAtomic(summary, JSON.stringify(pnr, null, 2) + '\n');
        rec.metric('post_route_fmax', pnr.fmaxMHz, 'MHz', summary);
      }
      return { ok: !pnr || pnr.fits, fields: { dir, ...rep, pnr } };
    },
  );
}
