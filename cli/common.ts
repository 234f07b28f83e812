// What every subcommand shares: family parameters as flags, --json output, and one place that turns
// errors into exit codes (0 ok, 1 check or tool failed, 2 bad input, 3 time limit reached, 4 tool
// missing). The work itself is the API's (api/): a command here turns flags into its options, calls
// it, and prints.

import { Command, Option } from 'commander';
import chalk from 'chalk';
import { describeParam, flagName, UsageError, type ParamSpec } from '../generators/common/params.js';
import { families } from '../api/families.js';
import { errorKind, exitCodeOf, jsonText, recordOf, type RunRecord } from '../api/record.js';
import type { RtlOptions } from '../api/design.js';
import { startTimeLimit } from './limits.js';

/** Every family parameter, once (families share most of them). */
function allParamSpecs(): Map<string, ParamSpec> {
  const m = new Map<string, ParamSpec>();
  for (const f of families()) for (const s of f.schema.params) if (!m.has(s.name)) m.set(s.name, s);
  return m;
}

const camel = (name: string): string => name.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

/** Adds `<family>` and one flag per family parameter, plus a per-family parameter list in --help. */
export function withFamilyParams(cmd: Command): Command {
  cmd.argument('<family>', `design family: ${families().map((f) => f.name).join(', ')}`);
  for (const spec of allParamSpecs().values()) {
    // A name several families use with different meanings (encoding, weights, w_bits) is described per family below.
    const users = families().filter((f) => f.schema.params.some((s) => s.name === spec.name && s.doc !== spec.doc));
    cmd.addOption(new Option(`--${flagName(spec.name)} <value>`, users.length ? `differs by family: see "Family parameters" below` : spec.doc));
  }
  cmd.option('--top <name>', 'top module name (default lowbit_<family>)');
  const lines = families().map(
    (f) => `\n${f.name}: ${f.summary}\n` + f.schema.params.map((s) => `  --${flagName(s.name).padEnd(10)} ${describeParam(s)}`).join('\n'),
  );
  cmd.addHelpText('after', `\nFamily parameters:${lines.join('\n')}`);
  return cmd;
}

/** Raw parameter values given on the command line (the ones not given are left out). */
export function rawParams(opts: Record<string, unknown>): Record<string, unknown> {
  const raw: Record<string, unknown> = {};
  for (const spec of allParamSpecs().values()) {
    const v = opts[camel(spec.name)];
    if (v !== undefined) raw[spec.name] = v;
  }
  return raw;
}

/** stdout is JSON-only under --json: human output goes through here. */
export class Out {
  constructor(readonly json: boolean) {}
  say(text: string): void {
    if (!this.json) process.stdout.write(text + '\n');
  }
  note(text: string): void {
    process.stderr.write(text + '\n');
  }
  result(obj: unknown): void {
    if (this.json) process.stdout.write(jsonText(obj) + '\n');
  }
}

export const JSON_HELP = 'print one JSON object on stdout and nothing else there';

/** A subcommand that takes `<family> [parameters]` and --json. */
export function familyCommand(name: string, description: string, io?: { rtl?: string; out?: string }): Command {
  const cmd = withFamilyParams(new Command(name)).description(description).option('--json', JSON_HELP);
  // The RTL a command reads (--rtl, input only) and where it writes (--out), in each command's words.
  if (io?.rtl) cmd.option('--rtl <dir>', io.rtl);
  if (io?.out) cmd.option('--out <dir>', io.out);
  return cmd;
}

/** A command's own options as typed (text: the API checks them, with the same messages for both). */
export function given<K extends string>(opts: Record<string, unknown>, ...names: K[]): Record<K, string | undefined> {
  return Object.fromEntries(names.map((n) => [n, opts[n] as string | undefined])) as Record<K, string | undefined>;
}

/** The command line's words after `lowbit` (recorded in run.json). */
export const commandLine = (): string[] => process.argv.slice(2);

/** The options every family command passes to the API: the design, `rtl`, `out`, notes and the command line. */
export function designOptions(name: string, opts: Record<string, unknown>, out: Out): RtlOptions {
  return {
    family: name,
    params: rawParams(opts),
    top: opts.top as string | undefined,
    rtl: opts.rtl as string | undefined,
    out: opts.out as string | undefined,
    onNote: (t) => out.note(t),
    argv: commandLine(),
  };
}

/** The action of a family command: the body builds its API options from `designOptions` and returns the exit code. */
export function onFamily(body: (base: RtlOptions, opts: Record<string, unknown>, out: Out) => Promise<number>) {
  return (name: string, opts: Record<string, unknown>, cmd?: Command) =>
    guarded(!!opts.json, async () => {
      startTimeLimit(cmd, opts);
      const out = new Out(!!opts.json);
      return body(designOptions(name, opts, out), opts, out);
    });
}

/** File-system refusals that come from the paths a user gave (read-only, a file in the way): bad input. */
const USER_FS_ERRORS: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  ENOTDIR: 'a part of the path is a file, not a directory',
  EISDIR: 'it is a directory, not a file',
  EEXIST: 'something else is in the way',
  ENAMETOOLONG: 'the name is too long',
};

/** An fs error naming a path the user chose, as a UsageError (exit 2) that names the path and the reason. */
export function userFsError(e: unknown): Error | undefined {
  const err = e as NodeJS.ErrnoException;
  if (!err || typeof err.code !== 'string' || !(err.code in USER_FS_ERRORS) || typeof err.path !== 'string') return undefined;
  return new UsageError(`cannot ${err.syscall ?? 'use'} ${err.path}: ${USER_FS_ERRORS[err.code]} (${err.code}); choose a path lowbit can write (--out) or fix its permissions`);
}

/** The one JSON error object --json prints on stdout for a failure that left no run record. */
export const jsonError = (error: string, kind: string, exitCode: number): string => JSON.stringify({ ok: false, error, kind, exitCode }) + '\n';

/**
 * Runs a command body, mapping errors to messages and exit codes. Under --json a failure prints its
 * run record when the command wrote one (ok false, with error, kind and exitCode), else the error object.
 */
export async function guarded(json: boolean, body: () => Promise<number>): Promise<void> {
  try {
    process.exitCode = await body();
  } catch (e) {
    const err = (userFsError(e) ?? e) as Error;
    const code = exitCodeOf(err);
    const kind = errorKind(err);
    process.stderr.write(`${chalk.red(`lowbit: ${kind}:`)} ${err.message}\n`);
    if (kind === 'internal error' && err.stack) process.stderr.write(err.stack + '\n');
    const rec: RunRecord | undefined = recordOf(e);
    if (json) process.stdout.write(rec ? jsonText(rec) + '\n' : jsonError(err.message, kind, code));
    process.exitCode = code;
  }
}
