#!/bin/bash
# make bench: costs in emulated instructions, exact and repeatable (see
# docs/testing.md), printed as a table and written to build/bench.json.
#   AMD-V, QEMU -icount shift=7: the guest TSC advances 128 per instruction.
#   VT-x, Bochs: the TSC advances 1 per instruction.
# Each figure has a bound that catches regressions (exit status 1 if one is
# over); the project's targets are in docs/testing.md and are reported, not
# enforced.
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT=$ROOT/build/test-out
JSON=$ROOT/build/bench.json
rc=0
declare -A val

# ticks SERIAL SED-PATTERN: the last number the pattern captures, or "".
ticks() {
	sed -n "s/$2/\\1/p" "$1" | tail -n 1
}

# record KEY NAME INSTRUCTIONS BOUND TEXT
record() {
	if [ -z "$3" ]; then
		printf '%-58s %12s\n' "$2" "no result"
		rc=1
		return
	fi
	val[$1]=$3
	verdict=""
	if [ -n "$4" ] && [ "$3" -gt "$4" ]; then
		verdict="  OVER the bound of $4"
		rc=1
	fi
	printf '%-58s %12s%s\n' "$2" "$3" "$verdict"
}

# roundtrip KEY LABEL SERIAL INSN TICKS_PER_INSN BOUND: the null hypercall of
# every version by INSN (vmcall, vmmcall), as KEY.vN.
roundtrip() {
	for v in 1 2 3 4; do
		t=$(ticks "$3" ".*\\[hcloop\\] v$v $4: .* min \\([0-9]*\\) ticks.*")
		record "$1.v$v" "$2: null hypercall by ${4^^}, ABI v$v" "${t:+$(($t / $5))}" "$6"
	done
	same_cost "$1" "$2 by ${4^^}"
}

# same_cost KEY LABEL: every ABI version's figure within 2% of the newest's.
same_cost() {
	new=${val[$1.v4]:-0}
	for v in 1 2 3; do
		old=${val[$1.v$v]:-0}
		d=$((old > new ? old - new : new - old))
		if [ "$new" = 0 ] || [ $((d * 100)) -gt $((new * 2)) ]; then
			printf '%-58s %12s\n' "$2: ABI v$v against v4" "OVER 2% ($old, $new)"
			rc=1
		fi
	done
}

# backend KEY DOOR LABEL SUFFIX TICKS_PER_INSN VMCALL_BOUND VMMCALL_BOUND SWITCH_BOUND:
# AMD-V reports both instructions, VT-x VMCALL (its own).
backend() {
	key=$1
	shift
	hc=$OUT/$1-guest-hcloop$3.serial sw=$OUT/$1-sched-yield$3.serial
	if [ "$1" = svm ]; then
		roundtrip "hypercall_roundtrip.$key.vmmcall" "$2" "$hc" vmmcall "$4" "$6"
		roundtrip "hypercall_roundtrip.$key.vmcall" "$2" "$hc" vmcall "$4" "$5"
	else
		roundtrip "hypercall_roundtrip.$key" "$2" "$hc" vmcall "$4" "$5"
	fi
	t=$(ticks "$sw" ".*\\[ping\\] .* min \\([0-9]*\\) ticks.*")
	record "guest_switch.$key" "$2: guest-to-guest switch (yield)" "${t:+$((t / $4 / 2))}" "$7"
	t=$(ticks "$hc" ".*boot: \\([0-9]*\\) TSC ticks from the hypervisor's entry.*")
	record "boot_to_first_guest.$key" "$2: boot to the first scheduling decision" "${t:+$((t / $4))}" 2000000
}

# on_ap KEY DOOR LABEL INSN TICKS_PER_INSN: the v4 null hypercall by INSN
# on CPU 1 and on CPU 0 of the same two-CPU machine (smp-hcloop: h1 and
# h0 at once), which must cost the same: within 2%.
on_ap() {
	for c in 0 1; do
		t=$(ticks "$OUT/$2-smp-hcloop.serial" ".*\\[h$c\\] v4 $4: .* min \\([0-9]*\\) ticks.*")
		record "hypercall_on_cpu$c.$1" "$3: null hypercall by ${4^^}, CPU $c of 2" "${t:+$(($t / $5))}" ""
	done
	boot=${val[hypercall_on_cpu0.$1]:-0} ap=${val[hypercall_on_cpu1.$1]:-0}
	d=$((ap > boot ? ap - boot : boot - ap))
	if [ "$boot" = 0 ] || [ $((d * 100)) -gt $((boot * 2)) ]; then
		printf '%-58s %12s\n' "$3: CPU 1 against CPU 0" "OVER 2% ($ap, $boot)"
		rc=1
	fi
}

