#!/usr/bin/env python3
"""Cuts an instruction trace of the hypervisor into trips, from the
instruction after a VM entry to the next VM entry, and prints the cheapest
trip of each kind (the exit handler's name) with its instructions by
function. Two traces are read:
  trips.py TRACE SO BASE           QEMU -singlestep -d exec,nochain of hv.efi
                                   (AMD-V; only hv.efi's instructions, by -dfilter)
  trips.py --bochs TRACE ELF 0     Bochs' debugger "trace on" of hv.elf (VT-x;
                                   guest instructions too, left out here)"""
import bisect, collections, re, subprocess, sys

bochs = sys.argv[1] == "--bochs"
args = sys.argv[2:] if bochs else sys.argv[1:]
trace, so, base = args[0], args[1], int(args[2])
syms = []
for line in subprocess.run(["nm", "-n", so], capture_output=True, text=True).stdout.splitlines():
    p = line.split()
    if len(p) == 3 and p[1] in "tTwW":
        syms.append((int(p[0], 16) + base, p[2]))
addrs = [a for a, _ in syms]

def func(pc):
    i = bisect.bisect_right(addrs, pc) - 1
    return syms[i][1] if i >= 0 else hex(pc)

entries = set()   # the VM entry instructions
for line in subprocess.run(["objdump", "-d", so], capture_output=True, text=True).stdout.splitlines():
    if re.search(r"\t(vmrun|vmresume|vmlaunch)\b", line):
        entries.add(int(line.split(":")[0], 16) + base)
if not entries:
    sys.exit("no VM entry instruction in " + so)


def qemu_pcs():
    """One executed instruction per line (-singlestep), hv.efi's only."""
    for line in open(trace, errors="replace"):
        m = re.match(r"Trace \d+: \S+ \[[0-9a-f]+/([0-9a-f]+)/", line)
        if m:
            yield int(m.group(1), 16)


def bochs_pcs():
    """The host's instructions: from the exit's landing (HOST_RIP) to the
    next entry; the guest's between are left out."""
    exit_entry = [a for a, n in syms if n == "vmx_exit_entry"][0]
    host = True
    for line in open(trace, errors="replace"):
        m = re.match(r"\(\d+\)\.\[\d+\] \[0x[0-9a-f]+\] [0-9a-f]{4}:([0-9a-f]+) ", line)
        if not m:
            continue
        pc = int(m.group(1), 16)
        host = host or pc == exit_entry
        if host:
            yield pc
        host = host and pc not in entries


seq = bochs_pcs() if bochs else qemu_pcs()
run_fn = "vmx_run" if bochs else "svm_run"
KINDS = ["guest_start", "compat_dispatch", "gwalk_read", "exit_cpuid", "exit_io", "exit_hlt", "exit_msr_read",
         "exit_msr_write", "vmmio_exit", "sched_ran", "exit_nothing"]
best = {}
n_of = collections.Counter()
trip = None
boot = collections.Counter()
for pc in seq:
    if trip is None and pc not in entries:
        boot[func(pc)] += 1
    if trip is not None:
        trip.append(pc)
    if pc in entries:
        if trip:
            names = {func(p) for p in trip}
            kind = " + ".join(k for k in KINDS if k in names) or (
                "short way" if run_fn not in names else "other")
            n_of[kind] += 1
            if kind not in best or len(trip) < len(best[kind]):
                best[kind] = trip
        trip = []
print("before the first VM entry: %d instructions" % sum(boot.values()))
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
