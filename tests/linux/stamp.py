#!/usr/bin/env python3
"""Runs a command and stamps each line of its stdout with wall-clock time.

Usage: python3 tests/linux/stamp.py STAMPS [--until TEXT]... -- CMD [ARG...]

CMD's stdout passes through unchanged to our stdout (redirect it to keep the
serial log); STAMPS gets one line per output line: "SECONDS<TAB>LINE", the
seconds since CMD was started (3 decimals), the line without "\\r\\n". Once a
line contains one of the --until texts, CMD gets SIGTERM and we exit 0;
otherwise we exit with CMD's code. CMD's stdin is /dev/null.
Ask "seconds until TEXT" with first_seen in tests/linux.sh.
"""
import os
import signal
import subprocess
import sys
import time

args = sys.argv[1:]
if len(args) < 3 or "--" not in args:
    sys.exit(__doc__)
stamps, rest = args[0], args[1:]
sep = rest.index("--")
until = [t.encode() for flag, t in zip(rest[:sep:2], rest[1:sep:2]) if flag == "--until"]
cmd = rest[sep + 1:]

start = time.monotonic()
proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE)
out = sys.stdout.buffer
stopped = False
with open(stamps, "wb") as log:
    pending = b""
    while True:
        chunk = os.read(proc.stdout.fileno(), 65536)
        now = time.monotonic() - start
        out.write(chunk)
        out.flush()
        pending += chunk
        lines = pending.split(b"\n")
        pending = lines.pop() if chunk else b""  # at EOF, stamp the tail too
        for line in filter(None, lines):
            line = line.rstrip(b"\r")
            log.write(b"%.3f\t%s\n" % (now, line))
            if not stopped and any(t in line for t in until):
                proc.send_signal(signal.SIGTERM)
                stopped = True
        log.flush()
        if not chunk:
            break
rc = proc.wait()
sys.exit(0 if stopped else rc)
