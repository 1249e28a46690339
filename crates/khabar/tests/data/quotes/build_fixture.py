#!/usr/bin/env python3
"""Builds the quote fixture from the hand annotations.

`annotations_snn.txt` / `annotations_ant.txt` (written by hand, blind to the system; not
committed, since they copy the articles' sentences and the corpora's terms forbid that) hold,
per article, `# REF` and then `REF<TAB>CONTENT<TAB>SPEAKER` lines, CONTENT verbatim or as
`FIRST … LAST` (both verbatim). This finds each content in the article's text (in order) and
writes `tune.tsv` and `sealed.tsv` (`REF<TAB>START<TAB>END<TAB>SPEAKER`, code point offsets,
every article listed by a `# REF` line), split by the first byte of sha256(REF): below 128
sealed. No article text is written.

    python3 build_fixture.py && sha256sum sealed.tsv
"""
import gzip
import hashlib
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATA = HERE.parents[4] / ".." / "shared" / "data"
FILES = {"snn": DATA / "saudinewsnet" / "articles.jsonl.gz", "ant": DATA / "ant" / "articles.jsonl.gz"}


def texts(refs):
    out = {}
    for corpus, path in FILES.items():
        want = {int(r.split(":")[1]) for r in refs if r.startswith(corpus + ":")}
        if not want:
            continue
        with gzip.open(path, "rt", encoding="utf-8") as f:
            for i, line in enumerate(f, start=1):
                if i in want:
                    out[f"{corpus}:{i}"] = json.loads(line)["text"]
                if i > max(want):
                    break
    return out


def locate(text, content, cursor):
    """(start, end) of a content in text, searched from `cursor`, else from the start."""
    parts = content.split(" … ")
    for frm in (cursor, 0):
        s = text.find(parts[0], frm)
        if s < 0:
            continue
        if len(parts) == 1:
            return s, s + len(parts[0])
        e = text.find(parts[-1], s + len(parts[0]))
        if e >= 0:
            return s, e + len(parts[-1])
    return None


def read_annotations(folder):
    """Per article (in file order): its ref and its (content, speaker) annotations."""
    articles = []  # (ref, [(content, speaker)])
    for name in ("annotations_snn.txt", "annotations_ant.txt"):
        path = folder / name
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if not line.strip():
                continue
            if line.startswith("#"):
                ref = line[1:].strip()
                if ref.startswith(("snn:", "ant:")):
                    articles.append((ref, []))
                continue
            cols = line.split("\t")
            if len(cols) != 3 or not articles or cols[0] != articles[-1][0] or not cols[1].strip():
                sys.exit(f"{path} line {n}: expected REF<TAB>CONTENT<TAB>SPEAKER under its `# REF`")
            articles[-1][1].append((cols[1].strip(), cols[2].strip()))
    return articles


def main():
    articles = read_annotations(HERE)
    body = texts([r for r, _ in articles])
    rows = {"tune": [], "sealed": []}
    bad = 0
    for ref, quotes in articles:
        half = "sealed" if hashlib.sha256(ref.encode()).digest()[0] < 128 else "tune"
        rows[half].append(f"# {ref}")
        text = body[ref]
        cursor = 0
        for content, speaker in quotes:
            found = locate(text, content.rstrip("."), cursor)
            if found is None:
                print(f"{ref}: not found: {content[:50]}", file=sys.stderr)
                bad += 1
                continue
            s, e = found
            cursor = s + 1
            rows[half].append(f"{ref}\t{s}\t{e}\t{speaker or '-'}")
    for half, lines in rows.items():
        (HERE / f"{half}.tsv").write_text("\n".join(lines) + "\n", encoding="utf-8")
        print(f"{half}: {sum(1 for l in lines if l.startswith('#'))} articles, {sum(1 for l in lines if not l.startswith('#'))} quotes")
    if bad:
        sys.exit(f"{bad} contents not found")


if __name__ == "__main__":
    main()
