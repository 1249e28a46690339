#!/usr/bin/env bash
# Side-by-side: spaCy NER trained from scratch on the same ANERcorp train split, next to
# khabar's, on the same machine. Installs spaCy into bench/peers/.venv (gitignored).
#
#   bench/peers/spacy_ner.sh            # ~12 min on 2 cores incl. install (training capped by MAX_STEPS)
#   MAX_STEPS=2000 bench/peers/spacy_ner.sh
#
# Prints spaCy's P/R/F1 and tokens/s on test.txt, then khabar's (`khabar eval ner`).
set -euo pipefail
cd "$(dirname "$0")/../.."
DATA=${DATA:-../shared/data/anercorp}
VENV=bench/peers/.venv
WORK=${WORK:-bench/peers/.venv/work}
MAX_STEPS=${MAX_STEPS:-3000}
mkdir -p "$(dirname "$VENV")"
if [ ! -x "$VENV/bin/python" ]; then
  python3 -m venv "$VENV"
fi
# The venv may exist without spaCy (side_by_side.sh makes it for camel_tools first).
if ! "$VENV/bin/python" -c "import spacy" 2>/dev/null; then
  "$VENV/bin/pip" install --quiet --disable-pip-version-check spacy
fi
PY="$VENV/bin/python"
mkdir -p "$WORK"

# ANERcorp (token tag, blank line between sentences) -> spaCy DocBin, gold tokens kept.
"$PY" - "$DATA" "$WORK" <<'PYEOF'
import sys, spacy
from spacy.tokens import Doc, DocBin
from spacy.training import biluo_to_iob, iob_to_biluo
data, work = sys.argv[1], sys.argv[2]
nlp = spacy.blank("ar")
def sents(path):
    cur = []
    for line in open(path, encoding="utf-8"):
        line = line.rstrip("\n")
        if not line.strip():
            if cur: yield cur; cur = []
            continue
        tok, tag = line.split()
        cur.append((tok, tag))
    if cur: yield cur
def fix(tags):  # conlleval reading: I-X after O/other type starts a chunk
    out, prev = [], "O"
    for t in tags:
        if t.startswith("I-") and (prev == "O" or prev[2:] != t[2:]): t = "B-" + t[2:]
        out.append(t); prev = t
    return out
for name in ("train", "test"):
    db = DocBin()
    for s in sents(f"{data}/{name}.txt"):
        words = [w for w, _ in s]
        doc = Doc(nlp.vocab, words=words, spaces=[True] * len(words), ents=fix([t for _, t in s]))
        db.add(doc)
    db.to_disk(f"{work}/{name}.spacy")
    print(name, len(db), "docs")
PYEOF

# Dev split carved from train only (last 10% of sentences), as khabar does.
"$PY" - "$WORK" <<'PYEOF'
import sys, spacy
from spacy.tokens import DocBin
work = sys.argv[1]
nlp = spacy.blank("ar")
docs = list(DocBin().from_disk(f"{work}/train.spacy").get_docs(nlp.vocab))
cut = len(docs) - round(len(docs) * 0.1)
DocBin(docs=docs[:cut]).to_disk(f"{work}/tr.spacy")
DocBin(docs=docs[cut:]).to_disk(f"{work}/dev.spacy")
PYEOF

"$PY" -m spacy init config "$WORK/config.cfg" --lang ar --pipeline ner --optimize efficiency --force >/dev/null
"$PY" -m spacy train "$WORK/config.cfg" --output "$WORK/model" \
  --paths.train "$WORK/tr.spacy" --paths.dev "$WORK/dev.spacy" \
  --training.max_steps "$MAX_STEPS" --system.seed 1 --nlp.batch_size 256 > "$WORK/train.log" 2>&1
tail -5 "$WORK/train.log"

echo "== spaCy (blank ar, ner, efficiency config, max_steps=$MAX_STEPS), test.txt, gold tokens"
"$PY" - "$WORK" <<'PYEOF'
import sys, time, spacy
from spacy.tokens import DocBin
from spacy.training import Example
work = sys.argv[1]
nlp = spacy.load(f"{work}/model/model-best")
gold = list(DocBin().from_disk(f"{work}/test.spacy").get_docs(nlp.vocab))
t = time.perf_counter()
preds = list(nlp.pipe((spacy.tokens.Doc(nlp.vocab, words=[w.text for w in g]) for g in gold), batch_size=256))
dt = time.perf_counter() - t
ntok = sum(len(g) for g in gold)
exs = [Example(p, g) for p, g in zip(preds, gold)]
from spacy.scorer import Scorer
s = Scorer.score_spans(exs, "ents")
for k, v in sorted(s["ents_per_type"].items()):
    print(f"{k:<6} P {100*v['p']:.2f} R {100*v['r']:.2f} F1 {100*v['f']:.2f}")
print(f"micro  P {100*s['ents_p']:.2f} R {100*s['ents_r']:.2f} F1 {100*s['ents_f']:.2f}")
print(f"speed: {ntok/dt:.0f} tokens/s (nlp.pipe, one process, {ntok} tokens)")
PYEOF

echo "== khabar, same test.txt"
cargo build --release -q -p khabar-cli
./target/release/khabar eval ner --test "$DATA/test.txt"
