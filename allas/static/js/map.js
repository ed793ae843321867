/* Map of partners. Data comes from json_script elements #map-markers and #map-config;
   without JavaScript (or Leaflet) the page keeps its plain list of partners. */
(function () {
  "use strict";

  function readJson(id) {
    var element = document.getElementById(id);
    return element ? JSON.parse(element.textContent) : null;
  }

  function popup(marker) {
    var box = document.createElement("div");
    var link = document.createElement("a");
    link.href = marker.url;
    link.textContent = marker.name;
    box.appendChild(link);
    if (marker.place) {
      var place = document.createElement("div");
      place.textContent = marker.place;
      box.appendChild(place);
    }
    return box;
  }

  function init() {
    var container = document.getElementById("map");
    var markers = readJson("map-markers");
    var config = readJson("map-config");
    if (!container || !markers || !markers.length || !config || !window.L) {
      return;
    }
    container.classList.add("is-ready");
    var map = window.L.map(container, { scrollWheelZoom: false });
    window.L.tileLayer(config.tileUrl, {
      attribution: config.attribution,
      maxZoom: 18
    }).addTo(map);
    var points = [];
    markers.forEach(function (marker) {
      var point = [marker.lat, marker.lng];
      points.push(point);
      window.L.marker(point, { title: marker.name, alt: marker.name, keyboard: true })
        .bindPopup(popup(marker))
        .addTo(map);
    });
    if (points.length === 1) {
      map.setView(points[0], 6);
    } else {
      map.fitBounds(points, { padding: [30, 30], maxZoom: 6 });
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
