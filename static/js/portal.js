/* Plan Portal maps. No inline scripts (Content Security Policy): configuration comes from
   json_script blocks and data- attributes. Leaflet and proj4 are served by the portal (django-leaflet).

   data-map="gmina"   the full-window map of a gmina: the portal's WMS, layer switcher, search,
                      side panel, cursor position in EPSG:2180, permalinks in the URL.
   data-map="home"    the partner gminy as outlines, each a link to its map.
   data-map="outline" a small map of one outline (a parcel, a plan) over the gmina's WMS. */
(function () {
  "use strict";
  if (typeof L === "undefined") { return; }

  var OUTLINE_STYLE = { color: "#5c4d3c", weight: 1.5, fillColor: "#f7f3ea", fillOpacity: 1 };
  var HIGHLIGHT_STYLE = { color: "#c00000", weight: 4, fill: false };

  function $(selector, root) { return (root || document).querySelector(selector); }
  function readJson(id) { var el = document.getElementById(id); return el ? JSON.parse(el.textContent) : null; }
  /* keyboard wording only where a keyboard and a fine pointer are likely; touch wording elsewhere */
  function resultsText(S) {
    var fine = window.matchMedia && window.matchMedia("(hover: hover) and (pointer: fine)").matches;
    return fine || !S.resultsTouch ? S.results : S.resultsTouch;
  }
  function fmt(text, params) {
    return text.replace(/%\((\w+)\)s/g, function (m, key) { return String(params[key]); });
  }

  /* The base layer: a configured tile service, else the portal's own offline background (the
     layer basemap.layer of the gmina's WMS, drawn from its precincts, parcels, plans and names),
     else the outline alone. */
  function addBackground(map, basemap, outline, ows) {
    if (basemap && basemap.url) {
      L.tileLayer(basemap.url, { attribution: basemap.attribution || "", maxZoom: 19 }).addTo(map);
    } else if (basemap && basemap.layer && ows) {
      map.createPane("background").style.zIndex = 150;
      L.tileLayer.wms(ows, {
        layers: basemap.layer, styles: "", format: "image/png", transparent: false,
        bgcolor: basemap.bgcolor || "0xFFFFFF", version: "1.3.0", crs: L.CRS.EPSG3857,
        maxZoom: 22, tileSize: 512, pane: "background"
      }).addTo(map);
    } else if (outline) {
      map.createPane("background").style.zIndex = 150;
      L.geoJSON(outline, { pane: "background", interactive: false, style: OUTLINE_STYLE }).addTo(map);
    }
  }

  function wmsLayer(ows, names) {
    return L.tileLayer.wms(ows, {
      layers: names.join(","), styles: "", format: "image/png", transparent: true,
      version: "1.3.0", crs: L.CRS.EPSG3857, maxZoom: 22,
      tileSize: 512  /* a quarter of the requests of 256-pixel tiles, each about as quick to render */
    });
  }

  function newMap(el, strings) {
    var map = L.map(el, { zoomControl: false, attributionControl: false, maxZoom: 21, minZoom: 5 });
    L.control.zoom({
      zoomInTitle: (strings && strings.zoomIn) || "+", zoomOutTitle: (strings && strings.zoomOut) || "-"
    }).addTo(map);
    L.control.attribution({ prefix: false }).addTo(map);
    L.control.scale({ imperial: false }).addTo(map);
    return map;
  }

  /* ---------- the gmina map ---------- */
  function gminaMap(el) {
    var cfg = readJson("map-config"), S = readJson("map-strings");
    var params = new URLSearchParams(window.location.search);
    var map = newMap(el, S);
    var known = cfg.layers.map(function (l) { return l.name; });
    var visible = params.has("warstwy")
      ? params.get("warstwy").split(",").filter(function (n) { return known.indexOf(n) >= 0; })
      : cfg.defaultLayers.slice();
    var selected = params.get("dzialka");
    var panel = $("#panel"), precinctSelect = $("#search-precinct");

    addBackground(map, cfg.basemap, cfg.outline, cfg.ows);
    var wms = wmsLayer(cfg.ows, visible);
    if (visible.length) { wms.addTo(map); }
    map.createPane("highlight").style.zIndex = 450;
    var highlight = L.geoJSON(null, { pane: "highlight", interactive: false, style: HIGHLIGHT_STYLE }).addTo(map);

    var z = parseInt(params.get("z"), 10), lat = parseFloat(params.get("lat")), lon = parseFloat(params.get("lon"));
    var hasView = isFinite(z) && isFinite(lat) && isFinite(lon);
    if (hasView) { map.setView([lat, lon], z); }
    else if (cfg.bounds) { map.fitBounds(cfg.bounds); }
    else { map.setView([52.1, 19.4], 6); }

    function updateUrl() {
      var c = map.getCenter(), p = new URLSearchParams();
      p.set("z", map.getZoom()); p.set("lat", c.lat.toFixed(6)); p.set("lon", c.lng.toFixed(6));
      p.set("warstwy", visible.join(","));
      if (selected) { p.set("dzialka", selected); }
      if (precinctSelect && precinctSelect.value) { p.set("obreb", precinctSelect.value); }
      var url = window.location.pathname + "?" + p.toString();
      window.history.replaceState(null, "", url);
      document.querySelectorAll("input[name=next]").forEach(function (i) { i.value = url; });
    }
    map.on("moveend", updateUrl);

    /* the legend: the zone classes actually in view, with the WMS palette's colours */
    var legend = $("#zone-legend"), legendSeq = 0;
    function updateLegend() {
      if (!legend) { return; }
      var mine = ++legendSeq, rows = $("[data-legend-rows]", legend), empty = $("[data-legend-empty]", legend);
      fetch(legend.dataset.legendUrl + "?bbox=" + map.getBounds().toBBoxString())
        .then(function (r) { if (!r.ok) { throw new Error(String(r.status)); } return r.json(); })
        .then(function (data) {
          if (mine !== legendSeq) { return; }
          rows.textContent = "";
          data.zones.forEach(function (z) {
            var li = document.createElement("li"), sw = document.createElement("span");
            var sym = document.createElement("strong");
            sw.className = "swatch" + (z.hatched ? " hatched" : "");
            sw.style.backgroundColor = z.fill;
            sw.setAttribute("aria-hidden", "true");
            sym.textContent = z.symbols.join(", ");
            var label = document.createElement("span");
            label.appendChild(sym); label.appendChild(document.createTextNode(" – " + z.title));
            li.appendChild(sw); li.appendChild(label);
            li.dataset.zoneClass = z.key;
            rows.appendChild(li);
          });
          empty.hidden = data.zones.length > 0;
        })
        .catch(function () { /* the legend is a help, the map works without it */ });
    }
    map.on("moveend", updateLegend);
    document.querySelectorAll("[data-line-swatch]").forEach(function (sw) {
      var line = cfg.lines && cfg.lines[sw.dataset.lineSwatch];
      if (line) { sw.style.borderTop = line.width + "px " + line.style + " " + line.color; }
    });

    /* layer switcher */
    document.querySelectorAll("input[data-layer]").forEach(function (box) {
      box.checked = visible.indexOf(box.dataset.layer) >= 0;
      box.addEventListener("change", function () {
        visible = known.filter(function (n) {
          var b = document.querySelector('input[data-layer="' + n + '"]');
          return b && b.checked;
        });
        if (visible.length) {
          wms.setParams({ layers: visible.join(",") });
          if (!map.hasLayer(wms)) { wms.addTo(map); }
        } else if (map.hasLayer(wms)) { map.removeLayer(wms); }
        updateUrl();
      });
    });

    /* cursor position in EPSG:2180 (X northing, Y easting, as Polish surveyors write them) */
    var coords = $("[data-coords]");
    if (typeof proj4 !== "undefined" && coords) {
      proj4.defs("EPSG:2180", cfg.proj2180);
      map.on("mousemove", function (e) {
        var p = proj4("EPSG:4326", "EPSG:2180", [e.latlng.lng, e.latlng.lat]);
        coords.textContent = fmt(S.coords, { x: p[1].toFixed(2), y: p[0].toFixed(2) });
      });
    }

    /* the side panel */
    function loadPanel(query, options) {
      panel.setAttribute("aria-busy", "true");
      panel.textContent = S.loading;
      fetch(cfg.panelUrl + "?" + query, { headers: { "X-Requested-With": "fetch" } })
        .then(function (r) { return r.text(); })
        .then(function (html) {
          panel.innerHTML = html;  // server-rendered, escaped by Django's templates
          var article = $("[data-identifier]", panel);
          highlight.clearLayers();
          selected = article ? article.dataset.identifier : null;
          if (article) {
            highlight.addData(JSON.parse(article.dataset.outline));
            if (options.fit) { map.fitBounds(highlight.getBounds(), { maxZoom: 18, padding: [20, 20] }); }
          }
          var heading = $("h2", panel), announce = $("#panel-status");
          if (announce) { announce.textContent = (heading || panel).textContent.trim().slice(0, 200); }
          if (options.focus && heading) { heading.focus({ preventScroll: true }); }
          if (options.focus) { panel.scrollIntoView({ block: "start" }); }  // below the map on phones
          updateUrl();
        })
        .catch(function () { panel.textContent = S.loadError; })
        .then(function () { panel.removeAttribute("aria-busy"); });
    }
    function selectAt(latlng, focus) {
      loadPanel("lon=" + latlng.lng.toFixed(7) + "&lat=" + latlng.lat.toFixed(7), { fit: false, focus: focus });
    }
    map.on("click", function (e) { selectAt(e.latlng, false); });
    el.addEventListener("keydown", function (e) {
      if (e.key === "Enter" && e.target === el) { selectAt(map.getCenter(), true); }
    });
    if (selected) { loadPanel("dzialka=" + encodeURIComponent(selected), { fit: !hasView, focus: false }); }

    /* search with suggestions while typing */
    var form = $("#search-form"), input = $("#search-q"), list = $("#search-results"), status = $("#search-status");
    var timer = null, seq = 0;

    function zoomToPrecinct(number) {
      var p = cfg.precincts.filter(function (x) { return x.number === number; })[0];
      if (p && p.bounds) { map.fitBounds(p.bounds); }
    }
    function hitButton(text, small, onChoose) {
      var li = document.createElement("li"), b = document.createElement("button");
      b.type = "button"; b.className = "hit"; b.textContent = text;
      if (small) { var s = document.createElement("small"); s.textContent = " " + small; b.appendChild(s); }
      b.addEventListener("click", onChoose);
      li.appendChild(b); list.appendChild(li);
      return b;
    }
    function choose(identifier) {
      list.textContent = ""; status.textContent = "";
      loadPanel("dzialka=" + encodeURIComponent(identifier), { fit: true, focus: true });
    }
    function show(data, submitted) {
      list.textContent = "";
      (data.elsewhere || []).forEach(function (h) {
        var li = document.createElement("li"), a = document.createElement("a");
        a.href = "/" + h.municipality_slug + "/dzialki/" + h.identifier + "/";
        a.textContent = h.number + " – " + h.municipality_name;
        li.appendChild(a); list.appendChild(li);
      });
      (data.municipalities || []).forEach(function (h) {
        hitButton(h.name, h.teryt, function () {
          if (h.bounds) { map.fitBounds(h.bounds); }
          list.textContent = ""; status.textContent = ""; input.focus();
        });
      });
      (data.addresses || []).forEach(function (h) {
        hitButton(h.label, h.parcel || h.postcode, function () {
          if (h.parcel) { choose(h.parcel); return; }
          map.setView([h.lat, h.lon], 18);
          list.textContent = ""; status.textContent = "";
          selectAt(L.latLng(h.lat, h.lon), true);
        });
      });
      data.parcels.forEach(function (h) {
        hitButton(h.number + " – " + S.precinct + " " + h.precinct_number + " " + h.precinct_name,
          h.identifier, function () { choose(h.identifier); });
      });
      data.precincts.forEach(function (h) {
        hitButton(fmt(S.showPrecinct, { name: h.number + " " + h.name }), h.identifier, function () {
          if (precinctSelect) { precinctSelect.value = h.number; }
          if (h.bounds) { map.fitBounds(h.bounds); }
          list.textContent = ""; status.textContent = ""; input.focus();
        });
      });
      var n = list.children.length;
      status.textContent = n ? fmt(resultsText(S), { n: n }) + (data.truncated ? " " + S.more : "") : data.message;
      if (data.elsewhere && data.elsewhere.length) { status.textContent = data.message; }
      var exact = data.parcels.filter(function (h) { return h.exact; });
      if (submitted && exact.length === 1 && !data.precincts.length && !(data.addresses || []).length) {
        choose(exact[0].identifier);
      } else if (submitted && !data.parcels.length && (data.addresses || []).length === 1 && data.addresses[0].parcel) {
        choose(data.addresses[0].parcel);
      }
    }
    function run(submitted) {
      var q = input.value.trim(), mine = ++seq;
      if (!q) { list.textContent = ""; status.textContent = ""; return; }
      status.textContent = S.searching;
      var query = new URLSearchParams({ q: q, obreb: precinctSelect ? precinctSelect.value : "" });
      fetch(cfg.searchUrl + "?" + query.toString())
        .then(function (r) {
          if (r.status === 429) { throw new Error(S.searchLimited); }
          return r.json();
        })
        .then(function (data) { if (mine === seq) { show(data, submitted); } })
        .catch(function (err) {
          if (mine === seq) { status.textContent = err.message === S.searchLimited ? S.searchLimited : S.searchError; }
        });
    }
    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(function () { run(false); }, 250);
    });
    form.addEventListener("submit", function (e) { e.preventDefault(); window.clearTimeout(timer); run(true); });
    /* arrow keys move between the box and the suggestions; Escape closes them */
    function hits() { return Array.prototype.slice.call(list.querySelectorAll("button.hit")); }
    input.addEventListener("keydown", function (e) {
      if (e.key === "ArrowDown" && hits().length) { e.preventDefault(); hits()[0].focus(); }
      if (e.key === "Escape") { list.textContent = ""; status.textContent = ""; }
    });
    list.addEventListener("keydown", function (e) {
      var all = hits(), i = all.indexOf(document.activeElement);
      if (e.key === "ArrowDown" && i < all.length - 1) { e.preventDefault(); all[i + 1].focus(); }
      if (e.key === "ArrowUp") { e.preventDefault(); (i > 0 ? all[i - 1] : input).focus(); }
      if (e.key === "Escape") { list.textContent = ""; input.focus(); }
    });
    if (precinctSelect) {
      precinctSelect.addEventListener("change", function () {
        zoomToPrecinct(precinctSelect.value);
        if (input.value.trim()) { run(false); }
        updateUrl();
      });
      if (precinctSelect.value && !hasView && !selected) { zoomToPrecinct(precinctSelect.value); }
    }
    el.portalMap = map;  // for the browser tests
    updateUrl();
    updateLegend();
  }

  function basemapOf(el) {
    return {
      url: el.dataset.basemapUrl || "", attribution: el.dataset.basemapAttribution || "",
      layer: el.dataset.basemapLayer || "", bgcolor: el.dataset.basemapBgcolor || ""
    };
  }

  /* ---------- the platform home: gminy as outlines ---------- */
  function homeMap(el) {
    var items = readJson("home-outlines") || [];
    var map = newMap(el, readJson("map-strings"));
    addBackground(map, basemapOf(el), null);
    var group = L.featureGroup().addTo(map);
    items.forEach(function (m) {
      var layer = L.geoJSON(JSON.parse(m.outline), { style: OUTLINE_STYLE });
      var go = function () { window.location.href = m.url; };
      layer.on("click", go);
      group.addLayer(layer);
      /* at national scale a gmina is a few pixels: a labelled marker at its centre */
      var marker = L.circleMarker(layer.getBounds().getCenter(), {
        radius: 7, color: "#0b5394", weight: 2, fillColor: "#ffffff", fillOpacity: 1
      });
      /* the name is a real link (clickable, reachable with Tab), not only the small circle */
      var name = document.createElement("a");
      name.href = m.url; name.textContent = m.name; name.className = "gmina-link";
      marker.bindTooltip(name, {
        permanent: true, direction: "right", className: "gmina-label", interactive: true
      });
      marker.on("click", go);
      group.addLayer(marker);
    });
    if (items.length) { map.fitBounds(group.getBounds(), { padding: [20, 20] }); }
    else { map.setView([52.1, 19.4], 6); }
  }

  /* ---------- a small map of one outline (parcel, plan) ---------- */
  function outlineMap(el) {
    var map = newMap(el, readJson("map-strings"));
    var outline = JSON.parse(el.dataset.outline || "null");
    var names = (el.dataset.layers || "").split(",").filter(Boolean);
    addBackground(map, basemapOf(el), null, el.dataset.ows);
    if (el.dataset.ows && names.length) { wmsLayer(el.dataset.ows, names).addTo(map); }
    if (outline) {
      var shape = L.geoJSON(outline, { interactive: false, style: HIGHLIGHT_STYLE }).addTo(map);
      map.fitBounds(shape.getBounds(), { maxZoom: 18, padding: [10, 10] });
    } else { map.setView([52.1, 19.4], 6); }
  }

  /* ---------- suggestions for the platform-wide search box (links to parcel pages) ---------- */
  function platformSuggestions(form) {
    var S = readJson("map-strings") || {}, input = $("input[type=search]", form);
    var list = $("[data-suggest-results]", form), status = $("[data-suggest-status]", form);
    var timer = null, seq = 0;
    function link(href, text, small) {
      var li = document.createElement("li"), a = document.createElement("a");
      a.href = href; a.textContent = text;
      li.appendChild(a);
      if (small) { var s = document.createElement("small"); s.textContent = " " + small; li.appendChild(s); }
      list.appendChild(li);
    }
    function run() {
      var q = input.value.trim(), mine = ++seq;
      if (q.length < 2) { list.textContent = ""; status.textContent = ""; return; }
      fetch(form.dataset.suggest + "?" + new URLSearchParams({ q: q }).toString())
        .then(function (r) { if (!r.ok) { throw new Error(String(r.status)); } return r.json(); })
        .then(function (data) {
          if (mine !== seq) { return; }
          list.textContent = "";
          data.parcels.forEach(function (h) {
            link("/" + h.municipality_slug + "/dzialki/" + h.identifier + "/",
              h.number + " – " + S.precinct + " " + h.precinct_number + " " + h.precinct_name + ", " + h.municipality_name,
              h.identifier);
          });
          (data.municipalities || []).forEach(function (h) {
            link("/" + h.municipality_slug + "/", h.name, h.teryt);
          });
          (data.addresses || []).forEach(function (h) {
            link(h.parcel ? "/" + h.municipality_slug + "/dzialki/" + h.parcel + "/"
              : "/" + h.municipality_slug + "/?z=18&lat=" + h.lat + "&lon=" + h.lon,
              h.label + ", " + h.municipality_name, h.parcel || h.postcode);
          });
          data.precincts.forEach(function (h) {
            link("/" + h.municipality_slug + "/?obreb=" + h.number,
              fmt(S.showPrecinct, { name: h.number + " " + h.name }) + ", " + h.municipality_name, h.identifier);
          });
          var n = list.children.length;
          status.textContent = n ? fmt(resultsText(S), { n: n }) : data.message;
        })
        .catch(function () { if (mine === seq) { status.textContent = S.searchError; } });
    }
    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(run, 300);
    });
  }
  document.querySelectorAll("form[data-suggest]").forEach(platformSuggestions);

  var builders = { gmina: gminaMap, home: homeMap, outline: outlineMap };
  document.querySelectorAll("[data-map]").forEach(function (el) {
    var build = builders[el.dataset.map];
    if (build) { build(el); }
  });
})();
