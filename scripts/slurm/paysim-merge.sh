#!/usr/bin/env bash
# The merge of a paysim job run as a Slurm job array (paysim-array.sh):
# paysim merge of OUT/parts writes the whole run's files to OUT/result and
# prints its table. Submit it to start when every shard has succeeded:
#
#   sbatch --dependency=afterok:ARRAY_JOB_ID scripts/slurm/paysim-merge.sh OUT
#
# Extra arguments go to paysim merge (--format json, --junit FILE).
#SBATCH --job-name=paysim-merge
#SBATCH --cpus-per-task=1
#SBATCH --ntasks=1
set -euo pipefail

if [ $# -lt 1 ]; then
	echo "usage: sbatch --dependency=afterok:ARRAY_JOB_ID $0 OUT [MERGE-FLAGS...]" >&2
	exit 2
fi
out=$1
shift
exec "${PAYSIM:-paysim}" merge "$out/parts" --out "$out/result" "$@"
