#!/usr/bin/env bash
# One shard of a paysim job per task of a Slurm job array: task I of an
# array of N tasks runs paysim's replicates of shard I/N and writes
# OUT/parts/part-I-of-N.json. Submit it with submit.sh, which also submits
# the merge, or by hand:
#
#   sbatch --array=0-(N-1) scripts/slurm/paysim-array.sh OUT run province --replicates 1000
#
# The shard is the task's index less the array's first, of as many shards
# as the array has tasks: the indices must be N consecutive ones. To run
# some shards again (those that failed), set PAYSIM_SHARDS to the job's N:
# the index is then the shard, and any list of indices will do:
#
#   PAYSIM_SHARDS=50 sbatch --array=17,23 scripts/slurm/paysim-array.sh OUT run …
#
# PAYSIM is the paysim binary (default: paysim on the PATH). Each task runs
# on the CPUs Slurm gives it (--cpus-per-task, --workers to paysim), one
# replicate per CPU.
#SBATCH --job-name=paysim-shard
#SBATCH --cpus-per-task=2
#SBATCH --ntasks=1
set -euo pipefail

if [ $# -lt 2 ]; then
	echo "usage: sbatch --array=0-(N-1) $0 OUT run|compare ARGS..." >&2
	exit 2
fi
out=$1
shift
: "${SLURM_ARRAY_TASK_ID:?not a task of a job array; submit with sbatch --array=0-(N-1)}"
if [ -n "${PAYSIM_SHARDS:-}" ]; then
	count=$PAYSIM_SHARDS shard=$SLURM_ARRAY_TASK_ID
else
	min=${SLURM_ARRAY_TASK_MIN:-0}
	max=${SLURM_ARRAY_TASK_MAX:-$SLURM_ARRAY_TASK_ID}
	count=${SLURM_ARRAY_TASK_COUNT:-$((max - min + 1))}
	if [ "$count" -ne $((max - min + 1)) ]; then
		echo "paysim-array: the array's indices $min-$max are not $count consecutive ones; want --array=0-$((count - 1)), or PAYSIM_SHARDS set to the job's shards" >&2
		exit 2
	fi
	shard=$((SLURM_ARRAY_TASK_ID - min))
fi
exec "${PAYSIM:-paysim}" "$@" --shard "$shard/$count" --out "$out/parts" --workers "${SLURM_CPUS_PER_TASK:-1}"
