#!/usr/bin/env bash
# A one-node Slurm cluster on this machine, for `lowbit regress --scheduler slurm` and its tests:
# Debian's slurm-wlm and munge, started directly (no systemd here). Idempotent: a cluster that is up
# stays up; a changed machine (CPUs, memory) gets a new slurm.conf and restarted daemons.
#
# Exit codes: 0 up (one line on stdout); 3 this machine cannot run it (not root, not Debian, packages
# missing and not installable: one line on stderr with the command to run; the tests skip on it);
# 1 it should have come up but did not (the tail of the daemon's log on stderr).
set -euo pipefail

say() { printf 'slurm: %s\n' "$*" >&2; }
cannot() { printf 'slurm: cannot bring up the test cluster: %s\n' "$*" >&2; exit 3; }

CONF=/etc/slurm/slurm.conf
MARK='# lowbit: written by scripts/slurm/up.sh'
PARTITION=lowbit
NODE=$(hostname -s)
CPUS=$(nproc)
CTLD_PID=/run/slurmctld.pid
SLURMD_PID=/run/slurmd.pid
LOGDIR=/var/log/slurm
CTLD_LOG=$LOGDIR/slurmctld.log
SLURMD_LOG=$LOGDIR/slurmd.log
MUNGE_LOG=/var/log/munge/munged.log

# The node answers in the lowbit partition: idle, mix or alloc (a "*" suffix means not responding).
node_state() { sinfo -h -N -p "$PARTITION" -o '%t' 2>/dev/null | head -n1; }
node_ok() { case "$(node_state)" in idle | mix | alloc | comp) return 0 ;; *) return 1 ;; esac; }
report() { printf 'slurm: up (partition %s, node %s, %s CPUs)\n' "$PARTITION" "$NODE" "$(sinfo -h -N -p "$PARTITION" -o '%c' 2>/dev/null | head -n1)"; }

# 0. Not root: fine when a root already brought the cluster up (the tests only need it to answer).
if [ "$(id -u)" != "0" ]; then
  if command -v sinfo >/dev/null 2>&1 && node_ok; then report; exit 0; fi
  cannot "it needs root (it installs packages, writes $CONF and starts daemons); run: sudo bash scripts/slurm/up.sh"
fi

# 1. Debian packages: slurm-wlm (slurmctld, slurmd, sbatch ...) and munge (their authentication).
command -v apt-get >/dev/null 2>&1 && [ -f /etc/debian_version ] ||
  cannot "it needs Debian (apt-get) for the slurm-wlm and munge packages; elsewhere install Slurm and munge yourself and start a cluster with a partition named $PARTITION"
declare -A PKG=([slurmctld]=slurm-wlm [slurmd]=slurm-wlm [sbatch]=slurm-wlm [munged]=munge [mungekey]=munge)
missing=()
for cmd in "${!PKG[@]}"; do
  command -v "$cmd" >/dev/null 2>&1 || [ -x "/usr/sbin/$cmd" ] || missing+=("${PKG[$cmd]}")
done
if [ "${#missing[@]}" -gt 0 ]; then
  mapfile -t missing < <(printf '%s\n' "${missing[@]}" | sort -u)
  say "installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  if ! { apt-get update -qq && apt-get install -y -qq --no-install-recommends "${missing[@]}"; } >&2; then
    cannot "apt-get could not install ${missing[*]}; run as root: apt-get update && apt-get install -y --no-install-recommends ${missing[*]}"
  fi
fi
export PATH="$PATH:/usr/sbin:/sbin"

# 2. The config: refuse to overwrite one this script did not write (another cluster's).
if [ -f "$CONF" ] && ! head -n1 "$CONF" | grep -qF "$MARK"; then
  printf 'slurm: %s exists and was not written by scripts/slurm/up.sh: not touching it (move it away to let up.sh make a one-node test cluster)\n' "$CONF" >&2
  exit 1
