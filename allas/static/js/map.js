/* Map of partners. The markers come either from the json_script element #map-markers (a
   profile's single marker) or, on the home page, from the JSON address in the map's
   data-markers-url (compact arrays, cached by the browser); the tile server comes from
   #map-config. Without JavaScript (or Leaflet) the page keeps its link to the directory. */
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

  /* {"fields": ["lat", ...], "url": "/es/partners/--slug--/", "markers": [[...], ...]}
     -> [{lat: ..., url: ...}, ...] */
  function fromArrays(data) {
    var fields = data.fields || [];
    return (data.markers || []).map(function (row) {
      var marker = {};
      fields.forEach(function (field, i) {
        marker[field] = row[i];
      });
      marker.url = data.url.replace("--slug--", marker.slug);
      return marker;
    });
  }

  function draw(container, markers, config) {
    if (!markers || !markers.length) {
      return;
    }
    container.classList.add("is-ready");
    var map = window.L.map(container, { scrollWheelZoom: false });
    window.L.tileLayer(config.tileUrl, {
      attribution: config.attribution,
      maxZoom: 18
    }).addTo(map);
    /* Leaflet's default marker at the addresses the server gives (hashed file names): a plain
       Icon, as Icon.Default would put its guessed image folder in front of them. */
    var icon = config.icon
      ? window.L.icon({
          iconUrl: config.icon.iconUrl,
          iconRetinaUrl: config.icon.iconRetinaUrl,
          shadowUrl: config.icon.shadowUrl,
          iconSize: [25, 41],
          iconAnchor: [12, 41],
          popupAnchor: [1, -34],
          tooltipAnchor: [16, -28],
          shadowSize: [41, 41]
        })
      : new window.L.Icon.Default();
    var points = [];
    markers.forEach(function (marker) {
      var point = [marker.lat, marker.lng];
      points.push(point);
      window.L.marker(point, { icon: icon, title: marker.name, alt: marker.name, keyboard: true })
        .bindPopup(popup(marker))
        .addTo(map);
    });
    if (points.length === 1) {
      map.setView(points[0], 6);
    } else {
      map.fitBounds(points, { padding: [30, 30], maxZoom: 6 });
    }
  }

  function init() {
    var container = document.getElementById("map");
    var config = readJson("map-config");
    if (!container || !config || !window.L) {
      return;
    }
    var url = container.getAttribute("data-markers-url");
    if (!url) {
      draw(container, readJson("map-markers"), config);
      return;
    }
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("map data: HTTP " + response.status);
        }
        return response.json();
      })
      .then(function (data) {
        draw(container, fromArrays(data), config);
      })
      .catch(function () {
        /* The link to the directory stays as the way to the partners. */
      });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
