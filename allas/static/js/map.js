/* Map of partners, drawn with no request to another host.

   Base layer: Natural Earth's country outlines (world-atlas TopoJSON, served with the static
   files, turned into GeoJSON by topojson-client) on a sea-coloured background, drawn on one
   canvas; the finer outlines are loaded once the visitor zooms in. A tile server is optional
   (#map-config tileUrl, empty by default) and is then drawn over the outlines.

   Markers: either the json_script element #map-markers (a partner's own marker), or the
   partners' GeoJSON of the open-data downloads at the map's data-markers-url (/data/v1/, the
   same file in every language and filter, cached by the browser for the content version).
   When #map-config has an idsUrl, only the features whose ids (slugs) it lists are shown, plus
   the config's focus: the directory's filters, a network and its members. Many markers
   cluster (Leaflet.markercluster).

   The container gets data-ready="true" (and data-drawn-ms, the time since navigation start)
   once outlines and markers are drawn: the tests and bench/map_draw.py wait for it. Without
   JavaScript the page keeps its list and links. */
(function () {
  "use strict";

  var L = window.L;
  var FINE_OUTLINES_ZOOM = 4;
  var OUTLINE_STYLE = {
    color: "#8a8f98",
    weight: 0.8,
    fillColor: "#f4f1ea",
    fillOpacity: 1,
    opacity: 1
  };

  function readJson(id) {
    var element = document.getElementById(id);
    return element ? JSON.parse(element.textContent) : null;
  }

  function getJson(url, accept) {
    return fetch(url, { credentials: "same-origin", headers: { Accept: accept } }).then(
      function (response) {
        if (!response.ok) {
          throw new Error("map: " + url + " HTTP " + response.status);
        }
        return response.json();
      }
    );
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
     (a proper name: no other language's), else its name. ``shown``: the ids to keep, or null
     for all. */
  function fromGeoJson(data, config, language, shown) {
    var countryName = countryNames(language);
    return (data.features || [])
      .filter(function (feature) {
        return (
          feature.geometry &&
          feature.geometry.type === "Point" &&
          (!shown || Object.prototype.hasOwnProperty.call(shown, feature.id))
        );
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

  /* A ring cut at the antimeridian (Fiji, Chukotka) holds points at both -180 and 180, which
     a flat map joins by a line across the whole world: its western points move east of 180. */
  function unwrapRing(ring) {
    var west = false;
    var east = false;
    ring.forEach(function (point) {
      west = west || point[0] < -170;
      east = east || point[0] > 170;
    });
    if (!(west && east)) {
      return ring;
    }
    return ring.map(function (point) {
      return point[0] < 0 ? [point[0] + 360, point[1]] : point;
    });
  }

  function unwrapPolygons(geometry) {
    if (!geometry) {
      return geometry;
    }
    if (geometry.type === "Polygon") {
      geometry.coordinates = geometry.coordinates.map(unwrapRing);
    } else if (geometry.type === "MultiPolygon") {
      geometry.coordinates = geometry.coordinates.map(function (polygon) {
        return polygon.map(unwrapRing);
      });
    }
    return geometry;
  }

  function outlinesLayer(topology, renderer) {
    var key = Object.keys(topology.objects)[0];
    var collection = window.topojson.feature(topology, topology.objects[key]);
    /* Antarctica (ISO 3166 numeric 010) circles the pole, which this projection cannot show:
       it has no partners and would only be a band along the bottom edge. */
    collection.features = collection.features.filter(function (feature) {
      return feature.id !== "010";
    });
    collection.features.forEach(function (feature) {
      unwrapPolygons(feature.geometry);
    });
    return L.geoJSON(collection, {
      renderer: renderer,
      interactive: false,
      style: function () {
        return OUTLINE_STYLE;
      }
    });
  }

  /* The coarse outlines now; the fine ones the first time the map is zoomed in enough. */
  function drawOutlines(map, config, coarse) {
    var renderer = L.canvas({ padding: 0.5 });
    var current = outlinesLayer(coarse, renderer).addTo(map);
    var fineRequested = false;
    function maybeRefine() {
      if (fineRequested || !config.outlines.fine || map.getZoom() < FINE_OUTLINES_ZOOM) {
        return;
      }
      fineRequested = true;
      getJson(config.outlines.fine, "application/json")
        .then(function (fine) {
          var finer = outlinesLayer(fine, renderer).addTo(map);
          map.removeLayer(current);
          current = finer;
        })
        .catch(function () {
          /* The coarse outlines stay. */
        });
    }
    map.on("zoomend", maybeRefine);
    return maybeRefine;
  }

  function markerIcon(config) {
    /* Leaflet's default marker at the addresses the server gives (hashed file names): a plain
       Icon, as Icon.Default would put its guessed image folder in front of them. */
    return config.icon
      ? L.icon({
          iconUrl: config.icon.iconUrl,
          iconRetinaUrl: config.icon.iconRetinaUrl,
          shadowUrl: config.icon.shadowUrl,
          iconSize: [25, 41],
          iconAnchor: [12, 41],
          popupAnchor: [1, -34],
          tooltipAnchor: [16, -28],
          shadowSize: [41, 41]
        })
      : new L.Icon.Default();
  }

  /* Markers of many partners cluster, and stay out of the Tab order: the list beside the map
     is the way through them by keyboard (the page says so). A single partner's marker can be
     reached. Calls done() once every marker is on the map. */
  function drawMarkers(map, markers, config, done) {
    var icon = markerIcon(config);
    var single = markers.length === 1;
    var layers = markers.map(function (marker) {
      return L.marker([marker.lat, marker.lng], {
        icon: icon,
        title: marker.name,
        alt: marker.name,
        keyboard: single
      }).bindPopup(popup(marker));
    });
    if (single || !L.markerClusterGroup) {
      layers.forEach(function (layer) {
        layer.addTo(map);
      });
      done();
      return;
    }
    /* Clusters too: their markers are the plugin's, reachable by Tab unless told. */
    L.MarkerCluster.mergeOptions({ keyboard: false });
    var group = L.markerClusterGroup({
      chunkedLoading: true,
      showCoverageOnHover: false,
      spiderfyOnMaxZoom: true,
      removeOutsideVisibleBounds: true,
      chunkProgress: function (processed, total) {
        if (processed === total) {
          done();
        }
      }
    });
    map.addLayer(group);
    group.addLayers(layers);
  }

  function draw(container, markers, config, outlines) {
    if (!markers || !markers.length) {
      return;
    }
    container.classList.add("is-ready");
    var map = L.map(container, {
      scrollWheelZoom: false,
      minZoom: 1,
      maxZoom: 18,
      worldCopyJump: false,
      maxBounds: [
        [-85, -240],
        [85, 240]
      ],
      maxBoundsViscosity: 0.8
    });
    map.attributionControl.setPrefix(false);
    map.attributionControl.addAttribution(config.attribution);
    var refine = outlines ? drawOutlines(map, config, outlines) : null;
    if (config.tileUrl) {
      L.tileLayer(config.tileUrl, { maxZoom: 18 }).addTo(map);
    }
    var points = markers.map(function (marker) {
      return [marker.lat, marker.lng];
    });
    if (points.length === 1) {
      map.setView(points[0], 5);
    } else {
      map.fitBounds(points, { padding: [30, 30], maxZoom: 6 });
    }
    if (refine) {
      refine();
    }
    drawMarkers(map, markers, config, function () {
      container.setAttribute("data-drawn-ms", String(Math.round(performance.now())));
      container.setAttribute("data-ready", "true");
    });
  }

  function init() {
    var container = document.getElementById("map");
    var config = readJson("map-config");
    if (!container || !config || !L) {
      return;
    }
    var language = document.documentElement.lang || "es";
    var url = container.getAttribute("data-markers-url");
    var outlines =
      config.outlines && window.topojson
        ? getJson(config.outlines.coarse, "application/json").catch(function () {
            return null; /* Markers on the sea colour: still a map of where the partners are. */
          })
        : Promise.resolve(null);
    var markers;
    if (!url) {
      markers = Promise.resolve(readJson("map-markers"));
    } else {
      var ids = config.idsUrl
        ? getJson(config.idsUrl, "application/json").then(function (data) {
            var shown = {};
            (data.ids || []).forEach(function (id) {
              shown[id] = true;
            });
            if (config.focus) {
              shown[config.focus] = true;
            }
            return shown;
          })
        : Promise.resolve(null);
      markers = Promise.all([getJson(url, "application/geo+json"), ids]).then(function (both) {
        return fromGeoJson(both[0], config, language, both[1]);
      });
    }
    Promise.all([markers, outlines])
      .then(function (both) {
        draw(container, both[0], config, both[1]);
      })
      .catch(function () {
        /* The list and the link to the directory stay as the way to the partners. */
      });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
