// The run's wall-clock budget (`--timeout S` of lint, cosim, synth, power, mutate, demo).
// The CLI sets it once; every process lowbit starts (core/procs.ts) and every wait for another run's
// lock consults it, so no step can outlive the command's limit. Library callers that set none get none.

export interface Budget {
  /** performance.now() at which the budget runs out. */
  deadline: number;
  seconds: number;
  /** The option that set it, for messages ("--timeout"). */
  option: string;
}

let budget: Budget | undefined;

export function setTimeLimit(seconds: number | undefined, option = '--timeout'): void {
  budget = seconds === undefined ? undefined : { deadline: performance.now() + seconds * 1000, seconds, option };
}

export const timeLimit = (): Budget | undefined => budget;

/** Milliseconds left (at least 1), or undefined without a limit. */
export function remainingMs(): number | undefined {
  return budget ? Math.max(1, Math.ceil(budget.deadline - performance.now())) : undefined;
}

export const budgetSpent = (): boolean => !!budget && performance.now() >= budget.deadline;

/** The time limit ran out during `step`: no verdict, exit 3. */
export class TimeLimitError extends Error {
  readonly exitCode = 3;
  constructor(readonly step: string, readonly seconds: number, readonly option: string) {
    super(`${step} did not finish within the time limit (${seconds} s, ${option}); no verdict. Give a larger ${option} or a smaller design.`);
    this.name = 'TimeLimitError';
  }
}

/** Throws TimeLimitError naming `step` when the budget is spent. */
export function checkBudget(step: string): void {
  if (budget && budgetSpent()) throw new TimeLimitError(step, budget.seconds, budget.option);
}

export function timeLimitError(step: string): TimeLimitError {
  const b = budget ?? { seconds: 0, option: '--timeout' };
  return new TimeLimitError(step, b.seconds, b.option);
}
