#!/bin/sh
# Installs the Debian packages that building, running and testing need.
# As root it runs apt-get itself; otherwise it prints the exact line to run.
PKGS="gcc make binutils nasm gnu-efi ovmf qemu-system-x86 bochs bochs-term
bochsbios vgabios grub-pc-bin grub-common xorriso mtools lcov gdb python3
clang libclang-rt-14-dev gdisk cpio"

installed() {
	dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"
}

if ! command -v dpkg-query >/dev/null 2>&1; then
	echo "deps: not a Debian system; install the equivalents of:" $PKGS
	exit 0
fi
missing=""
for p in $PKGS; do
	installed "$p" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
echo "deps: installing:$missing"
if [ "$(id -u)" = 0 ]; then
	apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q$missing
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
	sudo apt-get update -q && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -q$missing
else
	echo "deps: missing packages. Run:"
	echo "  sudo apt-get install$missing"
	exit 1
fi
