#!/bin/bash
# The Linux guest: Debian's stock kernel and a busybox initramfs.
#   tests/linux.sh prepare   fetch and check the kernel (cached in build/linux),
#                            write build/guests/vmlinuz and build/guests/initrd.gz,
#                            and grub-invaders' build/guests/invaders.exec
#   tests/linux.sh bare      prepare, then time the guest on bare QEMU (no hv)
#   tests/linux.sh time      bare, then the same under the hypervisor: the ratio
#   tests/linux.sh input     prepare, then type a line on the hypervisor's
#                            console (QEMU, AMD-V) that the guest reads back
#   tests/linux.sh test      prepare, then the scenarios of tests/linux/e2e on
#                            AMD-V (QEMU) and VT-x (Bochs), input, and time
# Sourced, it only defines the variables and functions (first_seen, ...);
# their failures exit the sourcing shell.
set -u
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
WORK=$ROOT/build/linux
GUESTS=$ROOT/build/guests
OUT=$ROOT/build/test-out
STAMP="python3 $ROOT/tests/linux/stamp.py"
MARK1="linux-guest: init started"
MARK2="linux-guest: slept 1 s"
# The command line of tests/linux/e2e/linux-alone/hv.cfg, without the
# hv_clock=1 and hv_reboot=1 hv_esp takes out. -cx16: QEMU 7.2's TCG
# sometimes corrupts EFLAGS on the kernel's "cmpxchg16b %gs:(...)" (SLUB),
# which oopses or panics about one boot in three, bare or not. No icount:
# the TSC follows the host clock (both runs alike).
APPEND="console=ttyS0 pci=off nokaslr"
CPU_MODEL="max,-cx16"

die() {
	echo "linux: $*" >&2
	exit 1
}

# first_seen STAMPS TEXT: the seconds (from stamp.py's STAMPS file) of the
# first line containing TEXT; prints nothing and fails if there is none.
# Example: $STAMP t.txt --until "$MARK2" -- CMD... >serial; first_seen t.txt "$MARK1"
first_seen() {
	awk -F '\t' -v t="$2" 'index(substr($0, length($1) + 2), t) { print $1; f = 1; exit }
		END { exit !f }' "$1"
}

# fetch PACKAGE: the path of its .deb in $WORK/pkgs, downloaded once.
fetch() {
	deb=$(ls "$WORK/pkgs/$1"_*.deb 2>/dev/null | tail -n 1)
	if [ -z "$deb" ]; then
		(cd "$WORK/pkgs" && apt-get download -q "$1" 2>&1 | grep -v unsandboxed) >&2
		deb=$(ls "$WORK/pkgs/$1"_*.deb 2>/dev/null | tail -n 1)
	fi
	[ -n "$deb" ] || die "could not download $1"
	echo "$deb"
}

# unpack DEB FILE DIR: extracts FILE (like boot/vmlinuz-X), and only it, into
# DIR and checks it against the md5 in the package's own md5sums; prints the
# md5. DIR is unpacked once per .deb (the files keep the package's dates).
unpack() {
	deb=$1 file=$2 dir=$3
	[ "$dir/.unpacked" -nt "$deb" ] || {
		rm -rf "$dir" && mkdir -p "$dir"
		dpkg-deb --fsys-tarfile "$deb" | tar -xf - -C "$dir" "./$file" ||
			die "cannot extract $file from $deb"
		touch "$dir/.unpacked"
	}
	want=$(dpkg-deb -I "$deb" md5sums | awk -v f="$file" '$2 == f { print $1 }')
	got=$(md5sum <"$dir/$file" | cut -d ' ' -f 1)
	[ -n "$want" ] || die "$file is not in the md5sums of $deb"
	[ "$want" = "$got" ] || { rm -f "$dir/.unpacked"; die "MD5 MISMATCH: $file from $deb is $got," \
		"the package says $want (rm -r build/linux to download again)"; }
	echo "$got"
}

