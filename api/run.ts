// The frame every command that works on RTL shares: resolve the design, check the command's own
// options and the environment (bad input: nothing written), prepare the RTL and the locked output
// directory, run the body, and write the run record — with ok false and the error when a tool fails.

import { prepareRtl, resolveDesign, type Design, type PreparedRtl, type RtlOptions } from './design.js';
import { Recorder, type RunRecord } from './record.js';

/** What a command's body returns: its own report fields and its verdict. */
export interface BodyResult<F> {
  fields: F;
  ok: boolean;
}

/**
 * Runs a command on RTL. `check` validates the command's options against the resolved design and
 * returns them (it runs before anything is written); `body` does the work.
 */
export async function runOnRtl<C, F extends object>(
  command: string,
  o: RtlOptions,
  check: (d: Design, rec: Recorder) => C,
  body: (ctx: { d: Design; rtl: PreparedRtl; rec: Recorder; opts: C }) => Promise<BodyResult<F>>,
): Promise<RunRecord & F> {
  const rec = new Recorder(command, o.argv);
  const d = resolveDesign(o);
  rec.design = d;
  const opts = check(d, rec);
  const rtl = await rec.step(o.rtl !== undefined ? 'read rtl' : 'generate', () => prepareRtl(d, { rtl: o.rtl, out: o.out, onNote: o.onNote }));
  try {
    rec.read([...rtl.metaFiles, ...rtl.files]);
    const r = await body({ d, rtl, rec, opts });
    return await rec.finish(rtl.workDir, r.fields, r.ok);
  } catch (e) {
    throw await rec.fail(rtl.workDir, e);
  } finally {
    rtl.release();
  }
}
