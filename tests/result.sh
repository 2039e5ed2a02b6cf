# Shared by the host-side suites (sourced): count and print one result.
passed=0 failed=0

# result OK TEXT [DETAILS]: OK is an exit status; DETAILS print on failure.
result() {
	if [ "$1" = 0 ]; then
		passed=$((passed + 1))
		echo "ok: $2"
	else
		failed=$((failed + 1))
		echo "FAILED: $2"
		[ -n "${3:-}" ] && echo "$3" | sed 's/^/    /'
	fi
	return 0
}
