#!/usr/bin/env python3
"""Cuts a QEMU -singlestep -d exec,nochain trace of hv.efi into trips, from the
instruction after a VMRUN to the next VMRUN, and prints the cheapest trip
of each kind (the exit handler's name) with its instructions by function.
  trips.py TRACE SO BASE"""
import bisect, collections, re, subprocess, sys

trace, so, base = sys.argv[1], sys.argv[2], int(sys.argv[3])
syms = []
for line in subprocess.run(["nm", "-n", so], capture_output=True, text=True).stdout.splitlines():
    p = line.split()
    if len(p) == 3 and p[1] in "tTwW":
        syms.append((int(p[0], 16) + base, p[2]))
addrs = [a for a, _ in syms]

def func(pc):
    i = bisect.bisect_right(addrs, pc) - 1
    return syms[i][1] if i >= 0 else hex(pc)

vmrun = None
for line in subprocess.run(["objdump", "-d", so], capture_output=True, text=True).stdout.splitlines():
    if "\tvmrun" in line:
        vmrun = int(line.split(":")[0], 16) + base
seq = []   # one executed instruction per line (-singlestep)
for line in open(trace, errors="replace"):
    m = re.match(r"Trace \d+: \S+ \[[0-9a-f]+/([0-9a-f]+)/", line)
    if m:
        seq.append(int(m.group(1), 16))
if vmrun is None:
    sys.exit("no VMRUN in hv.efi")
KINDS = ["guest_start", "compat_dispatch", "gwalk_read", "exit_cpuid", "exit_io", "exit_hlt", "exit_msr_read",
         "exit_msr_write", "vmmio_exit", "sched_next", "exit_nothing"]
best = {}
n_of = collections.Counter()
trip = None
boot = collections.Counter()
for pc in seq:
    if trip is None and pc != vmrun:
        boot[func(pc)] += 1
    if trip is not None:
        trip.append(pc)
    if pc == vmrun:
        if trip:
            names = {func(p) for p in trip}
            kind = " + ".join(k for k in KINDS if k in names) or (
                "short way" if "svm_run" not in names else "other")
            n_of[kind] += 1
            if kind not in best or len(trip) < len(best[kind]):
                best[kind] = trip
        trip = []
print("before the first VMRUN: %d instructions in hv.efi" % sum(boot.values()))
for name, n in boot.most_common(25):
    print("  %8d %s" % (n, name))
for kind, t in sorted(best.items(), key=lambda kv: len(kv[1])):
    print("%s: %d trips, the cheapest %d instructions" % (kind, n_of[kind], len(t) - 1))
    for name, n in collections.Counter(func(p) for p in t[:-1]).most_common():
        print("  %5d %s" % (n, name))

# PROF_LINES=KIND: that kind's cheapest trip by source line, in order.
import os
want = os.environ.get("PROF_LINES")
if want and want in best:
    t = best[want][:-1]
    out = subprocess.run(["addr2line", "-e", so] + ["%x" % (p - base) for p in t],
                         capture_output=True, text=True).stdout.split()
    runs = []
    for loc in out:
        loc = loc.replace(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))) + "/", "")
        if runs and runs[-1][0] == loc:
            runs[-1][1] += 1
        else:
            runs.append([loc, 1])
    for loc, n in runs:
        print("  %3d %s" % (n, loc))
