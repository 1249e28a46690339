#!/usr/bin/env python3
"""Builds tune.jsonl and sealed.jsonl from sentences.jsonl + amounts.txt + times.txt.

amounts.txt: `id: surface|kind|value|unit[|~]; ...` (kind m=money p=percent c=count n=number,
unit `-` for none, `~` = approx); an id with nothing after the colon has no amounts.
times.txt: `id: surface=VALUE[@MOD]; ...` (VALUE `null`, or `H:Y-M-D` for a Hijri day,
converted here with the Umm al-Qura table of crates/khabar/src/hijri/ummalqura_table.rs).
Sentences listed in amounts.txt carry `amounts`, those in times.txt carry `times`; a
layer a sentence was not annotated for is absent (not scored). Spans are found in order.
Split: the first byte of sha256(id) even → `tune`, odd → `sealed`; the `d…` sentences, drawn
and annotated after the sealed half was committed (a second tuning set), are `dev`.
dev2.jsonl (a third tuning set, amounts only) is built the same way from dev2_sentences.jsonl +
dev2_amounts.txt (`e…`, drawn by `sample_dev_sentences.py dev2`), and dev3.jsonl (a fourth) from
dev3_sentences.jsonl + dev3_amounts.txt (`f…`, `sample_dev_sentences.py dev3`); there every
sentence must be annotated, and a surface that begins or ends with a digit is only found as a
whole number (`1` of a `1-1` score is not looked for inside `2010`).
"""
import datetime, hashlib, json, os, re

here = os.path.dirname(os.path.abspath(__file__))
table = open(os.path.join(here, "../../src/hijri/ummalqura_table.rs"), encoding="utf-8").read()
first_year = int(re.search(r"FIRST_YEAR: i64 = (\d+)", table).group(1))
fd = tuple(int(x) for x in re.search(r"FIRST_DAY: \(i32, u32, u32\) = \((\d+), (\d+), (\d+)\)", table).groups())
masks = [int(x, 16) for x in re.findall(r"0x([0-9a-f]+),", table)]

def hijri(y, m, d):
    day = datetime.date(*fd)
    for yy in range(first_year, y):
        day += datetime.timedelta(days=sum(29 + ((masks[yy - first_year] >> k) & 1) for k in range(12)))
    mask = masks[y - first_year]
    day += datetime.timedelta(days=sum(29 + ((mask >> k) & 1) for k in range(m - 1)) + d - 1)
    return day.isoformat()

def cp_find(text, surface, start, whole_numbers=False):
    # A space in the annotation matches any run of white space (the texts hold U+00A0).
    pat = r"\s+".join(re.escape(w) for w in surface.split(" "))
    if whole_numbers:
        # Not inside a longer number: no digit (or digit and separator) before, none after.
        d = "0-9\u0660-\u0669"
        if re.match(f"[{d}]", surface):
            pat = f"(?<![{d}])(?<![{d}][.,\u066b\u066c])" + pat
        if re.search(f"[{d}]$", surface):
            pat += f"(?![{d}])(?![.,\u066b\u066c][{d}])"
    pat = re.compile(pat)
    m = pat.search(text, start)
    if not m:
        raise SystemExit(f"not found: {surface!r} in {text!r}")
    return m.start(), m.end()

def parse(path):
    out = {}
    for line in open(os.path.join(here, path), encoding="utf-8"):
        line = line.rstrip("\n")
        if not line.strip():
            continue
        id_, _, rest = line.partition(":")
        out[id_.strip()] = [x.strip() for x in rest.split(";") if x.strip()]
    return out

amounts, times = parse("amounts.txt"), parse("times.txt")
kinds = {"m": "money", "p": "percent", "c": "count", "n": "number"}
tune, sealed, dev = [], [], []
for line in open(os.path.join(here, "sentences.jsonl"), encoding="utf-8"):
    r = json.loads(line)
    text, id_ = r["text"], r["id"]
    if id_ in amounts:
        at, lst = 0, []
        for a in amounts[id_]:
            f = a.split("|")
            s, e = cp_find(text, f[0], at)
            at = s + 1
            v = float(f[2])
            lst.append({"start": s, "end": e, "text": text[s:e], "kind": kinds[f[1]], "value": int(v) if v.is_integer() else v,
                        "unit": None if f[3] == "-" else f[3], "approx": len(f) > 4 and f[4] == "~"})
        r["amounts"] = lst
    if id_ in times:
        at, lst = 0, []
        for t in times[id_]:
            surface, _, val = t.rpartition("=")
            val, _, mod = val.partition("@")
            if val.startswith("H:"):
                y, m, d = (int(x) for x in val[2:].split("-"))
                val = hijri(y, m, d)
            s, e = cp_find(text, surface, at)
            at = s + 1
            lst.append({"start": s, "end": e, "value": None if val == "null" else val, "mod": mod or None})
        r["times"] = lst
    if "amounts" not in r and "times" not in r:
        continue
    if id_.startswith("d"):
        r["split"] = "dev"
        dev.append(r)
        continue
    r["split"] = "tune" if hashlib.sha256(id_.encode()).digest()[0] % 2 == 0 else "sealed"
    (tune if r["split"] == "tune" else sealed).append(r)
# dev2 and dev3: the `e…` and `f…` sentences (the third and fourth tuning sets, amounts only),
# drawn and annotated blind.
def build_dev(sentences, annotations, split):
    ann, out = parse(annotations), []
    for line in open(os.path.join(here, sentences), encoding="utf-8"):
        r = json.loads(line)
        text, id_ = r["text"], r["id"]
        if id_ not in ann:
            raise SystemExit(f"not annotated: {id_}")
        at, lst = 0, []
        for a in ann.pop(id_):
            f = a.split("|")
            if len(f) not in (4, 5) or f[1] not in kinds or (len(f) == 5 and f[4] != "~"):
                raise SystemExit(f"bad annotation in {id_}: {a!r}")
            s, e = cp_find(text, f[0], at, whole_numbers=True)
            at = s + 1
            v = float(f[2])
            lst.append({"start": s, "end": e, "text": text[s:e], "kind": kinds[f[1]], "value": int(v) if v.is_integer() else v,
                        "unit": None if f[3] == "-" else f[3], "approx": len(f) > 4 and f[4] == "~"})
        r["amounts"] = lst
        r["split"] = split
        out.append(r)
    if ann:
        raise SystemExit(f"annotations without a sentence: {sorted(ann)}")
    return out
dev2 = build_dev("dev2_sentences.jsonl", "dev2_amounts.txt", "dev2")
dev3 = build_dev("dev3_sentences.jsonl", "dev3_amounts.txt", "dev3")
for name, rows in (("tune.jsonl", tune), ("sealed.jsonl", sealed), ("dev.jsonl", dev), ("dev2.jsonl", dev2),
                   ("dev3.jsonl", dev3)):
    with open(os.path.join(here, name), "w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    na = sum(len(r.get("amounts", [])) for r in rows)
    nt = sum(len(r.get("times", [])) for r in rows)
    print(f"{name}: {len(rows)} sentences, {na} amounts, {nt} times")
