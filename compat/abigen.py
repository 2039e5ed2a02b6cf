#!/usr/bin/env python3
"""The ABI definitions' one reader. Each compat/abi/vN.abi defines one
version; from it this tool writes that version's public header
(compat/abi/hv_vN.h), its reference page (docs/abi/vN.md) and the
hypervisor's decode tables (one C file for all versions), and it checks the
lock (compat/abi/LOCK) and the golden guests (guests/golden/SHA256SUMS).

  abigen.py gen TABLES.c        write headers, pages, the tables and, beside
                                them, abi_gen.h
  abigen.py check               the lock, the generated files, the golden guests
  abigen.py lock N              record released version N in the lock
  abigen.py golden N ELF        freeze ELF as version N's golden guest

A definition is lines of words; the last field of a line is free text.
  abi N | status draft|released | summary TEXT | change TEXT
  error VALUE NAME TEXT | feature BIT NAME TEXT | const NAME VALUE TEXT
  struct NAME SIZE TEXT, then: field OFFSET TYPE NAME TEXT
  call NR NAME TEXT, then: arg REG NAME TEXT | ret REG NAME TEXT |
                           ok TEXT | err NAME TEXT
Types: u8 u16 u32 u64 i32 i64 char[N]. Argument registers: rbx rcx rdx rsi,
in that order; results: rbx rcx rdx.
"""
import hashlib
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ABI_DIR = "compat/abi"
LOCK = ABI_DIR + "/LOCK"
GOLDEN_DIR = "guests/golden"
GOLDEN_SUMS = GOLDEN_DIR + "/SHA256SUMS"
ARG_REGS = ["rbx", "rcx", "rdx", "rsi"]
RET_REGS = ["rbx", "rcx", "rdx"]
SCALARS = {"u8": (1, "uint8_t"), "u16": (2, "uint16_t"), "u32": (4, "uint32_t"),
           "u64": (8, "uint64_t"), "i32": (4, "int32_t"), "i64": (8, "int64_t")}
# Words before the free text, per keyword.
ARITY = {"abi": 1, "status": 1, "summary": 0, "change": 0, "error": 2,
         "feature": 2, "const": 2, "struct": 2, "field": 3, "call": 2,
         "arg": 2, "ret": 2, "ok": 0, "err": 1}


class AbiError(Exception):
    pass


def path_of(rel):
    return os.path.join(ROOT, rel)


def read(rel, mode="r"):
    with open(path_of(rel), mode) as f:
        return f.read()


def sha256(rel):
    return hashlib.sha256(read(rel, "rb")).hexdigest()


def header_rel(n):
    return "%s/hv_v%d.h" % (ABI_DIR, n)


def def_rel(n):
    return "%s/v%d.abi" % (ABI_DIR, n)


def doc_rel(n):
    return "docs/abi/v%d.md" % n


def golden_rel(n):
    return "%s/abi-v%d.elf" % (GOLDEN_DIR, n)


def type_size(t):
    m = re.fullmatch(r"char\[(\d+)\]", t)
    if m:
        return int(m.group(1)), 1
    if t not in SCALARS:
        raise AbiError("unknown type '%s'" % t)
    return SCALARS[t][0], SCALARS[t][0]


# ---- reading a definition

