// khabar web page: hash routes #/search?…, #/article/ID?q=…, #/entity/ID. No build step.
"use strict";
(function () {
  const $ = (id) => document.getElementById(id);
  const view = $("view");
  const TYPES = { PERS: "شخص", LOC: "مكان", ORG: "منظمة", MISC: "أخرى" };

  function esc(s) {
    return String(s == null ? "" : s).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));
  }
  // A corpus record's url is data, not code: only http(s) URLs become links (a
  // `javascript:` or `data:` url is shown as text).
  function sourceLink(url) {
    const u = String(url).trim();
    return /^https?:\/\//i.test(u)
      ? `<a href="${esc(u)}" rel="noopener noreferrer" target="_blank">المصدر</a>`
      : `<span class="meta">المصدر: ${esc(u)}</span>`;
  }
  function qs(obj) {
    const p = new URLSearchParams();
    for (const [k, v] of Object.entries(obj)) if (v !== undefined && v !== null && v !== "" && v !== false) p.set(k, v === true ? "1" : v);
    return p.toString();
  }
  async function api(path) {
    const r = await fetch(path, { headers: { Accept: "application/json" } });
    const body = await r.json().catch(() => ({}));
    if (!r.ok) throw new Error((body.error && body.error.message) || r.statusText);
    return body;
  }
  function fail(e) {
    view.innerHTML = `<p class="error">خطأ: ${esc(e.message || e)}</p>`;
    document.body.dataset.state = "error";
  }
  function done(name) { document.body.dataset.state = name; }

  // ---- map (map.js) --------------------------------------------------------
  const MAP_BOX = '<section class="side map-box" id="places" hidden></section>';
  const searchPlace = (f) => { location.hash = "#/search?" + qs({ entity: f.properties.id }); };
  async function showPlaces(params) {
    const box = $("places");
    if (!box || !window.khabarMap) return;
    try {
      const g = await api("/v1/places?" + qs({ ...params, limit: 100 }));
      if ($("places") === box) await window.khabarMap.render(box, g.features, searchPlace);
    } catch (e) { box.hidden = true; }
  }

  // ---- search --------------------------------------------------------------
  function formParams() {
    return { q: $("q").value.trim(), from: $("from").value, to: $("to").value, source: $("source").value.trim(), entity: $("entity").value.trim(), all: $("all").checked };
  }
  function fillForm(p) {
    $("q").value = p.get("q") || "";
    $("from").value = p.get("from") || "";
    $("to").value = p.get("to") || "";
    $("source").value = p.get("source") || "";
    $("entity").value = p.get("entity") || "";
    $("all").checked = p.get("all") === "1";
    if (p.get("from") || p.get("to") || p.get("source") || p.get("entity") || p.get("all")) $("filters").open = true;
  }
  $("search-form").addEventListener("submit", (ev) => {
    ev.preventDefault();
    location.hash = "#/search?" + qs(formParams());
  });

  async function showSearch(p) {
    fillForm(p);
    const params = { q: p.get("q"), from: p.get("from"), to: p.get("to"), source: p.get("source"), entity: p.get("entity"), all: p.get("all") === "1", limit: 10, offset: p.get("offset") || 0 };
    if (!params.q && !params.entity && !params.source && !params.from && !params.to) { view.innerHTML = '<p class="hint">اكتب كلمة للبحث.</p>'; done("idle"); return; }
    view.innerHTML = '<p class="hint">جارٍ البحث…</p>';
    try {
      const r = await api("/v1/search?" + qs(params));
      const q = params.q || "";
      const items = r.hits.map((h) => {
        const dups = h.duplicates.length
          ? `<details class="dups"><summary>${h.duplicates.length} نسخة مكررة مطوية</summary>${h.duplicates.map((d) => `<a href="#/article/${d}?${qs({ q })}">#${d}</a>`).join(" · ")}</details>` : "";
        return `<div class="result" data-id="${h.id}">
          <h2><a class="open" href="#/article/${h.id}?${qs({ q })}">${h.title.html || "(بلا عنوان)"}</a></h2>
          <div class="meta">${esc((h.date || "").slice(0, 10))} · ${esc(h.source)}</div>
          <p class="snippet">${h.snippet.cut[0] ? "… " : ""}${h.snippet.html}${h.snippet.cut[1] ? " …" : ""}</p>${dups}</div>`;
      });
      const off = Number(params.offset) || 0;
      const nav = [];
      if (off > 0) nav.push(`<a href="#/search?${qs({ ...params, limit: null, offset: Math.max(0, off - 10) })}">السابق</a>`);
      if (r.hits.length === 10) nav.push(`<a href="#/search?${qs({ ...params, limit: null, offset: off + 10 })}">التالي</a>`);
      view.innerHTML = `<p class="summary" id="summary">${r.total} مقالاً مطابقاً${r.collapsed ? " (المكرر مطوي)" : ""} · ${r.took_ms.toFixed(1)} ms</p>
        ${r.total ? MAP_BOX : ""}${items.join("") || '<p class="hint">لا نتائج.</p>'}<div class="pager">${nav.join("")}</div>`;
      if (r.total) await showPlaces({ q: params.q, from: params.from, to: params.to, source: params.source, entity: params.entity });
      done("results");
    } catch (e) { fail(e); }
  }

  // ---- article -------------------------------------------------------------
  const AMOUNT_KINDS = { money: "مال", percent: "نسبة", count: "عدد", number: "رقم" };
  function amountLabel(m) {
    const v = Number(m.value).toLocaleString("en-US", { maximumFractionDigits: 6 });
    return `${AMOUNT_KINDS[m.kind] || m.kind}: ${v}${m.unit ? " " + m.unit : ""}${m.approx ? " (تقريباً)" : ""}`;
  }
  function renderAnnotated(a) {
    const chars = Array.from(a.analysis.text);
    const n = chars.length;
    const marks = [];
    for (const e of a.analysis.entities) marks.push({ s: e.start, e: e.end, cls: "ent ent-" + e.type, attrs: `data-ent="${esc(a.entity_ids[e.id] || "")}" title="${esc(TYPES[e.type] || e.type)}"` });
    for (const q of a.analysis.quotes) marks.push({ s: q.start, e: q.end, cls: "quote", attrs: "" });
    for (const t of a.analysis.times) marks.push({ s: t.start, e: t.end, cls: "time", attrs: `title="${esc(t.value || "؟")}"` });
    for (const m of a.analysis.amounts || []) marks.push({ s: m.start, e: m.end, cls: "amount amount-" + m.kind, attrs: `title="${esc(amountLabel(m))}" data-value="${esc(String(m.value))}"` });
    for (const [s, e] of a.highlights || []) marks.push({ s, e, cls: "hl", attrs: "" });
    const cuts = new Set([0, n]);
    for (const m of marks) { cuts.add(Math.max(0, Math.min(n, m.s))); cuts.add(Math.max(0, Math.min(n, m.e))); }
    const pts = [...cuts].sort((x, y) => x - y);
    let html = "";
    for (let i = 0; i + 1 < pts.length; i++) {
      const s = pts[i], e = pts[i + 1];
      let piece = esc(chars.slice(s, e).join(""));
      const active = marks.filter((m) => m.s <= s && m.e >= e);
      for (const m of active) piece = m.cls === "hl" ? `<mark>${piece}</mark>` : `<span class="${m.cls}" ${m.attrs}>${piece}</span>`;
      html += piece;
    }
    return html;
  }

  async function showArticle(id, p) {
    view.innerHTML = '<p class="hint">جارٍ التحميل…</p>';
    try {
      const q = p.get("q") || "";
      const a = await api(`/v1/articles/${encodeURIComponent(id)}?${qs({ q })}`);
      const an = a.analysis;
      const names = Object.fromEntries(an.entity_index.map((r) => [r.id, r]));
      const textOf = (s) => Array.from(an.text).slice(s.start, s.end).join("");
      const ents = an.entity_index.slice().sort((x, y) => y.mentions - x.mentions)
        .map((r) => `<li><a class="ent-${r.type}" href="#/entity/${encodeURIComponent(a.entity_ids[r.id])}">${esc(r.name)}</a> <span class="n">${TYPES[r.type] || r.type} · ${r.mentions}</span></li>`).join("");
      const quotes = an.quotes.map((qt) => {
        const sp = qt.speaker && names[qt.speaker] ? names[qt.speaker].name : (qt.speaker_span ? qt.speaker_span.text : "متحدث غير محدد");
        return `<li><span class="speaker">${esc(sp)}</span>${qt.cue ? ` (${esc(qt.cue)})` : ""}: «${esc(qt.text)}»</li>`;
      }).join("");
      const times = an.times.map((t) => `<li>${esc(textOf(t))} ← <bdi>${esc(t.value || "غير محدد")}${t.mod ? " " + esc(t.mod) : ""}</bdi></li>`).join("");
      const amounts = (an.amounts || []).map((m) => `<li>${esc(m.text)} ← <bdi>${esc(amountLabel(m))}</bdi></li>`).join("");
      const dups = a.duplicates.length ? `<p class="meta">نسخ مكررة: ${a.duplicates.map((d) => `<a href="#/article/${d}?${qs({ q })}">#${d}</a>`).join(" · ")}</p>` : "";
      view.innerHTML = `<article class="full" data-id="${a.id}">
        <div class="meta">${esc((a.date || "").slice(0, 10))} · ${esc(a.source)}${a.url ? ` · ${sourceLink(a.url)}` : ""}</div>
        <h1>${esc(a.title) || "(بلا عنوان)"}</h1>${dups}
        <div class="legend"><span class="l-PERS">شخص</span><span class="l-LOC">مكان</span><span class="l-ORG">منظمة</span><span class="l-MISC">أخرى</span><span><span class="quote">اقتباس</span></span><span><span class="time">زمن</span></span><span><span class="amount">كمية</span></span></div>
        <div class="body" id="body">${renderAnnotated(a)}</div></article>
        ${ents ? `<section class="side"><h3>الكيانات</h3><ul class="chips">${ents}</ul></section>` : ""}
        ${quotes ? `<section class="side"><h3>الاقتباسات</h3><ul class="quotes">${quotes}</ul></section>` : ""}
        ${times ? `<section class="side"><h3>التواريخ</h3><ul class="times">${times}</ul></section>` : ""}
        ${amounts ? `<section class="side"><h3>الأرقام والمبالغ</h3><ul class="times amounts">${amounts}</ul></section>` : ""}${MAP_BOX}`;
      const here = an.entity_index.filter((r) => r.lat != null && r.lon != null).map((r) => ({
        type: "Feature", geometry: { type: "Point", coordinates: [r.lon, r.lat] },
        properties: { id: a.entity_ids[r.id], name: r.name, articles: r.mentions } }));
      if (window.khabarMap) await window.khabarMap.render($("places"), here, searchPlace);
      view.querySelectorAll("[data-ent]").forEach((el) => el.addEventListener("click", () => { if (el.dataset.ent) location.hash = "#/entity/" + encodeURIComponent(el.dataset.ent); }));
      done("article");
    } catch (e) { fail(e); }
  }

  // ---- entity --------------------------------------------------------------
  function chart(timeline) {
    if (!timeline.length) return "";
    const days = [];
    const d0 = new Date(timeline[0][0] + "T00:00:00Z"), d1 = new Date(timeline[timeline.length - 1][0] + "T00:00:00Z");
    const counts = Object.fromEntries(timeline);
    for (let d = d0; d <= d1 && days.length < 400; d = new Date(d.getTime() + 86400000)) { const k = d.toISOString().slice(0, 10); days.push([k, counts[k] || 0]); }
    const W = 600, H = 160, pad = 22, max = Math.max(...days.map((x) => x[1]), 1), bw = (W - 2 * pad) / days.length;
    // Time runs right to left, as the page reads.
    const bars = days.map(([k, c], i) => { const h = (H - 2 * pad) * c / max; const x = W - pad - (i + 1) * bw; return `<rect x="${x.toFixed(1)}" y="${(H - pad - h).toFixed(1)}" width="${Math.max(1, bw - 1).toFixed(1)}" height="${h.toFixed(1)}"><title>${k}: ${c}</title></rect>`; }).join("");
    return `<svg class="chart" id="chart" viewBox="0 0 ${W} ${H}" role="img" aria-label="الإشارات عبر الزمن">${bars}
      <text x="${W - pad}" y="${H - 6}" text-anchor="start">${days[0][0]}</text><text x="${pad}" y="${H - 6}" text-anchor="end">${days[days.length - 1][0]}</text>
      <text x="${W - pad}" y="14" text-anchor="start">${max}</text></svg>`;
  }

  async function showEntity(id) {
    view.innerHTML = '<p class="hint">جارٍ التحميل…</p>';
    try {
      const e = await api("/v1/entities/" + encodeURIComponent(id));
      const co = e.co_mentions.map((c) => `<li><a class="ent-${c.type}" href="#/entity/${encodeURIComponent(c.id)}">${esc(c.name)}</a> <span class="n">${c.articles}</span></li>`).join("");
      const recent = e.recent.map(([rid, title, date]) => `<li><a href="#/article/${rid}">${esc(title) || "(بلا عنوان)"}</a> <span class="n">${esc((date || "").slice(0, 10))}</span></li>`).join("");
      view.innerHTML = `<article class="full"><div class="meta">${TYPES[e.type] || e.type}</div>
        <h1 class="ent-${e.type}">${esc(e.name)}</h1>
        <p class="meta">${e.articles} مقالاً · <a href="#/search?${qs({ entity: e.id })}">كل المقالات</a>${e.geonameid ? ` · GeoNames <bdi>${e.geonameid}</bdi>` : ""}</p>
        ${e.variants && e.variants.length > 1 ? `<p class="meta" id="variants">يُكتب: ${e.variants.slice(0, 8).map(([v, n]) => `${esc(v)} (${n})`).join("، ")}</p>` : ""}
        ${chart(e.timeline)}</article>
        ${co ? `<section class="side"><h3>يُذكر معه</h3><ul class="chips" id="co">${co}</ul></section>` : ""}
        ${recent ? `<section class="side"><h3>أحدث المقالات</h3><ul class="times">${recent}</ul></section>` : ""}${MAP_BOX}`;
      await showPlaces({ entity: e.id });
      done("entity");
    } catch (err) { fail(err); }
  }

  // ---- router --------------------------------------------------------------
  function route() {
    const h = location.hash.replace(/^#/, "") || "/";
    const [path, query] = h.split("?");
    const p = new URLSearchParams(query || "");
    const parts = path.split("/").filter(Boolean);
    window.scrollTo(0, 0);
    if (parts[0] === "article" && parts[1]) return showArticle(parts[1], p);
    if (parts[0] === "entity" && parts[1]) return showEntity(decodeURIComponent(parts.slice(1).join("/")));
    if (parts[0] === "search") return showSearch(p);
    done("idle");
  }
  window.addEventListener("hashchange", route);
  route();
})();
