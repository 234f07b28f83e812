import { Command } from 'commander';
import chalk from 'chalk';
import { join } from 'node:path';
import { stageSources, YOSYS_UNSAFE } from '../core/stage.js';
import { checkEnv, familyCommand, intOption, onFamily, prepareRtl } from './common.js';
import { prove } from '../flows/prove.js';
import { proveMiter, referenceDesign } from '../generators/common/reference.js';
import { writeFileAtomic } from '../core/fsutil.js';

export function proveCommand(): Command {
  return familyCommand('prove', 'prove the design equal to a behavioural reference of the same function (Yosys miter + SAT over every input sequence of N cycles from reset); exit 0 proved, 1 counterexample, 3 inconclusive')
    .option('--timeout <s>', 'time budget of the SAT solver, seconds', '300')
    .option('--cycles <n>', 'cycles from reset to check (default: a beat\'s whole path: 1 + steps per beat + pipeline + 2)')
    .option('--rtl <dir>', 'prove this RTL (e.g. edited by hand) instead of generating it')
    .option('--out <dir>', 'where to generate the RTL and keep the proof files')
    .action(
      onFamily(async (r, opts, out) => {
        const l = r.family.layout(r.params);
        const minCycles = 1 + (l.beatCycles ?? 1) + l.latency + 2;
        const timeoutS = intOption('timeout', opts.timeout, 1, 86400, 300);
        const cycles = intOption('cycles', opts.cycles, minCycles, 1000, minCycles);
        checkEnv({ yosys: true });
        const { workDir: dir, files, incdirs } = await prepareRtl(r, opts as { rtl?: string; out?: string });
        const proofDir = join(dir, 'proof');
        // The proof runs in its own directory holding copies of the design (and what it includes) and the reference.
        const staged = stageSources(files, proofDir, { incdirs, rename: YOSYS_UNSAFE });
        const proofFiles = files.map((f) => join(proofDir, staged.names.get(f)!));
        const ref = referenceDesign(r.family, r.params, r.top);
        const referenceFile = join(proofDir, `${ref.name}.v`);
        writeFileAtomic(referenceFile, ref.verilog);
        const miterFile = join(proofDir, 'lowbit_miter.v');
        writeFileAtomic(miterFile, proveMiter(r.family, r.params, r.top, ref.name));
        const res = await prove({ dir: proofDir, files: proofFiles, incdirs: staged.incdirs, referenceFile, miterFile, cycles, timeoutS }, join(dir, 'logs', 'prove.log'));
        const what = `${r.family.name} ${r.top} against its behavioural reference, every input sequence of ${res.cycles} cycles from reset`;
        if (res.status === 'proved') {
          out.say(`${chalk.green('PROVED')} ${what} (${res.tool}, ${res.seconds.toFixed(1)} s)`);
        } else if (res.status === 'counterexample') {
          out.say(`${chalk.red('NOT EQUIVALENT')}: ${what}: counterexample found (${res.seconds.toFixed(1)} s)\ninputs per cycle:\n${res.inputs}\nVCD: ${res.vcd}`);
        } else {
          out.say(`${chalk.yellow('INCONCLUSIVE')} (not proved): ${what}: ${res.reason} (${res.seconds.toFixed(1)} s). Try a smaller configuration or --timeout.`);
        }
        out.say(`log: ${join(dir, 'logs', 'prove.log')}`);
        out.result({ ok: res.status === 'proved', family: r.family.name, params: r.params, dir, ...res });
        return res.status === 'proved' ? 0 : res.status === 'counterexample' ? 1 : 3;
      }),
    );
}

