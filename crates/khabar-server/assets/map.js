// khabar map: the places of a search, an entity or an article as circles sized by article
// count over the world's country shapes (world-atlas, Natural Earth), drawn as SVG by the
// page itself: no tiles, nothing fetched from anywhere but this server.
"use strict";
window.khabarMap = (function () {
  const W = 960, H = 440;            // equirectangular, latitudes 80°N to 60°S
  const TOP = 80, BOTTOM = -60;
  const x = (lon) => ((lon + 180) / 360) * W;
  const y = (lat) => ((TOP - lat) / (TOP - BOTTOM)) * H;
  let land = null;

  // TopoJSON → one SVG path of every country ring (arcs are delta-encoded and quantized).
  function topoPath(topo) {
    const [sx, sy] = topo.transform.scale, [tx, ty] = topo.transform.translate;
    const arcs = topo.arcs.map((arc) => {
      let a = 0, b = 0;
      return arc.map(([dx, dy]) => { a += dx; b += dy; return [a * sx + tx, b * sy + ty]; });
    });
    const ring = (ids) => {
      const pts = [];
      for (const i of ids) {
        const arc = i < 0 ? arcs[~i].slice().reverse() : arcs[i];
        for (let k = pts.length ? 1 : 0; k < arc.length; k++) pts.push(arc[k]);
      }
      let d = "", prev = null;
      for (const [lon, lat] of pts) {
        // A ring crossing the antimeridian (Russia, Fiji) starts a new piece instead of a
        // stroke across the whole map.
        const jump = prev && Math.abs(lon - prev) > 180;
        d += (d === "" || jump ? "M" : "L") + x(lon).toFixed(1) + "," + y(Math.max(BOTTOM, Math.min(TOP, lat))).toFixed(1);
        prev = lon;
      }
      return d + "Z";
    };
    let d = "";
    for (const g of topo.objects.countries.geometries) {
      const polys = g.type === "Polygon" ? [g.arcs] : g.type === "MultiPolygon" ? g.arcs : [];
      for (const p of polys) for (const r of p) d += ring(r);
    }
    return d;
  }

  function loadLand() {
    if (!land) {
      land = fetch("/vendor/countries-110m.json").then((r) => {
        if (!r.ok) throw new Error("map data: " + r.status);
        return r.json();
      }).then(topoPath);
    }
    return land;
  }

  function esc(s) {
    return String(s == null ? "" : s).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));
  }

  // Draws `features` (GeoJSON Point features with `properties.articles`) into `el`;
  // `onPick(feature)` runs when a circle is clicked (or chosen with Enter).
  async function render(el, features, onPick) {
    const pts = features.filter((f) => f.geometry && f.geometry.type === "Point");
    if (!pts.length) { el.innerHTML = ""; el.hidden = true; return; }
    el.hidden = false;
    let d;
    try { d = await loadLand(); } catch (e) { el.innerHTML = `<p class="error">${esc(e.message)}</p>`; return; }
    const max = Math.max(...pts.map((f) => f.properties.articles || 1));
    // Largest first, so small circles stay clickable on top of large ones.
    const sorted = pts.slice().sort((a, b) => (b.properties.articles || 1) - (a.properties.articles || 1));
    const circles = sorted.map((f) => {
      const [lon, lat] = f.geometry.coordinates, n = f.properties.articles || 1;
      const r = 3 + 15 * Math.sqrt(n / max);
      return `<circle class="place" tabindex="0" role="button" data-id="${esc(f.properties.id)}" cx="${x(lon).toFixed(1)}" cy="${y(lat).toFixed(1)}" r="${r.toFixed(1)}"><title>${esc(f.properties.name)} · ${n}</title></circle>`;
    }).join("");
    el.innerHTML = `<svg class="map" id="map" dir="ltr" viewBox="0 0 ${W} ${H}" role="img" aria-label="خريطة الأماكن"><rect class="sea" width="${W}" height="${H}"/><path class="land" d="${d}"/>${circles}</svg>
      <p class="map-caption">${pts.length} مكاناً · حجم الدائرة بعدد المقالات · انقر مكاناً للبحث عنه</p>`;
    const byId = Object.fromEntries(pts.map((f) => [f.properties.id, f]));
    el.querySelectorAll("circle.place").forEach((c) => {
      const pick = () => onPick(byId[c.dataset.id]);
      c.addEventListener("click", pick);
      c.addEventListener("keydown", (ev) => { if (ev.key === "Enter") pick(); });
    });
  }

  return { render };
})();
