#!/bin/bash
# The scheduler on the host: build/sched-sim runs the very policy files
# the hypervisor links (sched/policies/) on simulated CPUs. On-target
# scheduler scenarios (tests/e2e/sched-*) run in the svm and vmx suites;
# `tests/sched.sh all` runs them here too (make test-sched).
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
SIM=${SIM:-$ROOT/build/sched-sim}
W=$ROOT/sched/sim/workloads
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
. "$ROOT/tests/result.sh"

# share OUTPUT VCPU: its share in hundredths of a percent
share() {
	echo "$1" | awk -v v="$2" '$1 == v { sub("%", "", $5); printf "%d\n", $5 * 100 }'
}

# near GOT WANT PERMILLE: |got - want| <= want * permille / 1000
near() {
	d=$(($1 - $2))
	[ $((d < 0 ? -d : d)) -le $(($2 * $3 / 1000)) ]
}

shares_ok() {   # shares_ok OUTPUT PERMILLE VCPU WANT...
	out=$1 tol=$2
	shift 2
	while [ $# -gt 0 ]; do
		near "$(share "$out" "$1")" "$2" "$tol" || return 1
		shift 2
	done
}

out=$("$SIM" --policy wfs "$W/weights.wl")
shares_ok "$out" 10 a 1429 b 2857 c 5714
result $? "wfs: weights 1:2:4 get 1/7, 2/7, 4/7 within 1%" "$out"

# On two CPUs, placed and balanced by weight: the 4 gets a CPU alone, the
# 1 and the 2 split the other 1:2 (no vCPU can use more than one CPU).
out=$(sed 's/^cpus .*//' "$W/weights.wl" | sed '1i cpus 2' | "$SIM" --policy wfs /dev/stdin)
shares_ok "$out" 10 a 3333 b 6667 c 10000
result $? "wfs on 2 CPUs: weights 1:2:4 get 1/3 and 2/3 of one CPU and all of the other" "$out"

out=$("$SIM" --policy rr "$W/weights.wl")
shares_ok "$out" 10 a 3333 b 3333 c 3333
result $? "rr: equal shares whatever the weights" "$out"

out=$("$SIM" --policy lottery "$W/weights.wl")
shares_ok "$out" 100 a 1429 b 2857 c 5714
result $? "lottery: weight/7 within 10% over 1000 draws" "$out"

out=$("$SIM" "$W/edf.wl")
echo "$out" | grep -q "^deadline misses: 0$" && shares_ok "$out" 10 ctl 2000 audio 2000 video 2000
result $? "edf: a feasible set (70%) misses no deadline, each gets its reservation" "$out"

printf 'policy edf\nvcpu a budget=6ms period=10ms\nvcpu b budget=5ms period=10ms\n' >"$TMP/over.wl"
out=$("$SIM" "$TMP/over.wl" 2>&1)
[ $? != 0 ] && echo "$out" | grep -q "need 110.0% of it (at most 100%): not feasible"
result $? "edf: an infeasible set (110%) is refused with the reason" "$out"

printf 'policy edf\nvcpu a budget=1us period=5us\n' >"$TMP/short.wl"
out=$("$SIM" "$TMP/short.wl" 2>&1)
[ $? != 0 ] && echo "$out" | grep -q "'a' has a period under 10 us"
result $? "edf: a period under 10 us is refused" "$out"

out=$("$SIM" --policy wfs "$W/mixed.wl")
lat=$(echo "$out" | awk '$1 == "web" { print $7 }')
[ -n "$lat" ] && [ "${lat%.*}" -gt 0 ] && echo "$out" | grep -q "decisions per second"
result $? "mixed workload on 2 CPUs: latency percentiles and decisions per second reported" "$out"

"$SIM" "$W/edf.wl" --trace "$TMP/t.json" --svg "$TMP/t.svg" >/dev/null &&
	python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert any(e["ph"] == "X" for e in d["traceEvents"])' "$TMP/t.json" &&
	grep -q "<rect" "$TMP/t.svg"
result $? "a Chrome trace (valid JSON, one event per slice) and an SVG chart are written"

# A guest's exit and yield calls, as the target reports them: a vCPU
# that exits after 100 ms of CPU gets exactly that; two that yield after
# every 100 us burst split what they use evenly; the CPU-bound one gets
# the rest (rr: a yielder's slice is its burst).
printf 'policy rr\nslice 1ms\nduration 1s\nvcpu a exit=100ms\nvcpu b\nvcpu y1 burst=100us yield\nvcpu y2 burst=100us yield\n' >"$TMP/calls.wl"
out=$("$SIM" "$TMP/calls.wl")
a=$(echo "$out" | awk '$1 == "a" { print $4 }') y1=$(echo "$out" | awk '$1 == "y1" { print $4 }')
y2=$(echo "$out" | awk '$1 == "y2" { print $4 }') b=$(echo "$out" | awk '$1 == "b" { print $4 }')
[ "$a" = 100.000 ] && [ "$y1" = "$y2" ] && [ "${b%.*}" -gt 700 ]
result $? "exits and yields: an exit after 100 ms of CPU, two yielders even, the rest to the CPU-bound" "$out"

printf 'cpus 1\nvcpu a weight=0\n' >"$TMP/bad.wl"
out=$("$SIM" "$TMP/bad.wl" 2>&1)
[ $? != 0 ] && echo "$out" | grep -q "bad.wl:2: not understood"
result $? "a bad workload line is named by file and line" "$out"

out=$("$SIM" --policy nosuch "$W/weights.wl" 2>&1)
[ $? != 0 ] && echo "$out" | grep -q "no policy 'nosuch'"
result $? "an unknown policy is refused by name" "$out"

# A new policy is one file: copy rr.c under a new name, rebuild the
# simulator and the hypervisor from a copy of the tree, find it in both.
mkdir -p "$TMP/tree"
cp -r "$ROOT/Makefile" "$ROOT/boot" "$ROOT/core" "$ROOT/mm" "$ROOT/sched" "$ROOT/hypercall" \
	"$ROOT/compat" "$ROOT/docs" "$ROOT/guests" "$TMP/tree/"
sed -e 's/"rr"/"myrr"/' -e 's/\brr\b/myrr/g' "$ROOT/sched/policies/rr.c" >"$TMP/tree/sched/policies/myrr.c"
out=$(make -s -C "$TMP/tree" build/sched-sim build/hv.elf 2>&1 && "$TMP/tree/build/sched-sim" --list &&
	"$TMP/tree/build/sched-sim" --policy myrr "$W/weights.wl")
echo "$out" | grep -q "^myrr " && shares_ok "$out" 10 a 3333 b 3333 c 3333 &&
	strings "$TMP/tree/build/hv.elf" | grep -qx myrr
result $? "a copied policy file with a new name is selectable with no other change (simulator and hypervisor)" "$out"

if [ "${1:-}" = all ]; then
	for suite in svm vmx; do
		s=$("$ROOT/tests/$suite.sh" $(cd "$ROOT/tests/e2e" && ls -d sched-*) 2>&1)
		echo "$s" | grep -v "^$suite: "
		passed=$((passed + $(echo "$s" | sed -n "s/^$suite: \([0-9]*\) passed.*/\1/p")))
		failed=$((failed + $(echo "$s" | sed -n "s/^$suite: .* \([0-9]*\) failed$/\1/p")))
	done
fi
echo "sched: $passed passed, $failed failed"
[ "$failed" = 0 ]