# Fetches, checks and installs the kernel and builds the initramfs.
prepare() {
	mkdir -p "$WORK/pkgs" "$GUESTS"
	if ! ls /var/lib/apt/lists/*_Packages* >/dev/null 2>&1; then
		[ "$(id -u)" = 0 ] || die "apt lists are empty: run sudo apt-get update"
		apt-get update -q >&2 || die "apt-get update failed"
	fi
	pkg=$(apt-cache depends linux-image-amd64 | sed -n 's/^ *Depends: \(linux-image-[^ ]*\).*/\1/p' | head -n 1)
	[ -n "$pkg" ] || die "no linux-image-* dependency in apt-cache depends linux-image-amd64"
	kdeb=$(fetch "$pkg") && bdeb=$(fetch busybox-static) || exit 1
	ver=$(dpkg-deb -f "$kdeb" Version)
	vmlinuz=$(dpkg-deb -I "$kdeb" md5sums | awk '$2 ~ /^boot\/vmlinuz-/ { print $2 }')
	[ -n "$vmlinuz" ] || die "no boot/vmlinuz-* in $kdeb"
	md5=$(unpack "$kdeb" "$vmlinuz" "$WORK/kernel") || exit 1
	unpack "$bdeb" bin/busybox "$WORK/busybox" >/dev/null || exit 1
	cmp -s "$WORK/kernel/$vmlinuz" "$GUESTS/vmlinuz" || cp "$WORK/kernel/$vmlinuz" "$GUESTS/vmlinuz"
	# grub-invaders: a Multiboot kernel of someone else's, loaded by its
	# header's address fields (the a.out kludge), for tests/linux/e2e/invaders
	ideb=$(fetch grub-invaders) && unpack "$ideb" boot/invaders.exec "$WORK/invaders" >/dev/null || exit 1
	cmp -s "$WORK/invaders/boot/invaders.exec" "$GUESTS/invaders.exec" ||
		cp "$WORK/invaders/boot/invaders.exec" "$GUESTS/invaders.exec"
	if ! [ "$GUESTS/initrd.gz" -nt "$ROOT/tests/linux/init" ] ||
		! [ "$GUESTS/initrd.gz" -nt "$ROOT/tests/linux.sh" ] ||
		! [ "$GUESTS/initrd.gz" -nt "$WORK/busybox/.unpacked" ]; then
		root=$WORK/initrd
		rm -rf "$root" && mkdir -p "$root/bin" "$root/proc" "$root/dev" "$root/sys"
		install -m 755 "$ROOT/tests/linux/init" "$root/init"
		install -m 755 "$WORK/busybox/bin/busybox" "$root/bin/busybox"
		mkdir -p "$root/etc"   # one-byte files /init writes to and compares with CMOS (hv_reboot)
		printf '\100' >"$root/etc/cmos-index" && printf '\001' >"$root/etc/cmos-one"
		# Built aside and moved in whole: a failed cpio (not yet installed)
		# must not leave an empty initrd.gz newer than its sources.
		(set -o pipefail
		 (cd "$root" && find . -mindepth 1 | sort | cpio -o -H newc -R 0:0 --reproducible --quiet) |
			gzip -9n >"$GUESTS/initrd.gz.new") &&
			mv "$GUESTS/initrd.gz.new" "$GUESTS/initrd.gz" || {
			rm -f "$GUESTS/initrd.gz.new"; die "building initrd.gz failed (is cpio installed?)"; }
	fi
	printf 'package %s\nversion %s\nmd5 %s\n' "$pkg" "$ver" "$md5" >"$WORK/kernel.txt"
	echo "linux: Debian $pkg $ver, vmlinuz md5 $md5 (matches the package)"
}

# Boots the guest on bare QEMU and prints the seconds to each marker.
bare() {
	prepare || exit 1
	mkdir -p "$OUT"
	serial=$OUT/linux-bare.serial stamps=$OUT/linux-bare.stamps
	$STAMP "$stamps" --until "$MARK2" --until "System halted" --until "Kernel panic" --until "Oops:" -- \
		timeout -k 5 120 qemu-system-x86_64 -machine q35,accel=tcg -cpu "$CPU_MODEL" -m 512M -smp 1 \
		-kernel "$GUESTS/vmlinuz" -initrd "$GUESTS/initrd.gz" -append "$APPEND" \
		-display none -serial stdio -monitor none -no-reboot -net none -nodefaults \
		>"$serial" 2>"$OUT/linux-bare.err"   # err: "terminating on signal 15"
	rc=$?
	t1=$(first_seen "$stamps" "$MARK1") && t2=$(first_seen "$stamps" "$MARK2") || {
		cat "$OUT/linux-bare.err" >&2
		die "bare: the guest did not print both markers (exit $rc), see ${serial#"$ROOT"/}"
	}
	printf 'linux-bare: first marker %.2f s, second marker %.2f s\n' "$t1" "$t2"
	BARE_T1=$t1
}

