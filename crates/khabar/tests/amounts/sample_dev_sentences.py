import json, random, re, gzip, email.utils, sys
sys.argv = ["x"]
# Reuses the loaders of sample_sentences.py (run from this directory).
exec(open("sample_sentences.py").read().split("rows = []")[0])
used = set()
# The articles already used (run before the d… sentences were appended to sentences.jsonl).
for f in ["sentences.jsonl"]:
    for l in open(f):
        used.add(json.loads(l)["source"].split(":", 1)[1])
random.seed(2015)
rows = []
for corpus, name, idf in ((snn, "saudinewsnet", lambda a: a["url"]), (ant, "ant", lambda a: a["id"])):
    idx = list(range(len(corpus))); random.shuffle(idx); got = 0
    for k in idx:
        a, d = corpus[k]; aid = idf(a)
        if aid in used or not d: continue
        c = [s for s in sents(a.get("text", "")) if AMT.search(s) and len(s) <= 200]
        if not c: continue
        used.add(aid)
        rows.append({"id": f"d{len(rows)+1:03d}", "source": f"{name}:{aid}", "date": d, "text": random.choice(c)})
        got += 1
        if got >= 40: break
with open("/tmp/ann/dev2.jsonl", "w") as f:
    for r in rows: f.write(json.dumps(r, ensure_ascii=False) + "\n")
for r in rows: print(r["id"], r["text"])
