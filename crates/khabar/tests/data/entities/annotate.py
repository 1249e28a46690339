#!/usr/bin/env python3
"""Turn hand annotations into offsets and write tune.tsv / sealed.tsv.

Hand annotations live in ANN_DIR (not committed), one file per article,
named like snn_24763.txt, one mention a line, in text order:

    TYPE<TAB>SURFACE[<TAB>SKIP]

TYPE is P/L/O (PERS/LOC/ORG). Each surface is searched from the end of the
previous mention, at a word boundary (the character before is not a letter,
or is a one-letter proclitic و ف ب ك ل itself preceded by a non-letter; the
character after is not a letter). SKIP (default 0) skips that many matches
first. A line starting with `!` disables the boundary check for that line.
Lines starting with `#` are comments. Every resolved mention is checked:
text[start:end] == surface, no overlaps.

Usage: annotate.py ARTICLES_JSON ANN_DIR REFS_FILE OUT_DIR
ARTICLES_JSON maps ref -> article object (with `text`), see README.
"""
import hashlib
import json
import os
import sys
import unicodedata

TYPES = {"P": "PERS", "L": "LOC", "O": "ORG"}
PROCLITICS = set("وفبكل")


def is_letter(c):
    return unicodedata.category(c).startswith("L") or unicodedata.category(c) == "Mn"


def boundary_ok(text, s, e):
    if e < len(text) and is_letter(text[e]):
        return False
    if s == 0 or not is_letter(text[s - 1]):
        return True
    if text[s - 1] in PROCLITICS and (s == 1 or not is_letter(text[s - 2])):
        return True
    return False


def resolve(ref, text, lines):
    out, cur = [], 0
    for ln in lines:
        ln = ln.rstrip("\n")
        if not ln.strip() or ln.startswith("#"):
            continue
        raw = ln.startswith("!")
        if raw:
            ln = ln[1:]
        parts = ln.split("\t")
        typ, surf = TYPES[parts[0]], parts[1]
        skip = int(parts[2]) if len(parts) > 2 else 0
        pos = cur
        while True:
            s = text.find(surf, pos)
            if s < 0:
                raise SystemExit(f"{ref}: not found after {cur}: {surf!r}")
            e = s + len(surf)
            if raw or boundary_ok(text, s, e):
                if skip == 0:
                    break
                skip -= 1
            pos = s + 1
        out.append((s, e, typ, surf))
        cur = e
    return out


def split_of(ref):
    return "sealed" if hashlib.sha256(ref.encode()).digest()[0] < 128 else "tune"


HEADER = """# khabar blind NER evaluation set ({name}): real Arabic news, SaudiNewsNet 2015 (snn:N) and ANT 2018 (ant:N),
# N = 1-based line of the corpus's articles.jsonl.gz; offsets are code points into the article's `text`, end exclusive.
# Annotated blind from the article texts alone (no system output seen). See README.md for how articles were drawn.
# Types: PERS, LOC, ORG (MISC not annotated); khabar `news` convention: titles/ranks/jobs outside PERS,
# nationality adjectives are not entities, countries are LOC, ORG names whole (with their adjective when part of the name),
# one-letter proclitic outside the span unless merged with the article (للأمم المتحدة); quotes and brackets outside.
# Format: `# REF` line per article (every article, in draw order), then REF<TAB>START<TAB>END<TAB>TYPE<TAB>SURFACE.
"""


def main():
    arts_path, ann_dir, refs_path, out_dir = sys.argv[1:5]
    arts = json.load(open(arts_path, encoding="utf-8"))
    refs = [l.strip() for l in open(refs_path) if l.strip()]
    files = {"tune": [], "sealed": []}
    counts = {}
    for ref in refs:
        text = arts[ref]["text"]
        p = os.path.join(ann_dir, ref.replace(":", "_") + ".txt")
        lines = open(p, encoding="utf-8").readlines() if os.path.exists(p) else []
        ments = sorted(resolve(ref, text, lines))
        for a, b in zip(ments, ments[1:]):
            if a[1] > b[0]:
                raise SystemExit(f"{ref}: overlap {a} {b}")
        sp = split_of(ref)
        files[sp].append(f"# {ref}")
        for s, e, t, surf in ments:
            assert text[s:e] == surf
            files[sp].append(f"{ref}\t{s}\t{e}\t{t}\t{surf}")
            counts.setdefault(sp, {}).setdefault(t, 0)
            counts[sp][t] += 1
        counts.setdefault(sp, {}).setdefault("articles", 0)
        counts[sp]["articles"] += 1
    for sp, body in files.items():
        with open(os.path.join(out_dir, f"{sp}.tsv"), "w", encoding="utf-8") as f:
            f.write(HEADER.format(name=sp))
            f.write("\n".join(body) + "\n")
    print(json.dumps(counts, ensure_ascii=False))


if __name__ == "__main__":
    main()
