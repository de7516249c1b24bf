#!/bin/bash
# Proves sharding on a real single-node Slurm cluster on this machine: it
# installs Debian's slurm-wlm and munge if absent (apt-get; needs root),
# writes a minimal slurm.conf for this host in a temporary folder, starts
# munged, slurmctld and slurmd, submits shard.sbatch as a job array for a
# small sweep and merge.sbatch as a job depending on it, and compares the
# merged outputs byte for byte with the same sweep run unsharded. It stops
# the daemons it started. Usage: deploy/slurm/check.sh [GATESIM_BINARY]
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
start=$SECONDS

if [ "$(id -u)" -ne 0 ]; then
    echo "check.sh: needs root (it installs and starts Slurm)" >&2
    exit 2
fi
if ! command -v slurmctld >/dev/null || ! command -v munged >/dev/null; then
    echo "check.sh: installing slurm-wlm and munge"
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

work=$(mktemp -d /tmp/gatesim-slurm.XXXXXX)
chmod 755 "$work"
started_munge=
cleanup() {
    for d in slurmd slurmctld; do
        [ -f "$work/$d.pid" ] && kill "$(cat "$work/$d.pid")" 2>/dev/null || true
    done
    if [ -n "$started_munge" ]; then
        pkill -x munged 2>/dev/null || true
    fi
    sleep 1
    rm -rf "$work"
}
trap cleanup EXIT

# Munge: a key, and the daemon, run as its own user.
if ! pgrep -x munged >/dev/null; then
    if [ ! -s /etc/munge/munge.key ]; then
        (command -v mungekey >/dev/null && mungekey --create --force) ||
            dd if=/dev/urandom of=/etc/munge/munge.key bs=1024 count=1 2>/dev/null
        chown munge:munge /etc/munge/munge.key
        chmod 400 /etc/munge/munge.key
    fi
    mkdir -p /run/munge /var/log/munge /var/lib/munge
    chown munge:munge /run/munge /var/log/munge /var/lib/munge
    runuser -u munge -- /usr/sbin/munged
    started_munge=1
fi

host=$(hostname)
mem=$(awk '/MemTotal/ { print int($2 / 1024 / 2) }' /proc/meminfo)
mkdir -p "$work/state" "$work/spool"
cat >"$work/slurm.conf" <<CONF
ClusterName=gatesim-check
SlurmctldHost=$host
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SchedulerType=sched/backfill
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
slurmctld -f "$SLURM_CONF"
slurmd -f "$SLURM_CONF"
for _ in $(seq 1 120); do
    [ "$(sinfo -h -o %t 2>/dev/null)" = "idle" ] && break
    sleep 1
done
if [ "$(sinfo -h -o %t 2>/dev/null)" != "idle" ]; then
    echo "check.sh: the Slurm node did not come up" >&2
    tail -20 "$work/slurmctld.log" "$work/slurmd.log" >&2 || true
    exit 1
fi
echo "check.sh: Slurm is up after $((SECONDS - start)) s"

# A small sweep: 3 points x 30 replications, in 3 shards.
args="$root/scenarios/guizhou.toml --param changes[0].day=0,120,240 -n 30 --set simulation.horizon_days=240"
# shellcheck disable=SC2086
"$bin" sweep $args --out "$work/single" --quiet >/dev/null

cd "$work"
export GATESIM=$bin COMMAND=sweep ARGS="$args" PARTIALS=$work/partials OUT=$work/merged
jid=$(sbatch --parsable --array=4-6 --output="$work/shard-%a.log" "$root/deploy/slurm/shard.sbatch")
mid=$(sbatch --parsable --dependency=afterok:"$jid" --output="$work/merge.log" "$root/deploy/slurm/merge.sbatch")
# Wait for the merge job (and so the array) to end.
for _ in $(seq 1 900); do
    squeue -h -j "$jid,$mid" 2>/dev/null | grep -q . || break
    if squeue -h -j "$mid" -o %r 2>/dev/null | grep -q DependencyNeverSatisfied; then
        echo "check.sh: a shard failed, so the merge cannot run" >&2
        cat "$work"/shard-*.log >&2 2>/dev/null || true
        exit 1
    fi
    sleep 1
done
state=$(sacct -n -X -j "$mid" -o State 2>/dev/null | tr -d ' ' | head -1 || true)
if [ ! -d "$work/merged/sweep-guizhou" ]; then
    echo "check.sh: the merge produced nothing (merge job state: ${state:-unknown})" >&2
    cat "$work"/shard-*.log "$work/merge.log" >&2 2>/dev/null || true
    exit 1
fi
ls "$work/partials"

# Data files byte for byte (charts too: same machine, same bytes).
if diff -r "$work/single/sweep-guizhou" "$work/merged/sweep-guizhou"; then
    echo "check.sh: the 3 shards merged on Slurm equal the unsharded sweep, byte for byte ($((SECONDS - start)) s)"
else
    echo "check.sh: the merged outputs differ from the unsharded run" >&2
    exit 1
fi
