// frontdoor's report map: draws the embedded data (#fd-data) on a canvas, offline. Pan by
// dragging, zoom with the wheel, + and - or a double click; hover a site for its name, click it
// for its card; filter by agency, kind and recommendation; search by name or id; zone layers by
// minutes today or people losing a service under the plan; catchments and share proposals.
// Also lists the scorecard's large groups when they are opened. No request leaves the page.
(function () {
  'use strict';
  var dataEl = document.getElementById('fd-data');
  var canvas = document.getElementById('fd-map');
  if (!dataEl || !canvas) { return; }
  var D = JSON.parse(dataEl.textContent);
  var S = D.sites, Z = D.zones;
  var nSites = S.id.length, nZones = Z.id.length;
  var ctx = canvas.getContext('2d');
  var tip = document.getElementById('fd-tip');
  var card = document.getElementById('fd-card');
  var REC_COLOUR = { close: '#c53030', share: '#2f855a', open: '#6b46c1', review: '#b7791f', keep: '#2b6cb0', not_opened: '#718096', context: '#718096', not_assessed: '#718096' };
  var REC_LABEL = { close: 'close', share: 'share', open: 'open', review: 'for review', keep: 'keep', not_opened: 'candidate, not opened', context: 'context (not the study\u2019s)', not_assessed: 'street furniture, not assessed' };
  var RAMP = ['#ffffcc', '#c7e9b4', '#7fcdbb', '#41b6c4', '#2c7fb8', '#253494'];

  function decode(a) {
    var out = new Float64Array(a.length), x = 0, y = 0;
    for (var i = 0; i < a.length; i += 2) { x += a[i]; y += a[i + 1]; out[i] = x; out[i + 1] = y; }
    return out;
  }
  function bbox(rings) {
    var b = [Infinity, Infinity, -Infinity, -Infinity];
    rings.forEach(function (r) {
      for (var i = 0; i < r.length; i += 2) {
        if (r[i] < b[0]) { b[0] = r[i]; } if (r[i] > b[2]) { b[2] = r[i]; }
        if (r[i + 1] < b[1]) { b[1] = r[i + 1]; } if (r[i + 1] > b[3]) { b[3] = r[i + 1]; }
      }
    });
    return b;
  }
  var zoneRings = Z.rings.map(function (rs) { return rs && rs.length ? rs.map(decode) : null; });
  var zoneBox = zoneRings.map(function (rs) { return rs ? bbox(rs) : null; });
  var roads = D.roads.map(decode);
  var roadBox = roads.map(function (r) { return bbox([r]); });
  var catchments = D.catchments.map(function (c) { return { site: c[0], rings: c[1].map(decode) }; });
  var furnitureKind = S.kinds.map(function (k) { return k.furniture; });
  // A typical zone's width, metres: outlines are drawn only where zones are big enough to see.
  var zoneWidth = (function () {
    var w = zoneBox.filter(function (b) { return b; }).map(function (b) { return b[2] - b[0]; }).sort(function (a, b) { return a - b; });
    return w.length ? w[w.length >> 1] : 0;
  }());

  // The study's extent, in metres.
  var ext = [Infinity, Infinity, -Infinity, -Infinity];
  function grow(x, y) { if (x < ext[0]) { ext[0] = x; } if (x > ext[2]) { ext[2] = x; } if (y < ext[1]) { ext[1] = y; } if (y > ext[3]) { ext[3] = y; } }
  // The study area is its zones' (sites beyond them, kept for edge effects, are reached by
  // panning); the sites' where there are no zones.
  zoneBox.forEach(function (b, i) { if (b) { grow(b[0], b[1]); grow(b[2], b[3]); } else { grow(Z.x[i], Z.y[i]); } });
  if (!nZones) { for (var i = 0; i < nSites; i++) { grow(S.x[i], S.y[i]); } }
  if (!isFinite(ext[0])) { ext = [0, 0, 1000, 1000]; }

  var W = 0, H = 0, dpr = 1;
  var view = { s: 1, cx: 0, cy: 0 };
  var filt = { agency: -1, kind: -1, rec: -1, furniture: false, zones: 'before', catchments: false, proposals: true };
  var selected = -1, hovered = -1, drawn = [];

  function sx(x) { return (x - view.cx) * view.s + W / 2; }
  function sy(y) { return H / 2 - (y - view.cy) * view.s; }
  function mx(px) { return (px - W / 2) / view.s + view.cx; }
  function my(py) { return (H / 2 - py) / view.s + view.cy; }

  function home() {
    var w = Math.max(ext[2] - ext[0], 100), h = Math.max(ext[3] - ext[1], 100);
    view.s = Math.min(W / w, H / h) * 0.94;
    view.cx = (ext[0] + ext[2]) / 2; view.cy = (ext[1] + ext[3]) / 2;
  }

  function shown(i) {
    var k = S.kind[i];
    if (filt.kind >= 0 && k !== filt.kind) { return false; }
    if (filt.kind < 0 && furnitureKind[k] && !filt.furniture) { return false; }
    if (filt.agency >= 0 && S.agency[i] !== filt.agency) { return false; }
    if (filt.rec >= 0 && S.rec[i] !== filt.rec) { return false; }
    return true;
  }

  // The symbol of a kind, as in the PNG and SVG maps (src/render/symbols.rs).
  function outline(shape, x, y, r) {
    function polar(n, start, rr) {
      var p = [];
      for (var i = 0; i < n; i++) { var a = start + i * 2 * Math.PI / n; p.push([x + rr * Math.cos(a), y + rr * Math.sin(a)]); }
      return p;
    }
    var h = Math.PI / 2;
    switch (shape) {
      case 'square': return polar(4, h / 2, r * 1.25);
      case 'diamond': return polar(4, 0, r * 1.3);
      case 'triangle': return polar(3, -h, r * 1.35);
      case 'triangle-down': return polar(3, h, r * 1.35);
      case 'hexagon': return polar(6, 0, r * 1.1);
      case 'cross':
        var a = r * 1.2, b = r * 0.42;
        return [[x - b, y - a], [x + b, y - a], [x + b, y - b], [x + a, y - b], [x + a, y + b], [x + b, y + b], [x + b, y + a], [x - b, y + a], [x - b, y + b], [x - a, y + b], [x - a, y - b], [x - b, y - b]];
      default: return null;
    }
  }
  function symbol(c, kind, x, y, r, hollow) {
    var k = S.kinds[kind], p = outline(k.shape, x, y, r);
    c.beginPath();
    if (!p) { c.arc(x, y, r, 0, 2 * Math.PI); } else { c.moveTo(p[0][0], p[0][1]); for (var i = 1; i < p.length; i++) { c.lineTo(p[i][0], p[i][1]); } c.closePath(); }
    c.lineWidth = 1.5; c.strokeStyle = '#fff';
    if (hollow) { c.fillStyle = '#fff'; c.fill(); c.strokeStyle = k.colour; c.lineWidth = 2; c.stroke(); }
    else { c.fillStyle = k.colour; c.fill(); c.stroke(); }
  }

  function minutesClass(m) {
    if (m === null || m === undefined) { return -1; }
    var band = D.minutes || 20, edges = [band / 4, band / 2, band, band * 1.5, band * 3];
    for (var i = 0; i < edges.length; i++) { if (m <= edges[i]) { return i; } }
    return edges.length;
  }
  function zoneFill(i) {
    if (filt.zones === 'before') { var c = minutesClass(Z.before[i]); return c < 0 ? '#e2e2e2' : RAMP[c]; }
    if (filt.zones === 'losing') { return Z.loses[i] ? '#e53e3e' : '#edf2f7'; }
    return null;
  }

  function visible(b) {
    return b && sx(b[2]) >= 0 && sx(b[0]) <= W && sy(b[1]) >= 0 && sy(b[3]) <= H;
  }
  function pathRings(rings) {
    rings.forEach(function (r) {
      ctx.moveTo(sx(r[0]), sy(r[1]));
      for (var j = 2; j < r.length; j += 2) { ctx.lineTo(sx(r[j]), sy(r[j + 1])); }
      ctx.closePath();
    });
  }

  function drawZones() {
    if (filt.zones === 'none') { return; }
    var groups = {};
    for (var i = 0; i < nZones; i++) {
      var f = zoneFill(i);
      if (!f) { continue; }
      (groups[f] = groups[f] || []).push(i);
    }
    Object.keys(groups).forEach(function (f) {
      ctx.beginPath();
      var points = [];
      groups[f].forEach(function (i) {
        if (zoneRings[i]) { if (visible(zoneBox[i])) { pathRings(zoneRings[i]); } }
        else { points.push(i); }
      });
      ctx.fillStyle = f; ctx.fill('evenodd');
      if (zoneWidth * view.s > 14) { ctx.lineWidth = 0.6; ctx.strokeStyle = 'rgba(255,255,255,0.9)'; ctx.stroke(); }
      points.forEach(function (i) {
        var r = Math.max(3, Math.min(12, Math.sqrt(Z.population[i] || 0) * view.s * 2));
        ctx.beginPath(); ctx.arc(sx(Z.x[i]), sy(Z.y[i]), r, 0, 2 * Math.PI); ctx.fillStyle = f; ctx.fill();
      });
    });
  }

  function drawRoads() {
    if (!roads.length) { return; }
    ctx.beginPath();
    roads.forEach(function (r, i) {
      if (!visible(roadBox[i])) { return; }
      ctx.moveTo(sx(r[0]), sy(r[1]));
      for (var j = 2; j < r.length; j += 2) { ctx.lineTo(sx(r[j]), sy(r[j + 1])); }
    });
    ctx.lineWidth = view.s > 0.02 ? 2.2 : 1.2; ctx.strokeStyle = 'rgba(120,110,100,0.75)'; ctx.lineJoin = 'round'; ctx.stroke();
  }

  function drawCatchments() {
    if (!filt.catchments) { return; }
    catchments.forEach(function (c) {
      if (!shown(c.site)) { return; }
      ctx.beginPath(); pathRings(c.rings);
      ctx.lineWidth = 1.2; ctx.strokeStyle = S.kinds[S.kind[c.site]].colour; ctx.globalAlpha = 0.7; ctx.stroke(); ctx.globalAlpha = 1;
    });
  }

  function drawProposals() {
    if (!filt.proposals) { return; }
    D.proposals.forEach(function (p) {
      p.guests.forEach(function (g) {
        ctx.beginPath(); ctx.moveTo(sx(S.x[p.host]), sy(S.y[p.host])); ctx.lineTo(sx(S.x[g]), sy(S.y[g]));
        ctx.setLineDash([6, 4]); ctx.lineWidth = 2.5; ctx.strokeStyle = p.recommended ? '#2f855a' : '#a0aec0'; ctx.stroke(); ctx.setLineDash([]);
      });
    });
  }

  function drawSites() {
    drawn = [];
    var big = [];
    for (var i = 0; i < nSites; i++) {
      if (!shown(i)) { continue; }
      var x = sx(S.x[i]), y = sy(S.y[i]);
      if (x < -10 || x > W + 10 || y < -10 || y > H + 10) { continue; }
      drawn.push(i);
      if (furnitureKind[S.kind[i]]) {
        ctx.fillStyle = S.kinds[S.kind[i]].colour; ctx.fillRect(x - 1.5, y - 1.5, 3, 3);
      } else { big.push(i); }
    }
    // Smaller marks where many are in view, so a region or the country stays readable.
    var r = big.length > 3000 ? 2.2 : big.length > 800 ? 3.5 : (view.s > 0.01 ? 6 : 4.5);
    big.forEach(function (i) {
      var x = sx(S.x[i]), y = sy(S.y[i]), rec = D.recommendations[S.rec[i]];
      if (rec === 'close' || rec === 'share' || rec === 'open' || rec === 'review') {
        ctx.beginPath(); ctx.arc(x, y, r + Math.max(2, r * 0.75), 0, 2 * Math.PI); ctx.lineWidth = r > 3 ? 3 : 1.5; ctx.strokeStyle = REC_COLOUR[rec]; ctx.stroke();
      }
      symbol(ctx, S.kind[i], x, y, r, rec === 'not_opened');
      if (rec === 'close') {
        ctx.beginPath(); ctx.moveTo(x - r, y - r); ctx.lineTo(x + r, y + r); ctx.moveTo(x - r, y + r); ctx.lineTo(x + r, y - r);
        ctx.lineWidth = 2.5; ctx.strokeStyle = '#c53030'; ctx.stroke();
      }
    });
    [selected, hovered].forEach(function (i) {
      if (i < 0) { return; }
      ctx.beginPath(); ctx.arc(sx(S.x[i]), sy(S.y[i]), r + 8, 0, 2 * Math.PI); ctx.lineWidth = 2; ctx.strokeStyle = '#111'; ctx.stroke();
    });
  }

  function drawLabels() {
    var taken = [];
    ctx.font = '600 13px system-ui, sans-serif'; ctx.textAlign = 'center'; ctx.textBaseline = 'middle';
    var most = 40;
    for (var k = 0; k < D.places.length && most > 0; k++) {
      var p = D.places[k], x = sx(p[1]), y = sy(p[2]) - 16;
      if (x < 0 || x > W || y < 0 || y > H) { continue; }
      var w = ctx.measureText(p[0]).width + 8, box = [x - w / 2, y - 9, x + w / 2, y + 9];
      if (taken.some(function (t) { return box[0] < t[2] && box[2] > t[0] && box[1] < t[3] && box[3] > t[1]; })) { continue; }
      taken.push(box); most--;
      ctx.lineWidth = 3.5; ctx.strokeStyle = 'rgba(255,255,255,0.92)'; ctx.strokeText(p[0], x, y);
      ctx.fillStyle = '#222'; ctx.fillText(p[0], x, y);
    }
  }

  function drawScale() {
    var target = 110 / view.s, pow = Math.pow(10, Math.floor(Math.log10(target))), len = pow;
    [1, 2, 5, 10].forEach(function (m) { if (m * pow <= target) { len = m * pow; } });
    var px = len * view.s, x0 = 14, y0 = H - 18;
    ctx.fillStyle = 'rgba(255,255,255,0.85)'; ctx.fillRect(x0 - 6, y0 - 20, px + 60, 30);
    ctx.beginPath(); ctx.moveTo(x0, y0 - 6); ctx.lineTo(x0, y0); ctx.lineTo(x0 + px, y0); ctx.lineTo(x0 + px, y0 - 6);
    ctx.lineWidth = 2; ctx.strokeStyle = '#222'; ctx.stroke();
    ctx.font = '12px system-ui, sans-serif'; ctx.textAlign = 'left'; ctx.textBaseline = 'alphabetic'; ctx.fillStyle = '#222';
    ctx.fillText(len >= 1000 ? (len / 1000) + ' km' : len + ' m', x0 + px + 6, y0);
    if (roads.length) { ctx.textAlign = 'right'; ctx.fillStyle = '#444'; ctx.fillText('roads \u00a9 OpenStreetMap contributors', W - 8, H - 8); }
  }

  function draw() {
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.fillStyle = '#f7f7f4'; ctx.fillRect(0, 0, W, H);
    drawZones(); drawRoads(); drawCatchments(); drawProposals(); drawSites(); drawLabels(); drawScale();
    var count = document.getElementById('fd-count');
    if (count) {
      var n = 0; for (var i = 0; i < nSites; i++) { if (shown(i)) { n++; } }
      count.textContent = 'Showing ' + n.toLocaleString('en-GB') + ' of ' + nSites.toLocaleString('en-GB') + ' sites' + (filt.furniture || filt.kind >= 0 ? '' : ' (street furniture hidden: tick it to show)') + '.';
      canvas.setAttribute('data-shown', String(n));
    }
  }

  function resize() {
    dpr = window.devicePixelRatio || 1;
    var w = canvas.clientWidth, h = canvas.clientHeight;
    if (w === W && h === H && canvas.width === Math.round(w * dpr)) { draw(); return; }
    var first = W === 0;
    var keep = first ? null : { cx: view.cx, cy: view.cy, s: view.s * Math.min(w / W, h / H) };
    W = w; H = h; canvas.width = Math.round(w * dpr); canvas.height = Math.round(h * dpr);
    if (first) { home(); } else { view.cx = keep.cx; view.cy = keep.cy; view.s = keep.s; }
    draw();
  }

  function zoomAt(f, px, py) {
    var x = mx(px), y = my(py);
    view.s = Math.max(1e-6, Math.min(view.s * f, 5));
    view.cx = x - (px - W / 2) / view.s; view.cy = y - (H / 2 - py) / view.s;
    draw();
  }

  function nearest(px, py) {
    var best = -1, bd = 12 * 12;
    drawn.forEach(function (i) {
      var dx = sx(S.x[i]) - px, dy = sy(S.y[i]) - py, d = dx * dx + dy * dy;
      if (d <= bd) { bd = d; best = i; }
    });
    return best;
  }

  function esc(t) { return String(t).replace(/[&<>"']/g, function (c) { return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]; }); }
  function num(v) { return v === null || v === undefined ? '' : Math.round(v).toLocaleString('en-GB'); }
  function kindName(i) { return S.kinds[S.kind[i]].name.replace(/_/g, ' '); }
  function recOf(i) { return D.recommendations[S.rec[i]]; }

  function showTip(i, px, py) {
    if (i < 0) { tip.hidden = true; return; }
    tip.innerHTML = '<b>' + esc(S.name[i]) + '</b><br>' + esc(kindName(i)) + ' \u00b7 ' + esc(S.agencies[S.agency[i]]) + '<br><span class="rec rec-' + recOf(i) + '">' + esc(REC_LABEL[recOf(i)] || recOf(i)) + '</span>';
    tip.hidden = false;
    var tw = tip.offsetWidth, th = tip.offsetHeight;
    tip.style.left = Math.min(px + 14, W - tw - 4) + 'px'; tip.style.top = Math.max(4, py - th - 10) + 'px';
  }

  function money(v) { return v === null || v === undefined ? '' : (D.currency || '') + Math.round(v).toLocaleString('en-GB'); }
  function showCard(i) {
    selected = i;
    if (i < 0) { card.hidden = true; draw(); return; }
    var rows = [['kind', kindName(i)], ['agency', S.agencies[S.agency[i]]], ['id', S.id[i]]];
    if (S.role[i]) { rows.push(['in a share proposal as', S.role[i]]); }
    if (S.catchment[i] !== null) { rows.push(['people within ' + D.minutes + ' min ' + D.mode, num(S.catchment[i])]); }
    if (S.losing[i] !== null) { rows.push(['losing a service if it closed alone', num(S.losing[i])]); }
    if (S.contacts[i] !== null) { rows.push(['face-to-face contacts a year', num(S.contacts[i])]); }
    if (S.cost[i] !== null) { rows.push(['annual running cost', money(S.cost[i])]); }
    var why = S.why[i] ? '<h4>Why</h4><ul>' + S.why[i].split('; ').map(function (w) { return '<li>' + esc(w) + '</li>'; }).join('') + '</ul>' : (furnitureKind[S.kind[i]] ? '<p class="note">Street furniture: a point of presence (a possible digital point), not a building the rules assess.</p>' : '');
    card.innerHTML = '<button type="button" class="close" aria-label="close">\u00d7</button><h3>' + esc(S.name[i]) + '</h3><p class="rec rec-' + recOf(i) + '">' + esc(REC_LABEL[recOf(i)] || recOf(i)) + '</p><dl>' +
      rows.map(function (r) { return '<dt>' + esc(r[0]) + '</dt><dd>' + esc(r[1]) + '</dd>'; }).join('') + '</dl>' + why;
    card.hidden = false;
    card.querySelector('.close').addEventListener('click', function () { showCard(-1); });
    draw();
  }

  function zoomTo(i) {
    view.cx = S.x[i]; view.cy = S.y[i];
    view.s = Math.max(view.s, Math.min(W, H) / 3000);
    draw();
  }

  // Pointer: drag to pan, hover, click.
  var drag = null;
  canvas.addEventListener('pointerdown', function (e) { drag = { x: e.offsetX, y: e.offsetY, cx: view.cx, cy: view.cy, moved: false }; canvas.setPointerCapture(e.pointerId); });
  canvas.addEventListener('pointermove', function (e) {
    if (drag) {
      var dx = e.offsetX - drag.x, dy = e.offsetY - drag.y;
      if (Math.abs(dx) + Math.abs(dy) > 3) { drag.moved = true; }
      if (drag.moved) { view.cx = drag.cx - dx / view.s; view.cy = drag.cy + dy / view.s; tip.hidden = true; draw(); return; }
    }
    var i = nearest(e.offsetX, e.offsetY);
    if (i !== hovered) { hovered = i; draw(); }
    canvas.style.cursor = i >= 0 ? 'pointer' : 'grab';
    showTip(i, e.offsetX, e.offsetY);
  });
  canvas.addEventListener('pointerup', function (e) {
    var wasDrag = drag && drag.moved; drag = null;
    if (!wasDrag) { var i = nearest(e.offsetX, e.offsetY); showCard(i); }
  });
  canvas.addEventListener('pointerleave', function () { if (hovered >= 0) { hovered = -1; draw(); } tip.hidden = true; });
  canvas.addEventListener('wheel', function (e) { e.preventDefault(); zoomAt(e.deltaY < 0 ? 1.25 : 0.8, e.offsetX, e.offsetY); }, { passive: false });
  canvas.addEventListener('dblclick', function (e) { zoomAt(2, e.offsetX, e.offsetY); });
  document.getElementById('fd-in').addEventListener('click', function () { zoomAt(1.6, W / 2, H / 2); });
  document.getElementById('fd-out').addEventListener('click', function () { zoomAt(1 / 1.6, W / 2, H / 2); });
  document.getElementById('fd-home').addEventListener('click', function () { home(); draw(); });

  // Filters and layers.
  function fill(id, names, label) {
    var sel = document.getElementById(id);
    names.forEach(function (n, i) { var o = document.createElement('option'); o.value = String(i); o.textContent = label ? label(n) : n; sel.appendChild(o); });
    return sel;
  }
  var present = {};
  for (var s = 0; s < nSites; s++) { present[S.rec[s]] = true; }
  var recSel = fill('fd-rec', D.recommendations, function (r) { return REC_LABEL[r] || r; });
  Array.prototype.slice.call(recSel.options).forEach(function (o) { if (o.value !== '' && !present[Number(o.value)]) { o.remove(); } });
  [['fd-agency', 'agency', fill('fd-agency', S.agencies)], ['fd-kind', 'kind', fill('fd-kind', S.kinds.map(function (k) { return k.name.replace(/_/g, ' '); }))], ['fd-rec', 'rec', recSel]].forEach(function (f) {
    f[2].addEventListener('change', function () { filt[f[1]] = f[2].value === '' ? -1 : Number(f[2].value); showCard(-1); });
  });
  var zs = document.getElementById('fd-zones');
  if (!Z.after) { zs.querySelector('option[value=losing]').remove(); }
  zs.addEventListener('change', function () { filt.zones = zs.value; legend(); draw(); });
  ['catchments', 'proposals', 'furniture'].forEach(function (k) {
    var box = document.getElementById('fd-' + k);
    if (k === 'catchments' && !catchments.length) { box.parentNode.hidden = true; }
    if (k === 'proposals' && !D.proposals.length) { box.parentNode.hidden = true; }
    if (k === 'furniture' && !furnitureKind.some(function (f) { return f; })) { box.parentNode.hidden = true; }
    box.addEventListener('change', function () { filt[k] = box.checked; draw(); });
  });

  // Search by name or id.
  var search = document.getElementById('fd-search'), results = document.getElementById('fd-results');
  function matches(q) {
    q = q.trim().toLowerCase();
    var out = [];
    if (!q) { return out; }
    for (var i = 0; i < nSites && out.length < 8; i++) {
      if (S.name[i].toLowerCase().indexOf(q) >= 0 || S.id[i].toLowerCase() === q) { out.push(i); }
    }
    return out;
  }
  function choose(i) {
    results.hidden = true;
    if (!shown(i)) { filt.agency = filt.kind = filt.rec = -1; ['fd-agency', 'fd-kind', 'fd-rec'].forEach(function (id) { document.getElementById(id).value = ''; }); if (furnitureKind[S.kind[i]]) { filt.furniture = true; document.getElementById('fd-furniture').checked = true; } }
    zoomTo(i); showCard(i);
  }
  search.addEventListener('input', function () {
    var m = matches(search.value);
    results.innerHTML = m.map(function (i) { return '<li><button type="button" data-i="' + i + '">' + esc(S.name[i]) + ' <span class="id">' + esc(S.id[i]) + ' \u00b7 ' + esc(kindName(i)) + '</span></button></li>'; }).join('');
    results.hidden = m.length === 0;
  });
  search.addEventListener('keydown', function (e) { if (e.key === 'Enter') { var m = matches(search.value); if (m.length) { choose(m[0]); } } });
  results.addEventListener('click', function (e) { var b = e.target.closest('button'); if (b) { choose(Number(b.getAttribute('data-i'))); } });

  // The legend: kinds present, the recommendation marks, the zone layer's classes.
  function legend() {
    var el = document.getElementById('fd-legend'), html = '<div class="lg-kinds">';
    S.kinds.forEach(function (k, i) { html += '<span class="lg"><canvas width="36" height="36" data-kind="' + i + '"></canvas>' + esc(k.name.replace(/_/g, ' ')) + '</span>'; });
    html += '</div><div class="lg-recs">';
    ['close', 'share', 'open', 'review'].forEach(function (r) { if (present[D.recommendations.indexOf(r)]) { html += '<span class="lg"><i class="ring" style="border-color:' + REC_COLOUR[r] + '"></i>' + esc(REC_LABEL[r]) + '</span>'; } });
    html += '</div><div class="lg-zones">';
    if (filt.zones === 'before') {
      var b = D.minutes, e = [b / 4, b / 2, b, b * 1.5, b * 3];
      RAMP.forEach(function (c, i) { html += '<span class="lg"><i style="background:' + c + '"></i>' + (i < e.length ? '\u2264 ' + e[i] : '> ' + e[e.length - 1]) + ' min</span>'; });
      html += '<span class="lg note">minutes ' + esc(D.mode) + ' to the nearest front door today</span>';
    } else if (filt.zones === 'losing') {
      html += '<span class="lg"><i style="background:#e53e3e"></i>loses a service within ' + D.minutes + ' min ' + esc(D.mode) + ' under the plan</span>';
    }
    el.innerHTML = html + '</div>';
    Array.prototype.slice.call(el.querySelectorAll('canvas[data-kind]')).forEach(function (c) {
      var g = c.getContext('2d'); g.scale(2, 2); symbol(g, Number(c.getAttribute('data-kind')), 9, 9, 6, false);
      c.style.width = '18px'; c.style.height = '18px';
    });
  }

  // The scorecard's large groups, listed when opened, 200 at a time.
  Array.prototype.slice.call(document.querySelectorAll('p.lazy[data-rec]')).forEach(function (p) {
    var rec = p.getAttribute('data-rec'), r = D.recommendations.indexOf(rec);
    var det = p.closest('details'), body = det.querySelector('tbody'), cols = det.querySelectorAll('thead th').length;
    var all = []; for (var i = 0; i < nSites; i++) { if (S.rec[i] === r) { all.push(i); } }
    var next = 0;
    function more() {
      var html = '';
      all.slice(next, next + 200).forEach(function (i) {
        var cells = ['<td><b>' + esc(S.name[i]) + '</b> <span class="id">' + esc(S.id[i]) + '</span></td>', '<td>' + esc(S.agencies[S.agency[i]]) + '</td>', '<td>' + esc(kindName(i)) + '</td>'];
        while (cells.length < cols - 1) { cells.push('<td></td>'); }
        cells.push('<td><details class="why"><summary>why</summary><ul>' + (S.why[i] || '').split('; ').map(function (w) { return '<li>' + esc(w) + '</li>'; }).join('') + '</ul></details></td>');
        html += '<tr>' + cells.join('') + '</tr>';
      });
      body.insertAdjacentHTML('beforeend', html);
      next += 200;
      p.textContent = next < all.length ? 'Listed ' + next.toLocaleString('en-GB') + ' of ' + all.length.toLocaleString('en-GB') + '. ' : 'All ' + all.length.toLocaleString('en-GB') + ' listed (and in sites.csv).';
      if (next < all.length) { var b = document.createElement('button'); b.type = 'button'; b.textContent = 'Show 200 more'; b.addEventListener('click', more); p.appendChild(b); }
    }
    det.addEventListener('toggle', function () { if (det.open && next === 0) { more(); } });
  });

  // Each share proposal's close-up: the host and its guests named, the walk between them with
  // its minutes, the zones, roads and other front doors around, a scale bar.
  function closeUp(c, p) {
    var saved = [ctx, W, H, view, dpr, drawn, filt, selected, hovered];
    var members = [p.host].concat(p.guests);
    var xs = members.map(function (i) { return S.x[i]; }), ys = members.map(function (i) { return S.y[i]; });
    var w = c.clientWidth || 480, h = c.clientHeight || 320;
    var span = Math.max(Math.max.apply(null, xs) - Math.min.apply(null, xs), Math.max.apply(null, ys) - Math.min.apply(null, ys), 300);
    dpr = window.devicePixelRatio || 1; W = w; H = h;
    c.width = Math.round(w * dpr); c.height = Math.round(h * dpr);
    ctx = c.getContext('2d');
    view = { s: Math.min(w, h) / (span * 2.6), cx: (Math.max.apply(null, xs) + Math.min.apply(null, xs)) / 2, cy: (Math.max.apply(null, ys) + Math.min.apply(null, ys)) / 2 };
    filt = { agency: -1, kind: -1, rec: -1, furniture: false, zones: 'before', catchments: false, proposals: false };
    selected = -1; hovered = -1;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.fillStyle = '#f7f7f4'; ctx.fillRect(0, 0, W, H);
    drawZones(); drawRoads();
    p.guests.forEach(function (g, k) {
      var x0 = sx(S.x[p.host]), y0 = sy(S.y[p.host]), x1 = sx(S.x[g]), y1 = sy(S.y[g]);
      ctx.beginPath(); ctx.moveTo(x0, y0); ctx.lineTo(x1, y1); ctx.setLineDash([7, 5]); ctx.lineWidth = 3; ctx.strokeStyle = '#2f855a'; ctx.stroke(); ctx.setLineDash([]);
      if (p.walk[k] !== null && p.walk[k] !== undefined) {
        var t = p.walk[k] + ' min walk'; ctx.font = '12px system-ui, sans-serif'; ctx.textAlign = 'center'; ctx.textBaseline = 'middle';
        ctx.lineWidth = 3; ctx.strokeStyle = '#fff'; var len = Math.max(1, Math.hypot(x1 - x0, y1 - y0)), ox = -(y1 - y0) / len * 14, oy = (x1 - x0) / len * 14, lx = (x0 + x1) / 2 + ox, ly = (y0 + y1) / 2 + oy;
        ctx.strokeText(t, lx, ly); ctx.fillStyle = '#22543d'; ctx.fillText(t, lx, ly);
      }
    });
    drawSites();
    ctx.font = '600 13px system-ui, sans-serif'; ctx.textBaseline = 'middle';
    members.forEach(function (i, k) {
      var x = sx(S.x[i]), y = sy(S.y[i]), t = (k === 0 ? 'host: ' : 'guest: ') + S.name[i];
      ctx.beginPath(); ctx.arc(x, y, 13, 0, 2 * Math.PI); ctx.lineWidth = 3; ctx.strokeStyle = k === 0 ? '#2f855a' : '#dd6b20'; ctx.stroke();
      var right = x + 17 + ctx.measureText(t).width < W - 6 || x < W / 2; ctx.textAlign = right ? 'left' : 'right';
      var tx = right ? x + 17 : x - 17, ty = y + (k === 0 ? 16 : -16);
      ctx.lineWidth = 4; ctx.strokeStyle = 'rgba(255,255,255,0.95)'; ctx.strokeText(t, tx, ty); ctx.fillStyle = '#111'; ctx.fillText(t, tx, ty);
    });
    drawScale();
    ctx = saved[0]; W = saved[1]; H = saved[2]; view = saved[3]; dpr = saved[4]; drawn = saved[5]; filt = saved[6]; selected = saved[7]; hovered = saved[8];
  }
  // Close-ups are drawn when they come into view (a national study has hundreds), and all at
  // once before printing.
  var byId = {};
  D.proposals.forEach(function (q) { byId[q.id] = q; });
  function drawCloseUp(c) { var p = byId[c.getAttribute('data-proposal')]; if (p) { closeUp(c, p); c.setAttribute('data-drawn', '1'); } }
  var pending = Array.prototype.slice.call(document.querySelectorAll('canvas.fd-closeup'));
  var seen = 'IntersectionObserver' in window ? new IntersectionObserver(function (entries) {
    entries.forEach(function (e) { if (e.isIntersecting) { drawCloseUp(e.target); seen.unobserve(e.target); } });
  }, { rootMargin: '300px' }) : null;
  function closeUps() {
    pending.forEach(function (c) { if (!seen || c.getAttribute('data-drawn')) { drawCloseUp(c); } else { seen.observe(c); } });
  }
  window.addEventListener('resize', closeUps);
  window.addEventListener('beforeprint', function () { pending.forEach(drawCloseUp); });
  window.addEventListener('resize', resize);
  window.addEventListener('beforeprint', resize);
  legend();
  resize();
  closeUps();
  // For scripts that check the page (tests): where a site is drawn, and how many are shown.
  window.frontdoorMap = {
    find: function (id) { return S.id.indexOf(id); },
    screenOf: function (i) { var r = canvas.getBoundingClientRect(); return [r.left + sx(S.x[i]), r.top + sy(S.y[i])]; },
    zoomTo: zoomTo,
    shownCount: function () { return Number(canvas.getAttribute('data-shown')); },
    zoomAt: zoomAt
  };
}());
