"""Draws the extra tuning sentences (amounts only), from articles not used before.

    python3 sample_dev_sentences.py dev    # d001–d080 (seed 2015, 40 per corpus), drawn after the seal
    python3 sample_dev_sentences.py dev2   # e001–e120 (seed 2016, 60 per corpus) → dev2_sentences.jsonl
    python3 sample_dev_sentences.py dev3   # f001–f150 (seed 2017, 75 per corpus) → dev3_sentences.jsonl

Each draws one sentence per article, at most 200 characters with a digit or a number, money or
percent word (the AMT pattern of sample_sentences.py), from articles not used before: dev2 and
dev3 leave out every article of sentences.jsonl, dev3 those of dev2_sentences.jsonl too.

Run from this directory; reuses the loaders of sample_sentences.py.
"""
import json, random, re, gzip, email.utils, sys
which = sys.argv[1] if len(sys.argv) > 1 else "dev"
seed, prefix, per_corpus, out = {
    "dev": (2015, "d", 40, "/tmp/ann/dev2.jsonl"),
    "dev2": (2016, "e", 60, "dev2_sentences.jsonl"),
    "dev3": (2017, "f", 75, "dev3_sentences.jsonl"),
}[which]
sys.argv = ["x"]
exec(open("sample_sentences.py").read().split("rows = []")[0])
used = set()
# The articles already used: for `dev`, those of sentences.jsonl before the d… sentences
# were appended to it; for `dev2`, every sentence of it (a/b/t/u and d…); for `dev3`, every
# sentence of it and of dev2_sentences.jsonl (e…).
for l in open("sentences.jsonl"):
    r = json.loads(l)
    if which == "dev" and r["id"].startswith("d"):
        continue
    used.add(r["source"].split(":", 1)[1])
if which == "dev3":
    for l in open("dev2_sentences.jsonl"):
        used.add(json.loads(l)["source"].split(":", 1)[1])
random.seed(seed)
rows = []
for corpus, name, idf in ((snn, "saudinewsnet", lambda a: a["url"]), (ant, "ant", lambda a: a["id"])):
    idx = list(range(len(corpus))); random.shuffle(idx); got = 0
    for k in idx:
        a, d = corpus[k]; aid = idf(a)
        if aid in used or not d: continue
        c = [s for s in sents(a.get("text", "")) if AMT.search(s) and len(s) <= 200]
        if not c: continue
        used.add(aid)
        rows.append({"id": f"{prefix}{len(rows)+1:03d}", "source": f"{name}:{aid}", "date": d, "text": random.choice(c)})
        got += 1
        if got >= per_corpus: break
with open(out, "w", encoding="utf-8") as f:
    for r in rows: f.write(json.dumps(r, ensure_ascii=False) + "\n")
for r in rows: print(r["id"], r["text"])
