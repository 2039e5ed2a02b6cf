# Shared by the emulator suites (sourced, not run).
#
# A scenario is a folder tests/e2e/NAME holding:
#   expect   what the serial console must show: one text per line, matched
#            in order as substrings (the next search starts on the line of
#            the previous match); "!text" must appear nowhere; "status N"
#            is the power-off status; '#' lines are comments; a line
#            "unordered" makes the texts after it match anywhere (guests
#            running at once interleave their lines)
#   hv.cfg   optional configuration (beside hv.efi, or GRUB module "hv.cfg")
#   files/   optional files: beside hv.efi, or GRUB modules under their names
#   check    optional executable: check SERIAL prints what is wrong and
#            exits non-zero (numbers the expect file cannot judge)
#   env      optional shell variables: DOORS ("svm vmx"), QEMU_CPU (max;
#            a list such as "max EPYC" runs the scenario on each model),
#            BOCHS_CPU (corei7_skylake_x; a list too), CMDLINE (GRUB command line words),
#            GUESTS (file names of built guests in build/guests to ship,
#            like "hello.elf realmode.bin"), FILES (committed files to ship,
#            relative to the repository, like "guests/golden/abi-v1.elf"),
#            QEMU_MEM (256M), QEMU_ICOUNT (shift=7,sleep=off; "" for none),
#            BOCHS_MEM (128, in MiB), QEMU_SMP and BOCHS_CPUS (1: the
#            machine's CPUs under each emulator), QEMU_TIMEOUT (seconds
#            QEMU may run: 120, or what the caller's environment says),
#            BOCHS_TIMEOUT (the same for Bochs: 300, or the caller's)

ROOT=$(cd "$(dirname "$0")/.." && pwd)
QEMU_TIMEOUT_DEFAULT=${QEMU_TIMEOUT:-120}
BOCHS_TIMEOUT_DEFAULT=${BOCHS_TIMEOUT:-300}
OUT=$ROOT/build/test-out
mkdir -p "$OUT"

# Serial output without terminal escapes or carriage returns.
clean_serial() {
	sed -e 's/\x1b\[[0-9;?=]*[a-zA-Z]//g' -e 's/\r//g' "$1"
}

# Reads a scenario's env file into the variables above.
load_env() {
	DOORS="svm vmx" QEMU_CPU=max BOCHS_CPU=corei7_skylake_x CMDLINE="" GUESTS="" FILES=""
	export QEMU_MEM=256M QEMU_ICOUNT=shift=7,sleep=off BOCHS_MEM=128 QEMU_SMP=1 BOCHS_CPUS=1 \
		QEMU_TIMEOUT=$QEMU_TIMEOUT_DEFAULT BOCHS_TIMEOUT=$BOCHS_TIMEOUT_DEFAULT
	[ -f "$1/env" ] && . "$1/env"
	return 0
}

# The files a scenario ships beside hv.efi or as GRUB modules.
scenario_files() {
	[ -d "$1/files" ] && ls -d "$1"/files/*
	for g in $GUESTS; do echo "$ROOT/build/guests/$g"; done
	for f in $FILES; do echo "$ROOT/$f"; done
}

# check_expect SERIAL EXPECT STATUS: prints what is wrong; 0 when all holds.
# STATUS is the power-off status the harness observed ("" if unknown).
check_expect() {
	[ -f "$2" ] || { echo "    no such scenario: ${2%/expect} has no expect file"; return 1; }
	log=$(mktemp)
	clean_serial "$1" >"$log"
	bad=0
	line=0
	ordered=1
	while IFS= read -r want || [ -n "$want" ]; do
		case "$want" in
		"" | "#"*) continue ;;
		unordered)
			ordered=0
			line=0
			;;
		"status "*)
			if [ "$3" != "${want#status }" ]; then
				echo "    power-off status ${3:-none}, expected ${want#status }"
				bad=1
			fi
			;;
		"!"*)
			if grep -qF -- "${want#!}" "$log"; then
				echo "    found what must not appear: ${want#!}"
				bad=1
			fi
			;;
		*)
			hit=$(tail -n +$((line > 0 ? line : 1)) "$log" | grep -nF -m1 -- "$want" | cut -d: -f1)
			if [ -z "$hit" ]; then
				echo "    missing (after line $line): $want"
				bad=1
			elif [ $ordered = 1 ]; then
				line=$((line > 0 ? line + hit - 1 : hit))
			fi
			;;
		esac
	done <"$2"
	rm -f "$log"
	return $bad
}

# The status from "hv: power off (status N)", or "" if there is none.
serial_status() {
	clean_serial "$1" | sed -n 's/.*hv: power off (status \([0-9]*\)).*/\1/p' | tail -n 1
}

PASSED=0
FAILED=0

# report NAME OK SECONDS SERIAL
report() {
	if [ "$2" = 0 ]; then
		PASSED=$((PASSED + 1))
		echo "PASS $1 (${3}s)"
	else
		FAILED=$((FAILED + 1))
		echo "FAIL $1 (${3}s): serial log in ${4#$ROOT/}"
		cat "$OUT/$(echo "$1" | tr / -).why"
	fi
}

# run_suite DOOR FUNCTION MODELS_VAR [NAME...]: runs FUNCTION for every
# scenario of DOOR, once per CPU model listed in the scenario's MODELS_VAR
# (QEMU_CPU or BOCHS_CPU), with CPU set to the model. A scenario run on
# several models reports each as NAME@MODEL.
run_suite() {
	door=$1 fn=$2 models_var=$3
	shift 3
	names=${*:-$(ls "$ROOT/tests/e2e")}
	for name in $names; do
		dir=$ROOT/tests/e2e/$name
		case $name in /*) dir=$name name=$(basename "$name") ;; esac
		load_env "$dir"
		case " $DOORS " in *" $door "*) ;; *) continue ;; esac
		models=${!models_var}
		for CPU in $models; do
			label=$name
			[ "$models" != "$CPU" ] && label=$name@$CPU
			start=$(date +%s)
			serial=$OUT/$door-$label.serial
			$fn "$dir" "$serial"
			status=$RUN_STATUS
			check_expect "$serial" "$dir/expect" "$status" >"$OUT/$door-$label.why"
			ok=$?
			if [ -x "$dir/check" ]; then
				"$dir/check" "$serial" >>"$OUT/$door-$label.why" || ok=1
			fi
			report "$door/$label" $ok $(($(date +%s) - start)) "$serial"
		done
	done
	echo "$door: $PASSED passed, $FAILED failed"
	[ $FAILED = 0 ]
}
