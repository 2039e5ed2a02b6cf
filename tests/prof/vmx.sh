#!/bin/bash
# Instruction profile of the hypervisor under Bochs (VT-x): boots the
# scenario tests/e2e/SCENARIO with Bochs' debugger tracing every executed
# instruction from guests_run on (guest creation, then the run loop) (about 1 GB of text for a few
# million instructions, deleted afterwards), then tests/prof/trips.py cuts
# the host's part into exits (from the landing at HOST_RIP to the next
# VMRESUME) and prints the cheapest trip of each kind by function. Exact:
# Bochs' TSC counts instructions, the same as make bench.
#   tests/prof/vmx.sh SCENARIO     (PROF_LINES=KIND: that trip by source line)
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
ELF=$ROOT/build/hv.elf
[ $# = 1 ] || { echo "usage: tests/prof/vmx.sh SCENARIO"; exit 1; }
[ -d "$ROOT/tests/e2e/$1" ] || { echo "prof: no scenario tests/e2e/$1"; exit 1; }
from=0x$(nm "$ELF" | awk '$3 == "guests_run" { print $1 }')
BOCHS_TRACE_FROM=$from "$ROOT/tests/vmx.sh" "$1" >/dev/null
trace=$ROOT/build/test-out/vmx-$1.stdout
python3 "$ROOT/tests/prof/trips.py" --bochs "$trace" "$ELF" 0
rm -f "$trace"
