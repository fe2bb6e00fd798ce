/* The import report's small map: the gmina's outline and the problems as numbered points.
   Offline (no tiles); the data comes from the json_script block "problem-map-data". */
(function () {
  "use strict";
  var element = document.getElementById("problem-map");
  var source = document.getElementById("problem-map-data");
  if (typeof L === "undefined" || !element || !source) { return; }
  var data = JSON.parse(source.textContent);
  var map = L.map(element, { attributionControl: false });
  var bounds = L.latLngBounds([]);
  if (data.outline) {
    var outline = L.geoJSON(data.outline, {
      interactive: false,
      style: { color: "#5c4d3c", weight: 1.5, fillColor: "#fffdf7", fillOpacity: 1 }
    }).addTo(map);
    bounds.extend(outline.getBounds());
  }
  var problems = L.geoJSON(data.problems, {
    pointToLayer: function (feature, latlng) {
      var error = feature.properties.severity === "error";
      return L.circleMarker(latlng, {
        radius: 7, weight: 2, color: error ? "#a00000" : "#8a6d00",
        fillColor: error ? "#e04040" : "#f0c000", fillOpacity: 0.8
      }).bindTooltip(String(feature.properties.number), { permanent: true, direction: "right" })
        .bindPopup(feature.properties.label);
    }
  }).addTo(map);
  bounds.extend(problems.getBounds());
  map.fitBounds(bounds.pad(0.05), { maxZoom: 17 });
})();
