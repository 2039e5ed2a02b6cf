#!/bin/bash
# The frozen guest interface (docs/abi/compatibility.md).
#   tests/abi.sh lock   the lock check and its self-test (no emulator)
#   tests/abi.sh        that, then the golden guests and the ABI scenarios
#                       on both backends (make test-abi)
# make test runs "lock" here; the scenarios run in the svm and vmx suites.
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
SCENARIOS="abi-golden abi-mix abi-newer guest-user"
. "$ROOT/tests/result.sh"

# A copy of what the lock covers, to break on purpose.
sandbox() {
	rm -rf "$SB" && mkdir -p "$SB/compat" "$SB/docs" "$SB/guests"
	cp "$ROOT/compat/abigen.py" "$SB/compat/"
	cp -r "$ROOT/compat/abi" "$SB/compat/"
	cp -r "$ROOT/docs/abi" "$SB/docs/"
	cp -r "$ROOT/guests/golden" "$SB/guests/"
}

flip_byte() {   # flip_byte FILE: changes the byte in the middle of FILE
	size=$(stat -c %s "$1")
	off=$((size / 2))
	byte=$(od -An -tu1 -j "$off" -N1 "$1" | tr -d ' ')
	printf "$(printf '\\%03o' $(((byte + 1) % 256)))" |
		dd of="$1" bs=1 seek="$off" conv=notrunc status=none
}

# expect_failure WHAT NEEDLE...: the check must fail and name every needle.
expect_failure() {
	what=$1
	shift
	out=$(python3 "$SB/compat/abigen.py" check 2>&1)
	rc=$?
	ok=1
	[ $rc != 0 ] && echo "$out" | grep -q "^FAILED" && ok=0
	for needle in "$@"; do echo "$out" | grep "^FAILED" | grep -qF -- "$needle" || ok=1; done
	result $ok "lock self-test: $what fails the check, naming $*"
	[ $ok = 0 ] || echo "$out" | grep "^FAILED" | sed 's/^/    /'
}

# table_row N: version N's row of the generated decode table in the sandbox.
table_row() {
	sed -n "/^\t\[$1 - ABI_OLDEST\] = {/,/^\t},/p" "$SB/gen/t.c"
}

lock_selftest() {
	SB=$(mktemp -d)
	sandbox
	python3 "$SB/compat/abigen.py" check >/dev/null 2>&1
	result $? "lock self-test: an untouched copy passes"
	released=$(sed -n 's/^v\([0-9]*\) .*abi$/\1/p' "$ROOT/compat/abi/LOCK")
	newest=$(echo "$released" | tail -n 1)
	next=$((newest + 1))
	for n in $released; do
		sandbox
		flip_byte "$SB/compat/abi/v$n.abi"
		expect_failure "one byte of v$n's definition" "v$n" "compat/abi/v$n.abi"
		sandbox
		flip_byte "$SB/compat/abi/hv_v$n.h"
		expect_failure "one byte of v$n's header" "v$n" "compat/abi/hv_v$n.h"
		sandbox
		flip_byte "$SB/guests/golden/abi-v$n.elf"
		expect_failure "one byte of v$n's golden guest" "v$n" "guests/golden/abi-v$n.elf"
	done
	sandbox
	flip_byte "$SB/compat/abi/hv_v2.h"
	out=$(python3 "$SB/compat/abigen.py" gen "$SB/gen/t.c" 2>&1)
	rc=$?
	[ $rc != 0 ] && echo "$out" | grep -qF "v2" && echo "$out" | grep -qF "compat/abi/hv_v2.h" && ! cmp -s \
		"$SB/compat/abi/hv_v2.h" "$ROOT/compat/abi/hv_v2.h"
	result $? "lock self-test: the build refuses an edited v2 header, naming it, and leaves it as found"
	sandbox
	rm "$SB/compat/abi/v1.abi"
	expect_failure "removing released v1" "v1" "never removed"
	sandbox
	sed -e "s/^abi $newest\$/abi $next/" -e 's/^status released$/status draft/' \
		"$SB/compat/abi/v$newest.abi" >"$SB/compat/abi/v$next.abi"
	python3 "$SB/compat/abigen.py" gen "$SB/gen/t.c" >/dev/null 2>&1 &&
		python3 "$SB/compat/abigen.py" check >/dev/null 2>&1
	result $? "lock self-test: a new draft v$next is not locked and passes"
	sed -i 's/^status draft$/status released/' "$SB/compat/abi/v$next.abi"
	python3 "$SB/compat/abigen.py" gen "$SB/gen/t.c" >/dev/null 2>&1
	expect_failure "releasing v$next without locking it" "v$next is released but"
	# the generated table: a call kept unchanged is served by the decoder of
	# the version that defined it; changing what it depends on makes it new
	sed -i 's/^status released$/status draft/' "$SB/compat/abi/v$next.abi"
	python3 "$SB/compat/abigen.py" gen "$SB/gen/t.c" >/dev/null 2>&1
	row=$(table_row "$next")
	echo "$row" | grep -q "= v" && ! echo "$row" | grep -q "= v$next"
	result $? "decode table: a draft v$next identical to v$newest has no decoder of its own"
	sed -i 's/^const CONSOLE_MAX 4096/const CONSOLE_MAX 2048/' "$SB/compat/abi/v$next.abi"
	python3 "$SB/compat/abigen.py" gen "$SB/gen/t.c" >/dev/null 2>&1
	calls=$(table_row "$next" | grep -o "= v${next}_[a-z_]*" | tr '\n' ' ')
	[ "$calls" = "= v${next}_console_write " ] && grep -q "v${next}_console_write(struct vcpu" "$SB/gen/abi_gen.h"
	result $? "decode table: changing CONSOLE_MAX in v$next gives console_write, and nothing else, a new decoder ($calls)"
	sed -i 's/^error -3 EFAULT/error -9 EFAULT/' "$SB/compat/abi/v$next.abi"
	python3 "$SB/compat/abigen.py" gen "$SB/gen/t.c" >/dev/null 2>&1
	n=$(table_row "$next" | grep -c "= v$next")
	[ "$n" -gt 0 ] && [ "$n" = "$(table_row "$next" | grep -c "= v")" ]
	result $? "decode table: changing an error's value in v$next gives every call a new decoder"
	rm -rf "$SB"
}

python3 "$ROOT/compat/abigen.py" check | tee /tmp/abi-check.$$ | grep -v "^abi-lock:"
passed=$(sed -n 's/^abi-lock: \([0-9]*\) passed.*/\1/p' /tmp/abi-check.$$)
failed=$(sed -n 's/.* \([0-9]*\) failed$/\1/p' /tmp/abi-check.$$)
rm -f /tmp/abi-check.$$
lock_selftest
if [ "${1:-}" != lock ]; then
	for suite in svm vmx; do
		out=$("$ROOT/tests/$suite.sh" $SCENARIOS 2>&1)
		echo "$out" | grep -v "^$suite: "
		p=$(echo "$out" | sed -n "s/^$suite: \([0-9]*\) passed.*/\1/p")
		f=$(echo "$out" | sed -n "s/^$suite: .* \([0-9]*\) failed$/\1/p")
		passed=$((passed + ${p:-0})) failed=$((failed + ${f:-1}))
	done
fi
echo "abi: $passed passed, $failed failed"
[ "$failed" = 0 ]
