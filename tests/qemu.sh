#!/bin/bash
# Boots build/hv.efi under QEMU (TCG, AMD-V emulated) + OVMF.
#   tests/qemu.sh run              the demo (guests/hv.cfg, or $CONFIG), console on this
#                                  terminal; QEMU_CPU, QEMU_MEM, QEMU_ICOUNT as in qemu_cmd.sh
#   tests/qemu.sh boot ESP SERIAL [CPU]   (used by the suites) boot folder ESP
#                                  (or a disk image), serial to SERIAL; prints
#                                  the exit code
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
. "$ROOT/tests/qemu_cmd.sh"

case "${1:-}" in
run)
	esp=$ROOT/build/run-esp
	demo_esp "$esp" || exit 1
	cp "$OVMF_VARS" "$ROOT/build/run-vars.fd"
	# typing reaches the hypervisor's console (Ctrl-], a guest's COM1)
	# when make run has a terminal; otherwise nothing is read
	in=/dev/null
	[ -t 0 ] && in=/dev/stdin
	$(qemu_cmd "$esp" "$ROOT/build/run-vars.fd" "${QEMU_CPU:-max}") -serial stdio <"$in"
	rc=$?
	[ $rc = 124 ] && echo "make run: QEMU did not stop within ${QEMU_TIMEOUT}s"
	exit $rc
	;;
boot)
	esp=$2 serial=$3 cpu=${4:-max}
	vars=$(mktemp --suffix=.fd)
	cp "$OVMF_VARS" "$vars"
	$(qemu_cmd "$esp" "$vars" "$cpu") -serial file:"$serial" \
		-device isa-debug-exit,iobase=0xf4,iosize=0x04 </dev/null >/dev/null 2>&1
	rc=$?
	rm -f "$vars"
	echo $rc
	;;
*)
	echo "usage: $0 run | boot ESP SERIAL [CPU]" >&2
	exit 2
	;;
esac
