/* Map of partners. The markers come either from the json_script element #map-markers (a
   profile's single marker) or, on the home page, from the address in the map's
   data-markers-url: the partners' GeoJSON of the open-data downloads (/data/v1/, the same
   file in every language, cached by the browser). The tile server and the profile address in
   the page's language come from #map-config. Without JavaScript (or Leaflet) the page keeps
   its link to the directory. */
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

  /* Country codes -> names in the page's language (the code where the browser has none). */
  function countryNames(language) {
    var names = null;
    try {
      names = new Intl.DisplayNames([language], { type: "region" });
    } catch (error) {
      names = null;
    }
    return function (code) {
      try {
        return (names && names.of(code)) || code;
      } catch (error) {
        return code;
      }
    };
  }

  /* A GeoJSON FeatureCollection (RFC 7946: coordinates are [longitude, latitude]) -> markers
     in the page's language: the official name in that language where the partner has one
     (a proper name: no other language's), else its name. */
  function fromGeoJson(data, config, language) {
    var countryName = countryNames(language);
    return (data.features || [])
      .filter(function (feature) {
        return feature.geometry && feature.geometry.type === "Point";
      })
      .map(function (feature) {
        var properties = feature.properties || {};
        var coordinates = feature.geometry.coordinates;
        return {
          lat: coordinates[1],
          lng: coordinates[0],
          name: properties["official_name_" + language] || properties.name,
          url: config.profileUrl.replace("--slug--", encodeURIComponent(properties.slug)),
          place: [properties.locality, properties.country && countryName(properties.country)]
            .filter(Boolean)
            .join(", ")
        };
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
    var language = document.documentElement.lang || "es";
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/geo+json" } })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("map data: HTTP " + response.status);
        }
        return response.json();
      })
      .then(function (data) {
        draw(container, fromGeoJson(data, config, language), config);
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
