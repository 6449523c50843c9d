#!/usr/bin/env bash
# Submits a paysim job to Slurm in shards: a job array of N tasks, one
# shard each (paysim-array.sh), and the merge (paysim-merge.sh), which
# starts only when every task has succeeded (--dependency=afterok).
#
#   scripts/slurm/submit.sh N OUT run|compare ARGS...
#
# e.g. scripts/slurm/submit.sh 50 /shared/psa run province --replicates 1000
#
# OUT must be a folder every node sees: the shards write OUT/parts, the
# merge OUT/result, the logs go to OUT/logs. Prints the two job ids, the
# array's then the merge's. SBATCH_ARRAY, SBATCH_MERGE: more sbatch options
# for each (--cpus-per-task=8 --mem=16G --partition=long, say); PAYSIM the
# paysim binary, passed on to the jobs (default: paysim on the PATH).
set -euo pipefail

if [ $# -lt 3 ]; then
	echo "usage: $0 N OUT run|compare ARGS..." >&2
	exit 2
fi
n=$1 out=$2
shift 2
case $n in
'' | *[!0-9]* | 0)
	echo "submit: N=$n; want a number of shards, 1 or more" >&2
	exit 2
	;;
esac
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$out/logs"
out=$(cd "$out" && pwd)
# shellcheck disable=SC2086 # SBATCH_ARRAY and SBATCH_MERGE are lists of options
array=$(PAYSIM_SHARDS=$n sbatch --parsable --array="0-$((n - 1))" --output="$out/logs/shard-%a.out" ${SBATCH_ARRAY:-} \
	"$here/paysim-array.sh" "$out" "$@")
array=${array%%;*} # "id;cluster" on a multi-cluster setup
# shellcheck disable=SC2086
merge=$(sbatch --parsable --dependency="afterok:$array" --kill-on-invalid-dep=yes --output="$out/logs/merge.out" ${SBATCH_MERGE:-} \
	"$here/paysim-merge.sh" "$out")
echo "$array ${merge%%;*}"
