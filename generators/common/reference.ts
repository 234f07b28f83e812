// The reference design `lowbit prove` checks a generated design against: the same ports, the same
// hand-written shell (and beat sequencer), and rows that compute the beat sum behaviourally from the
// family's packing (Family.referenceRow) with `*` and `+`, delayed by `pipeline` cycles like the
// generated rows. Only the row datapath differs, so equivalence says the generated datapath computes
// the golden model's function.

import type { CommonParams, Family } from './family.js';
import { render } from './render.js';
import type { TernaryEncoding } from './ternaryCodes.js';

/** s += v * a for a weight v in {-1, 0, +1}: add, subtract or skip (a multiply would make SAT slow). */
export const addTrit = (actExpr: string) => `s = (v == 0) ? s : (v > 0) ? s + ${actExpr} : s - ${actExpr};`;

/**
 * Statements setting `v` to the ternary weight coded at bit `lo` (twos / i2s: a 2-bit code), or, for
 * base3, trit `t` of the byte at bit `lo`: the codes' definitions (ternaryCodes.ts), behaviourally.
 */
export function ternaryValue(enc: TernaryEncoding, lo: number, t = 0): string[] {
  if (enc === 'twos') return [`b = w[${lo} +: 2];`, `v = (b == 8'd1) ? 1 : (b == 8'd3) ? -1 : 0;`];
  if (enc === 'i2s') return [`b = w[${lo} +: 2];`, 'x = b;', `v = (b == 8'd3) ? 0 : x - 1;`];
  return [`b = w[${lo} +: 8];`, `x = (b / ${3 ** t}) % 3;`, `v = (b >= 8'd243) ? 0 : x - 1;`];
}

/** Verilog for a signed lane of `width` bits at bit `lo` (an expression) of vector `v`. */
export const lane = (v: string, lo: string, width: number) => `$signed(${v}[${lo} +: ${width}])`;

export function referenceDesign<P extends CommonParams>(family: Family<P>, p: P, top: string): { name: string; verilog: string } {
  const l = family.layout(p);
  const steps = l.beatCycles ?? 1;
  const stepBits = steps > 1 ? Math.max(1, Math.ceil(Math.log2(steps))) : 0;
  const wgtRowBits = l.wgtBits / l.rows;
  const name = `${top}_ref`;
  const verilog = render('reference.v.hbs', {
    top: name,
    rows: l.rows,
    actMsb: l.k * l.actBits - 1,
    wgtMsb: l.wgtBits - 1,
    outMsb: l.rows * l.accBits - 1,
    psumBits: l.psumBits,
    psumMsb: l.psumBits - 1,
    psumBusMsb: l.rows * l.psumBits - 1,
    wgtRowBits,
    wgtRowMsb: wgtRowBits - 1,
    accBits: l.accBits,
    latency: l.latency,
    latencyMsb: Math.max(0, l.latency - 1),
    saturate: p.overflow === 'saturate' ? 1 : 0,
    steps: steps > 1 ? steps : 0,
    stepBits,
    stepMsb: stepBits - 1,
    body: family.referenceRow(p),
  });
  return { name, verilog };
}

/** The miter `lowbit prove` checks: design and reference on the same contract-abiding inputs. */
export function proveMiter<P extends CommonParams>(family: Family<P>, p: P, top: string, refTop: string): string {
  const l = family.layout(p);
  return render('prove_miter.v.hbs', { top, refTop, actMsb: l.k * l.actBits - 1, wgtMsb: l.wgtBits - 1, outMsb: l.rows * l.accBits - 1 });
}
