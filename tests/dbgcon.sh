#!/bin/bash
# The debug console, driven through QEMU's serial port: once the guests
# run, Ctrl-] and a list of commands are typed; their answers are checked.
# (OVMF reads the serial port while it boots, so the keys wait for the
# hypervisor's "sched: policy" line.)
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
. "$ROOT/tests/qemu_cmd.sh"
. "$ROOT/tests/lib.sh"
W=$ROOT/build/dbgcon
ESP=$W/esp
rm -rf "$W" && mkdir -p "$ESP/EFI/BOOT"
cp "$ROOT/build/hv.efi" "$ESP/EFI/BOOT/BOOTX64.EFI"
cp "$ROOT/build/guests/waiter.elf" "$ESP/EFI/BOOT/"
printf 'sched=wfs slice=2ms\nguest=a,image=waiter.elf,mem=2M\nguest=b,image=waiter.elf,mem=2M,weight=2\n' \
	>"$ESP/EFI/BOOT/hv.cfg"
cp "$OVMF_VARS" "$W/vars.fd"
serial=$W/serial.log
: >"$serial"

type_keys() {
	for _ in $(seq 600); do
		grep -aq "sched: policy" "$serial" && break
		sleep 0.1
	done
	printf '\035help\nguests\nsched\nregs b\nset b weight=3\nset b weight=0\nset nobody weight=2\n'
	printf 'pause b\nguests\nresume b\nrestart a\nbogus\ncontinue\n'
}

type_keys | $(qemu_cmd "$ESP" "$W/vars.fd" max) -serial stdio \
	-device isa-debug-exit,iobase=0xf4,iosize=0x04 >"$serial" 2>&1
status=$(( $? >> 1 ))
cat >"$W/expect" <<'EXPECT'
hv console: guests paused
hv> help
  regs     NAME
hv> guests
   1 b 
hv> sched
  policy wfs, slice 2000 us
  b                weight 2 budget 0 us period 0 us
hv> regs b
  rax
  cr3
hv> set b weight=3
  'b': weight 3, budget 0 us, period 0 us
hv> set b weight=0
  bad setting 'weight=0'
hv> set nobody weight=2
  usage: set NAME weight=N budget=D period=D
hv> pause b
  'b' paused
hv> guests
   1 b                paused
hv> resume b
  'b' resumed
hv> restart a
  'a' restarted (start 2)
hv> bogus
  unknown command 'bogus'
hv> continue
hv console: guests resumed
unordered
[a] waited
[b] waited
hv: done
status 0
EXPECT
why=$(check_expect "$serial" "$W/expect" "$status")
if [ $? = 0 ]; then
	echo "PASS dbgcon: every console command answered under QEMU + OVMF"
	echo "dbgcon: 1 passed, 0 failed"
	exit 0
fi
echo "FAIL dbgcon: serial log in ${serial#$ROOT/}"
echo "$why"
echo "dbgcon: 0 passed, 1 failed"
exit 1
