// Progress of long steps, on stderr only (stdout is the result; one JSON object under --json). On a
// terminal one line rewritten every second; otherwise a line every 10 s, so a log shows the run alive.
// Off unless the CLI turns it on; one step at a time (an outer step, like mutate's, hides inner ones).

export interface Step {
  stop(): void;
}

let enabled = false;
let active = false;

export function enableProgress(on: boolean): void {
  enabled = on;
}

const NONE: Step = { stop() {} };

/** Starts reporting `name` ("verilator build"); `detail` adds what is known ("3 of 12 units compiled"). */
export function startStep(name: string, detail?: () => string | undefined): Step {
  if (!enabled || active) return NONE;
  active = true;
  const t0 = performance.now();
  const tty = !!process.stderr.isTTY;
  let shown = false;
  const line = () => {
    const d = detail?.();
    return `lowbit: ${name} running for ${Math.round((performance.now() - t0) / 1000)} s${d ? ` (${d})` : ''}`;
  };
  const timer = setInterval(() => {
    if (tty) process.stderr.write(`\r${line()}\x1b[K`);
    else process.stderr.write(line() + '\n');
    shown = true;
  }, tty ? 1000 : 10_000);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      active = false;
      if (shown && tty) process.stderr.write('\r\x1b[K');
    },
  };
}
