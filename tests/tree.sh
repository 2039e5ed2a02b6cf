#!/bin/bash
# The source tree's own rules, checked without running anything:
#   - every header of the hypervisor compiles on its own (it includes what
#     it uses), with the hypervisor's flags;
#   - no file includes from a folder above its own (core/README.md lists
#     the folders bottom-up; a folder may use itself and those below it);
#   - the host fuzz targets build.
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

# The folders bottom-up (core/README.md); folders on one line are side by
# side: neither may include the other. Programs built from these files
# (guests/, tests/, sched/sim/) stand above them all and are not checked.
ROOMS='core/lib
sched
core/config
core/console
core/hw
mm
core/smp
core/insn
core/vm
core/irq
core/dev
hypercall
compat
core/exit
core/load
core/vmx core/svm
core/guest
core
boot'

# Every include in the hypervisor's sources that reaches a folder above (or
# beside) the including file's own: "file: includes header (room > room)".
upward=$(git ls-files 'core/*' 'mm/*' 'hypercall/*' 'compat/*.[ch]' 'sched/*' 'boot/*' |
	grep -v '^sched/sim/' | grep -E '\.(c|h|asm|inc)$' | ROOMS="$ROOMS" python3 -c '
import os, re, sys
rank = {}
for level, line in enumerate(os.environ["ROOMS"].splitlines()):
    for room in line.split():
        rank[room] = level
def room(path):
    if path == "abi_gen.h":               # generated into build/gen by compat/abigen.py
        return "compat"
    best = max((r for r in rank if path.startswith(r + "/")), key=len, default=None)
    return best
for f in sys.stdin.read().split():
    mine = room(f)
    for inc in re.findall(r"^\s*[#%]include\s+\"([^\"]+)\"", open(f).read(), re.M):
        theirs = room(inc)
        if theirs is None:
            print("%s: includes %s, in no folder of the list" % (f, inc))
        elif theirs != mine and rank[theirs] >= rank[mine]:
            print("%s: includes %s (%s is not below %s)" % (f, inc, theirs, mine))
')
result "$([ -z "$upward" ]; echo $?)" "no file includes from a folder above (or beside) its own" "$upward"

# The host fuzz targets (make fuzz-host) still build against today's code.
out=$(make -s $(make -s print-FUZZ_TARGETS | sed 's|[^ ]*|build/fuzz/&|g') 2>&1)
result $? "every fuzz target builds (make fuzz-host)" "$(echo "$out" | grep -E "error|undefined" | head -n 5)"

echo "tree: $passed passed, $failed failed"
[ "$failed" = 0 ]
