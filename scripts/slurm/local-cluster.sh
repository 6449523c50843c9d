#!/usr/bin/env bash
# A one-node Slurm cluster on this machine, for testing paysim's job-array
# scripts: munged, slurmctld and slurmd, all under one folder of their own
# (no file under /etc is touched), each listening on 127.0.0.1 only.
#
#   scripts/slurm/local-cluster.sh start   write slurm.conf, start the daemons, wait for the node
#   scripts/slurm/local-cluster.sh env     print the export that points sbatch & co. at it
#   scripts/slurm/local-cluster.sh stop    stop the daemons this script started
#
# PAYSIM_SLURM_DIR is the folder (default /tmp/paysim-slurm);
# PAYSIM_SLURM_PORT the controller's port (default 16817; slurmd the next one).
# Needs Debian's slurm-wlm and munge, and root: Slurm runs jobs as the
# submitting user, and a single-user test cluster is simplest as root.
set -euo pipefail

dir=${PAYSIM_SLURM_DIR:-/tmp/paysim-slurm}
port=${PAYSIM_SLURM_PORT:-16817}
conf=$dir/slurm.conf
node=paysim-node

start() {
	for cmd in munged slurmctld slurmd sinfo; do
		command -v "$cmd" >/dev/null || { echo "local-cluster: $cmd not found; want Debian's slurm-wlm and munge" >&2; exit 1; }
	done
	if running; then
		echo "local-cluster: already running in $dir" >&2
		return 0
	fi
	mkdir -p "$dir"/{munge,state,spool,log}
	chmod 700 "$dir/munge"
	if [ ! -s "$dir/munge/munge.key" ]; then
		dd if=/dev/urandom of="$dir/munge/munge.key" bs=1024 count=1 status=none
		chmod 400 "$dir/munge/munge.key"
	fi
	munged --force --socket="$dir/munge/munge.socket" --key-file="$dir/munge/munge.key" \
		--log-file="$dir/log/munged.log" --pid-file="$dir/munge/munged.pid" --seed-file="$dir/munge/munged.seed"
	local cpus mem
	cpus=$(nproc)
	mem=$(( $(awk '/MemTotal/ {print $2}' /proc/meminfo) / 1024 / 2 ))
	cat >"$conf" <<CONF
# written by scripts/slurm/local-cluster.sh: a one-node test cluster
ClusterName=paysim
SlurmctldHost=$(hostname -s)(127.0.0.1)
SlurmctldPort=$port
SlurmdPort=$((port + 1))
AuthType=auth/munge
AuthInfo=socket=$dir/munge/munge.socket
CredType=cred/munge
SlurmUser=root
SlurmdUser=root
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
MpiDefault=none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
SlurmdTimeout=60
InactiveLimit=0
MinJobAge=300
NodeName=$node NodeHostname=$(hostname -s) NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$mem State=UNKNOWN
PartitionName=test Nodes=$node Default=YES MaxTime=INFINITE State=UP
CONF
	slurmctld -f "$conf"
	slurmd -f "$conf" -N "$node"
	export SLURM_CONF=$conf
	for _ in $(seq 60); do
		if sinfo -h -n "$node" -o %t 2>/dev/null | grep -qE '^(idle|mix|alloc)'; then
			echo "local-cluster: $node is up ($cpus CPUs); export SLURM_CONF=$conf"
			return 0
		fi
		sleep 1
	done
	echo "local-cluster: the node did not come up; the logs:" >&2
	tail -n 20 "$dir"/log/*.log >&2
	exit 1
}

# running reports whether the controller of this folder answers.
running() {
	[ -f "$conf" ] && SLURM_CONF=$conf timeout 5 sinfo -h >/dev/null 2>&1
}

stop() {
	for pidfile in "$dir/slurmd.pid" "$dir/slurmctld.pid" "$dir/munge/munged.pid"; do
		if [ -s "$pidfile" ]; then
			pid=$(cat "$pidfile")
			kill "$pid" 2>/dev/null || true
			for _ in $(seq 50); do
				kill -0 "$pid" 2>/dev/null || break
				sleep 0.1
			done
			rm -f "$pidfile"
		fi
	done
	echo "local-cluster: stopped"
}

case ${1:-} in
start) start ;;
stop) stop ;;
env) echo "export SLURM_CONF=$conf" ;;
*)
	echo "usage: $0 start|stop|env" >&2
	exit 2
	;;
esac
