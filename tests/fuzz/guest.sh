#!/bin/bash
# make fuzz: the hypercall fuzzer guest (guests/hcfuzz.c) for longer, with a
# seed of its own, on both backends, beside a victim.
#   make fuzz [FUZZ_CALLS=N] [SEED=0x...]   (a seed from the clock otherwise)
# A failure prints the seed: run again with SEED= to replay the same calls.
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
calls=${1:-20000000}
seed=${2:-$(printf '0x%x' "$(date +%s%N)")}
B=$ROOT/build/fuzz-guest
S=$B/scenario
mkdir -p "$B" "$S"
cd "$ROOT"
make -s build/g/rt/rt.o build/g/rt/rt_entry.asm.o build/g/rt/rt_user.o build/g/rt/rt_user.asm.o build/g/fmt.o || exit 1
gcc $(make -s print-GUEST_CFLAGS) -DFUZZ_CALLS="${calls}ULL" -DFUZZ_SEED="${seed}ULL" -c guests/hcfuzz.c -o "$B/hcfuzz.o" &&
	ld -nostdlib -static -z max-page-size=0x1000 --no-warn-rwx-segments -T guests/rt/guest.lds \
		"$B/hcfuzz.o" $(make -s print-GUEST_RT) -o "$B/hcfuzz.elf" || exit 1
printf 'DOORS="svm vmx"\nGUESTS=victim.elf\nFILES=build/fuzz-guest/hcfuzz.elf\n' >"$S/env"
printf 'sched=rr slice=1ms\nguest=fuzz,image=hcfuzz.elf,mem=2M\nguest=victim,image=victim.elf,mem=4M\n' >"$S/hv.cfg"
printf 'unordered\n[fuzz] hcfuzz: %s calls, seed %x\n; 0 undefined statuses\n[victim] victim: memory intact\nhv: done\nstatus 0\n!EXCEPTION\n' \
	"$calls" "$seed" >"$S/expect"
echo "make fuzz: $calls calls per backend, seed $seed"
rc=0
QEMU_TIMEOUT=3600 BOCHS_TIMEOUT=3600 "$ROOT/tests/svm.sh" "$S" || rc=1
BOCHS_TIMEOUT=3600 "$ROOT/tests/vmx.sh" "$S" || rc=1
[ $rc = 0 ] || echo "make fuzz: FAILED with seed $seed (replay: make fuzz SEED=$seed FUZZ_CALLS=$calls)"
exit $rc
