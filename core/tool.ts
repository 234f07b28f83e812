// Running external tools: argument arrays (never a shell string), a log file per run, and errors
// that say what to do. Each tool module (flows/tools/*.ts) declares its tool's facts as data
// (ToolFacts: executable, version switch and minimum, install hint, log patterns, the environment
// variable that overrides its path, a bundled WebAssembly build); this runner resolves the command
// from them, gates the version once per process, and runs it.

import { accessSync, constants, existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { timeLimit, timeLimitError } from './budget.js';
import { spawnTool } from './procs.js';
import { startStep } from './progress.js';
import { UsageError } from './errors.js';
import { privateRunDir } from './runDir.js';
import { ToolFailedError, ToolMissingError, ToolTooOldError, tailOf } from './toolErrors.js';

export { TimeLimitError } from './budget.js';
export { CheckFailedError, howItEnded, tailOf, ToolFailedError, ToolMissingError, ToolTooOldError } from './toolErrors.js';

/** How to ask a tool its version, and the oldest one lowbit works with. */
export interface VersionFacts {
  /** Arguments that make it print its version and exit 0. */
  args: string[];
  /** Captures the version number ("5.006") as group 1 in that output. */
  pattern: RegExp;
  /** Oldest version lowbit accepts (dotted numbers, compared part by part); absent: no gate. */
  minimum?: string;
}

/** A bundled WebAssembly build, run by a Node launcher like a native binary. */
export interface BundledFacts {
  /** The npm package ("@yowasp/yosys"): what messages call it. */
  package: string;
  /** The launcher script and the arguments before the tool's own (flows/tools/yowasp.mjs yosys). */
  launcher: string[];
  install: string;
}

/** Everything lowbit knows about one external tool, as data (one declaration per tool module). */
export interface ToolFacts {
  /** Key for install hints and doctor ("verilator", "sta"). */
  id: string;
  /** What messages call it ("sta (OpenSTA)"). */
  name: string;
  /** The executable looked up on PATH. */
  executable: string;
  /** The environment variable naming another executable (LOWBIT_VERILATOR=/opt/.../verilator). */
  envVar: string;
  version: VersionFacts;
  /** The Debian command that installs it. */
  install: string;
  /** Lines of its log that are warnings and errors (tested line by line). */
  log: { warning: RegExp; error: RegExp };
  /**
   * The default when present: the bundled build runs unless envVar is `system` (the executable from
   * PATH) or a path.
   */
  bundled?: BundledFacts;
}

/** A tool as it will run: the command, and how it was chosen. */
export interface ResolvedTool {
  facts: ToolFacts;
  command: string;
  /** Arguments before the tool's own (a bundled build's launcher). */
  prefix: string[];
  /** bundled: the WebAssembly build; path: the executable from PATH; override: envVar's path. */
  kind: 'bundled' | 'path' | 'override';
  /** What messages call it ("yosys", "@yowasp/yosys"). */
  name: string;
  /** How to get it when it is missing. */
  install: string;
  /** How it was chosen, in words ("LOWBIT_VERILATOR=/opt/v/bin/verilator", "verilator from PATH"). */
  source: string;
}

export interface ToolInfo {
  /** What the user would call it. */
  name: string;
  /** The command that installs it on Debian. */
  install: string;
}

/**
 * Install hints by key, for callers that name a tool by key (cli/doctor.ts). Tools without a module
 * of their own are listed here; every defineTool() adds its tool (and its bundled build as
 * `yowasp-<id>`).
 */
export const TOOLS: Record<string, ToolInfo> = {
  make: { name: 'make', install: 'apt-get install -y make' },
  'g++': { name: 'g++', install: 'apt-get install -y g++' },
};

/** The install hint of the installed build; with a bundled default, how to go back to it. */
const installHint = (f: ToolFacts): string => (f.bundled ? `${f.install} (or unset ${f.envVar} to use the bundled ${f.bundled.package})` : f.install);

/** Declares a tool's facts (a tool module's one declaration) and registers its install hints. */
export function defineTool(facts: ToolFacts): ToolFacts {
  TOOLS[facts.id] = { name: facts.name, install: installHint(facts) };
  if (facts.bundled) TOOLS[`yowasp-${facts.id}`] = { name: facts.bundled.package, install: facts.bundled.install };
  return facts;
}

/** What a tool's environment variable may hold, for the message that refuses a bad value. */
export function envVarExpected(f: ToolFacts): string {
  return f.bundled
    ? `${f.envVar} must be "system" (${f.executable} from PATH), the path of a ${f.executable} executable, or unset (the bundled ${f.bundled.package})`
    : `${f.envVar} must be the path of a ${f.executable} executable, or unset (${f.executable} from PATH)`;
}

/** Why `path` cannot be run, or undefined when it can. */
function notExecutable(path: string): string | undefined {
  if (!existsSync(path)) return `${path} does not exist`;
  if (statSync(path).isDirectory()) return `${path} is a directory`;
  try {
    accessSync(path, constants.X_OK);
  } catch {
    return `${path} is not executable`;
  }
  return undefined;
}

/**
 * The command a tool runs as, from its facts and its environment variable. A value that names no
 * executable is bad input (exit 2, naming the variable, the value and what it may hold), found before
 * anything runs; a misspelt choice never quietly runs another build.
 */
export function resolveTool(f: ToolFacts, env: NodeJS.ProcessEnv = process.env): ResolvedTool {
  const given = env[f.envVar];
  const base = { facts: f, prefix: [] as string[] };
  const fromPath = (source: string): ResolvedTool => ({ ...base, command: f.executable, kind: 'path', name: f.name, install: installHint(f), source });
  if (given === undefined || given === '') {
    if (!f.bundled) return fromPath(`${f.executable} from PATH`);
    return { ...base, command: process.execPath, prefix: f.bundled.launcher, kind: 'bundled', name: f.bundled.package, install: f.bundled.install, source: `the bundled ${f.bundled.package}` };
  }
  if (f.bundled && given === 'system') return fromPath(`${f.executable} from PATH (${f.envVar}=system)`);
  const path = resolve(given);
  const problem = notExecutable(path);
  if (problem) throw new UsageError(`${envVarExpected(f)}, but ${problem} (given: ${JSON.stringify(given)})`);
  return { ...base, command: path, kind: 'override', name: f.name, install: `${f.install} (or point ${f.envVar} at a working ${f.executable})`, source: `${f.envVar}=${path}` };
}

/** Compares dotted versions part by part as numbers ("5.006" < "5.020"); a missing part is 0. */
export function compareVersions(a: string, b: string): number {
  const x = a.split('.').map(Number);
  const y = b.split('.').map(Number);
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const d = (x[i] ?? 0) - (y[i] ?? 0);
    if (d !== 0) return Math.sign(d);
  }
  return 0;
}

