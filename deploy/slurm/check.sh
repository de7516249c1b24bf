#!/bin/bash
# Proves sharding on a real single-node Slurm cluster on this machine: it
# installs Debian's slurm-wlm and munge if absent (apt-get; needs root),
# writes a minimal slurm.conf for this host in a temporary folder, starts
# munged (unless it runs already), slurmctld and slurmd (on ports of their
# own, so that a Slurm already running here is left alone), submits
# shard.sbatch as a job array for a small sweep and merge.sbatch as a job
# depending on it, waits for them (sbatch --wait, within a time limit), and
# compares the merged outputs byte for byte with the same sweep run
# unsharded. Then a calibration as a job chain (calibrate.sh: one array job
# per round of candidates, each merged by calibrate.sbatch, which submits
# the next round with --resume from the merged folder) for two generations
# of a small calibration of the flagship, its result compared byte for
# byte with the same calibration run unsharded. It stops the daemons it
# started, also when it fails or is interrupted, and can be run again at
# once.
# Usage: deploy/slurm/check.sh [GATESIM_BINARY]   (default: builds target/release/gatesim)
# CHECK_TIMEOUT: how long the jobs may take, in seconds (default 240).
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
start=$SECONDS
# How long the jobs may take, in seconds (they take a few).
limit=${CHECK_TIMEOUT:-240}
# Ports of this check's own Slurm (Slurm's defaults are 6817 and 6818).
ctld_port=16817
slurmd_port=16818

# Waits up to 10 s for process $1 to end.
wait_gone() {
    for _ in $(seq 1 50); do
        kill -0 "$1" 2>/dev/null || return 0
        sleep 0.2
    done
    kill -9 "$1" 2>/dev/null || true
}

say() { echo "check.sh: $*"; }
fail() {
    echo "check.sh: $*" >&2
    exit 1
}

if [ "$(id -u)" -ne 0 ]; then
    echo "check.sh: needs root (it installs and starts Slurm)" >&2
    exit 2
fi
if ! command -v slurmctld >/dev/null || ! command -v munged >/dev/null || ! command -v sbatch >/dev/null; then
    say "installing slurm-wlm and munge"
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -qq slurm-wlm munge >/dev/null 2>&1 ||
        { apt-get update -qq && apt-get install -y -qq slurm-wlm munge >/dev/null; }
fi

bin=${1:-}
if [ -z "$bin" ]; then
    cargo build --release --quiet
    bin=$root/target/release/gatesim
fi
bin=$(realpath "$bin")
[ -x "$bin" ] || fail "$bin is not an executable"

# One check at a time on this machine: they would share the ports.
exec 9>/run/gatesim-slurm-check.lock
flock -w 600 9 || fail "another check.sh is still running"

# Daemons left by a check that was killed outright (kill -9) would hold the
# ports: they are recognised by their configuration in a check's folder.
for d in slurmd slurmctld; do
    for pid in $(pgrep -x "$d" || true); do
        if tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q -- "-f /tmp/gatesim-slurm\."; then
            say "stopping $d $pid left by an earlier check"
            kill "$pid" 2>/dev/null || true
            wait_gone "$pid"
        fi
    done
done
for old in /tmp/gatesim-slurm.*; do
    if [ -d "$old" ]; then rm -rf "$old"; fi
done

work=$(mktemp -d /tmp/gatesim-slurm.XXXXXX)
chmod 755 "$work"
munge_pid=
jobs=
chain=
waiter=

