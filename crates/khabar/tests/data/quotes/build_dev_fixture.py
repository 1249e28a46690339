#!/usr/bin/env python3
"""Builds the quote dev set (`dev.tsv`, a third tuning split) from the hand annotations.

Reads `annotations_snn.txt` and `annotations_ant.txt` from the folder given as the argument
(default /tmp/quote_dev_annotations; written by hand, blind to the system, not committed:
they copy the articles' sentences and the corpora's terms forbid that). Same format as for
`build_fixture.py`: per article `# REF`, then `REF<TAB>CONTENT<TAB>SPEAKER` lines, CONTENT
verbatim or `FIRST … LAST`. Each content is located in the article's text (in order) and
`dev.tsv` is written in the tune.tsv format (`# REF` lines, `REF<TAB>START<TAB>END<TAB>SPEAKER`,
code point offsets), all articles in the one file. Fails, writing nothing, when a content
cannot be located or the annotated articles are not exactly those `sample_dev_articles.py`
draws. No article text is written.

    python3 build_dev_fixture.py [/tmp/quote_dev_annotations] && sha256sum dev.tsv
"""
import sys
from pathlib import Path

from build_fixture import locate, read_annotations, texts
from sample_dev_articles import dev_articles

HERE = Path(__file__).resolve().parent


def main():
    folder = Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/quote_dev_annotations")
    articles = read_annotations(folder)
    refs = [r for r, _ in articles]
    drawn = [r for r, _, _ in dev_articles()]
    if len(set(refs)) != len(refs):
        sys.exit("an article is listed twice")
    if set(refs) != set(drawn):
        sys.exit(f"annotated articles differ from the drawn ones: missing {sorted(set(drawn) - set(refs))}, "
                 f"extra {sorted(set(refs) - set(drawn))}")
    body = texts(refs)
    lines, bad, n = [], 0, 0
    for ref, quotes in articles:
        lines.append(f"# {ref}")
        text = body[ref]
        cursor, seen = 0, set()
        for content, speaker in quotes:
            found = locate(text, content.rstrip("."), cursor)
            if found is None or found in seen:
                print(f"{ref}: {'not found' if found is None else 'located twice'}: {content[:60]}", file=sys.stderr)
                bad += 1
                continue
            seen.add(found)
            s, e = found
            cursor = s + 1
            lines.append(f"{ref}\t{s}\t{e}\t{speaker or '-'}")
            n += 1
    if bad:
        sys.exit(f"{bad} contents not located; dev.tsv not written")
    (HERE / "dev.tsv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"dev: {len(articles)} articles, {n} quotes")


if __name__ == "__main__":
    main()
