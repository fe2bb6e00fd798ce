/* The simple map of a gmina page: zones and parcels as GeoJSON from /<gmina>/mapa.geojson. */
(function () {
  "use strict";
  var el = document.getElementById("map");
  if (!el || typeof L === "undefined") { return; }
  var map = L.map(el, { preferCanvas: true });
  var extent = JSON.parse(el.dataset.extent || "null");
  if (extent) {
    map.fitBounds([[extent[1], extent[0]], [extent[3], extent[2]]]);
  } else {
    map.setView([52.1, 19.4], 6);
  }
  var colours = { MN: "#f4a460", U: "#e34a33", "MN/U": "#f08050", KDD: "#bdbdbd", KDL: "#a0a0a0", KDZ: "#909090",
                  ZP: "#74c476", ZL: "#238b45", R: "#f7f4b6", RM: "#e6d96b", WS: "#6baed6" };
  var layer = L.geoJSON(null, {
    style: function (f) {
      if (f.properties.kind === "parcel") { return { color: "#333", weight: 0.7, fill: false }; }
      return { color: "#555", weight: 1, fillColor: colours[f.properties.symbol] || "#ddd", fillOpacity: 0.55 };
    },
    onEachFeature: function (f, l) {
      l.bindTooltip(f.properties.label + (f.properties.name ? " " + f.properties.name : ""));
    }
  }).addTo(map);
  function refresh() {
    var url = el.dataset.featuresUrl + "?bbox=" + map.getBounds().toBBoxString();
    fetch(url).then(function (r) { return r.json(); }).then(function (data) {
      layer.clearLayers();
      layer.addData(data);
    });
  }
  map.on("moveend", refresh);
  refresh();
  L.control.scale({ imperial: false }).addTo(map);
})();
