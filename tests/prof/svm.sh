#!/bin/bash
# Instruction profile of the hypervisor under QEMU (AMD-V): boots CONFIG
# with QEMU logging every translation block executed inside hv.efi's image
# (-singlestep -d exec,nochain -dfilter: one line per instruction), then
# tests/prof/trips.py cuts the trace
# into exits (from a #VMEXIT to the next VMRUN) and prints the cheapest
# trip of each kind by function. Exact: icount, the same as make bench.
#   tests/prof/svm.sh CONFIG [CPU]
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
QEMU_TIMEOUT=${QEMU_TIMEOUT:-600}
. "$ROOT/tests/qemu_cmd.sh"
SO=$ROOT/build/hv-efi.so
ESP=$ROOT/build/prof-esp
CONFIG=$1 CPU=${2:-max}
demo_esp "$ESP" || exit 1
log=$ROOT/build/prof-probe.serial
rm -f "$log"
vars=$(mktemp --suffix=.fd) && cp "$OVMF_VARS" "$vars"
trap 'rm -f "$vars"' EXIT
$(qemu_cmd "$ESP" "$vars" "$CPU") -serial file:"$log" </dev/null >/dev/null 2>&1 &
pid=$!
for _ in $(seq 240); do grep -aq "image at" "$log" 2>/dev/null && break; sleep 0.5; done
kill $pid 2>/dev/null; wait $pid 2>/dev/null
range=$(grep -a -o "image at [0-9a-f]*-[0-9a-f]*" "$log" | head -n 1 | cut -d' ' -f3)
link=$(nm "$SO" | awk '$3 == "__image_start" { print $1 }')
start=0x${range%-*}
cp "$OVMF_VARS" "$vars"
$(qemu_cmd "$ESP" "$vars" "$CPU") -serial file:"$ROOT/build/prof.serial" \
	-singlestep -d exec,nochain -dfilter "$start..0x${range#*-}${PROF_GUEST:+,$PROF_GUEST}" -D "$ROOT/build/prof.trace" </dev/null >/dev/null 2>&1
python3 "$ROOT/tests/prof/trips.py" "$ROOT/build/prof.trace" "$SO" $((start - 0x$link))
