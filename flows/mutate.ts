// Mutation testing of the verification itself (as YosysHQ's mcy does): Yosys's `mutate` pass lists N
// small faults of the design (an inverted, constant or cross-wired bit on one cell port), each mutant
// is written out as Verilog and put through the check (co-simulation, or the reference proof); a check
// that passes a mutant has let a fault through. A survivor is either a blind spot of the check or
// equivalent to the original: a miter of original and mutant, checked by SAT from reset, tells
// them apart (proved equal -> equivalent, reported apart and left out of the score).
//
// Pipeline: list (one Yosys run) -> write every mutant (one more Yosys run) -> per mutant, in its own
// directory <out>/mutants/<n>/ and in parallel: check, then (survivors only) the equivalence proof.
// Verdicts are cached by content (mutant bytes, check and its options, lowbit version).
// Yosys scripts are data (arrays of lines).

import { existsSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { CommonParams, Family } from '../generators/common/family.js';
import { proveMiter, referenceDesign } from '../generators/common/reference.js';
import { VERSION } from '../core/version.js';
import { cosim } from '../testbenches/cosim.js';
import { SIMULATORS } from '../testbenches/simulator.js';
import { HARNESS_SOURCE } from './tools/verilator.js';
import { ICARUS_HARNESS } from './tools/iverilog.js';
import { cacheRoot, hashOf } from '../core/cache.js';
import { writeFileAtomic } from '../core/fsutil.js';
import { prove } from './prove.js';
import { runTool, ToolFailedError } from '../core/tool.js';
import { readVerilog, YOSYS, yosysVersion } from './tools/yosys.js';
import { yosysPlain, yosysWord as q } from '../core/quote.js';
import { PLAIN_UNSAFE, stageSources } from '../core/stage.js';

/** One mutation as Yosys's `mutate -list` prints it, with its location pulled out. */
export interface Mutation {
  /** 0-based position in the list (also the mutant's directory name). */
  id: number;
  /** The `mutate ...` command that applies it (replayable in a Yosys script after `prep`). */
  command: string;
  mode: string;
  /** The module as Yosys names it (`$paramod$<hash>\name` for a parameterized one). */
  module: string;
  cell: string;
  port?: string;
  portbit?: number;
  ctrlbit?: number;
  wire?: string;
  wirebit?: number;
  /** Source locations Yosys attached (wire's, then cell's): `file.v:12.3-12.9`. */
  src: string[];
  /** The cell's source file and line (the last `-src`), when Yosys knows it. */
  file?: string;
  line?: number;
}

/** The module's name in the source: `$paramod$<hash>\lowbit_stream_acc` -> `lowbit_stream_acc`. */
export const sourceModule = (module: string): string => module.replace(/^\$paramod\$[0-9a-f]+\\/, '').replace(/^\$paramod\\([^\\]+)\\.*$/, '$1');

/** Parses one line of `mutate -list ... -o FILE`. */
export function parseMutation(text: string, id: number): Mutation {
  const tokens = text.trim().split(/\s+/);
  if (tokens[0] !== 'mutate') throw new Error(`not a mutate command: ${JSON.stringify(text)}`);
  const opts = new Map<string, string>();
  const src: string[] = [];
  for (let i = 1; i + 1 < tokens.length; i += 2) {
    if (tokens[i] === '-src') src.push(tokens[i + 1]);
    else opts.set(tokens[i].slice(1), tokens[i + 1]);
  }
  const num = (k: string) => (opts.has(k) ? Number(opts.get(k)) : undefined);
  const m: Mutation = {
    id,
    command: tokens.join(' '),
    mode: opts.get('mode') ?? '?',
    module: opts.get('module') ?? '?',
    cell: opts.get('cell') ?? '?',
    port: opts.get('port'),
    portbit: num('portbit'),
    ctrlbit: num('ctrlbit'),
    wire: opts.get('wire'),
    wirebit: num('wirebit'),
    src,
  };
  // A src may hold several locations joined by '|'; the first names the line.
  const loc = /^(.*):(\d+)\.\d+-\d+\.\d+$/.exec((src[src.length - 1] ?? '').split('|')[0]);
  if (loc) {
    m.file = loc[1];
    m.line = Number(loc[2]);
  }
  return m;
}

/** What a mutation does, in words: "inv of $add$x.v:72$65 port A bit 7 (module lowbit_ternary_row)". */
export function describeMutation(m: Mutation): string {
  const bit = m.port !== undefined ? ` port ${m.port}${m.portbit !== undefined ? `[${m.portbit}]` : ''}` : '';
  const ctrl = m.ctrlbit !== undefined ? ` (control bit ${m.ctrlbit})` : '';
  const wire = m.wire !== undefined ? `, wire ${m.wire}${m.wirebit !== undefined ? `[${m.wirebit}]` : ''}` : '';
  return `${m.mode} on cell ${m.cell}${bit}${ctrl}${wire}`;
}

/** The sources are staged in the working directory: read by their names there, quoted. */
const readLine = (files: string[], incdirs?: string[]) => readVerilog(files.map((f) => basename(f)), incdirs);

/** Lists `count` mutations, evenly sampled over cells and bits, seeded. */
export function listScript(files: string[], top: string, count: number, seed: number, listFile: string, incdirs?: string[]): string[] {
  return [readLine(files, incdirs), `prep -top ${top}`, `mutate -list ${count} -seed ${seed} -o ${yosysPlain(listFile)}`];
}

export const mutantFile = (id: number) => `mutant-${id}.v`;

/** Writes every mutant: the prepared design saved once, then per mutation load, mutate, write. */
export function mutantsScript(files: string[], top: string, mutations: Mutation[], incdirs?: string[]): string[] {
  const lines = [readLine(files, incdirs), `prep -top ${top}`, 'design -save original'];
  for (const m of mutations) lines.push('design -load original', m.command, `write_verilog -noattr ${q(mutantFile(m.id))}`);
  return lines;
}

export const GOLD = 'lowbit_mut_gold';
export const GATE = 'lowbit_mut_gate';
export const MITER_FILE = 'lowbit_miter.v';

/**
 * Original against mutant: both prepared and flattened from the same sources, renamed apart, and put
 * side by side in `lowbit prove`'s miter (same contract-abiding inputs; out_data compared while
 * valid). Bounded: every input sequence of `cycles` cycles from reset, flip-flops starting at 0.
 */
export function equivScript(files: string[], top: string, m: Mutation, cycles: number, timeoutS: number, incdirs?: string[]): string[] {
  const prepared = [readLine(files, incdirs), `prep -top ${top}`];
  return [
    ...prepared,
    m.command,
    'flatten',
    `rename ${top} ${GATE}`,
    'design -stash gate',
    ...prepared,
    'flatten',
    `rename ${top} ${GOLD}`,
    `design -copy-from gate -as ${GATE} ${GATE}`,
    `read_verilog ${q(MITER_FILE)}`,
    'prep -top lowbit_miter',
    'memory_map',
    'flatten',
    // Shares the logic the mutation does not touch between the two copies: a small SAT problem.
    'opt -fast',
    `sat -verify -prove trigger 0 -set-init-zero -seq ${cycles} -set-at 1 rst 1 -prove-skip 1 -timeout ${timeoutS} lowbit_miter`,
  ];
}

/**
 * Original against mutant, structurally and without a bound: Yosys's equivalence checker pairs the two
 * flattened copies' signals by name (both come from the same prepared design, so only the mutated cone
 * differs), proves each pair from its inputs' pairs (equiv_simple) and by induction over the registers
 * (equiv_induct). Cheap where the bounded miter is not (a mutation that changes nothing, e.g. a bit tied to
 * the constant it already has, in a design whose miter has a million SAT variables); it knows nothing of
 * the input contract, so "unproven" is not a verdict and the bounded miter (equivScript) decides then.
 */
export function structuralEquivScript(files: string[], top: string, m: Mutation, incdirs?: string[]): string[] {
  const prepared = [readLine(files, incdirs), `prep -top ${top}`];
  return [
    ...prepared,
    m.command,
    'memory_map',
    'flatten',
    `rename ${top} ${GATE}`,
    'design -stash gate',
    ...prepared,
    'memory_map',
    'flatten',
    `rename ${top} ${GOLD}`,
    `design -copy-from gate -as ${GATE} ${GATE}`,
    `equiv_make ${GOLD} ${GATE} lowbit_equiv`,
    'hierarchy -top lowbit_equiv',
    'equiv_simple -seq 2',
    'equiv_induct',
    'equiv_status -assert',
  ];
}

/**
 * Runs a script in `cwd` reading `read` (relative to `cwd`: the staged sources, a miter); the bundled
 * Yosys sees only those and the script. `quiet`: -q (only warnings and errors logged); the proof's
 * verdict lines need the full log.
 */
async function runYosys(script: string[], cwd: string, read: string[], name: string, logPath: string, timeoutS: number, quiet = true) {
  writeFileAtomic(join(cwd, `${name}.ys`), script.join('\n') + '\n');
  return runTool({
    tool: YOSYS,
    args: [...(quiet ? ['-q'] : []), '-s', `${name}.ys`],
    cwd,
    files: [...read, `${name}.ys`],
    logPath,
    what: name,
    timeoutMs: timeoutS * 1000,
  });
}

/**
 * Copies the design (and what it includes) into `dir`: the WebAssembly Yosys sees only its working
 * directory. A source whose name is not plain gets a plain one (Yosys writes the names into mutate
 * commands' `-src` unquoted, and they are read back as words); `original` names it again.
 */
function stage(files: string[], dir: string, incdirs?: string[]): { files: string[]; incdirs: string[]; read: string[]; original: Map<string, string> } {
  const s = stageSources(files, dir, { incdirs, rename: PLAIN_UNSAFE });
  const original = new Map([...s.names].map(([from, name]) => [name, basename(from)]));
  // read: every copy (sources and what they include), relative to `dir`: what Yosys is given.
  return { files: files.map((f) => join(dir, s.names.get(f)!)), incdirs: s.incdirs, read: s.files, original };
}

export async function listMutations(files: string[], top: string, count: number, seed: number, workDir: string, incdirs?: string[]): Promise<Mutation[]> {
  const dir = join(workDir, 'list');
  const staged = stage(files, dir, incdirs);
  const listFile = 'mutations.txt';
  await runYosys(listScript(staged.files, top, count, seed, listFile, staged.incdirs), dir, staged.read, 'list', join(dir, 'list.log'), 600);
  return readFileSync(join(dir, listFile), 'utf8')
    .split('\n')
    .filter((l) => l.startsWith('mutate '))
    .map((l, i) => parseMutation(l, i))
    // Locations name the user's file, not its staged copy.
    .map((m) => (m.file !== undefined && staged.original.has(m.file) ? { ...m, file: staged.original.get(m.file) } : m));
}

/** Writes mutant m as <workDir>/<m.id>/mutant.v (with a files.f, so `--rtl <that dir>` takes it). */
export async function writeMutants(files: string[], top: string, mutations: Mutation[], workDir: string, incdirs?: string[]): Promise<string[]> {
  const dir = join(workDir, 'gen');
  const staged = stage(files, dir, incdirs);
  await runYosys(mutantsScript(staged.files, top, mutations, staged.incdirs), dir, staged.read, 'mutants', join(dir, 'mutants.log'), 3600);
  return mutations.map((m) => {
    const mdir = join(workDir, String(m.id));
    writeFileAtomic(join(mdir, 'mutant.v'), readFileSync(join(dir, mutantFile(m.id))));
    writeFileAtomic(join(mdir, 'files.f'), 'mutant.v\n');
    return mdir;
  });
}

/** The check a mutant must fail. */
export type CheckSpec =
  | { kind: 'cosim'; simulator: string; vectors: number; stall: number; resets: number; seed: number }
  | { kind: 'prove'; cycles: number; timeoutS: number };

export type Status = 'killed' | 'survived' | 'equivalent' | 'error';

export interface Verdict {
  status: Status;
  /** Why: the mismatch, the failure, the proof's outcome. */
  detail: string;
  /** The equivalence proof of a survivor (or of `--check prove`). */
  equivalence?: 'proved' | 'counterexample' | 'inconclusive';
  checkSeconds: number;
  proofSeconds?: number;
}

export interface MutantResult extends Mutation, Verdict {
  sourceModule: string;
  description: string;
  dir: string;
  cached: boolean;
}

export interface MutateOptions<P extends CommonParams> {
  family: Family<P>;
  params: P;
  top: string;
  files: string[];
  /** Include directories of the sources (files.f), absolute. */
  incdirs?: string[];
  /** <out>/mutants */
  workDir: string;
  count: number;
  seed: number;
  jobs: number;
  check: CheckSpec;
  /** Survivors' equivalence proof: cycles from reset and time budget. */
  equivCycles: number;
  equivTimeoutS: number;
  onMutant?: (r: MutantResult, done: number, total: number) => void;
}

export interface MutateReport {
  killed: number;
  survived: number;
  equivalent: number;
  errors: number;
  /** killed / (killed + survived); 1 when every mutant is equivalent. */
  score: number;
  mutants: MutantResult[];
  seconds: number;
  tool: string;
}

/** Verdict cache: one JSON file per key under cacheRoot()/mutate. */
const verdictPath = (key: string) => join(cacheRoot(), 'mutate', `${key.slice(0, 32)}.json`);

function readVerdict(key: string): Verdict | undefined {
  const p = verdictPath(key);
  if (!existsSync(p)) return undefined;
  try {
    return JSON.parse(readFileSync(p, 'utf8')) as Verdict;
  } catch {
    return undefined; // unreadable entries are recomputed
  }
}

/**
 * The verdict's key: what decides it. The mutant's bytes, the check and its options, the design's
 * identity for the golden model (family, parameters, top), the original sources (the equivalence
 * proof compares against them), the equivalence proof's bounds and the lowbit version.
 */
export function verdictKey<P extends CommonParams>(o: MutateOptions<P>, mutant: string, mutation: Mutation, sources?: (string | Uint8Array)[]): string {
  const design = JSON.stringify({ family: o.family.name, params: o.params, top: o.top, check: o.check, equiv: [o.equivCycles, o.equivTimeoutS] });
  // The harnesses decide verdicts as much as the mutant does: a stronger harness must not reuse old ones.
  const harnesses = [HARNESS_SOURCE, ICARUS_HARNESS].map((f) => readFileSync(f, 'utf8'));
  // The sources with the files they include (staged: see sourcesOf), else the sources alone.
  return hashOf(['lowbit-mutate-v2', VERSION, design, mutation.command, mutant, ...harnesses, ...(sources ?? o.files.map((f) => readFileSync(f, 'utf8')))]);
}

/** Names and bytes of the sources and every file they include: what the original design is, for verdict keys. */
function sourcesOf<P extends CommonParams>(o: MutateOptions<P>): (string | Uint8Array)[] {
  return stageSources(o.files, join(o.workDir, 'sources'), { incdirs: o.incdirs, rename: PLAIN_UNSAFE }).contents;
}

/** Names of the modules a Verilog text defines (escaped identifiers without their backslash). */
export function modulesOf(verilog: string): Set<string> {
  return new Set([...verilog.matchAll(/^\s*module\s+\\?(\S+?)\s*[(#;]/gm)].map((m) => m[1]));
}

async function runCheck<P extends CommonParams>(o: MutateOptions<P>, dir: string): Promise<Pick<Verdict, 'status' | 'detail' | 'equivalence'>> {
  const files = [join(dir, 'mutant.v')];
  if (o.check.kind === 'cosim') {
    const simulator = SIMULATORS[o.check.simulator];
    try {
      // No replay: a mutant needs the verdict only (a replay is a second, traced build); its reproduce command gives the VCD.
      const res = await cosim({ family: o.family, params: o.params, top: o.top, files, simulator, vectors: o.check.vectors, seed: o.check.seed, stall: o.check.stall, resets: o.check.resets, workDir: dir, replay: false });
      if (res.passed) return { status: 'survived', detail: `${res.compared} vectors matched` };
      if (res.violation) return { status: 'killed', detail: `protocol violation at cycle ${res.violation.cycle}: ${res.violation.rule}` };
      const mm = res.mismatch!;
      return { status: 'killed', detail: `mismatch at vector ${mm.vector} (${mm.kind}), row ${mm.row}: expected ${mm.expected}, actual ${mm.actual}` };
    } catch (e) {
      if (!(e instanceof ToolFailedError)) throw e;
      // A build that fails is a broken mutant, not a detection; a simulation that fails (the harness's
      // no-handshake watchdog, a crash) is the check noticing the fault.
      if (/\((build|harness compile)\)/.test(e.message)) return { status: 'error', detail: e.message.split('\n')[0] + ` (log: ${e.logPath})` };
      return { status: 'killed', detail: `simulation failed: ${e.message.split('\n')[0]} (log: ${e.logPath})` };
    }
  }
  // The reference proof on the mutant: a counterexample kills it; proved equal to the reference means equivalent.
  const pdir = join(dir, 'proof');
  // The reference instantiates the shared hand-written modules (lowbit_stream_acc) by their plain
  // names; the mutant holds only Yosys's parameterized copies: the original files defining modules the
  // mutant lacks come along.
  const inMutant = modulesOf(readFileSync(files[0], 'utf8'));
  const shared = o.files.filter((f) => [...modulesOf(readFileSync(f, 'utf8'))].every((name) => !inMutant.has(name)));
  const staged = stage([...files, ...shared], pdir, o.incdirs);
  const ref = referenceDesign(o.family, o.params, o.top);
  const referenceFile = join(pdir, `${ref.name}.v`);
  writeFileAtomic(referenceFile, ref.verilog);
  const miterFile = join(pdir, MITER_FILE);
  writeFileAtomic(miterFile, proveMiter(o.family, o.params, o.top, ref.name));
  const res = await prove({ dir: pdir, files: staged.files, incdirs: staged.incdirs, read: staged.read, referenceFile, miterFile, cycles: o.check.cycles, timeoutS: o.check.timeoutS }, join(dir, 'logs', 'prove.log'));
  if (res.status === 'counterexample') return { status: 'killed', detail: `counterexample within ${res.cycles} cycles`, equivalence: 'counterexample' };
  if (res.status === 'proved') return { status: 'equivalent', detail: `proved equal to the reference over ${res.cycles} cycles from reset`, equivalence: 'proved' };
  return { status: 'survived', detail: `proof inconclusive: ${res.reason}`, equivalence: 'inconclusive' };
}

/** Original vs mutant, bounded from reset (equivScript). */
export async function proveEquivalent<P extends CommonParams>(o: MutateOptions<P>, m: Mutation, dir: string): Promise<{ equivalence: 'proved' | 'counterexample' | 'inconclusive'; detail: string; seconds: number }> {
  const edir = join(dir, 'equiv');
  const staged = stage(o.files, edir, o.incdirs);
  const t0 = performance.now();
  const secs = () => (performance.now() - t0) / 1000;
  // First the structural check (unbounded, usually seconds); when it cannot prove every pair, the bounded miter.
  const structuralBudget = Math.max(1, Math.min(120, Math.floor(o.equivTimeoutS / 2)));
  try {
    await runYosys(structuralEquivScript(staged.files, o.top, m, staged.incdirs), edir, staged.read, 'equiv-structural', join(dir, 'logs', 'equiv-structural.log'), structuralBudget);
    return { equivalence: 'proved', detail: 'equal to the original (structural equivalence: every signal pair proved, by induction over the registers)', seconds: secs() };
  } catch (e) {
    if (!(e instanceof ToolFailedError)) throw e; // unproven pairs (equiv_status -assert) or out of time: the miter decides
  }
  writeFileAtomic(join(edir, MITER_FILE), proveMiter(o.family, o.params, GATE, GOLD));
  const logPath = join(dir, 'logs', 'equiv.log');
  const budget = Math.max(1, o.equivTimeoutS - Math.ceil(secs()));
  let log: string;
  try {
    log = (await runYosys(equivScript(staged.files, o.top, m, o.equivCycles, budget, staged.incdirs), edir, [...staged.read, MITER_FILE], 'equiv', logPath, budget, false)).log;
  } catch (e) {
    if (!(e instanceof ToolFailedError)) throw e;
    log = existsSync(logPath) ? readFileSync(logPath, 'utf8') : '';
    if (e.code === undefined && !e.signal) return { equivalence: 'inconclusive', detail: `equivalence proof out of time (${o.equivTimeoutS} s)`, seconds: secs() };
  }
  if (/model found: FAIL/.test(log)) return { equivalence: 'counterexample', detail: `differs from the original within ${o.equivCycles} cycles from reset (a blind spot of the check)`, seconds: secs() };
  if (/no model found: SUCCESS/.test(log)) return { equivalence: 'proved', detail: `equal to the original over every input sequence of ${o.equivCycles} cycles from reset`, seconds: secs() };
  return { equivalence: 'inconclusive', detail: `equivalence proof inconclusive (see ${logPath})`, seconds: secs() };
}

async function judge<P extends CommonParams>(o: MutateOptions<P>, m: Mutation, dir: string): Promise<Verdict> {
  const t0 = performance.now();
  const checked = await runCheck(o, dir);
  const checkSeconds = (performance.now() - t0) / 1000;
  if (checked.status !== 'survived' || o.check.kind === 'prove') return { ...checked, checkSeconds };
  const eq = await proveEquivalent(o, m, dir);
  return {
    status: eq.equivalence === 'proved' ? 'equivalent' : 'survived',
    detail: `${checked.detail}; ${eq.detail}`,
    equivalence: eq.equivalence,
    checkSeconds,
    proofSeconds: eq.seconds,
  };
}

/** Runs `jobs` tasks at a time, results in input order. */
export async function pool<T, R>(items: T[], jobs: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(jobs, items.length)) }, worker));
  return results;
}

export function score(killed: number, survived: number): number {
  return killed + survived === 0 ? 1 : killed / (killed + survived);
}

export async function mutate<P extends CommonParams>(o: MutateOptions<P>): Promise<MutateReport> {
  const t0 = performance.now();
  const tool = await yosysVersion();
  const mutations = await listMutations(o.files, o.top, o.count, o.seed, o.workDir, o.incdirs);
  const dirs = mutations.length ? await writeMutants(o.files, o.top, mutations, o.workDir, o.incdirs) : [];
  const sources = sourcesOf(o);
  let done = 0;
  const mutants = await pool(mutations, o.jobs, async (m): Promise<MutantResult> => {
    const dir = dirs[m.id];
    const key = verdictKey(o, readFileSync(join(dir, 'mutant.v'), 'utf8'), m, sources);
    let verdict = readVerdict(key);
    const cached = verdict !== undefined;
    if (!verdict) {
      verdict = await judge(o, m, dir);
      // Not cached: errors (a mutant that does not build) and inconclusive proofs (out of time) may be
      // the machine's fault or load, and a verdict must not depend on timing.
      if (verdict.status !== 'error' && verdict.equivalence !== 'inconclusive') writeFileAtomic(verdictPath(key), JSON.stringify(verdict) + '\n');
    }
    const r: MutantResult = { ...m, sourceModule: sourceModule(m.module), description: describeMutation(m), dir, cached, ...verdict };
    o.onMutant?.(r, ++done, mutations.length);
    return r;
  });
  const count = (s: Status) => mutants.filter((x) => x.status === s).length;
  const killed = count('killed');
  const survived = count('survived');
  return { killed, survived, equivalent: count('equivalent'), errors: count('error'), score: score(killed, survived), mutants, seconds: (performance.now() - t0) / 1000, tool };
}