# migration KEY DOOR LABEL TICKS_PER_INSN: a vCPU's move (smp-balance), as
# its old CPU's work (release, hand-over, kick) and its new CPU's (taking
# it in).
migration() {
	s=$OUT/$2-smp-balance.serial
	t=$(ticks "$s" ".*moves from CPU [0-9]* to CPU [0-9]* (\\([0-9]*\\) TSC ticks.*")
	record "migration.$1.leave" "$3: vCPU move, on the CPU it leaves" "${t:+$(($t / $4))}" ""
	t=$(ticks "$s" ".*took a guest in (\\([0-9]*\\) TSC ticks).*")
	record "migration.$1.arrive" "$3: vCPU move, on the CPU it joins" "${t:+$(($t / $4))}" ""
}

# ipi KEY DOOR LABEL TICKS_PER_INSN: a fixed IPI to a sibling vCPU
# (smp-ipi's pings, 1000 each way), each side by its own CPU's clock. Send:
# the sender's, from its ICR write to its next instruction (the least).
# Take: the receiving CPU's, from the handler of the kick that announced it
# to the injection just before the entry (the least of any vCPU's).
ipi() {
	s=$OUT/$2-smp-ipi.serial
	t=$(ticks "$s" ".*IPI send: min \\([0-9]*\\) ticks.*")
	record "ipi_send.$1" "$3: IPI send, ICR write to the next instruction" "${t:+$(($t / $4))}" ""
	t=$(sed -n "s/.*guest 'smpipi[^']*': .* kick, at least \\([0-9]*\\) TSC ticks.*/\\1/p" "$s" | sort -n | head -n 1)
	record "ipi_take.$1" "$3: IPI take, kick to the injection" "${t:+$(($t / $4))}" ""
}

"$ROOT/tests/svm.sh" guest-hcloop sched-yield smp-hcloop smp-balance smp-ipi >/dev/null
"$ROOT/tests/vmx.sh" guest-hcloop sched-yield smp-hcloop smp-ipi >/dev/null
printf '%-58s %12s\n' "figure" "instructions"
backend svm svm "AMD-V (QEMU -cpu max)" "@max" 128 340 150 500
backend svm_epyc svm "AMD-V (QEMU -cpu EPYC)" "@EPYC" 128 340 150 500
backend vmx vmx "VT-x (Bochs corei7_skylake_x)" "" 1 150 "" 500
on_ap svm.vmmcall svm "AMD-V (QEMU -cpu max)" vmmcall 128
on_ap vmx vmx "VT-x (Bochs corei7_skylake_x)" vmcall 1
migration svm svm "AMD-V (QEMU -cpu max)" 128
ipi svm svm "AMD-V (QEMU -cpu max)" 128
ipi vmx vmx "VT-x (Bochs corei7_skylake_x)" 1
val[hv_efi_bytes]=$(stat -c %s "$ROOT/build/hv.efi")
printf '%-58s %12s\n' "hv.efi (bytes)" "${val[hv_efi_bytes]}"
for p in $("$ROOT/build/sched-sim" --list | cut -d' ' -f1); do
	d=$("$ROOT/build/sched-sim" --policy "$p" "$ROOT/sched/sim/workloads/bench.wl" |
		sed -n 's/.*: \([0-9]*\) decisions per second/\1/p')
	printf '%-58s %12s\n' "sched-sim $p (decisions per second, host)" "$d"
	[ "$p" = wfs ] && val[sim_decisions_per_second]=$d
done

# build/bench.json: the dotted keys above as nested objects.
for k in "${!val[@]}"; do echo "$k ${val[$k]}"; done | python3 -c '
import json, sys
out = {}
for line in sys.stdin:
    key, value = line.split()
    node = out
    *path, leaf = key.split(".")
    for p in path:
        node = node.setdefault(p, {})
    node[leaf] = int(value)
json.dump(out, open(sys.argv[1], "w"), indent=2, sort_keys=True)
' "$JSON"
echo "wrote ${JSON#$ROOT/}"
exit $rc