# hv_esp NAME [SED]: $OUT/linux-NAME-esp with hv.efi, the kernel, the
# initramfs and linux-alone's hv.cfg (without its hv_clock=1 and
# hv_reboot=1, and edited by the sed script SED), and a fresh variable
# store $OUT/linux-NAME-vars.fd; prints the ESP's path.
hv_esp() {
	. "$ROOT/tests/qemu_cmd.sh"
	esp=$OUT/linux-$1-esp
	rm -rf "$esp" && mkdir -p "$esp/EFI/BOOT"
	cp "$ROOT/build/hv.efi" "$esp/EFI/BOOT/BOOTX64.EFI"
	cp "$GUESTS/vmlinuz" "$GUESTS/initrd.gz" "$esp/EFI/BOOT/"
	sed -e 's/ hv_clock=1 hv_reboot=1//' -e "${2:-}" "$ROOT/tests/linux/e2e/linux-alone/hv.cfg" >"$esp/EFI/BOOT/hv.cfg"
	cp "$OVMF_VARS" "$OUT/linux-$1-vars.fd"
	echo "$esp"
}

# Boots linux-alone under the hypervisor on QEMU (AMD-V), the same machine
# as bare, and prints the seconds to the first marker from QEMU's start and
# from the guest's creation, and their ratio to bare's.
under_hv() {
	. "$ROOT/tests/qemu_cmd.sh"
	esp=$(hv_esp time) serial=$OUT/linux-hv.serial stamps=$OUT/linux-hv.stamps
	# shellcheck disable=SC2046
	$STAMP "$stamps" --until "$MARK2" --until "Kernel panic" -- \
		$(QEMU_MEM=512M QEMU_ICOUNT='' qemu_cmd "$esp" "$OUT/linux-time-vars.fd" "$CPU_MODEL") \
		-serial stdio >"$serial" 2>"$OUT/linux-hv.err"
	t0=$(first_seen "$stamps" "guest 'linux': 192 MiB at host") && t1=$(first_seen "$stamps" "$MARK1") ||
		die "time: the guest did not reach its first marker under the hypervisor, see ${serial#"$ROOT"/}"
	awk -v t0="$t0" -v t1="$t1" -v b="$BARE_T1" 'BEGIN {
		printf "linux-hv: first marker %.2f s from QEMU'"'"'s start, %.2f s from the guest'"'"'s creation\n", t1, t1 - t0
		printf "linux: under the hypervisor / bare QEMU = %.2f (from creation), %.2f (from start)\n", (t1 - t0) / b, t1 / b }'
}

# Console input: the kernel is told hv_input=1, so /init asks for a line;
# once it does, a line is typed on QEMU's serial port (the hypervisor's
# console), which the hypervisor hands to the guest's COM1.
input() {
	prepare || exit 1
	. "$ROOT/tests/qemu_cmd.sh"
	esp=$(hv_esp input 's/nokaslr"/nokaslr hv_input=1"/') serial=$OUT/linux-input.serial
	line="typed on the hv console"
	: >"$serial"
	# shellcheck disable=SC2046
	{
		wait_for "$serial" "linux-guest: type a line" 120
		printf '%s\r' "$line"
		wait_for "$serial" "hv: power off" 120   # stdin stays open until then
	} | $(QEMU_MEM=512M QEMU_ICOUNT='' qemu_cmd "$esp" "$OUT/linux-input-vars.fd" "$CPU_MODEL") \
		-serial stdio >"$serial" 2>"$OUT/linux-input.err"
	if grep -aq "linux-guest: read '$line'" "$serial" && grep -aq "powered off (ACPI S5)" "$serial"; then
		echo "PASS svm/linux-input: a line typed on the hypervisor's console reached the guest's shell"
	else
		echo "FAIL svm/linux-input: serial log in ${serial#"$ROOT"/}"
		return 1
	fi
}

# "SUITE: P passed, F failed" of a suite's output: prints "P F".
counts() {
	sed -n 's/^[a-z]*: \([0-9]*\) passed, \([0-9]*\) failed$/\1 \2/p' | tail -n 1
}

# The scenarios on both backends, then the timing as one more check.
suite() {
	prepare || exit 1
	p=0 f=0
	for s in svm vmx; do
		read -r sp sf < <("$ROOT/tests/$s.sh" "$ROOT"/tests/linux/e2e/* | tee >(cat >&2) | counts)
		p=$((p + ${sp:-0})) f=$((f + ${sf:-1}))
	done
	if input; then p=$((p + 1)); else f=$((f + 1)); fi
	if (bare && under_hv); then p=$((p + 1)); else f=$((f + 1)); fi
	echo "linux: $p passed, $f failed"
	[ "$f" = 0 ]
}

[ "${BASH_SOURCE[0]}" = "$0" ] || return 0
case "${1:-}" in
prepare) prepare ;;
bare) bare ;;
time) bare && under_hv ;;
input) input ;;
test) suite ;;
*) echo "usage: $0 prepare | bare | time | input | test" >&2 && exit 2 ;;
esac
