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
range=$(image_range "$ESP" "$ROOT/build/prof-probe.serial" "$CPU")
[ -n "$range" ] || { echo "prof: hv.efi did not boot (build/prof-probe.serial)"; exit 1; }
vars=$(mktemp --suffix=.fd) && cp "$OVMF_VARS" "$vars"
trap 'rm -f "$vars"' EXIT
link=$(nm "$SO" | awk '$3 == "__image_start" { print $1 }')
start=0x${range%-*}
$(qemu_cmd "$ESP" "$vars" "$CPU") -serial file:"$ROOT/build/prof.serial" \
	-singlestep -d exec,nochain -dfilter "$start..0x${range#*-}${PROF_GUEST:+,$PROF_GUEST}" -D "$ROOT/build/prof.trace" </dev/null >/dev/null 2>&1
python3 "$ROOT/tests/prof/trips.py" "$ROOT/build/prof.trace" "$SO" $((start - 0x$link))
