#!/bin/bash
# make debug: hv.efi under QEMU + OVMF with gdb attached, stopped before
# the hypervisor's first instruction, symbols at the address UEFI loaded it.
#   tests/debug.sh [GUEST]   interactive (GUEST: also load build/guests/GUEST.elf)
#   tests/debug.sh test      batch: break at hv_main, continue, check the backtrace
# UEFI relocates hv.efi, so a first boot, identical but for the gdb stub,
# reads the load address from the banner ("image at ..."); OVMF loads the
# same files to the same place every time.
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
QEMU_TIMEOUT=${QEMU_TIMEOUT:-3600}
. "$ROOT/tests/qemu_cmd.sh"
SO=$ROOT/build/hv-efi.so
ESP=$ROOT/build/debug-esp
PORT=${GDB_PORT:-$((20000 + $$ % 20000))}

# The load base: the banner's image start minus __image_start in hv-efi.so.
load_base() {
	range=$(image_range "$ESP" "$ROOT/build/debug-probe.serial" max)
	link=$(nm "$SO" | awk '$3 == "__image_start" { print $1 }')
	[ -n "$range" ] && [ -n "$link" ] && printf '0x%x\n' $((0x${range%-*} - 0x$link))
}

demo_esp "$ESP" || exit 1
base=$(load_base)
if [ -z "$base" ]; then
	echo "debug: could not learn where UEFI loads hv.efi (see build/debug-probe.serial)"
	[ "${1:-}" = test ] && echo "debug: 0 passed, 1 failed"
	exit 1
fi
vars=$(mktemp --suffix=.fd) && cp "$OVMF_VARS" "$vars"
trap 'kill $qpid 2>/dev/null; rm -f "$vars"' EXIT
gdb_init=(-ex "set pagination off" -ex "add-symbol-file $SO -o $base" -ex "target remote :$PORT")

if [ "${1:-}" = test ]; then
	$(qemu_cmd "$ESP" "$vars" max) -serial file:"$ROOT/build/debug.serial" -S -gdb tcp::$PORT \
		</dev/null >/dev/null 2>&1 &
	qpid=$!
	sleep 1
	out=$(timeout 120 gdb -q -batch -nx "${gdb_init[@]}" -ex "hbreak hv_main" -ex "continue" -ex "bt" 2>&1)
	if echo "$out" | grep -q "^#0 .*hv_main"; then
		echo "PASS debug: gdb stopped at hv_main with symbols at $base"
		echo "debug: 1 passed, 0 failed"
		exit 0
	fi
	echo "FAIL debug: no hv_main in the backtrace:"
	echo "$out" | tail -n 8 | sed 's/^/    /'
	echo "debug: 0 passed, 1 failed"
	exit 1
fi

echo "make debug: hv.efi loaded at $base; QEMU waits for gdb on port $PORT; serial in build/debug.serial"
$(qemu_cmd "$ESP" "$vars" max) -serial file:"$ROOT/build/debug.serial" -S -gdb tcp::$PORT </dev/null >/dev/null 2>&1 &
qpid=$!
sleep 1
guest=()
[ -n "${1:-}" ] && guest=(-ex "add-symbol-file $ROOT/build/guests/$1.elf")
gdb -q -nx "${gdb_init[@]}" "${guest[@]}" -ex "hbreak _start" -ex "continue"