cleanup() {
    local rc=$?
    set +e
    if [ -n "$waiter" ]; then
        kill "$waiter" 2>/dev/null
    fi
    if [ -n "$jobs" ]; then
        timeout 10 scancel $jobs 2>/dev/null
    fi
    if [ -n "$chain" ]; then
        # Every job of this check's own cluster.
        timeout 10 scancel --user="$(id -un)" 2>/dev/null
    fi
    for d in slurmd slurmctld; do
        if [ -s "$work/$d.pid" ]; then
            pid=$(cat "$work/$d.pid")
            kill "$pid" 2>/dev/null && wait_gone "$pid"
        fi
    done
    if [ -n "$munge_pid" ]; then
        kill "$munge_pid" 2>/dev/null && wait_gone "$munge_pid"
        rm -f "$munge_mine"
    fi
    if [ "$rc" -ne 0 ]; then
        for log in "$work"/*.log "$work"/chain/*.log; do
            [ -f "$log" ] && { echo "--- $log" >&2; tail -20 "$log" >&2; }
        done
    fi
    rm -rf "$work"
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Munge: a key, and the daemon, run as its own user. A munged started by a
# check that was killed is this check's to stop.
munge_mine=/run/gatesim-slurm-check.munged.pid
if [ -s "$munge_mine" ] && [ "$(cat "/proc/$(cat "$munge_mine")/comm" 2>/dev/null)" = munged ]; then
    munge_pid=$(cat "$munge_mine")
fi
if ! pgrep -x munged >/dev/null; then
    if [ ! -s /etc/munge/munge.key ]; then
        (command -v mungekey >/dev/null && mungekey --create --force) ||
            dd if=/dev/urandom of=/etc/munge/munge.key bs=1024 count=1 2>/dev/null
        chown munge:munge /etc/munge/munge.key
        chmod 400 /etc/munge/munge.key
    fi
    mkdir -p /run/munge /var/log/munge /var/lib/munge
    chown munge:munge /run/munge /var/log/munge /var/lib/munge
    # --force: a socket left by a munged that was killed is not in use.
    rm -f /run/munge/munged.pid
    runuser -u munge -- /usr/sbin/munged --force 9>&-
    for _ in $(seq 1 50); do
        [ -s /run/munge/munged.pid ] && break
        sleep 0.1
    done
    munge_pid=$(cat /run/munge/munged.pid 2>/dev/null || true)
    [ -n "$munge_pid" ] || fail "munged did not start"
    echo "$munge_pid" >"$munge_mine"
fi
munge -n | unmunge >/dev/null || fail "munge does not work"

host=$(hostname)
mem=$(awk '/MemTotal/ { print int($2 / 1024 / 2) }' /proc/meminfo)
mkdir -p "$work/state" "$work/spool"
cat >"$work/slurm.conf" <<CONF
ClusterName=gatesim-check
SlurmctldHost=$host
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SchedulerType=sched/backfill
# A job whose dependency can no longer be met (a shard failed) is cancelled
# instead of waiting for ever.
DependencyParameters=kill_invalid_depend
# sbatch --wait polls every 8 s at most when finished jobs are kept 16 s
# (every 32 s with the default of 300).
MinJobAge=16
ReturnToService=2
MpiDefault=none
StateSaveLocation=$work/state
SlurmdSpoolDir=$work/spool
SlurmctldPidFile=$work/slurmctld.pid
SlurmdPidFile=$work/slurmd.pid
SlurmctldLogFile=$work/slurmctld.log
SlurmdLogFile=$work/slurmd.log
NodeName=$host CPUs=$(nproc) RealMemory=$mem State=UNKNOWN
PartitionName=check Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF=$work/slurm.conf
# (9>&-: the daemons must not hold the lock if this check is killed.)
slurmctld -f "$SLURM_CONF" 9>&-
slurmd -f "$SLURM_CONF" 9>&-
for _ in $(seq 1 120); do
    [ "$(sinfo -h -o %t 2>/dev/null)" = "idle" ] && break
    sleep 1
done
[ "$(sinfo -h -o %t 2>/dev/null)" = "idle" ] || fail "the Slurm node did not come up"
say "Slurm is up after $((SECONDS - start)) s"

# A small sweep: 3 points x 30 replications, in 3 shards.
args="$root/scenarios/guizhou.toml --param changes[0].day=0,120,240 -n 30"
set -f
# shellcheck disable=SC2086
"$bin" sweep $args --out "$work/single" --quiet
set +f

cd "$work"
export GATESIM=$bin COMMAND=sweep ARGS="$args" PARTIALS=$work/partials OUT=$work/merged
# The array starts at 4, not 1: shard.sbatch numbers its tasks from 1.
jid=$(sbatch --parsable --array=4-6 --output="$work/shard-%a.log" "$root/deploy/slurm/shard.sbatch")
jobs=$jid
say "submitted the shards (job $jid, tasks 4 to 6) after $((SECONDS - start)) s; waiting for the merge"
# sbatch --wait returns when the merge job ends, with its exit code; the
# merge is cancelled as soon as a shard fails (kill_invalid_depend), and
# then sbatch --wait returns 0 although nothing ran.
# In the background, so that Ctrl-C or SIGTERM stop the check at once.
timeout "$limit" sbatch --wait --quiet --dependency=afterok:"$jid" --output="$work/merge.log" \
    "$root/deploy/slurm/merge.sbatch" 9>&- &
waiter=$!
waited=0
wait "$waiter" || waited=$?
waiter=
if [ "$waited" -eq 124 ]; then
    squeue -a -o "%i %j %T %r" >&2 || true
    fail "the shards and the merge did not finish within $limit s"
fi
[ "$waited" -eq 0 ] || fail "the merge job failed (exit code $waited)"
jobs=
[ -d "$work/merged/sweep-guizhou" ] || fail "the merge did not run: a shard failed (its log is below)"
partials=$(cd "$work/partials" && echo *.partial)
[ "$partials" = "sweep-guizhou.shard-1-of-3.partial sweep-guizhou.shard-2-of-3.partial sweep-guizhou.shard-3-of-3.partial" ] ||
    fail "unexpected partial results: $partials"

# Every file byte for byte (charts too: same machine, same bytes).
diff -r "$work/single/sweep-guizhou" "$work/merged/sweep-guizhou" >&2 ||
    fail "the merged outputs differ from the unsharded run"
say "the 3 shards merged on Slurm equal the unsharded sweep, byte for byte ($((SECONDS - start)) s)"

# A calibration as a job chain: two generations of 40 particles of the
# flagship cut to 56 days (two of its uncertain keys, against its synthetic
# observations up to day 49), 3 shards a round.
cd "$root"
awk -F, '/^#/ || $1 == "day" || $1 + 0 <= 49' scenarios/data/guizhou_observed.csv >"$work/observed.csv"
cargs="$root/scenarios/guizhou.toml --data $work/observed.csv --set simulation.horizon_days=56 --set changes[0].day=56"
cargs="$cargs --vary users.adoption_per_day=loguniform:0.006:0.024 --vary users.churn_per_stale_day=loguniform:0.001:0.016"
cargs="$cargs --particles 40 --generations 2"
set -f
# shellcheck disable=SC2086
"$bin" calibrate $cargs --out "$work/calibrate-single" --quiet
set +f
cd "$work"
chain=1
GATESIM=$bin ARGS="$cargs" WORK=$work/chain bash "$root/deploy/slurm/calibrate.sh" 3 >/dev/null
say "submitted the calibration's first round after $((SECONDS - start)) s; waiting for the chain to end"
deadline=$((SECONDS + limit))
while [ -n "$(squeue -h -o %i 2>/dev/null)" ]; do
    if [ "$SECONDS" -ge "$deadline" ]; then
        squeue -a -o "%i %j %T %r" >&2 || true
        cat "$work/chain/chain.log" >&2 || true
        fail "the calibration's job chain did not end within $limit s"
    fi
    sleep 1
done
chain=
[ ! -e "$work/chain/failed" ] || fail "a merge of the chain failed: $(cat "$work/chain/chain.log")"
# (The folder is named for the scenario and its --set overrides.)
folder=calibrate-guizhou+simulation.horizon_days=56+changes_0_.day=56
result=$work/chain/output/$folder
[ -f "$result/calibration.json" ] || fail "the chain did not end with a calibration: a shard failed (its log is below)"
[ ! -e "$result/calibration.state" ] || fail "the chain stopped before the calibration did: $(cat "$work/chain/chain.log")"
rounds=$(grep -c "merged" "$work/chain/chain.log")
[ "$rounds" -ge 2 ] || fail "one round per generation at least, 2 expected: $rounds"
diff -r "$work/calibrate-single/$folder" "$result" >&2 ||
    fail "the calibration merged round by round differs from the unsharded one"
say "the calibration's $rounds rounds of 3 shards chained on Slurm equal the unsharded calibration, byte for byte ($((SECONDS - start)) s)"
