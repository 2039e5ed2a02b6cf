#!/bin/bash
# The debug console, driven through the serial port of QEMU (its stdin) and
# of Bochs (a socket): once the guests run, Ctrl-] and a list of commands
# are typed; their answers are checked. (OVMF reads the serial port while
# it boots, so the keys wait for the hypervisor's "sched: policy" line.)
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
. "$ROOT/tests/qemu_cmd.sh"
. "$ROOT/tests/lib.sh"
W=$ROOT/build/dbgcon
SC=$W/dbgcon                  # a scenario folder, for the Bochs suite
ESP=$W/esp
KEYS=$'\035help\nguests\nsched\nregs b\nset b weight=3\nset b weight=0\nset nobody weight=2\npause b\nguests\nresume b\nrestart a\ntrace\nbogus\ncontinue\n'
rm -rf "$W" && mkdir -p "$ESP/EFI/BOOT" "$SC"
printf 'sched=wfs slice=2ms trace=on\nguest=a,image=waiter.elf,mem=2M\nguest=b,image=waiter.elf,mem=2M,weight=2\n' >"$SC/hv.cfg"
printf 'DOORS=vmx\nGUESTS=waiter.elf\n' >"$SC/env"
cat >"$SC/expect" <<'EXPECT'
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
hv> trace
sched: trace of the last
hv> bogus
  unknown command 'bogus'
hv> continue
hv console: guests resumed
unordered
[a] waited until restarted
[b] waited until given weight 3
hv: done
status 0
EXPECT
passed=0 failed=0

# QEMU: the keys on QEMU's stdin, once the hypervisor runs guests.
qemu_drive() {
	serial=$W/qemu.serial
	cp "$ROOT/build/hv.efi" "$ESP/EFI/BOOT/BOOTX64.EFI"
	cp "$ROOT/build/guests/waiter.elf" "$SC/hv.cfg" "$ESP/EFI/BOOT/"
	cp "$OVMF_VARS" "$W/vars.fd"
	: >"$serial"
	{
		wait_for "$serial" "sched: policy" 60
		printf '%s' "$KEYS"
	} | $(qemu_cmd "$ESP" "$W/vars.fd" max) -serial stdio \
		-device isa-debug-exit,iobase=0xf4,iosize=0x04 >"$serial" 2>&1
	status=$(( $? >> 1 ))
	if why=$(check_expect "$serial" "$SC/expect" "$status"); then
		passed=$((passed + 1))
		echo "PASS svm/dbgcon: every console command answered under QEMU + OVMF"
	else
		failed=$((failed + 1))
		echo "FAIL svm/dbgcon: serial log in ${serial#$ROOT/}"
		echo "$why"
	fi
}

# Bochs: COM1 connects to a small server that logs what it receives and
# types the keys once the hypervisor runs guests.
bochs_drive() {
	port=$((30000 + $$ % 20000))
	python3 - "$port" "$OUT/vmx-dbgcon.serial" "$KEYS" <<'PY' &
import socket, sys
port, path, keys = int(sys.argv[1]), sys.argv[2], sys.argv[3].encode()
srv = socket.socket()
srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind(("127.0.0.1", port))
srv.listen(1)
srv.settimeout(300)
conn, _ = srv.accept()
seen, sent = b"", False
with open(path, "wb") as out:
    while True:
        data = conn.recv(4096)
        if not data:
            break
        out.write(data)
        out.flush()
        seen = seen[-64:] + data
        if not sent and b"sched: policy" in seen:
            conn.sendall(keys)
            sent = True
PY
	server=$!
	sleep 0.5
	out=$(COM1_MODE=socket-client COM1_DEV=localhost:$port "$ROOT/tests/vmx.sh" "$SC" 2>&1)
	kill "$server" 2>/dev/null
	wait "$server" 2>/dev/null
	echo "$out" | grep -v "^vmx: "
	passed=$((passed + $(echo "$out" | sed -n 's/^vmx: \([0-9]*\) passed.*/\1/p')))
	failed=$((failed + $(echo "$out" | sed -n 's/^vmx: .* \([0-9]*\) failed$/\1/p')))
}

qemu_drive
bochs_drive
echo "dbgcon: $passed passed, $failed failed"
[ "$failed" = 0 ]
