// `lowbit gen`: the RTL of a design written to a directory (one module per file), its file list and
// its resolved parameters.

import { prepareRtl, resolveDesign, type DesignOptions } from './design.js';
import { Recorder, type RunRecord } from './record.js';

/** Options of {@link generate}. */
export interface GenerateOptions extends DesignOptions {
  /** Output directory (default `lowbit-out/<family>-<hash of the parameters>`). */
  out?: string;
}

/** What {@link generate} returns: `lowbit gen --json`, and run.json in `dir`. */
export interface GenerateReport extends RunRecord {
  /** The output directory. */
  dir: string;
  /** Absolute paths of the Verilog files, in compile order. */
  files: string[];
}

/**
 * Generates a design's RTL into a directory: the Verilog (one module per file), `files.f` (compile
 * order) and `params.json` (family, top, version, resolved parameters, port layout), plus run.json.
 *
 * @param o - the family, its raw parameters, `top` and `out`
 * @returns the report: the directory and files written, the resolved parameters
 * @throws UsageError for a parameter out of range, a bad `top` or `out` (nothing written)
 * @example
 * const r = await generate({ family: 'ternary', params: { rows: 4, k: 16 }, out: 'rtl' });
 * console.log(r.files);
 */
export async function generate(o: GenerateOptions): Promise<GenerateReport> {
  const rec = new Recorder('gen', o.argv);
  const d = resolveDesign(o);
  rec.design = d;
  const prep = await rec.step('generate', () => prepareRtl(d, { out: o.out, onNote: o.onNote }));
  try {
    // The sources are this command's output, not its input: nothing is read but lowbit's own templates.
    rec.metric('files', prep.files.length, 'files', prep.workDir);
    return await rec.finish(prep.workDir, { dir: prep.rtlDir, files: prep.files }, true);
  } catch (e) {
    throw await rec.fail(prep.workDir, e);
  } finally {
    prep.release();
  }
}
