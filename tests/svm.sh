#!/bin/bash
# The AMD-V suite: every scenario of tests/e2e for door "svm", booting
# build/hv.efi under QEMU + OVMF. Usage: tests/svm.sh [SCENARIO...]
set -u
. "$(dirname "$0")/lib.sh"

# Makes the ESP folder, boots it, and sets RUN_STATUS from QEMU's exit code
# ((status << 1) | 1 through isa-debug-exit).
boot_svm() {
	dir=$1 serial=$2
	esp=$OUT/esp-$(basename "$dir")
	rm -rf "$esp" && mkdir -p "$esp/EFI/BOOT"
	cp "$ROOT/build/hv.efi" "$esp/EFI/BOOT/BOOTX64.EFI"
	[ -f "$dir/hv.cfg" ] && cp "$dir/hv.cfg" "$esp/EFI/BOOT/"
	for f in $(scenario_files "$dir"); do cp "$f" "$esp/EFI/BOOT/"; done
	rc=$("$ROOT/tests/qemu.sh" boot "$esp" "$serial" "$CPU")
	RUN_STATUS=""
	if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then   # timeout's TERM, or its KILL
		echo "(timed out)" >>"$serial"
	elif [ $((rc % 2)) = 1 ]; then
		RUN_STATUS=$((rc >> 1))
	fi
}

run_suite svm boot_svm QEMU_CPU "$@"
