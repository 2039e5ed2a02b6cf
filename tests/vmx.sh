#!/bin/bash
# The VT-x suite: every scenario of tests/e2e for door "vmx", booting
# build/hv.elf through GRUB (Multiboot2) from an ISO under Bochs.
# Usage: tests/vmx.sh [SCENARIO...]
set -u
. "$(dirname "$0")/lib.sh"

make_iso() {
	dir=$1 iso=$2 tree=$3
	rm -rf "$tree" && mkdir -p "$tree/boot/grub"
	cp "$ROOT/build/hv.elf" "$tree/boot/"
	{
		echo "set timeout=0"
		echo "serial --unit=0 --speed=115200"
		echo "terminal_output serial"
		echo "menuentry hv {"
		echo "  multiboot2 /boot/hv.elf $CMDLINE"
		if [ -f "$dir/hv.cfg" ]; then
			cp "$dir/hv.cfg" "$tree/boot/"
			echo "  module2 /boot/hv.cfg hv.cfg"
		fi
		for f in $(scenario_files "$dir"); do
			cp "$f" "$tree/boot/"
			echo "  module2 /boot/$(basename "$f") $(basename "$f")"
		done
		echo "}"
	} >"$tree/boot/grub/grub.cfg"
	grub-mkrescue -o "$iso" "$tree" >/dev/null 2>&1
}

bochs_config() {
	cat <<EOC
plugin_ctrl: unmapped=1, biosdev=1, speaker=0, extfpuirq=0, parallel=0, serial=1, gameport=0, iodebug=0
config_interface: textconfig
display_library: term
romimage: file=/usr/share/bochs/BIOS-bochs-latest
vgaromimage: file=/usr/share/bochs/VGABIOS-lgpl-latest
cpu: model=$CPU, count=${BOCHS_CPUS:-1}, ips=50000000, reset_on_triple_fault=0
memory: guest=${BOCHS_MEM:-128}, host=${BOCHS_MEM:-128}
clock: sync=none, time0=946681200
ata0-master: type=cdrom, path=$1, status=inserted
boot: cdrom
com1: enabled=1, mode=${COM1_MODE:-file}, dev=${COM1_DEV:-$2}
port_e9_hack: enabled=1
log: $3
panic: action=fatal
error: action=report
info: action=report
debug: action=ignore
magic_break: enabled=0
mouse: enabled=0
keyboard: type=mf
EOC
}

# Boots the scenario; RUN_STATUS comes from the serial line, since Bochs
# exits 1 on every power-off. BOCHS_TRACE_FROM=ADDR (tests/prof/vmx.sh):
# from the instruction at ADDR on, Bochs' debugger prints every executed
# instruction to $base.stdout.
boot_vmx() {
	dir=$1 serial=$2
	base=${serial%.serial}
	make_iso "$dir" "$base.iso" "$base.tree"
	bochs_config "$base.iso" "$serial" "$base.bochs.log" >"$base.bochsrc"
	if [ -n "${BOCHS_TRACE_FROM:-}" ]; then
		printf 'lb %s\nc\ntrace on\nc\n' "$BOCHS_TRACE_FROM" >"$base.rc"
	else
		echo c >"$base.rc"
	fi
	rm -f "$serial"
	TERM=dumb timeout -k 5 "$BOCHS_TIMEOUT" bochs-bin -q -f "$base.bochsrc" -rc "$base.rc" \
		</dev/null >"$base.stdout" 2>&1
	case $? in 124 | 137) echo "(timed out)" >>"$serial" ;; esac   # Bochs ignores SIGTERM: -k
	RUN_STATUS=$(serial_status "$serial")
}

run_suite vmx boot_vmx BOCHS_CPU "$@"
