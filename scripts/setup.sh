#!/usr/bin/env bash
# lowbit set-up, idempotent: npm dependencies (with Yosys as WebAssembly), then the Debian packages
# the flows need. As root it installs what is missing with apt-get; otherwise it prints the exact
# command to run and exits 1. Run it as often as you like: when everything is there it does nothing.
# --test (npm test's pretest) also wants what the test suite alone uses: Slurm (slurm-wlm, munge) for
# the one-node cluster of test/slurm.test.ts (scripts/slurm/up.sh), and chromium for the sweep report's
# browser test (test/sweep.test.ts). `npm run demo` never installs them.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf 'setup: %s\n' "$*" >&2; }

TEST=0
for arg in "$@"; do
  case "$arg" in
    --test) TEST=1 ;;
    *) say "unknown option $arg (usage: bash scripts/setup.sh [--test])"; exit 2 ;;
  esac
done

# 1. npm dependencies: install when node_modules is missing or older than the lockfile.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "installing npm dependencies (npm ci)"
  npm ci --no-audit --no-fund --loglevel=error >&2
fi

# 2. Debian packages: command -> package.
declare -A PKG=([verilator]=verilator [iverilog]=iverilog [vvp]=iverilog [g++]=g++ [make]=make [sta]=opensta)
if [ "${LOWBIT_YOSYS:-}" = "system" ]; then PKG[yosys]=yosys; fi
# Slurm's daemons live in /usr/sbin, which a user's PATH may lack: looked up there too.
# chromium: the sweep report's browser test (headless, driven by playwright-core).
if [ "$TEST" = 1 ]; then PKG+=([sbatch]=slurm-wlm [slurmctld]=slurm-wlm [slurmd]=slurm-wlm [munged]=munge [chromium]=chromium); fi
missing=()
for cmd in "${!PKG[@]}"; do
  command -v "$cmd" >/dev/null 2>&1 || [ -x "/usr/sbin/$cmd" ] || missing+=("${PKG[$cmd]}")
done
# The OSU 0.18 um standard cells (ASIC area, timing, netlist co-simulation) are a file, not a command.
[ -f "${LOWBIT_LIBERTY:-/usr/share/qflow/tech/osu018/osu018_stdcells.lib}" ] || missing+=(qflow-tech-osu018)
# Unique, sorted package names.
if [ "${#missing[@]}" -gt 0 ]; then
  mapfile -t missing < <(printf '%s\n' "${missing[@]}" | sort -u)
  cmd="apt-get update && apt-get install -y --no-install-recommends ${missing[*]}"
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    say "installing Debian packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
  else
    say "missing Debian packages: ${missing[*]}"
    say "run as root:  sudo sh -c '$cmd'"
    exit 1
  fi
fi
