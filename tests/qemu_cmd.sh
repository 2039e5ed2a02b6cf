# Shared by tests/qemu.sh and tests/debug.sh (sourced): QEMU + OVMF.
OVMF_CODE=/usr/share/OVMF/OVMF_CODE_4M.fd
OVMF_VARS=/usr/share/OVMF/OVMF_VARS_4M.fd
QEMU_TIMEOUT=${QEMU_TIMEOUT:-120}
# QEMU_MEM: the machine's memory (256M); QEMU_SMP: its CPUs (1; with
# icount TCG runs them in turn on one host thread); QEMU_ICOUNT: the -icount setting
# (shift=7,sleep=off: the TSC counts instructions; empty: no icount, the
# TSC follows the host clock and TCG runs many times faster)

# qemu_cmd ESP VARS CPU: the common command line (a fresh variable store
# every run, or OVMF may stop in its shell). ESP is a folder (served as a
# FAT drive) or a disk image file (make image).
qemu_cmd() {
	disk=fat:rw:$1
	[ -f "$1" ] && disk=$1
	icount=${QEMU_ICOUNT-shift=7,sleep=off}
	echo timeout -k 5 "$QEMU_TIMEOUT" qemu-system-x86_64 -machine q35,accel=tcg -cpu "$3" \
		-m "${QEMU_MEM:-256M}" -smp "${QEMU_SMP:-1}" \
		-drive if=pflash,format=raw,readonly=on,file=$OVMF_CODE \
		-drive if=pflash,format=raw,file="$2" \
		-drive format=raw,file="$disk" \
		-display none -monitor none -no-reboot -net none -nodefaults \
		${icount:+-icount $icount}
}

# wait_for FILE TEXT SECONDS: returns once FILE holds TEXT (0), or after
# SECONDS (1); for typing on QEMU's stdin once the guest waits for it.
wait_for() {
	for _ in $(seq $(($3 * 10))); do
		grep -aq "$2" "$1" && return 0
		sleep 0.1
	done
	return 1
}

# demo_esp DIR: the demo's EFI system partition folder: hv.efi, the
# configuration ($CONFIG, or guests/hv.cfg), every built guest and, when
# fetched, the Linux kernel and initramfs.
demo_esp() {
	rm -rf "$1" && mkdir -p "$1/EFI/BOOT"
	cp "$ROOT/build/hv.efi" "$1/EFI/BOOT/BOOTX64.EFI"
	cp "${CONFIG:-$ROOT/guests/hv.cfg}" "$1/EFI/BOOT/hv.cfg" || return 1
	cp "$ROOT"/build/guests/*.elf "$ROOT"/build/guests/*.bin "$1/EFI/BOOT/"
	# the Linux guest, once tests/linux.sh prepare has fetched it
	for f in vmlinuz initrd.gz; do
		[ ! -f "$ROOT/build/guests/$f" ] || cp "$ROOT/build/guests/$f" "$1/EFI/BOOT/"
	done
}

# image_range ESP LOG CPU: boots ESP until the banner and prints where UEFI
# loaded hv.efi ("START-END", hex); OVMF loads the same files to the same
# place every time, so a second boot finds it there too.
image_range() {
	ir_vars=$(mktemp --suffix=.fd) && cp "$OVMF_VARS" "$ir_vars"
	rm -f "$2"
	$(qemu_cmd "$1" "$ir_vars" "$3") -serial file:"$2" </dev/null >/dev/null 2>&1 &
	ir_pid=$!
	for _ in $(seq 240); do
		grep -aq "image at" "$2" 2>/dev/null && break
		sleep 0.5
	done
	kill "$ir_pid" 2>/dev/null
	wait "$ir_pid" 2>/dev/null
	rm -f "$ir_vars"
	grep -a -o "image at [0-9a-f]*-[0-9a-f]*" "$2" | head -n 1 | cut -d' ' -f3
}
