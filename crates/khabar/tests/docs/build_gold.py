#!/usr/bin/env python3
"""Builds gold.jsonl (code point spans) from gold.txt (inline markup). Run: python3 build_gold.py"""
import json, re, sys

def parse(src):
    out, ents, quotes, times, heads = [], [], [], [], []
    stack, i = [], 0
    def pos(): return len(''.join(out))
    while i < len(src):
        if src.startswith('[[', i):
            j = src.index(']]', i)
            body, typ, n = src[i+2:j].rsplit('|', 2)
            s = pos(); out.append(body); ents.append({"start": s, "end": pos(), "type": typ, "cluster": int(n)})
            i = j + 2
        elif src.startswith('{{', i):
            j = src.index('}}', i)
            body, val = src[i+2:j].rsplit('=', 1)
            s = pos(); out.append(body); times.append({"start": s, "end": pos(), "value": None if val == 'null' else val})
            i = j + 2
        elif src.startswith('<<', i):
            j = src.index(':', i)
            spk = src[i+2:j]; stack.append(('q', pos(), None if spk == '-' else int(spk))); i = j + 1
        elif src.startswith('>>', i):
            _, s, spk = stack.pop(); quotes.append({"start": s, "end": pos(), "speaker": spk}); i += 2
        elif src.startswith('##', i):
            if stack and stack[-1][0] == 'h':
                _, s, _ = stack.pop(); heads.append({"start": s, "end": pos()})
            else:
                stack.append(('h', pos(), None))
            i += 2
        else:
            out.append(src[i]); i += 1
    assert not stack, stack
    text = ''.join(out)
    return text, ents, quotes, times, heads

def articles(text, heads):
    starts = [h["start"] for h in heads]
    first = len(text) - len(text.lstrip())
    bounds = ([] if starts and starts[0] == first else [(first, None)]) + [(h["start"], h) for h in heads]
    arts = []
    for k, (s, h) in enumerate(bounds):
        e = bounds[k+1][0] if k + 1 < len(bounds) else len(text)
        e = len(text[:e].rstrip())
        arts.append({"start": s, "end": e, "headline": h})
    return arts

docs, cur = [], None
for line in open('gold.txt', encoding='utf-8'):
    if line.startswith('#') and cur is None: continue
    if line.startswith('@@'):
        _, did, date, split = line.split()
        cur = {"id": did, "date": date, "split": split, "src": ""}; docs.append(cur)
    elif cur is not None:
        cur["src"] += line
with open('gold.jsonl', 'w', encoding='utf-8') as f:
    for d in docs:
        text, ents, quotes, times, heads = parse(d["src"].rstrip('\n'))
        for x in ents + quotes + times + heads:
            assert text[x["start"]:x["end"]] == text[x["start"]:x["end"]].strip(), (d["id"], text[x["start"]:x["end"]])
        rec = {"id": d["id"], "date": d["date"], "split": d["split"], "text": text,
               "entities": ents, "quotes": quotes, "times": times, "articles": articles(text, heads)}
        f.write(json.dumps(rec, ensure_ascii=False) + "\n")
print(len(docs), "documents", file=sys.stderr)