def parse(rel):
    d = {"file": rel, "errors": [], "features": [], "consts": [], "structs": [],
         "calls": [], "changes": [], "summary": ""}
    cur = None
    for no, raw in enumerate(read(rel).splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        key = line.split(None, 1)[0]
        if key not in ARITY:
            raise AbiError("%s:%d: unknown keyword '%s'" % (rel, no, key))
        parts = line.split(None, ARITY[key] + 1)[1:]
        if len(parts) < ARITY[key]:
            raise AbiError("%s:%d: '%s' needs %d words" % (rel, no, key, ARITY[key]))
        words, text = parts[:ARITY[key]], " ".join(parts[ARITY[key]:])
        try:
            cur = apply(d, cur, key, words, text)
        except (AbiError, ValueError) as e:
            raise AbiError("%s:%d: %s" % (rel, no, e))
    validate(d)
    return d


def apply(d, cur, key, w, text):
    """Adds one line to definition d; returns the struct or call being read."""
    if key == "abi":
        d["version"] = int(w[0])
    elif key == "status":
        if w[0] not in ("draft", "released"):
            raise AbiError("status is draft or released")
        d["status"] = w[0]
    elif key == "summary":
        d["summary"] = text
    elif key == "change":
        d["changes"].append(text)
    elif key == "error":
        d["errors"].append({"value": int(w[0]), "name": w[1], "text": text})
    elif key == "feature":
        d["features"].append({"bit": int(w[0]), "name": w[1], "text": text})
    elif key == "const":
        d["consts"].append({"name": w[0], "value": int(w[1], 0), "text": text})
    elif key == "struct":
        cur = {"kind": "struct", "name": w[0], "size": int(w[1]), "text": text, "fields": []}
        d["structs"].append(cur)
    elif key == "field":
        if not cur or cur["kind"] != "struct":
            raise AbiError("field outside a struct")
        cur["fields"].append({"offset": int(w[0]), "type": w[1], "name": w[2], "text": text})
    elif key == "call":
        cur = {"kind": "call", "nr": int(w[0]), "name": w[1], "text": text,
               "args": [], "rets": [], "ok": "0", "errs": []}
        d["calls"].append(cur)
    else:
        if not cur or cur["kind"] != "call":
            raise AbiError("'%s' outside a call" % key)
        if key == "ok":
            cur["ok"] = text
        elif key == "err":
            cur["errs"].append({"name": w[0], "text": text})
        else:
            cur[key + "s"].append({"reg": w[0], "name": w[1], "text": text})
    return cur


def unique(items, key, what, rel):
    seen = set()
    for it in items:
        if it[key] in seen:
            raise AbiError("%s: two %ss are %s" % (rel, what, it[key]))
        seen.add(it[key])


def validate_struct(s, rel):
    at = 0
    for f in s["fields"]:
        size, align = type_size(f["type"])
        if f["offset"] != at:
            raise AbiError("%s: struct %s: field %s at %d, expected %d (padding must be a named field)"
                           % (rel, s["name"], f["name"], f["offset"], at))
        if at % align:
            raise AbiError("%s: struct %s: field %s is misaligned" % (rel, s["name"], f["name"]))
        at += size
    if at != s["size"] or at % 8:
        raise AbiError("%s: struct %s: fields end at %d, size says %d (must be a multiple of 8)"
                       % (rel, s["name"], at, s["size"]))


def validate_call(c, d, errors):
    rel = d["file"]
    for kind, regs in (("arg", ARG_REGS), ("ret", RET_REGS)):
        got = [a["reg"] for a in c[kind + "s"]]
        if got != regs[:len(got)]:
            raise AbiError("%s: call %s: %ss must use %s in order" % (rel, c["name"], kind, regs))
    for e in c["errs"]:
        if e["name"] not in errors:
            raise AbiError("%s: call %s: unknown error %s" % (rel, c["name"], e["name"]))


def validate(d):
    rel = d["file"]
    for k in ("version", "status"):
        if k not in d:
            raise AbiError("%s: no '%s' line" % (rel, k))
    if rel != def_rel(d["version"]):
        raise AbiError("%s: defines version %d, so it must be %s" % (rel, d["version"], def_rel(d["version"])))
    for items, key, what in ((d["errors"], "name", "error"), (d["errors"], "value", "error value"),
                             (d["features"], "bit", "feature bit"), (d["consts"], "name", "constant"),
                             (d["structs"], "name", "struct"), (d["calls"], "nr", "call number"),
                             (d["calls"], "name", "call")):
        unique(items, key, what, rel)
    errors = {e["name"] for e in d["errors"]}
    for need in ("OK", "ENOSYS", "EPERM", "EVERSION"):
        if need not in errors:
            raise AbiError("%s: every version defines error %s" % (rel, need))
    for s in d["structs"]:
        validate_struct(s, rel)
    for c in d["calls"]:
        validate_call(c, d, errors)
        if not 0 <= c["nr"] < 0x10000:
            raise AbiError("%s: call %s: number out of 0..65535" % (rel, c["name"]))


def definitions():
    found = []
    for name in os.listdir(path_of(ABI_DIR)):
        m = re.fullmatch(r"v(\d+)\.abi", name)
        if m:
            found.append(parse("%s/%s" % (ABI_DIR, name)))
    found.sort(key=lambda d: d["version"])
    if not found:
        raise AbiError("no definitions in %s" % ABI_DIR)
    want = list(range(found[0]["version"], found[-1]["version"] + 1))
    if [d["version"] for d in found] != want:
        raise AbiError("versions must be consecutive: have %s" % [d["version"] for d in found])
    return found


# ---- the public header

def c_comment(text):
    return " /* %s */" % text if text else ""


def header_struct(n, s):
    out = ["/* %s */" % s["text"], "struct hv%d_%s {" % (n, s["name"])]
    for f in s["fields"]:
        m = re.fullmatch(r"char\[(\d+)\]", f["type"])
        decl = "char %s[%s]" % (f["name"], m.group(1)) if m else "%s %s" % (SCALARS[f["type"]][1], f["name"])
        out.append("\t%s;%s" % (decl, c_comment(f["text"])))
    out.append("};")
    tag = "struct hv%d_%s" % (n, s["name"])
    out.append('_Static_assert(sizeof(%s) == %d, "%s is %d bytes");' % (tag, s["size"], tag, s["size"]))
    for f in s["fields"]:
        out.append('_Static_assert(offsetof(%s, %s) == %d, "%s.%s");'
                   % (tag, f["name"], f["offset"], tag, f["name"]))
    return out + [""]


def header_wrapper(n, c):
    params = ["uint64_t %s" % a["name"] for a in c["args"]]
    params += ["uint64_t *%s" % r["name"] for r in c["rets"]]
    args = [a["name"] for a in c["args"]] + ["0"] * (4 - len(c["args"]))
    out = ["/* %s. RAX: %s. */" % (c["text"], c["ok"]),
           "static inline int64_t hv%d_%s(%s)" % (n, c["name"], ", ".join(params) or "void"),
           "{",
           "\tstruct hv%d_ret r = hv%d_call(HV%d_%s, %s);" % (n, n, n, c["name"].upper(), ", ".join(args)),
           ""]
    out += ["\t*%s = r.%s;" % (r["name"], r["reg"]) for r in c["rets"]]
    return out + ["\treturn r.status;", "}", ""]


def header_text(d):
    n = d["version"]
    g = "HV_ABI_V%d_H" % n
    out = ["/* The hypercall ABI, version %d: the public header for guests." % n,
           " * Generated from %s by compat/abigen.py: do not edit." % d["file"],
           " * %s */" % ("Released: this file never changes (compat/abi/LOCK)."
                         if d["status"] == "released" else "Draft: may change until released."),
           "#ifndef %s" % g, "#define %s" % g, "",
           "#include <stddef.h>", "#include <stdint.h>", "",
           "#define HV%d_VERSION %d" % (n, n),
           "/* EAX of a call: version << 16 | function. */",
           "#define HV%d_NR(fn) ((uint32_t)%d << 16 | (uint32_t)(fn))" % (n, n), "",
           "/* Functions */"]
    out += ["#define HV%d_%s %d" % (n, c["name"].upper(), c["nr"]) for c in d["calls"]]
    out += ["/* One past the highest function number. */",
            "#define HV%d_CALLS %d" % (n, max(c["nr"] for c in d["calls"]) + 1)]
    out += ["", "/* Status in RAX */"]
    out += ["#define HV%d_%s (%d)%s" % (n, e["name"], e["value"], c_comment(e["text"])) for e in d["errors"]]
    if d["features"]:
        out += ["", "/* Feature bits (get_version RDX, CPUID 0x40000001 ECX) */"]
        out += ["#define HV%d_F_%s (1u << %d)%s" % (n, f["name"], f["bit"], c_comment(f["text"]))
                for f in d["features"]]
        out += ["#define HV%d_FEATURES_DEFINED 0x%xu" % (n, sum(1 << f["bit"] for f in d["features"]))]
    if d["consts"]:
        out += ["", "/* Limits */"]
        out += ["#define HV%d_%s %dULL%s" % (n, k["name"], k["value"], c_comment(k["text"])) for k in d["consts"]]
    out += [""]
    for s in d["structs"]:
        out += header_struct(n, s)
    out += ["/* One call: status in RAX, results in RBX, RCX, RDX (docs/abi/README.md).",
            " * VMCALL by default; define HV_USE_VMMCALL for AMD's VMMCALL. */",
            "struct hv%d_ret {" % n, "\tint64_t status;", "\tuint64_t rbx, rcx, rdx;", "};", "",
            "static inline struct hv%d_ret hv%d_call(uint32_t fn, uint64_t rbx, uint64_t rcx, uint64_t rdx, uint64_t rsi)" % (n, n),
            "{",
            "\tuint64_t rax = HV%d_NR(fn);" % n, "",
            "#ifdef HV_USE_VMMCALL",
            '\t__asm__ volatile("vmmcall" : "+a"(rax), "+b"(rbx), "+c"(rcx), "+d"(rdx), "+S"(rsi) : : "memory");',
            "#else",
            '\t__asm__ volatile("vmcall" : "+a"(rax), "+b"(rbx), "+c"(rcx), "+d"(rdx), "+S"(rsi) : : "memory");',
            "#endif",
            "\treturn (struct hv%d_ret){ (int64_t)rax, rbx, rcx, rdx };" % n,
            "}", ""]
    for c in d["calls"]:
        out += header_wrapper(n, c)
    out += ["#endif", ""]
    return "\n".join(out)


# ---- the reference page

def md(text):
    return text.replace("|", "\\|")


def doc_text(d):
    n = d["version"]
    out = ["# ABI version %d" % n, "",
           "Generated from `%s` by `compat/abigen.py`; do not edit. Header: `%s`." % (d["file"], header_rel(n)),
           "", "**Status: %s.** %s" % (d["status"], d["summary"]), ""]
    if d["changes"]:
        out += ["## Changes from version %d" % (n - 1), ""] + ["- %s" % c for c in d["changes"]] + [""]
    out += ["## Calls", "",
            "EAX = %d << 16 | number; the calling convention is in [README.md](README.md). "
            "Besides the errors listed per call, any call from CPL 1-3 gets `EPERM` and changes nothing, "
            "and a number this version does not define gets `ENOSYS`." % n, ""]
    for c in d["calls"]:
        out += ["### %d `%s`" % (c["nr"], c["name"]), "", md(c["text"]) + ".", ""]
        out += ["| register | in/out | name | meaning |", "|---|---|---|---|"]
        out += ["| %s | in | %s | %s |" % (a["reg"].upper(), a["name"], md(a["text"])) for a in c["args"]]
        out += ["| RAX | out | status | %s |" % md(c["ok"])]
        out += ["| %s | out | %s | %s |" % (r["reg"].upper(), r["name"], md(r["text"])) for r in c["rets"]]
        out += [""]
        if c["errs"]:
            out += ["Errors: " + "; ".join("`%s` %s" % (e["name"], md(e["text"])) for e in c["errs"]) + ".", ""]
    out += ["## Errors", "", "| value | name | meaning |", "|---|---|---|"]
    out += ["| %d | %s | %s |" % (e["value"], e["name"], md(e["text"])) for e in d["errors"]]
    out += [""]
    if d["features"]:
        out += ["## Features", "", "| bit | name | meaning |", "|---|---|---|"]
        out += ["| %d | %s | %s |" % (f["bit"], f["name"], md(f["text"])) for f in d["features"]] + [""]
    if d["consts"]:
        out += ["## Limits", "", "| name | value | meaning |", "|---|---|---|"]
        out += ["| %s | %d | %s |" % (k["name"], k["value"], md(k["text"])) for k in d["consts"]] + [""]
    for s in d["structs"]:
        out += ["## struct `hv%d_%s` (%d bytes)" % (n, s["name"], s["size"]), "", md(s["text"]) + ".", "",
                "| offset | type | field | meaning |", "|---|---|---|---|"]
        out += ["| %d | %s | %s | %s |" % (f["offset"], f["type"], f["name"], md(f["text"])) for f in s["fields"]]
        out += [""]
    return "\n".join(out)


# ---- the decode tables

def normalized(text):
    return re.sub(r"HV\d+_", "HV_", text)


def call_words(c):
    """Everything a call's definition says, version prefixes taken out."""
    parts = [c["text"], c["ok"]] + [e["name"] + " " + e["text"] for e in c["errs"]]
    parts += ["%s %s %s" % (a["reg"], a["name"], a["text"]) for k in ("args", "rets") for a in c[k]]
    return [normalized(p) for p in parts]


def kept(old, oc, new, nc):
    """Whether call nc of version new is call oc of version old unchanged: the
    same definition, every error of the older version still meaning the same,
    and the constants, structures and (when it speaks of them) feature bits it
    names the same in both. Such a call goes to the older version's decoder."""
    words = call_words(nc)
    if (oc["nr"], oc["name"], call_words(oc)) != (nc["nr"], nc["name"], words):
        return False
    text = " ".join(words)
    errs = {e["name"]: e["value"] for e in new["errors"]}
    if any(errs.get(e["name"]) != e["value"] for e in old["errors"]):
        return False
    for kind, key in (("consts", "value"), ("structs", "fields")):
        mine = {x["name"]: (x.get("size"), x[key]) for x in new[kind]}
        for x in old[kind]:
            named = re.search(r"\b%s\b" % re.escape(x["name"]), text)
            if named and mine.get(x["name"]) != (x.get("size"), x[key]):
                return False
    if "feature" in text and [(f["bit"], f["name"]) for f in old["features"]] != \
            [(f["bit"], f["name"]) for f in new["features"]]:
        return False
    return True


def decoders(defs):
    """(version, call name) -> the decoder serving it: vN_name for a call
    version N defines anew, else the earliest version's that it kept."""
    out = {}
    for i, d in enumerate(defs):
        older = {c["nr"]: c for c in defs[i - 1]["calls"]} if i else {}
        for c in d["calls"]:
            oc = older.get(c["nr"])
            if oc and kept(defs[i - 1], oc, d, c):
                out[(d["version"], c["name"])] = out[(defs[i - 1]["version"], oc["name"])]
            else:
                out[(d["version"], c["name"])] = "v%d_%s" % (d["version"], c["name"])
    return out


def decoders_text(defs):
    out = ["/* Generated from the definitions compat/abi/vN.abi by compat/abigen.py: do not edit.",
           " * The versions served, and the decoders compat/vN.c must define: one",
           " * for each call a version defines anew; a call kept unchanged from the",
           " * version before is served by that version's decoder. */",
           "#ifndef ABI_GEN_H", "#define ABI_GEN_H", "",
           '#include "core/vm/act.h"',
           '#include "core/vm/vcpu.h"', "",
           "#define ABI_OLDEST %d" % defs[0]["version"],
           "#define ABI_NEWEST %d" % defs[-1]["version"],
           "#define ABI_CALLS_MAX %d   /* a power of two above every function number */" % calls_max(defs), ""]
    dec = decoders(defs)
    for d in defs:
        out += ["struct act v%d_%s(struct vcpu *v);" % (d["version"], c["name"]) for c in d["calls"]
                if dec[(d["version"], c["name"])] == "v%d_%s" % (d["version"], c["name"])]
    return "\n".join(out + ["", "#endif", ""])


def calls_max(defs):
    """The table's row length: a power of two above every function number."""
    n = 1
    while n <= max(c["nr"] for d in defs for c in d["calls"]):
        n *= 2
    return n


def tables_text(defs):
    out = ["/* Generated from the definitions compat/abi/vN.abi by compat/abigen.py: do not edit. */",
           '#include "compat/compat.h"', "",
           "const hc_decoder abi_calls[ABI_NEWEST - ABI_OLDEST + 1][ABI_CALLS_MAX] = {"]
    dec = decoders(defs)
    for d in defs:
        n = d["version"]
        out += ["\t[%d - ABI_OLDEST] = {" % n]
        out += ["\t\t[%d] = %s," % (c["nr"], dec[(n, c["name"])]) for c in d["calls"]]
        out += ["\t},"]
    out += ["};", ""]
    return "\n".join(out)


# ---- the lock

def lock_entries():
    """{(version, file): sha256} from the lock."""
    entries = {}
    if not os.path.exists(path_of(LOCK)):
        return entries
    for line in read(LOCK).splitlines():
        if line.strip() and not line.startswith("#"):
            v, digest, rel = line.split()
            entries[(int(v.lstrip("v")), rel)] = digest
    return entries


def write_if_changed(rel, text):
    if os.path.exists(path_of(rel)) and read(rel) == text:
        return
    with open(path_of(rel), "w") as f:
        f.write(text)


def gen(tables_out):
    defs = definitions()
    locked = lock_entries()
    for d in defs:
        n, hdr = d["version"], header_text(d)
        if (n, header_rel(n)) in locked:
            # never written again: it must already be exactly what was released
            want = locked[(n, header_rel(n))]
            for rel, digest in ((header_rel(n), hashlib.sha256(hdr.encode()).hexdigest()),
                                (header_rel(n), sha256(header_rel(n)) if os.path.exists(path_of(header_rel(n))) else "missing")):
                if digest != want:
                    raise AbiError("RELEASED ABI v%d CHANGED: %s (or its definition) differs from the lock; "
                                   "a released version never changes: restore it and put the change in a new version"
                                   % (n, rel))
        else:
            write_if_changed(header_rel(n), hdr)
        write_if_changed(doc_rel(n), doc_text(d))
    tables_out = os.path.abspath(tables_out)
    os.makedirs(os.path.dirname(tables_out), exist_ok=True)
    write_if_changed(os.path.join(os.path.dirname(tables_out), "abi_gen.h"), decoders_text(defs))
    with open(tables_out, "w") as f:   # always: make compares its time
        f.write(tables_text(defs))


class Checker:
    def __init__(self):
        self.passed = self.failed = 0

    def __call__(self, ok, what, why=""):
        if ok:
            self.passed += 1
            print("ok: %s" % what)
        else:
            self.failed += 1
            print("FAILED: %s%s" % (what, ": " + why if why else ""))


def check_version(t, d, locked):
    n = d["version"]
    hdr, doc = header_text(d), doc_text(d)
    t(os.path.exists(path_of(header_rel(n))) and read(header_rel(n)) == hdr,
      "v%d header %s matches its definition" % (n, header_rel(n)), "stale or edited by hand: run make abi")
    t(os.path.exists(path_of(doc_rel(n))) and read(doc_rel(n)) == doc,
      "v%d reference %s matches its definition" % (n, doc_rel(n)), "stale or edited by hand: run make abi")
    if d["status"] != "released":
        t(not any(v == n for v, _ in locked), "v%d is a draft and not in the lock" % n,
          "the lock holds a draft version")
        return
    for rel in (def_rel(n), header_rel(n)):
        want = locked.get((n, rel))
        if want is None:
            t(False, "v%d %s is locked" % (n, rel), "v%d is released but %s is not in %s: run make abi-lock V=%d"
              % (n, rel, LOCK, n))
            continue
        got = sha256(rel) if os.path.exists(path_of(rel)) else "missing"
        t(got == want, "v%d %s unchanged since release" % (n, rel),
          "RELEASED ABI v%d CHANGED: %s has sha256 %s, locked %s. A released version never changes: "
          "restore it and put the change in a new version" % (n, rel, got, want))


def golden_entries():
    entries = {}
    if os.path.exists(path_of(GOLDEN_SUMS)):
        for line in read(GOLDEN_SUMS).splitlines():
            if line.strip():
                digest, name = line.split()
                entries["%s/%s" % (GOLDEN_DIR, name)] = digest
    return entries


def check_golden(t, d, golden):
    n, rel = d["version"], golden_rel(d["version"])
    if d["status"] != "released":
        return
    want = golden.get(rel)
    if want is None:
        t(False, "v%d golden guest %s is recorded" % (n, rel), "not in %s: run make abi-golden V=%d" % (GOLDEN_SUMS, n))
        return
    got = sha256(rel) if os.path.exists(path_of(rel)) else "missing"
    t(got == want, "v%d golden guest %s unchanged" % (n, rel),
      "GOLDEN GUEST OF v%d CHANGED: %s has sha256 %s, recorded %s. Golden binaries are never rebuilt"
      % (n, rel, got, want))


def check():
    t = Checker()
    try:
        defs = definitions()
    except AbiError as e:
        t(False, "the definitions parse", str(e))
        defs = []
    locked, golden = lock_entries(), golden_entries()
    served = {d["version"] for d in defs}
    for v, rel in sorted(locked):
        t(v in served and os.path.exists(path_of(rel)), "locked v%d %s still exists" % (v, rel),
          "a released version is never removed")
    for d in defs:
        check_version(t, d, locked)
        check_golden(t, d, golden)
    print("abi-lock: %d passed, %d failed" % (t.passed, t.failed))
    return 1 if t.failed else 0


def lock(n):
    d = parse(def_rel(n))
    locked = lock_entries()
    if d["status"] != "released":
        raise AbiError("%s says status %s: set 'status released' first" % (def_rel(n), d["status"]))
    if any(v == n for v, _ in locked):
        raise AbiError("v%d is already locked: released versions never change" % n)
    if read(header_rel(n)) != header_text(d):
        raise AbiError("%s is stale: run make abi first" % header_rel(n))
    with open(path_of(LOCK), "a") as f:
        for rel in (def_rel(n), header_rel(n)):
            f.write("v%d %s %s\n" % (n, sha256(rel), rel))
    print("locked v%d" % n)


def freeze_golden(n, elf):
    rel = golden_rel(n)
    if rel in golden_entries():
        raise AbiError("v%d already has a golden guest: golden binaries are never rebuilt" % n)
    os.makedirs(path_of(GOLDEN_DIR), exist_ok=True)
    with open(elf, "rb") as src, open(path_of(rel), "wb") as dst:
        dst.write(src.read())
    with open(path_of(GOLDEN_SUMS), "a") as f:
        f.write("%s %s\n" % (sha256(rel), os.path.basename(rel)))
    print("froze %s" % rel)


def main(argv):
    cmds = {"gen": (1, lambda a: gen(a[0])), "check": (0, lambda a: check()),
            "lock": (1, lambda a: lock(int(a[0]))), "golden": (2, lambda a: freeze_golden(int(a[0]), a[1]))}
    if len(argv) < 2 or argv[1] not in cmds or len(argv) - 2 != cmds[argv[1]][0]:
        sys.stderr.write(__doc__)
        return 2
    try:
        return cmds[argv[1]][1](argv[2:]) or 0
    except AbiError as e:
        sys.stderr.write("abigen: %s\n" % e)
        return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