/**
 * Runs `command args` for its version output. Not found: ToolMissingError (exit 4, the install
 * command). Found but failing, exit code or signal: ToolFailedError with its output (exit 1):
 * reinstalling is not the fix.
 */
async function askVersion(name: string, install: string, command: string, args: string[]): Promise<string> {
  const run = spawnTool(command, args, { stdin: 'ignore', all: true, reject: false }, 60_000);
  const r = await run.child;
  if ((r as { code?: string }).code === 'ENOENT') throw new ToolMissingError(name, install);
  const out = String(r.all ?? '').trim();
  if (run.stoppedBy() === 'time limit') throw timeLimitError(`${name} ${args.join(' ')}`);
  if (r.exitCode !== 0 || r.signal || run.stoppedBy()) {
    throw new ToolFailedError(name, r.exitCode, tailOf(out) || '(no output)', '', `${[command, ...args].join(' ')}`, r.signal);
  }
  return out;
}

/** A tool's `--version` (or like) output, by TOOLS key (cli/doctor.ts); no gate. */
export async function toolVersion(tool: string, command: string, args: string[]): Promise<string> {
  return askVersion(TOOLS[tool]?.name ?? command, TOOLS[tool]?.install ?? `install ${command}`, command, args);
}

export interface ToolVersion {
  /** The whole version output, trimmed (part of cache keys and reports). */
  text: string;
  /** The version number the facts' pattern found ("5.006"). */
  version: string;
}

const versions = new Map<string, Promise<ToolVersion>>();

/** Forgets the versions looked up so far (tests that swap a tool at one path). */
export function clearVersionCache(): void {
  versions.clear();
}

async function gate(t: ResolvedTool): Promise<ToolVersion> {
  const args = [...t.prefix, ...t.facts.version.args];
  const text = await askVersion(t.name, t.install, t.command, args);
  const m = t.facts.version.pattern.exec(text);
  if (!m) throw new ToolFailedError(t.name, 0, tailOf(text) || '(no output)', '', `${[t.command, ...args].join(' ')}: no version number in its output`);
  const min = t.facts.version.minimum;
  if (min !== undefined && compareVersions(m[1], min) < 0) {
    throw new ToolTooOldError(t.name, m[1], min, text.split('\n')[0], t.source, t.install);
  }
  return { text, version: m[1] };
}

/**
 * The tool's version, checked against its minimum: too old is ToolTooOldError (exit 4, naming found
 * and required versions); output without a version number is a tool failure (exit 1). Asked once per
 * process and command.
 */
export function checkVersion(t: ResolvedTool): Promise<ToolVersion> {
  const key = JSON.stringify([t.command, t.prefix, t.facts.version.args]);
  let p = versions.get(key);
  if (!p) {
    p = gate(t);
    versions.set(key, p);
    // A failure is not remembered: the next call asks again (after the user fixed the tool).
    p.catch(() => versions.delete(key));
  }
  return p;
}

