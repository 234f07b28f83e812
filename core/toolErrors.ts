// What goes wrong with an external tool, each with the exit code the CLI maps it to (README "Exit
// codes"): not installed or too old (4: installing fixes it), ran and failed (1: it does not).

/** A tool that is not installed: exit code 4 and the command that installs it. */
export class ToolMissingError extends Error {
  readonly exitCode = 4;
  constructor(readonly tool: string, readonly install: string) {
    super(`${tool} is not installed (or not on PATH). Install it with: ${install}\n(or run: bash scripts/setup.sh)`);
    this.name = 'ToolMissingError';
  }
}

/**
 * A tool older than lowbit needs: like a missing one (exit 4, installing a newer one fixes it), and
 * the message names the tool, the version found, the one required and where it was found.
 */
export class ToolTooOldError extends ToolMissingError {
  constructor(tool: string, readonly found: string, readonly required: string, output: string, where: string, install: string) {
    super(tool, install);
    this.message = `${tool} ${found} is too old: lowbit needs ${tool} >= ${required} (found: ${output}; ${where}). Install a newer one with: ${install}`;
    this.name = 'ToolTooOldError';
  }
}

/** How a process ended, to follow "X failed": " with exit code 3", ": killed by SIGSEGV". */
export function howItEnded(code: number | undefined, signal?: string): string {
  if (signal) return `: killed by ${signal}`;
  if (code === 0) return ' although it exited 0';
  return code === undefined ? ' without an exit code' : ` with exit code ${code}`;
}

/**
 * A tool that ran and failed (including on --version, and output that does not parse): how it ended,
 * the tail of its log and the log's path (or its output when there is no log).
 */
export class ToolFailedError extends Error {
  readonly exitCode = 1;
  constructor(readonly tool: string, readonly code: number | undefined, readonly tail: string, readonly logPath: string, what?: string, readonly signal?: string) {
    const where = logPath ? `\n--- last lines of ${logPath} ---\n${tail}\n--- full log: ${logPath}` : `\n--- its output ---\n${tail}`;
    super(`${tool} failed${what ? ` (${what})` : ''}${howItEnded(code, signal)}.${where}`);
    this.name = 'ToolFailedError';
  }
}

/** A check that ran and failed (a netlist that differs from the golden model): exit code 1. */
export class CheckFailedError extends Error {
  readonly exitCode = 1;
  constructor(message: string) {
    super(message);
    this.name = 'CheckFailedError';
  }
}

export function tailOf(text: string, lines = 20): string {
  const all = text.trimEnd().split('\n');
  return all.slice(-lines).join('\n');
}
