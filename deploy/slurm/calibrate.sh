#!/bin/bash
# Starts a gatesim calibration on Slurm as a chain of jobs: one array job
# per round of candidates (a generation takes one round, sometimes two),
# each followed by calibrate.sbatch, which merges the round into the
# calibration's folder and, while the calibration goes on, submits the next
# round (shard.sbatch with `calibrate --resume` from the merged folder) and
# itself after it. Run it on the login node, from the folder the paths are
# relative to; it returns at once, printing the first two job ids.
#
#   deploy/slurm/calibrate.sh SHARDS
#
# What to calibrate, from the environment (passed on to every job):
#   GATESIM   the gatesim binary                 (default: gatesim on PATH)
#   ARGS      calibrate's arguments, without --shard and --out, split at
#             spaces (no quoting)   (default: the flagship against its
#             synthetic observations, its 11 [[uncertain]] keys)
#   WORK      a folder of its own for the chain: WORK/round-R holds round
#             R's partial results, WORK/output the merged calibration
#             (default: calibration)
#   MAX_ROUNDS the chain stops with an error after this many rounds
#             (default: 200)
# The calibration's outputs are WORK/output/calibrate-<name>/; while it goes
# on that folder holds the last round's outputs and calibration.state.
# WORK/chain.log records each round; WORK/failed is written if a merge or
# a submission fails (a failed shard cancels its round's merge instead:
# DependencyParameters=kill_invalid_depend, else the merge waits for ever).
set -euo pipefail

shards=${1:-}
if ! [[ "$shards" =~ ^[1-9][0-9]*$ ]]; then
    echo "usage: deploy/slurm/calibrate.sh SHARDS   (ARGS, GATESIM, WORK from the environment)" >&2
    exit 2
fi
here=$(cd "$(dirname "$0")" && pwd)
export GATESIM=${GATESIM:-gatesim}
export ARGS=${ARGS:-"scenarios/guizhou.toml --data scenarios/data/guizhou_observed.csv"}
export WORK=${WORK:-calibration}
export MAX_ROUNDS=${MAX_ROUNDS:-200}
export SHARDS=$shards
export CHAIN_DIR=$here
if [ -e "$WORK/output" ] || ls "$WORK"/round-* >/dev/null 2>&1; then
    echo "calibrate.sh: $WORK holds an earlier chain; give each chain a WORK of its own" >&2
    exit 2
fi
mkdir -p "$WORK"
WORK=$(cd "$WORK" && pwd)

jid=$(COMMAND=calibrate PARTIALS=$WORK/round-1 sbatch --parsable --array=1-"$shards" \
    --output="$WORK/shard-1-%a.log" "$here/shard.sbatch")
mid=$(ROUND=1 sbatch --parsable --dependency=afterok:"$jid" --output="$WORK/merge-1.log" \
    "$here/calibrate.sbatch")
echo "round 1: shards $jid, merge $mid" >>"$WORK/chain.log"
echo "$jid $mid"
