#!/usr/bin/env bash
# Side by side on the same text, the same machine, one core each, in one run:
#   1. camel_tools: normalize (unicode, alef, alef maksura, teh marbuta, diacritics) + simple_word_tokenize
#   2. spaCy: NER with the model bench/peers/spacy_ner.sh trains on ANERcorp (trained first if missing)
#   3. khabar: the text layer alone (`analyze --fields tokens`)
#   4. khabar: the whole pipeline (`analyze`, every field, JSONL out)
#   5. khabar: `analyze --fields entities,entity_index,quotes,times`
# and prints seconds, MB/s of text, output size, and each one's ratio to camel_tools.
#
#   bash bench/peers/side_by_side.sh                 # 20 MiB of SaudiNewsNet
#   MIB=5 SKIP_SPACY=1 bash bench/peers/side_by_side.sh
#
# Peers come from PyPI into bench/peers/.venv (gitignored). camel-tools is installed without
# its dependencies (torch, transformers: gigabytes that its normalizer and word tokenizer never
# import), plus the three small packages those two modules do import.
set -euo pipefail
cd "$(dirname "$0")/../.."
MIB=${MIB:-20}
VENV=bench/peers/.venv
WORK=${WORK:-$VENV/work}
CORPUS=${CORPUS:-../shared/data/saudinewsnet/articles.jsonl.gz}
KHABAR=${KHABAR:-target/release/khabar}
mkdir -p "$WORK"
if [ ! -x "$VENV/bin/python" ]; then
  python3 -m venv "$VENV"
fi
PY="$VENV/bin/python"
if ! "$PY" -c "import camel_tools" 2>/dev/null; then
  "$VENV/bin/pip" install --quiet --disable-pip-version-check --no-deps camel-tools==1.6.0
  "$VENV/bin/pip" install --quiet --disable-pip-version-check six==1.17.0 regex==2026.11.19 emoji==2.16.0
fi
if [ ! -x "$KHABAR" ]; then
  cargo build --release -p khabar-cli
fi
if [ -z "${SKIP_SPACY:-}" ] && [ ! -d "$WORK/model/model-best" ]; then
  echo "== training the spaCy model first (bench/peers/spacy_ner.sh)"
  WORK="$WORK" bash bench/peers/spacy_ner.sh
fi

# The same articles for everyone: the first MIB MiB of JSONL lines.
SAMPLE="$WORK/sample-${MIB}mib.jsonl"
"$PY" - "$CORPUS" "$SAMPLE" "$MIB" <<'PYEOF'
import gzip, sys
src, dst, mib = sys.argv[1], sys.argv[2], float(sys.argv[3])
want, size = int(mib * (1 << 20)), 0
with gzip.open(src, "rt", encoding="utf-8") as f, open(dst, "w", encoding="utf-8") as out:
    for line in f:
        if size >= want:
            break
        out.write(line)
        size += len(line.encode())
PYEOF

"$PY" - "$SAMPLE" "$WORK" "$KHABAR" "${SKIP_SPACY:-}" <<'PYEOF'
import json, os, subprocess, sys, time
sample, work, khabar, skip_spacy = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
texts = [json.loads(l)["text"] for l in open(sample, encoding="utf-8")]
text_mb = sum(len(t.encode()) for t in texts) / 1e6
in_mb = os.path.getsize(sample) / 1e6
print(f"sample: {len(texts)} articles, {text_mb:.1f} MB of text ({in_mb:.1f} MB of JSONL), one core each")
rows = []

from camel_tools.utils.normalize import (normalize_unicode, normalize_alef_ar,
    normalize_alef_maksura_ar, normalize_teh_marbuta_ar)
from camel_tools.utils.dediac import dediac_ar
from camel_tools.tokenizers.word import simple_word_tokenize
t0 = time.perf_counter()
ntok = 0
for t in texts:
    n = normalize_teh_marbuta_ar(normalize_alef_maksura_ar(normalize_alef_ar(dediac_ar(normalize_unicode(t)))))
    ntok += len(simple_word_tokenize(n))
rows.append(("camel_tools normalize + tokenize", time.perf_counter() - t0, None))

if not skip_spacy:
    import spacy
    nlp = spacy.load(f"{work}/model/model-best")
    t0 = time.perf_counter()
    ents = sum(len(d.ents) for d in nlp.pipe(texts, batch_size=64, n_process=1))
    rows.append(("spaCy NER (ANERcorp-trained, bench/peers/spacy_ner.sh)", time.perf_counter() - t0, None))

def run_khabar(label, *flags):
    out = f"{work}/khabar-out.jsonl"
    t0 = time.perf_counter()
    with open(out, "wb") as f:
        subprocess.run([khabar, "analyze", "--input", "jsonl", "--date-field", "date", "--threads", "1",
                        "--no-progress", *flags, sample], stdout=f, check=True)
    rows.append((label, time.perf_counter() - t0, os.path.getsize(out) / 1e6))

run_khabar("khabar text layer (analyze --fields tokens)", "--fields", "tokens")
run_khabar("khabar whole pipeline (analyze, all fields)")
run_khabar("khabar analyze --fields entities,entity_index,quotes,times", "--fields", "entities,entity_index,quotes,times")

base = rows[0][1]
print(f"{'':60} {'seconds':>8} {'MB/s':>7} {'output':>13} {'x camel_tools':>14}")
for label, secs, out_mb in rows:
    out = f"{out_mb:.0f} MB ({out_mb / in_mb:.2f}x)" if out_mb is not None else ""
    print(f"{label:60} {secs:8.2f} {text_mb / secs:7.2f} {out:>13} {secs / base:14.2f}")
PYEOF
