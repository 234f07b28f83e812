// `lowbit regress SUITE`: the suite's jobs with a live display on a terminal (done / failed / running /
// queued, elapsed, ETA) and one line per job otherwise (CI logs); every failure prints its first
// mismatch and the command that reproduces it as it happens, and again under the summary.
// `lowbit regress-task` (not listed) is what a Slurm array task runs on its node.

import { Command } from 'commander';
import chalk from 'chalk';
import { Out, commandLine, guarded, JSON_HELP } from './common.js';
import { jobRunFlags, jobRunValues, withProgress } from './jobOptions.js';
import { regress } from '../api/regress.js';
import { failureText, jobLine, summaryTable } from '../api/regressReport.js';
import { runTask } from '../api/regressSlurm.js';

export function regressCommand(): Command {
  const cmd = new Command('regress')
    .description('run a suite file (YAML or JSON): every (design, check, seed, simulator) is a job; parallel, cached, one run directory per run, JUnit for CI')
    .argument('[suite]', 'the suite file (schema: schema/suite.schema.json); with --rerun-failed, defaults to the earlier run\'s')
    .option('--filter <pattern>', 'run only the jobs whose names match (* and ? wildcards; without them, a substring)')
    .option('--fail-fast', 'stop at the first job that fails (running jobs are stopped, the rest skipped)')
    .option('--junit <file>', 'also write the JUnit XML here (always in the run directory)')
    .option('--rerun-failed', 'run only the jobs that failed in the last run of this suite (or in --from)')
    .option('--from <run.json>', 'the run record whose failed jobs --rerun-failed runs')
    .option('--seed <s>', 'seed the per-job seeds are derived from (default: the suite\'s seed, else 1)');
  return jobRunFlags(cmd)
    .option('--json', JSON_HELP)
    .action((suite: string | undefined, opts: Record<string, unknown>) =>
      guarded(!!opts.json, async () => {
        const out = new Out(!!opts.json);
        // On a terminal the live display; under --json or in a log, plain lines on stderr.
        const r = await withProgress(!!opts.json, out, (events) =>
          regress({
            suite,
            ...jobRunValues(opts),
            filter: opts.filter as string | undefined,
            failFast: !!opts.failFast,
            junit: opts.junit as string | undefined,
            rerunFailed: !!opts.rerunFailed,
            from: opts.from as string | undefined,
            seed: opts.seed as string | undefined,
            argv: commandLine(),
            ...events,
          }),
        );
        const failures = r.jobs.filter((j) => j.status === 'failed' || j.status === 'error');
        const text = [
          '',
          summaryTable(r),
          ...(failures.length ? ['', chalk.red(`${failures.length} job(s) did not pass:`), ...failures.map(failureText)] : []),
          '',
          `run record: ${r.runDir}/run.json`,
          `JUnit: ${r.junit.join(', ')}`,
        ].join('\n');
        if (opts.json) out.note(text);
        else out.say(text);
        out.result(r);
        return r.ok ? 0 : 1;
      }),
    );
}

/** What a Slurm array task runs: its job(s) of a run, results written into the run directory. */
export function regressTaskCommand(): Command {
  return new Command('regress-task')
    .description('(internal) run one array task of a lowbit regress run on a Slurm node')
    .argument('<run-dir>')
    .argument('<task>')
    .action((runDir: string, task: string) =>
      guarded(false, async () => {
        const results = await runTask(runDir, Number(task));
        for (const r of results) process.stdout.write(jobLine(r) + '\n');
        return 0;
      }),
    );
}