fi
mem_mb=$(($(awk '/^MemTotal:/ { print $2 }' /proc/meminfo) / 1024))
margin=$((mem_mb / 10 < 1024 ? mem_mb / 10 : 1024)) # slurmd drains a node that has less than configured
real_mem=$((mem_mb - margin))
new=$(
  cat <<EOF
$MARK (a one-node test cluster; edits are overwritten)
ClusterName=lowbit
# 127.0.0.1: the node is this machine, whatever its name resolves to.
SlurmctldHost=$NODE(127.0.0.1)
AuthType=auth/munge
CredType=cred/munge
SlurmUser=slurm
SlurmdUser=root
StateSaveLocation=/var/lib/slurm/slurmctld
SlurmdSpoolDir=/var/lib/slurm/slurmd
SlurmctldPidFile=$CTLD_PID
SlurmdPidFile=$SLURMD_PID
SlurmctldLogFile=$CTLD_LOG
SlurmdLogFile=$SLURMD_LOG
# No cgroups in containers: processes are tracked through /proc, tasks are not bound to CPUs.
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
MpiDefault=none
SwitchType=switch/none
# Cores are the consumable (one-CPU tasks run side by side); memory is not.
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SchedulerType=sched/backfill
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
JobCompType=jobcomp/none
# Finished jobs (array tasks) stay visible to scontrol show job for 10 minutes.
MinJobAge=600
ReturnToService=2
# scancel: SIGKILL 5 s after SIGTERM (default 30).
KillWait=5
MailProg=/bin/true
NodeName=$NODE NodeAddr=127.0.0.1 CPUs=$CPUS RealMemory=$real_mem State=UNKNOWN
PartitionName=$PARTITION Nodes=$NODE Default=YES MaxTime=INFINITE State=UP
EOF
)
changed=0
if [ ! -f "$CONF" ] || [ "$(cat "$CONF")" != "$new" ]; then
  mkdir -p "$(dirname "$CONF")"
  printf '%s\n' "$new" >"$CONF.tmp"
  mv "$CONF.tmp" "$CONF"
  changed=1
fi
for d in /var/lib/slurm/slurmctld /var/lib/slurm/slurmd "$LOGDIR"; do
  mkdir -p "$d"
  chown slurm:slurm "$d"
done

# 3. munge: a key, and munged running as the munge user.
if [ ! -s /etc/munge/munge.key ]; then
  say "creating /etc/munge/munge.key"
  mkdir -p /etc/munge
  mungekey --create --keyfile=/etc/munge/munge.key --force
fi
chown munge:munge /etc/munge /etc/munge/munge.key
chmod 0700 /etc/munge
chmod 0400 /etc/munge/munge.key
munge_ok() { munge -n </dev/null 2>/dev/null | unmunge >/dev/null 2>&1; }
if ! munge_ok; then
  for d in /run/munge /var/lib/munge /var/log/munge; do
    mkdir -p "$d"
    chown munge:munge "$d"
  done
  say "starting munged"
  runuser -u munge -- /usr/sbin/munged >&2 || true
  for _ in $(seq 50); do munge_ok && break; sleep 0.1; done
  if ! munge_ok; then
    say "munged did not start; last lines of $MUNGE_LOG:"
    tail -n 20 "$MUNGE_LOG" >&2 2>/dev/null || true
    exit 1
  fi
fi

# 4. The daemons, started directly (they daemonize); running ones are kept unless the config changed.
running() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }
stop() { # pid file: TERM, then wait up to 10 s
  running "$1" || return 0
  local pid
  pid=$(cat "$1")
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
}
if [ "$changed" = 1 ]; then
  stop "$SLURMD_PID"
  stop "$CTLD_PID"
fi
fail() { # what, log
  say "$1; last lines of $2:"
  tail -n 30 "$2" >&2 2>/dev/null || true
  exit 1
}
if ! running "$CTLD_PID"; then
  say "starting slurmctld"
  /usr/sbin/slurmctld >&2 || fail "slurmctld did not start" "$CTLD_LOG"
fi
if ! running "$SLURMD_PID"; then
  say "starting slurmd"
  /usr/sbin/slurmd >&2 || fail "slurmd did not start" "$SLURMD_LOG"
fi

# 5. Wait (30 s at most) for the node to be schedulable; resume it when down or drained.
for i in $(seq 60); do
  if node_ok; then report; exit 0; fi
  case "$(node_state)" in
    down | drain | drng | fail | down~ | drain~) scontrol update nodename="$NODE" state=resume >/dev/null 2>&1 || true ;;
  esac
  running "$CTLD_PID" || fail "slurmctld exited" "$CTLD_LOG"
  running "$SLURMD_PID" || fail "slurmd exited" "$SLURMD_LOG"
  sleep 0.5
done
say "node $NODE is not schedulable after 30 s (state: $(node_state || true), $(scontrol show node "$NODE" 2>/dev/null | grep -o 'Reason=.*' || true))"
fail "slurmd" "$SLURMD_LOG"
