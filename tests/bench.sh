#!/bin/bash
# make bench: costs in emulated instructions, exact and repeatable (see
# docs/testing.md). Runs the hcloop guest (2000 null hypercalls through
# each ABI version, cheapest round trip) on both backends and checks each
# figure against its bound.
#   AMD-V, QEMU -icount shift=7: the guest TSC advances 128 per instruction.
#   VT-x, Bochs: the TSC advances 1 per instruction.
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT=$ROOT/build/test-out
rc=0

# bench NAME SERIAL TICKS_PER_INSN BOUND: one line per ABI version.
bench() {
	for v in 1 2 3 4; do
		ticks=$(sed -n "s/.*\[hcloop\] v$v: .* min \([0-9]*\) ticks.*/\1/p" "$2" | tail -n 1)
		if [ -z "$ticks" ]; then
			echo "$1: no result for v$v (see ${2#$ROOT/})"
			rc=1
			continue
		fi
		n=$((ticks / $3))
		verdict="within the bound of $4"
		if [ "$n" -gt "$4" ]; then
			verdict="OVER the bound of $4"
			rc=1
		fi
		echo "$1: v$v null call (get_version) round trip $n instructions ($verdict)"
	done
}

# switch NAME SERIAL TICKS_PER_INSN BOUND: two guests yielding to each
# other under rr; one round trip is two switches, each with its yield call.
switch() {
	ticks=$(sed -n "s/.*\[ping\] .* min \([0-9]*\) ticks.*/\1/p" "$2" | tail -n 1)
	if [ -z "$ticks" ]; then
		echo "$1: no switch result (see ${2#$ROOT/})"
		rc=1
		return
	fi
	n=$((ticks / $3 / 2))
	verdict="within the bound of $4"
	[ "$n" -gt "$4" ] && verdict="OVER the bound of $4" && rc=1
	echo "$1: guest-to-guest switch (a yield hypercall into the other guest) $n instructions ($verdict)"
}

# decisions: the simulator's speed, per policy, on sched/sim/workloads/bench.wl
decisions() {
	for p in $("$ROOT/build/sched-sim" --list | cut -d' ' -f1); do
		echo "sched-sim ($p, 64 vCPUs on 4 CPUs): $("$ROOT/build/sched-sim" --policy "$p" \
			"$ROOT/sched/sim/workloads/bench.wl" | sed -n 's/.*: \([0-9]*\) decisions per second/\1/p') decisions per second"
	done
}

"$ROOT/tests/svm.sh" guest-hcloop sched-yield >/dev/null
"$ROOT/tests/vmx.sh" guest-hcloop sched-yield >/dev/null
bench "AMD-V (QEMU -cpu max)" "$OUT/svm-guest-hcloop@max.serial" 128 1080
bench "AMD-V (QEMU -cpu EPYC)" "$OUT/svm-guest-hcloop@EPYC.serial" 128 1080
bench "VT-x (Bochs corei7_skylake_x)" "$OUT/vmx-guest-hcloop.serial" 1 440
switch "AMD-V (QEMU -cpu max)" "$OUT/svm-sched-yield@max.serial" 128 1330
switch "AMD-V (QEMU -cpu EPYC)" "$OUT/svm-sched-yield@EPYC.serial" 128 1330
switch "VT-x (Bochs corei7_skylake_x)" "$OUT/vmx-sched-yield.serial" 1 740
decisions
exit $rc