/** The warning and error lines of a tool's log, by its facts' patterns. */
export function logFindings(f: ToolFacts, log: string): { warnings: string[]; errors: string[] } {
  const lines = log.split('\n');
  return { warnings: lines.filter((l) => f.log.warning.test(l)), errors: lines.filter((l) => f.log.error.test(l)) };
}

export interface RunOptions {
  /** The tool's facts (resolved, version-gated); or, for older callers, a TOOLS key with `command`. */
  tool: string | ToolFacts;
  /** With a TOOLS key only: the command to run. */
  command?: string;
  /** The tool's own arguments. */
  args: string[];
  cwd?: string;
  /**
   * Files the tool reads, relative to `cwd`: a bundled WebAssembly build runs in a private directory
   * holding only these (core/runDir.ts), and what it writes comes back to `cwd`. Required for a
   * bundled build; native tools read what they open and run in `cwd`.
   */
  files?: string[];
  /** stdout and stderr of the run go here (created, overwritten). */
  logPath: string;
  env?: Record<string, string>;
  timeoutMs?: number;
  /** Short description for error messages ("lint", "build"). */
  what?: string;
  /** What to add to progress lines while it runs ("3 of 12 units compiled"). */
  progress?: () => string | undefined;
}

export interface RunResult {
  seconds: number;
  log: string;
  logPath: string;
  /** With facts: the log's warning and error lines. */
  warnings?: string[];
  errors?: string[];
  /** With facts: the tool as it ran and its version. */
  resolved?: ResolvedTool;
  version?: ToolVersion;
}

/**
 * The hour Yosys, OpenSTA and nextpnr get when the run has no time limit (a hung tool must end some
 * time); with --timeout, that limit alone applies.
 */
export const hourUnlessLimited = (): number | undefined => (timeLimit() ? undefined : 60 * 60 * 1000);

export async function runTool(o: RunOptions): Promise<RunResult> {
  let name: string;
  let install: string;
  let command: string;
  let args = o.args;
  let resolved: ResolvedTool | undefined;
  let version: ToolVersion | undefined;
  if (typeof o.tool === 'string') {
    command = o.command ?? o.tool;
    name = TOOLS[o.tool]?.name ?? command;
    install = TOOLS[o.tool]?.install ?? `install ${command}`;
  } else {
    resolved = resolveTool(o.tool);
    ({ name, install, command } = resolved);
    if (resolved.kind === 'bundled' && !o.files) throw new Error(`internal: ${name} runs in a private directory: say which files it reads`);
    version = await checkVersion(resolved);
    args = [...resolved.prefix, ...o.args];
  }
  mkdirSync(dirname(o.logPath), { recursive: true });
  const t0 = performance.now();
  const label = `${name}${o.what ? ` ${o.what}` : ''}`;
  const step = startStep(label, o.progress);
  const runDir = resolved?.kind === 'bundled' ? privateRunDir(o.cwd ?? process.cwd(), o.files!) : undefined;
  try {
    const run = spawnTool(command, args, { cwd: runDir?.dir ?? o.cwd, env: o.env, stdin: 'ignore', all: true, reject: false, maxBuffer: 256 * 1024 * 1024 }, o.timeoutMs);
    const r = await run.child;
    const log = String(r.all ?? '');
    writeFileSync(o.logPath, log);
    if ((r as { code?: string }).code === 'ENOENT') throw new ToolMissingError(name, install);
    if (run.stoppedBy() === 'time limit') throw timeLimitError(label);
    if (run.stoppedBy() === 'timeout') throw new ToolFailedError(name, undefined, tailOf(log) + `\n(timed out after ${o.timeoutMs} ms)`, o.logPath, o.what);
    if (r.exitCode !== 0 || r.signal) throw new ToolFailedError(name, r.exitCode, tailOf(log), o.logPath, o.what, r.signal);
    return { seconds: (performance.now() - t0) / 1000, log, logPath: o.logPath, ...(resolved ? { ...logFindings(resolved.facts, log), resolved, version } : {}) };
  } finally {
    step.stop();
    if (runDir) {
      try {
        runDir.copyBack();
      } finally {
        runDir.remove();
      }
    }
  }
}

/**
 * Reads a tool's output with `parse`: output that does not parse means the tool misbehaved (another
 * version, a crash that still exited 0), so it is a ToolFailedError naming the log, not a plain error.
 */
export function parseToolOutput<T>(tool: string, logPath: string, what: string, parse: () => T): T {
  try {
    return parse();
  } catch (e) {
    if ((e as { exitCode?: number }).exitCode !== undefined) throw e;
    throw new ToolFailedError(tool, 0, `(${(e as Error).message})`, logPath, `${what}: its output does not parse`);
  }
}
