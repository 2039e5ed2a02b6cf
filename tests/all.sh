#!/bin/bash
# make test: every suite, then one line with the totals. Runs all suites
# even when one fails; exits non-zero if any test failed.
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
total_p=0 total_f=0 rc=0

# Each suite's output goes on to stderr through a pipe (tee /dev/stderr
# would reopen, and truncate, a log file that stderr points to).
suite() {
	name=$1
	shift
	echo "== $name"
	out=$("$@" 2>&1 | tee >(cat >&2) | grep -E '^([a-z-]+: )?[0-9]+ passed, [0-9]+ failed' | tail -n 1)
	status=${PIPESTATUS[0]}
	p=$(echo "$out" | sed -n 's/.*\b\([0-9][0-9]*\) passed.*/\1/p')
	f=$(echo "$out" | sed -n 's/.* \([0-9][0-9]*\) failed.*/\1/p')
	if [ -z "$p" ]; then
		echo "$name: did not report a result"
		p=0 f=1
	fi
	total_p=$((total_p + p)) total_f=$((total_f + f))
	[ "$f" = 0 ] || rc=1
}

make -s all build/unit-tests build/sched-sim || { echo "0 passed, 1 failed"; exit 1; }
suite unit build/unit-tests
suite tree tests/tree.sh
suite sched tests/sched.sh
suite svm tests/svm.sh
suite vmx tests/vmx.sh
suite linux tests/linux.sh test
suite abi-lock tests/abi.sh lock
suite image tests/image.sh test
suite debug tests/debug.sh test
suite dbgcon tests/dbgcon.sh
echo "$total_p passed, $total_f failed"
exit $rc
