#!/bin/bash
# Boots build/hv.efi under QEMU (TCG, AMD-V emulated) + OVMF.
#   tests/qemu.sh run              the demo (guests/hv.cfg), console on this terminal
#   tests/qemu.sh boot ESP SERIAL [CPU]   (used by the suites) boot folder ESP
#                                  (or a disk image), serial to SERIAL; prints
#                                  the exit code
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
OVMF_CODE=/usr/share/OVMF/OVMF_CODE_4M.fd
OVMF_VARS=/usr/share/OVMF/OVMF_VARS_4M.fd
QEMU_TIMEOUT=${QEMU_TIMEOUT:-120}

# qemu_cmd ESP VARS CPU: the common command line (a fresh variable store
# every run, or OVMF may stop in its shell). ESP is a folder (served as a
# FAT drive) or a disk image file (make image).
qemu_cmd() {
	disk=fat:rw:$1
	[ -f "$1" ] && disk=$1
	echo timeout -k 5 "$QEMU_TIMEOUT" qemu-system-x86_64 -machine q35,accel=tcg -cpu "$3" \
		-m 256M -smp 1 \
		-drive if=pflash,format=raw,readonly=on,file=$OVMF_CODE \
		-drive if=pflash,format=raw,file="$2" \
		-drive format=raw,file="$disk" \
		-display none -monitor none -no-reboot -net none -nodefaults \
		-icount shift=7,sleep=off
}

case "${1:-}" in
run)
	esp=$ROOT/build/run-esp
	rm -rf "$esp" && mkdir -p "$esp/EFI/BOOT"
	cp "$ROOT/build/hv.efi" "$esp/EFI/BOOT/BOOTX64.EFI"
	cp "$ROOT/guests/hv.cfg" "$ROOT"/build/guests/*.elf "$ROOT"/build/guests/*.bin "$esp/EFI/BOOT/"
	cp "$OVMF_VARS" "$ROOT/build/run-vars.fd"
	$(qemu_cmd "$esp" "$ROOT/build/run-vars.fd" max) -serial stdio </dev/null
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
