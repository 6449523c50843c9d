#!/usr/bin/env bash
# Tests the Slurm scripts on a real one-node Slurm cluster started on this
# machine (local-cluster.sh): a run, a PSA and a PSA of compared strategies
# are submitted as job arrays of shards with their merges (submit.sh), and
# what each merge writes and prints must be byte for byte what the same job
# writes and prints run on one machine. Installs Debian's slurm-wlm and
# munge when missing (as root). Ends with "slurm: N passed, N failed".
set -euo pipefail
cd "$(dirname "$0")/../.."

if ! command -v slurmctld >/dev/null || ! command -v munged >/dev/null || ! command -v sbatch >/dev/null; then
	echo "slurm: installing slurm-wlm and munge"
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends slurm-wlm munge >/dev/null
fi

work=$(mktemp -d /tmp/paysim-slurm-test.XXXXXX)
export PAYSIM_SLURM_DIR=${PAYSIM_SLURM_DIR:-/tmp/paysim-slurm}
cluster=scripts/slurm/local-cluster.sh
cleanup() {
	"$cluster" stop >/dev/null || true
	rm -rf "$work"
}
trap cleanup EXIT
go build -o "$work/paysim" ./cmd/paysim
export PAYSIM=$work/paysim

"$cluster" stop >/dev/null
rm -rf "$PAYSIM_SLURM_DIR/state" "$PAYSIM_SLURM_DIR/spool"
"$cluster" start
eval "$("$cluster" env)"
sinfo

psa='uncertain=[{set: choice.price_sensitivity, distribution: uniform, min: 0, max: 2}, {set: benefit.tiers.county.inpatient.ratio, distribution: beta, mean: 0.6, sd: 0.05}]'
names=()
declare -A merge
mkdir -p "$work/single"

# submit NAME SHARDS ARGS... runs the job on this machine for reference,
# then submits it to the cluster in SHARDS shards.
submit() {
	local name=$1 n=$2 ids
	shift 2
	names+=("$name")
	"$PAYSIM" "$@" --out "$work/single/$name" >"$work/single/$name.stdout" 2>"$work/single/$name.stderr"
	ids=$(SBATCH_ARRAY="--cpus-per-task=1" SBATCH_MERGE="--error=$work/slurm/$name/logs/merge.err" \
		scripts/slurm/submit.sh "$n" "$work/slurm/$name" "$@")
	merge[$name]=${ids#* }
	echo "slurm: $name in $n shards: array job ${ids% *}, merge job ${merge[$name]} (--dependency=afterok:${ids% *})"
}
start=$(date +%s)
submit run 3 run county-ffs --persons 4000 --years 2 --replicates 6
submit psa 2 run teaching/small-county --persons 2000 --years 2 --replicates 5 --set "$psa"
submit compare 3 compare teaching/sick-sicker-strategies --persons 1000 --replicates 4 --wtp "50000,100000" \
	--set 'uncertain=[{set: "conditions.sick-sicker.transitions.healthy->sick.prob", distribution: uniform, min: 0.1, max: 0.2}]'
# A job whose shards fail: its merge must never run.
broken=$(scripts/slurm/submit.sh 2 "$work/slurm/broken" run --persons 0)
echo "slurm: broken (--persons 0) in 2 shards: array job ${broken% *}, merge job ${broken#* }"

# Wait for the merges: each starts only when its array has succeeded.
state() { scontrol show job "$1" 2>/dev/null | sed -n 's/.*JobState=\([A-Z_]*\).*/\1/p'; }
# ended ID waits up to 300 s for job ID to end, however it ends.
ended() {
	for _ in $(seq 300); do
		case $(state "$1") in
		COMPLETED | FAILED | CANCELLED | TIMEOUT | OUT_OF_MEMORY | NODE_FAIL) return ;;
		esac
		sleep 1
	done
}
for id in "${merge[@]}" "${broken#* }"; do
	ended "$id"
done
echo "slurm: the jobs ran in $(($(date +%s) - start)) s"

passed=0 failed=0
for name in "${names[@]}"; do
	dir=$work/slurm/$name
	st=$(state "${merge[$name]}")
	ok=1
	if [ "$st" != COMPLETED ]; then
		echo "slurm: $name: the merge job is $st"
		ok=0
	else
		# Every file the single run wrote, and what it printed.
		for f in $(ls "$work/single/$name") stdout; do
			got=$dir/result/$f want=$work/single/$name/$f
			if [ "$f" = stdout ]; then
				got=$dir/logs/merge.out want=$work/single/$name.stdout
			fi
			if cmp -s "$got" "$want"; then
				echo "slurm: $name: $f of the merge is byte for byte the single run's ($(wc -c <"$want") bytes, $(sha256sum "$want" | cut -c1-16))"
			else
				echo "slurm: $name: $f of the merge differs from the single run's:"
				cmp "$got" "$want" || true
				ok=0
			fi
		done
	fi
	if [ $ok = 1 ]; then
		passed=$((passed + 1))
	else
		failed=$((failed + 1))
		for log in "$dir"/logs/*; do
			echo "== $log"
			cat "$log"
		done
		tail -n 30 "$PAYSIM_SLURM_DIR"/log/*.log
	fi
done
# A shard run again: its part is removed, the task resubmitted alone, and
# the merge run again gives the same bytes.
dir=$work/slurm/run
rm "$dir/parts/part-1-of-3.json"
again=$(PAYSIM_SHARDS=3 sbatch --parsable --array=1 --cpus-per-task=1 --output="$dir/logs/again-%a.out" \
	scripts/slurm/paysim-array.sh "$dir" run county-ffs --persons 4000 --years 2 --replicates 6)
remerge=$(sbatch --parsable --dependency="afterok:$again" --output="$dir/logs/remerge.out" --error="$dir/logs/remerge.err" \
	scripts/slurm/paysim-merge.sh "$dir" --format json)
ended "$remerge"
"$PAYSIM" run county-ffs --persons 4000 --years 2 --replicates 6 --format json >"$work/single/run.json" 2>/dev/null
if [ "$(state "$remerge")" = COMPLETED ] && cmp -s "$dir/logs/remerge.out" "$work/single/run.json" &&
	cmp -s "$dir/result/summary.json" "$work/single/run/summary.json"; then
	echo "slurm: run: shard 1/3 run again alone (PAYSIM_SHARDS=3 --array=1, job $again) and merged again (job $remerge): the same bytes"
	passed=$((passed + 1))
else
	echo "slurm: run: shard 1/3 run again: the merge is $(state "$remerge"), or differs from the single run"
	cat "$dir"/logs/again-* "$dir"/logs/remerge.* || true
	failed=$((failed + 1))
fi

st=$(state "${broken#* }")
if [ "$st" = CANCELLED ] && [ ! -e "$work/slurm/broken/result" ]; then
	echo "slurm: broken: the shards failed, and the merge was $st without running"
	passed=$((passed + 1))
else
	echo "slurm: broken: the shards failed, but the merge is $st"
	failed=$((failed + 1))
fi
echo "slurm: $passed passed, $failed failed"
[ "$failed" = 0 ]
