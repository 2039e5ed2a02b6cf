#!/bin/bash
# make fuzz: the fuzzer guests for longer, with a seed of their own, on both
# backends: the hypercall fuzzer (guests/hcfuzz.c) beside a victim, and
# the state fuzzer (guests/statefuzz.c) beside the watching state pair and
# a victim (as tests/e2e/hostile-statefuzz).
#   make fuzz [FUZZ_CALLS=N] [FUZZ_OPS=N] [SEED=0x...]   (a seed from the clock otherwise)
# A failure prints the seed: run again with SEED= to replay the same calls.
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
calls=${1:-20000000}
ops=${2:-10000000}
seed=${3:-$(printf '0x%x' "$(date +%s%N)")}
B=$ROOT/build/fuzz-guest
mkdir -p "$B/hc" "$B/state"
cd "$ROOT"
make -s build/g/rt/rt.o build/g/rt/rt_entry.asm.o build/g/rt/rt_user.o build/g/rt/rt_user.asm.o build/g/fmt.o || exit 1

# build NAME DEFINES...: build/fuzz-guest/NAME.elf from guests/NAME.c.
build() {
	name=$1
	shift
	gcc $(make -s print-GUEST_CFLAGS) "$@" -c "guests/$name.c" -o "$B/$name.o" &&
		ld -nostdlib -static -z max-page-size=0x1000 --no-warn-rwx-segments -T guests/rt/guest.lds \
			"$B/$name.o" $(make -s print-GUEST_RT) -o "$B/$name.elf"
}
build hcfuzz -DFUZZ_CALLS="${calls}ULL" -DFUZZ_SEED="${seed}ULL" || exit 1
build statefuzz -DFUZZ_OPS="${ops}ULL" -DFUZZ_SEED="${seed}ULL" || exit 1

S=$B/hc
printf 'DOORS="svm vmx"\nGUESTS=victim.elf\nFILES=build/fuzz-guest/hcfuzz.elf\n' >"$S/env"
printf 'sched=rr slice=1ms\nguest=fuzz,image=hcfuzz.elf,mem=2M\nguest=victim,image=victim.elf,mem=4M\n' >"$S/hv.cfg"
printf 'unordered\n[fuzz] hcfuzz: %s calls, seed %x\n; 0 undefined statuses\n[victim] victim: memory intact\nhv: done\nstatus 0\n!EXCEPTION\n' \
	"$calls" "$seed" >"$S/expect"
S=$B/state
printf 'DOORS="svm vmx"\nGUESTS="state.elf victim.elf"\nFILES=build/fuzz-guest/statefuzz.elf\n' >"$S/env"
cp tests/e2e/hostile-statefuzz/hv.cfg "$S/hv.cfg"
printf 'unordered\n[fuzz] statefuzz: %s operations, seed %x\n[victim] victim: memory intact\nhv: done\nstatus 0\n!EXCEPTION\n!FAILED\n' \
	"$ops" "$seed" >"$S/expect"

echo "make fuzz: $calls calls and $ops state operations per backend, seed $seed"
rc=0
for S in "$B/hc" "$B/state"; do
	QEMU_TIMEOUT=3600 "$ROOT/tests/svm.sh" "$S" || rc=1
	BOCHS_TIMEOUT=3600 "$ROOT/tests/vmx.sh" "$S" || rc=1
done
[ $rc = 0 ] || echo "make fuzz: FAILED with seed $seed (replay: make fuzz SEED=$seed FUZZ_CALLS=$calls FUZZ_OPS=$ops)"
exit $rc
