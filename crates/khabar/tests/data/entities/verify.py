#!/usr/bin/env python3
"""Check tune.tsv / sealed.tsv against the corpora: offsets reproduce each
surface, no two mentions of one article overlap, lines sorted by article
order then start, every mention's article has a `# REF` line, and each
article sits in the file its sha256 split says.
Usage: verify.py [DATA_DIR]   (default /work/shared/data)"""
import collections
import gzip
import hashlib
import json
import os
import re
import sys

DATA = sys.argv[1] if len(sys.argv) > 1 else "/work/shared/data"
HERE = os.path.dirname(os.path.abspath(__file__))
PATHS = {"snn": "saudinewsnet/articles.jsonl.gz", "ant": "ant/articles.jsonl.gz"}
REF_RE = re.compile(r"^# ((snn|ant):\d+)$")


def main():
    files = {}
    need = collections.defaultdict(set)
    for name in ("tune", "sealed"):
        refs, ments = [], []
        for ln in open(os.path.join(HERE, f"{name}.tsv"), encoding="utf-8"):
            ln = ln.rstrip("\n")
            m = REF_RE.match(ln)
            if m:
                refs.append(m.group(1))
                c, n = m.group(1).split(":")
                need[c].add(int(n))
            elif ln.startswith("# ") or not ln:
                continue
            else:
                r, s, e, t, surf = ln.split("\t")
                ments.append((r, int(s), int(e), t, surf))
        files[name] = (refs, ments)
    texts = {}
    for c, p in PATHS.items():
        with gzip.open(os.path.join(DATA, p), "rt", encoding="utf-8") as f:
            for n, l in enumerate(f, 1):
                if n in need[c]:
                    texts[f"{c}:{n}"] = json.loads(l)["text"]
    bad = 0
    counts = {}
    for name, (refs, ments) in files.items():
        order = {r: i for i, r in enumerate(refs)}
        assert len(order) == len(refs), f"{name}: duplicate # REF"
        for r in refs:
            want = "sealed" if hashlib.sha256(r.encode()).digest()[0] < 128 else "tune"
            if want != name:
                print(f"{name}: {r} belongs in {want}"); bad += 1
        keys = [(order[r], s) for r, s, *_ in ments]
        if keys != sorted(keys):
            print(f"{name}: not sorted"); bad += 1
        last = {}
        c = collections.Counter()
        for r, s, e, t, surf in ments:
            if t not in ("PERS", "LOC", "ORG"):
                print(f"{name}: bad type {t}"); bad += 1
            if texts[r][s:e] != surf or s >= e:
                print(f"{name}: {r} {s}-{e} gives {texts[r][s:e]!r}, not {surf!r}"); bad += 1
            if r in last and last[r] > s:
                print(f"{name}: {r} overlap at {s}"); bad += 1
            last[r] = max(last.get(r, 0), e)
            c[t] += 1
        counts[name] = {"articles": len(refs), **{t: c[t] for t in ("PERS", "LOC", "ORG")}, "all": len(ments)}
    print(json.dumps(counts))
    print("OK" if not bad else f"{bad} problems")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
