#!/bin/bash
# make image: build/hv.img, a raw disk image to write to a USB stick: GPT,
# one FAT32 EFI system partition holding EFI/BOOT/BOOTX64.EFI (hv.efi), the
# configuration and the guests. Built without root (sgdisk, mtools).
#   tests/image.sh [CONFIG]        build it (CONFIG: guests/hv.cfg)
#   tests/image.sh test            build it and boot that very file under
#                                  QEMU + OVMF, checking the guests ran
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
IMG=$ROOT/build/hv.img
SIZE_MB=64

build() {
	cfg=$1
	rm -f "$IMG"
	truncate -s ${SIZE_MB}M "$IMG"
	sgdisk -o -n 1:2048:0 -t 1:ef00 -c 1:"hv EFI system" "$IMG" >/dev/null || return 1
	part="$IMG@@1M"
	# the partition ends before the backup GPT: sectors 2048 .. total - 34
	mformat -i "$part" -T $((SIZE_MB * 2048 - 2048 - 33)) -h 64 -s 32 -F -v HV-ESP :: || return 1
	mmd -i "$part" ::/EFI ::/EFI/BOOT
	mcopy -i "$part" "$ROOT/build/hv.efi" ::/EFI/BOOT/BOOTX64.EFI
	mcopy -i "$part" "$cfg" ::/EFI/BOOT/hv.cfg
	for g in "$ROOT"/build/guests/*.elf "$ROOT"/build/guests/*.bin; do
		case $g in *.stripped.elf) continue ;; esac
		mcopy -i "$part" "$g" ::/EFI/BOOT/
	done
	echo "image: ${IMG#$ROOT/}, $SIZE_MB MiB, GPT + FAT32 ESP with hv.efi, $(basename "$cfg") and $(ls "$ROOT"/build/guests/*.elf "$ROOT"/build/guests/*.bin | grep -vc stripped) guests"
}

if [ "${1:-}" != test ]; then
	build "${1:-$ROOT/guests/hv.cfg}"
	exit
fi

# The test: the demo configuration from the image, on QEMU + OVMF.
passed=0 failed=0
serial=$ROOT/build/test-out/image.serial
mkdir -p "$ROOT/build/test-out"
build "$ROOT/guests/hv.cfg" >/dev/null && rc=$("$ROOT/tests/qemu.sh" boot "$IMG" "$serial" max)
ok=1
if [ "${rc:-}" = 1 ] && grep -q "\[heavy\] burned" "$serial" && grep -q "\[rm\] real mode: hello" "$serial" &&
	grep -q "hv: done" "$serial"; then
	ok=0
fi
if [ $ok = 0 ]; then
	passed=1
	echo "PASS image: build/hv.img boots its guests under QEMU + OVMF"
else
	failed=1
	echo "FAIL image: build/hv.img did not boot its guests (status ${rc:-none}); serial log in ${serial#$ROOT/}"
fi
echo "image: $passed passed, $failed failed"
[ $failed = 0 ]
