import gzip, json, random, re, email.utils
random.seed(15)
NUMW = r"(ثلاث|أربع|خمس|ست|سبع|ثمان|تسع|عشر|عشرين|عشرون|مئة|مائة|مئتي|ألف|آلاف|مليون|ملايين|مليار|ملياري|مليارات|نصف)"
AMT = re.compile(r"[0-9٠-٩]|\b" + NUMW)
TIME = re.compile(r"(محرم|صفر|ربيع الأول|ربيع الثاني|ربيع الآخر|جمادى|رجب|شعبان|رمضان|شوال|ذي القعدة|ذو القعدة|ذي الحجة|ذو الحجة|الربع الأول|الربع الثاني|الربع الثالث|الربع الرابع|الربع الأخير|النصف الأول|النصف الثاني|صيف|شتاء|خريف|ربيع [0-9]|مطلع|منتصف|نهاية|أواخر|أوائل|بداية العام|الأحد|الاثنين|الثلاثاء|الأربعاء|الخميس|الجمعة|السبت)")
def sents(text):
    for p in re.split(r"(?<=[.!؟])\s+|\n+", text):
        p = p.strip()
        if 40 <= len(p) <= 220:
            yield p
def load(path, datef):
    out = []
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for line in f:
            a = json.loads(line)
            out.append((a, datef(a)))
    return out
def antdate(a):
    try:
        return email.utils.parsedate_to_datetime(a["time"]).date().isoformat()
    except Exception:
        return None
snn = load("/work/shared/data/saudinewsnet/articles.jsonl.gz", lambda a: a["date"][:10])
ant = load("/work/shared/data/ant/articles.jsonl.gz", antdate)
rows = []
used = set()
def pick(corpus, name, idf, pat, n, tag):
    idx = list(range(len(corpus)))
    random.shuffle(idx)
    got = 0
    for k in idx:
        a, d = corpus[k]
        aid = idf(a)
        if aid in used or not d:
            continue
        c = [s for s in sents(a.get("text", "")) if pat.search(s)]
        if tag == "time":
            c = [s for s in c if TIME.search(s)]
        if not c:
            continue
        s = random.choice(c)
        used.add(aid)
        rows.append({"id": f"{tag[0]}{len(rows)+1:03d}", "source": f"{name}:{aid}", "date": d, "text": s, "kind": tag})
        got += 1
        if got >= n:
            break
pick(snn, "saudinewsnet", lambda a: a["url"], AMT, 100, "amount")
pick(ant, "ant", lambda a: a["id"], AMT, 100, "amount")
pick(snn, "saudinewsnet", lambda a: a["url"], TIME, 60, "time")
pick(ant, "ant", lambda a: a["id"], TIME, 60, "time")
with open("/tmp/ann/sample.jsonl", "w") as f:
    for r in rows:
        f.write(json.dumps(r, ensure_ascii=False) + "\n")
print(len(rows))
DENSE = re.compile(r"(مليون|مليار|ألف|آلاف|في المئة|في المائة|بالمئة|%|دولار|ريال|يورو|جنيه|درهم|دينار)")
rows2 = []
def pick2(corpus, name, idf, n, start):
    idx = list(range(len(corpus)))
    random.shuffle(idx)
    got = 0
    for k in idx:
        a, d = corpus[k]
        aid = idf(a)
        if aid in used or not d:
            continue
        c = [s for s in sents(a.get("text", "")) if len(DENSE.findall(s)) >= 2 and len(s) <= 180]
        if not c:
            continue
        used.add(aid)
        rows2.append({"id": f"b{start+got:03d}", "source": f"{name}:{aid}", "date": d, "text": random.choice(c), "kind": "amount"})
        got += 1
        if got >= n:
            break
pick2(snn, "saudinewsnet", lambda a: a["url"], 45, 1)
pick2(ant, "ant", lambda a: a["id"], 45, 46)
with open("/tmp/ann/sample2.jsonl", "w") as f:
    for r in rows2:
        f.write(json.dumps(r, ensure_ascii=False) + "\n")
NARROW = re.compile(r"(الربع (الأول|الثاني|الثالث|الرابع|الأخير)|النصف (الأول|الثاني) من|(صيف|شتاء|خريف|ربيع) (عام )?[0-9]{4}|(الصيف|الشتاء|الخريف) (الماضي|المقبل|القادم|الجاري|الحالي)|(محرم|صفر|رجب|شعبان|رمضان|شوال|ذي الحجة|ذي القعدة) (الماضي|المقبل|القادم|الجاري|الحالي)|(مطلع|نهاية|منتصف|أواخر|أوائل) (عام )?[0-9]{4})")
rows3 = []
def pick3(corpus, name, idf, n, start):
    idx = list(range(len(corpus)))
    random.shuffle(idx)
    got = 0
    for k in idx:
        a, d = corpus[k]
        aid = idf(a)
        if aid in used or not d:
            continue
        c = [s for s in sents(a.get("text", "")) if NARROW.search(s) and len(s) <= 200]
        if not c:
            continue
        used.add(aid)
        rows3.append({"id": f"u{start+got:03d}", "source": f"{name}:{aid}", "date": d, "text": random.choice(c), "kind": "time"})
        got += 1
        if got >= n:
            break
pick3(snn, "saudinewsnet", lambda a: a["url"], 25, 1)
pick3(ant, "ant", lambda a: a["id"], 25, 26)
with open("/tmp/ann/sample3.jsonl", "w") as f:
    for r in rows3:
        f.write(json.dumps(r, ensure_ascii=False) + "\n")
