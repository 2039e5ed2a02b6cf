#!/bin/bash
# make bench: costs in emulated instructions, exact and repeatable (see
# docs/testing.md). Runs the hcloop guest (2000 null hypercalls, cheapest
# round trip) on both backends and checks each figure against its bound.
#   AMD-V, QEMU -icount shift=7: the guest TSC advances 128 per instruction.
#   VT-x, Bochs: the TSC advances 1 per instruction.
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT=$ROOT/build/test-out
rc=0

# bench NAME SERIAL TICKS_PER_INSN BOUND
bench() {
	ticks=$(sed -n 's/.*\[hcloop\] .* min \([0-9]*\) ticks.*/\1/p' "$2" | tail -n 1)
	if [ -z "$ticks" ]; then
		echo "$1: no result (see ${2#$ROOT/})"
		rc=1
		return
	fi
	n=$((ticks / $3))
	verdict="within the bound of $4"
	if [ "$n" -gt "$4" ]; then
		verdict="OVER the bound of $4"
		rc=1
	fi
	echo "$1: hypercall round trip $n instructions ($verdict)"
}

"$ROOT/tests/svm.sh" guest-hcloop >/dev/null
"$ROOT/tests/vmx.sh" guest-hcloop >/dev/null
bench "AMD-V (QEMU -cpu max)" "$OUT/svm-guest-hcloop@max.serial" 128 1000
bench "AMD-V (QEMU -cpu EPYC)" "$OUT/svm-guest-hcloop@EPYC.serial" 128 1000
bench "VT-x (Bochs corei7_skylake_x)" "$OUT/vmx-guest-hcloop.serial" 1 400
exit $rc
