// The error classes every layer throws, each with the exit code the CLI maps it to (README "Exit codes").
// Tool and check failures live beside the tool runner (core/tool.ts), time limits beside the budget.

/** Bad input from the user (a parameter, a path, a file): exit code 2, nothing written. */
export class UsageError extends Error {
  readonly exitCode = 2;
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
