// `lowbit layer <family> --weights FILE[:NAME] --acts FILE[:NAME]`: a real layer through the RTL, checked
// bit-exactly, with the quantization's error against the float product and the cycles it took.
import { Command } from 'commander';
import chalk from 'chalk';
import { familyCommand, given, onFamily } from './common.js';
import { withTimeLimit } from './limits.js';
import { layer, type LayerOptions } from '../api/layer.js';
import { SIMULATORS } from '../testbenches/simulator.js';
import { UsageError } from '../core/errors.js';
import { families, getFamily } from '../generators/registry.js';
import { existsSync } from 'node:fs';

const f = (x: number, d = 4) => (Math.abs(x) >= 1e-3 || x === 0 ? x.toFixed(d) : x.toExponential(2));

/**
 * `--weights` is both the weight file and, for the families that have one, the `weights` parameter
 * (nmsparse, lutgemm: int | ternary | bipolar): the flag may be given twice (`--weights ternary --weights
 * w.npy`); a value that is one of the family's weight kinds is the parameter, any other the file.
 */
function splitWeights(values: string[], kinds: readonly string[], family: string): { file?: string; kind?: string } {
  // A weight kind of another family (bipolar for nmsparse) is a wrong parameter, not a file name.
  const anyKind = new Set(families().flatMap((f) => ((f.schema.params.find((p) => p.name === 'weights') as { values?: string[] } | undefined)?.values ?? [])));
  const foreign = values.find((v) => anyKind.has(v) && !kinds.includes(v) && !existsSync(v));
  if (foreign !== undefined) throw new UsageError(kinds.length ? `weights must be one of ${kinds.join(', ')} for ${family}, not ${JSON.stringify(foreign)} (or a weight file)` : `weights: ${family} has no weights parameter; ${JSON.stringify(foreign)} is not a weight file`);
  const kind = values.filter((v) => kinds.includes(v));
  const files = values.filter((v) => !kinds.includes(v));
  if (kind.length > 1) throw new UsageError(`weights: the weight kind is given twice (${kind.join(', ')})`);
  if (files.length > 1) throw new UsageError(`weights: give one weight file (FILE[:NAME]), not ${files.length} (${files.join(', ')})`);
  if (files.length === 0) throw new UsageError(`weights: give the weight file, out x in: --weights FILE[:NAME] (.npy, .safetensors, .gguf)`);
  return { file: files[0], kind: kind[0] };
}

export function layerCommand(): Command {
  const cmd = withTimeLimit(familyCommand('layer', 'a layer of a model through the RTL: weights and activations from .npy / .safetensors / GGUF files, quantized, tiled, every output checked bit-exactly; error against the float product and cycles'));
  // The family parameter's --weights flag becomes the weight file's too (see splitWeights).
  const w = cmd.options.find((o) => o.long === '--weights');
  if (w) {
    w.description = "the weight matrix, out x in: FILE[:NAME] (.npy, .safetensors, .gguf); for nmsparse and lutgemm also their weights parameter (int | ternary | bipolar): give --weights twice";
    w.argParser((v: string, prev: string[] | undefined) => [...(prev ?? []), v]);
  } else cmd.option('--weights <file>', 'the weight matrix, out x in: FILE[:NAME] (.npy, .safetensors, .gguf)', (v: string, prev: string[] | undefined) => [...(prev ?? []), v]);
  return cmd
    .requiredOption('--acts <file[:name]>', 'the activations, tokens x in')
    .option('--rounding <mode>', 'half-even (torch, bitnet.cpp) | half-away (older kernels)', 'half-even')
    .option('--sim <simulator>', `${Object.keys(SIMULATORS).join(' | ')}`, 'verilator')
    .option('--stall <percent>', 'percent of cycles with a gap on in_valid and out_ready low (0: the cycle counts are the design\'s own)', '0')
    .option('--resets <percent>', 'percent of vectors interrupted by a reset', '0')
    .option('--seed <s>', 'harness seed (gaps, garbage on idle inputs)', '1')
    .option('--tile <t>', 'run only this tile (what a mismatch\'s replay command does)')
    .option('--rtl <dir>', 'stream the layer through this RTL instead of generating it')
    .option('--out <dir>', 'where to generate the RTL, logs, run.json, layer.json and the quantized tensors (.npy)')
    .action(
      onFamily(async (base, opts, out) => {
        const kinds = ((getFamily(base.family as string).schema.params.find((p) => p.name === 'weights') as { values?: string[] } | undefined)?.values ?? []);
        const { file, kind } = splitWeights(([] as string[]).concat((opts.weights as string[] | string | undefined) ?? []), kinds, base.family as string);
        const params = { ...base.params };
        delete params.weights;
        if (kind !== undefined) params.weights = kind;
        const o: LayerOptions = { ...base, params, weights: file!, acts: opts.acts as string, ...given(opts, 'rounding', 'sim', 'stall', 'resets', 'seed', 'tile') };
        const r = await layer(o);
        if (r.ok) {
          const e = r.accuracy;
          const h = r.hardware;
          out.say(
            [
              `${chalk.green('PASS')} ${r.family}: layer ${r.shape.out} x ${r.shape.in}, ${r.shape.tokens} tokens; ${r.tiling.tilesRun.length} of ${r.tiling.tiles} tile(s) of ${r.tiling.rows} rows, ${r.tiling.beatsPerVector} beat(s) of k ${r.tiling.k} per vector; every output bit-exact (${r.simulator})`,
              ...(e ? [`vs float W·a: cosine ${f(e.cosine, 6)}, relative Frobenius error ${f(e.relFrobenius)}, max abs error ${f(e.maxAbsError)} (worst token cosine ${f(Math.min(...e.perToken.map((t) => t.cosine)), 6)})`] : []),
              `hardware: ${h.vectors} vectors, ${h.beats} beats${h.cycles !== undefined ? `, ${h.cycles} cycles (${h.stallCycles} not taking a beat), ${f(h.macsPerCycleAchieved!, 2)} of ${h.macsPerCycle} MACs/cycle (utilization ${(100 * h.utilization!).toFixed(1)}%)` : ''}`,
              `time: build ${r.time.buildSeconds.toFixed(1)} s${r.time.buildCached ? ' (cached)' : ''}, simulation ${r.time.simulationSeconds.toFixed(1)} s; ${r.dir}`,
            ].join('\n'),
          );
        } else if (r.mismatch) {
          const m = r.mismatch;
          const text = [chalk.red(`MISMATCH at tile ${m.tile}, row ${m.row}, token ${m.token}${m.block !== undefined ? `, block ${m.block}` : ''}: expected ${m.expected}, actual ${m.actual}`), `replay: ${r.replay}`].join('\n');
          if (opts.json) out.note(text);
          else out.say(text);
        }
        out.result(r);
        return r.ok ? 0 : 1;
      }),
    );
}
