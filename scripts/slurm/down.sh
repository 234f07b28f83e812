#!/usr/bin/env bash
# Stops the one-node test cluster scripts/slurm/up.sh started: slurmd, then slurmctld, by their pid
# files (nothing else is signalled). Idempotent: a cluster that is down stays down.
#
# munged keeps running: it holds no cluster state, costs nothing idle, and other munge users on this
# machine may rely on it; up.sh starts it only when it does not answer. `--munge` stops it too.
# Jobs still running are killed with slurmd; their state stays in /var/lib/slurm/slurmctld.
set -euo pipefail

say() { printf 'slurm: %s\n' "$*" >&2; }

[ "$(id -u)" = "0" ] || { say "stopping the cluster needs root; run: sudo bash scripts/slurm/down.sh"; exit 3; }

stop() { # name, pid file: TERM, then KILL after 10 s
  [ -f "$2" ] || return 0
  local pid
  pid=$(cat "$2")
  if ! kill -0 "$pid" 2>/dev/null; then rm -f "$2"; return 0; fi
  say "stopping $1 (pid $pid)"
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
  say "$1 did not stop in 10 s: killing it"
  kill -KILL "$pid" 2>/dev/null || true
}

stop slurmd /run/slurmd.pid
stop slurmctld /run/slurmctld.pid
if [ "${1:-}" = "--munge" ]; then stop munged /run/munge/munged.pid; fi
echo "slurm: down"
