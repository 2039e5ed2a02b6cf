#!/bin/bash
# The source tree's own rules, checked without running anything:
#   - every header of the hypervisor compiles on its own (it includes what
#     it uses), with the hypervisor's flags;
#   - no file includes from a folder above its own (core/README.md lists
#     the folders bottom-up; a folder may use itself and those below it).
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
. tests/result.sh

make -s build/gen/compat_tables.c >/dev/null || exit 1
CFLAGS=$(make -s print-KCFLAGS)

# header_alone HEADER: compiles a file holding only its #include.
header_alone() {
	echo "#include \"$1\"" | gcc $CFLAGS -Ibuild/gen -fsyntax-only -x c - 2>&1
}

bad=""
for h in $(git ls-files 'core/*.h' 'mm/*.h' 'hypercall/*.h' 'compat/*.h' 'sched/*.h'); do
	out=$(header_alone "$h") || bad+="$h: $out"$'\n'
done
result "$([ -z "$bad" ]; echo $?)" "every header compiles on its own" "$bad"

echo "tree: $passed passed, $failed failed"
[ "$failed" = 0 ]
