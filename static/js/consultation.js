/* Consultation maps: the draft's zones, the comments, and drawing a point or an area (own code,
   no plugins, no outside requests). The form keeps working without it: parcels and zone fields. */
(function () {
  'use strict';
  var COLOURS = {accepted: '#1b7f3b', partly: '#b8860b', rejected: '#b3261e', '': '#1f5fa8'};

  function getJSON(url, done) {
    fetch(url, {credentials: 'same-origin'}).then(function (r) { return r.json(); }).then(done);
  }

  function baseMap(el) {
    var map = L.map(el, {attributionControl: false});
    map.setView([52, 19], 6);
    getJSON(el.dataset.draft, function (data) {
      var layer = L.geoJSON(data, {
        style: {color: '#8a6d00', weight: 1, fillColor: '#fcf3d0', fillOpacity: 0.6, dashArray: '4 3'},
        onEachFeature: function (f, l) { l.bindTooltip(f.properties.designation + ' (projekt)'); }
      }).addTo(map);
      if (layer.getLayers().length) { map.fitBounds(layer.getBounds()); }
    });
    return map;
  }

  function showComments(map, url) {
    getJSON(url, function (data) {
      L.geoJSON(data, {
        pointToLayer: function (f, latlng) {
          return L.circleMarker(latlng, {radius: 7, color: '#fff', weight: 2, fillOpacity: 1,
            fillColor: COLOURS[f.properties.position || ''] || '#1f5fa8'});
        },
        style: function (f) { return {color: COLOURS[f.properties.position || ''] || '#1f5fa8', weight: 2}; },
        onEachFeature: function (f, l) {
          var p = f.properties, box = document.createElement('div');
          box.textContent = 'Uwaga nr ' + p.number + (p.position_label ? ' – ' + p.position_label : '') +
            (p.content ? ': ' + p.content : '');
          l.bindPopup(box);
        }
      }).addTo(map);
    });
  }

  function drawing(el) {
    var map = baseMap(el), form = el.closest('form'), field = form.querySelector('input[name=place]');
    var status = document.getElementById('draw-status'), finish = form.querySelector('[data-draw=finish]');
    var mode = null, vertices = [], shape = null;
    function say(text) { status.textContent = text; }
    function clear() { if (shape) { map.removeLayer(shape); } shape = null; vertices = []; field.value = ''; }
    function store(geometry) { field.value = JSON.stringify({type: 'Feature', geometry: geometry, properties: {}}); }
    function ring() { return vertices.map(function (v) { return [v.lng, v.lat]; }); }
    form.querySelectorAll('[data-draw]').forEach(function (button) {
      button.addEventListener('click', function () {
        var what = button.dataset.draw;
        if (what === 'clear') { clear(); mode = null; finish.hidden = true; say(''); return; }
        if (what === 'finish') {
          if (vertices.length < 3) { say('Obszar potrzebuje co najmniej trzech punktów.'); return; }
          var coords = ring(); coords.push(coords[0]);
          store({type: 'Polygon', coordinates: [coords]});
          mode = null; finish.hidden = true; say('Obszar zaznaczony (' + vertices.length + ' wierzchołków).');
          return;
        }
        clear(); mode = what; finish.hidden = what !== 'polygon';
        say(what === 'point' ? 'Kliknij mapę, aby wskazać punkt.' : 'Klikaj kolejne wierzchołki, potem „Zakończ obszar”.');
      });
    });
    map.on('click', function (e) {
      if (mode === 'point') {
        clear(); shape = L.marker(e.latlng).addTo(map);
        store({type: 'Point', coordinates: [e.latlng.lng, e.latlng.lat]});
        mode = null; say('Punkt zaznaczony.');
      } else if (mode === 'polygon') {
        vertices.push(e.latlng);
        if (shape) { map.removeLayer(shape); }
        shape = L.polygon(vertices, {color: '#b3261e'}).addTo(map);
        say('Wierzchołków: ' + vertices.length + '.');
      }
    });
  }

  document.addEventListener('DOMContentLoaded', function () {
    var form = document.getElementById('comment-map');
    if (form) { drawing(form); }
    ['draft-map', 'queue-map'].forEach(function (id) {
      var el = document.getElementById(id);
      if (el) { showComments(baseMap(el), el.dataset.comments); }
    });
  });
}());
