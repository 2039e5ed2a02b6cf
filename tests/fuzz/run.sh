#!/bin/bash
# make fuzz-host: runs each libFuzzer target for SECONDS, keeping its
# corpus in build/fuzz/corpus-NAME; a crash leaves its input in build/fuzz/
# (turn it into a unit test). Usage: tests/fuzz/run.sh SECONDS TARGET...
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
secs=$1
shift
rc=0

# seeds TARGET: real inputs to start from (read only).
seeds() {
	d=$ROOT/build/fuzz/seeds-$1
	rm -rf "$d" && mkdir -p "$d"
	case $1 in
	config) cp "$ROOT/guests/hv.cfg" "$d/demo.cfg"
		for c in "$ROOT"/tests/e2e/*/hv.cfg; do cp "$c" "$d/$(basename "$(dirname "$c")").cfg"; done ;;
	loader) cp "$ROOT"/build/guests/*.stripped.elf "$ROOT"/build/guests/mb*kernel.elf "$ROOT"/build/guests/*.bin "$d/" 2>/dev/null
		# the first 64 KiB of Debian's kernel, when tests/linux.sh has fetched it: a real setup header
		[ -f "$ROOT/build/guests/vmlinuz" ] && head -c 65536 "$ROOT/build/guests/vmlinuz" >"$d/vmlinuz-head" ;;
	esac
	echo "$d"
}

for t in "$@"; do
	corpus=$ROOT/build/fuzz/corpus-$t
	mkdir -p "$corpus"
	if "$ROOT/build/fuzz/$t" -max_total_time="$secs" -print_final_stats=1 \
		-artifact_prefix="$ROOT/build/fuzz/crash-$t-" "$corpus" "$(seeds "$t")" >"$ROOT/build/fuzz/$t.log" 2>&1; then
		runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$ROOT/build/fuzz/$t.log")
		echo "fuzz-host $t: clean, $runs inputs in ${secs}s, corpus $(ls "$corpus" | wc -l)"
	else
		echo "fuzz-host $t: FAILED, see build/fuzz/$t.log and build/fuzz/crash-$t-*"
		rc=1
	fi
done
exit $rc
