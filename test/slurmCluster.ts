// The one-node Slurm cluster the Slurm tests run on: scripts/slurm/up.sh (idempotent: a cluster that
// is up stays up). Exit 3 means this machine cannot run one (not root, not Debian, packages not
// installable): the tests skip with its one-line reason. Any other failure is a failure.
import { spawnSync } from 'node:child_process';
import { repoPath } from '../core/paths.js';

export const UP_SCRIPT = repoPath('scripts', 'slurm', 'up.sh');

/** Runs scripts/slurm/up.sh: ok, or why this machine cannot have the cluster (its stderr line). */
export function bringUpCluster(): { ok: true } | { ok: false; reason: string } {
  // Installing slurm-wlm and munge on a fresh machine takes a few minutes; bringing them up, seconds.
  const r = spawnSync('bash', [UP_SCRIPT], { encoding: 'utf8', timeout: 15 * 60_000 });
  if (r.status === 0) return { ok: true };
  const stderr = (r.stderr ?? '').trim();
  if (r.status === 3) return { ok: false, reason: stderr.split('\n').filter(Boolean).pop() ?? 'scripts/slurm/up.sh exited 3' };
  throw new Error(`scripts/slurm/up.sh failed (${r.error?.message ?? (r.signal ? `killed by ${r.signal}` : `exit code ${r.status}`)}):\n${stderr}\n${r.stdout ?? ''}`);
}
