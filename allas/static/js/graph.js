/* The partnership graph (templates/partners/partner_graph.html, front/graph.py).
 *
 * Reads the graph's compact JSON (positions computed on the server) and draws it with sigma.js
 * (WebGL) on graphology. Filters — date, network, region and kind of the member — only hide
 * nodes and edges through sigma's reducers: nothing moves, nothing is laid out here. The
 * filter fields are the table's GET form, so the graph and the table show the same links.
 * Without WebGL the page says so and the table remains.
 */
(function () {
  "use strict";

  const container = document.getElementById("graph");
  const messagesElement = document.getElementById("graph-messages");
  if (!container || !messagesElement) return;
  const status = document.getElementById("graph-status");
  const found = document.getElementById("graph-found");
  const messages = messagesElement.dataset;
  const form = document.getElementById("graph-filter-form");
  const field = (name) => form.elements.namedItem(name);
  const controls = document.getElementById("graph-controls");
  const slider = document.getElementById("graph-time");
  const sliderValue = document.getElementById("graph-time-value");
  const playButton = document.getElementById("graph-play");
  const colourSelect = document.getElementById("graph-colour");
  const legend = document.getElementById("graph-legend");
  const PLAY_STEP_MS = 80;
  const DIMMED = "#d5d9dd";
  const EDGE_COLOUR = "#b8c0c8";

  function format(template, values) {
    return template.replace(/\{(\w+)\}/g, (whole, key) => (key in values ? values[key] : whole));
  }

  function say(text) {
    status.textContent = text;
  }

  function hasWebGL() {
    try {
      const canvas = document.createElement("canvas");
      return Boolean(canvas.getContext("webgl2") || canvas.getContext("webgl"));
    } catch (error) {
      return false;
    }
  }

  if (typeof graphology === "undefined" || typeof Sigma === "undefined") {
    say(messages.failed);
    return;
  }
  if (!hasWebGL()) {
    say(messages.noWebgl);
    return;
  }
  say(messages.loading);

  /* Dates are ISO strings (they compare as strings); the slider counts months. */
  function parseMonth(iso) {
    return { year: Number(iso.slice(0, 4)), month: Number(iso.slice(5, 7)) };
  }

  function monthsBetween(fromIso, toIso) {
    const a = parseMonth(fromIso);
    const b = parseMonth(toIso);
    return (b.year - a.year) * 12 + (b.month - a.month);
  }

  function dateAtStep(data, step, last) {
    if (step <= 0) return data.first;
    if (step >= last) return data.today;
    const start = parseMonth(data.first);
    const total = start.month - 1 + step;
    const year = start.year + Math.floor(total / 12);
    const month = (total % 12) + 1;
    return `${String(year).padStart(4, "0")}-${String(month).padStart(2, "0")}-01`;
  }

  function start(data) {
    const graph = new graphology.MultiDirectedGraph();
    const nodes = data.nodes;
    const edges = data.edges;
    nodes.forEach((node, index) => {
      graph.addNode(index, {
        x: node[4],
        y: node[5],
        // Networks by their number of members over time; others small, so they stay dots.
        size: node[6] ? Math.min(4 + Math.sqrt(node[6]) * 0.8, 16) : 3,
        label: node[1],
      });
    });
    edges.forEach((edge, index) => {
      graph.addEdgeWithKey(index, edge[0], edge[1], { size: 0.5, color: EDGE_COLOUR });
    });

    const nodeVisible = new Uint8Array(nodes.length);
    const edgeVisible = new Uint8Array(edges.length);
    let colourBy = colourSelect.value;
    let focused = null;
    let focusedNeighbours = new Set();

    function colourOf(index) {
      const node = nodes[index];
      return colourBy === "region" ? data.regions[node[3]][2] : data.kinds[node[2]][2];
    }

    container.hidden = false;
    let renderer;
    try {
      renderer = new Sigma(graph, container, {
        defaultEdgeType: "line",
        labelRenderedSizeThreshold: 6,
        labelFont: "system-ui, sans-serif",
        zIndex: true,
        nodeReducer: (key, attributes) => {
          const index = Number(key);
          if (!nodeVisible[index]) return { ...attributes, hidden: true };
          if (focused !== null && index !== focused && !focusedNeighbours.has(index)) {
            return { ...attributes, color: DIMMED, label: "", zIndex: 0 };
          }
          const result = { ...attributes, color: colourOf(index), zIndex: 1 };
          if (index === focused) {
            result.highlighted = true;
            result.forceLabel = true;
            result.zIndex = 2;
          }
          return result;
        },
        edgeReducer: (key, attributes) => {
          const index = Number(key);
          if (!edgeVisible[index]) return { ...attributes, hidden: true };
          if (focused !== null) {
            const edge = edges[index];
            if (edge[0] !== focused && edge[1] !== focused) return { ...attributes, hidden: true };
            return { ...attributes, color: "#404a54", size: 1 };
          }
          return attributes;
        },
      });
    } catch (error) {
      container.hidden = true;
      say(messages.noWebgl);
      return;
    }

    /* Filters: read from the form; an edge is shown when its member matches the region and
     * kind, its network the network, and its period contains the date (or any date). */
    function networkIndex() {
      const value = field("network").value.trim();
      if (!value) return null;
      const lower = value.toLocaleLowerCase();
      for (let i = 0; i < nodes.length; i += 1) {
        if (nodes[i][0] === value) return i;
      }
      for (let i = 0; i < nodes.length; i += 1) {
        if (nodes[i][1].toLocaleLowerCase() === lower) return i;
      }
      return -1;
    }

    function indexOf(list, code) {
      return code ? list.findIndex((item) => item[0] === code) : null;
    }

    function applyFilters() {
      const on = field("on").value;
      let network = networkIndex();
      const region = indexOf(data.regions, field("region").value);
      const kind = indexOf(data.kinds, field("kind").value);
      let note = "";
      if (network === -1) {
        network = null;
        note = messages.unknownNetwork + " ";
      }
      nodeVisible.fill(0);
      let shownLinks = 0;
      for (let i = 0; i < edges.length; i += 1) {
        const edge = edges[i];
        const member = nodes[edge[0]];
        const shown =
          (network === null || edge[1] === network) &&
          (region === null || member[3] === region) &&
          (kind === null || member[2] === kind) &&
          (!on || (edge[3] <= on && (edge[4] === null || edge[4] >= on)));
        edgeVisible[i] = shown ? 1 : 0;
        if (shown) {
          shownLinks += 1;
          nodeVisible[edge[0]] = 1;
          nodeVisible[edge[1]] = 1;
        }
      }
      if (network !== null) nodeVisible[network] = 1;
      let shownPartners = 0;
      for (let i = 0; i < nodeVisible.length; i += 1) shownPartners += nodeVisible[i];
      const when = on ? format(messages.asOf, { date: on }) : messages.wholeHistory;
      say(note + format(messages.shown, { partners: shownPartners, links: shownLinks, when }));
      renderer.refresh();
    }

    /* Time: the slider and the form's date field move together. */
    const lastStep = data.first ? Math.max(monthsBetween(data.first, data.today), 0) : 0;
    slider.max = String(lastStep);

    function showSliderDate() {
      const on = field("on").value;
      sliderValue.textContent = on || messages.wholeHistory;
    }

    function syncSlider() {
      const on = field("on").value;
      slider.value = on && data.first ? String(Math.min(Math.max(monthsBetween(data.first, on), 0), lastStep)) : String(lastStep);
      showSliderDate();
    }

    slider.addEventListener("input", () => {
      field("on").value = dateAtStep(data, Number(slider.value), lastStep);
      showSliderDate();
      applyFilters();
    });

    let timer = null;
    function stopPlaying() {
      if (timer !== null) window.clearInterval(timer);
      timer = null;
      playButton.setAttribute("aria-pressed", "false");
      playButton.textContent = messages.play;
    }

    playButton.addEventListener("click", () => {
      if (timer !== null) {
        stopPlaying();
        return;
      }
      if (!data.first) return;
      let step = field("on").value && Number(slider.value) < lastStep ? Number(slider.value) : 0;
      playButton.setAttribute("aria-pressed", "true");
      playButton.textContent = messages.pause;
      const tick = () => {
        slider.value = String(step);
        field("on").value = dateAtStep(data, step, lastStep);
        showSliderDate();
        applyFilters();
        if (step >= lastStep) stopPlaying();
        step += 1;
      };
      tick();
      timer = window.setInterval(tick, PLAY_STEP_MS);
    });

    document.getElementById("graph-all-time").addEventListener("click", () => {
      stopPlaying();
      field("on").value = "";
      syncSlider();
      applyFilters();
    });

    ["network", "region", "kind", "on"].forEach((name) => {
      const input = field(name);
      input.addEventListener("change", () => {
        if (name === "on") syncSlider();
        applyFilters();
      });
    });
    field("on").addEventListener("input", () => {
      syncSlider();
      applyFilters();
    });

    /* Colours and their legend. */
    function drawLegend() {
      legend.textContent = "";
      const list = colourBy === "region" ? data.regions : data.kinds;
      list.forEach((item) => {
        const entry = document.createElement("li");
        const swatch = document.createElement("span");
        swatch.className = "graph-swatch";
        swatch.style.backgroundColor = item[2];
        entry.append(swatch, document.createTextNode(item[1]));
        legend.append(entry);
      });
      legend.hidden = false;
    }

    colourSelect.addEventListener("change", () => {
      colourBy = colourSelect.value;
      drawLegend();
      renderer.refresh();
    });

    /* Search: focus the camera on a partner and highlight it with its links. */
    const searchInput = document.getElementById("graph-search-input");
    const suggestions = document.getElementById("graph-search-list");
    const labels = nodes.map((node) => node[1]);
    const fragment = document.createDocumentFragment();
    [...new Set(labels)].sort((a, b) => a.localeCompare(b)).forEach((label) => {
      const option = document.createElement("option");
      option.value = label;
      fragment.append(option);
    });
    suggestions.append(fragment);

    function profileUrl(index) {
      return container.dataset.profileUrl.replace("__slug__", encodeURIComponent(nodes[index][0]));
    }

    function focus(index) {
      focused = index;
      focusedNeighbours = new Set(graph.neighbors(String(index)).map(Number));
      nodeVisible[index] = 1;
      renderer.refresh();
      const position = renderer.getNodeDisplayData(String(index));
      if (position) {
        renderer.getCamera().animate({ x: position.x, y: position.y, ratio: 0.15 }, { duration: 400 });
      }
      const node = nodes[index];
      found.textContent = format(messages.found, {
        name: node[1],
        kind: data.kinds[node[2]][1],
        region: data.regions[node[3]][1],
        members: node[6],
      }) + " ";
      const link = document.createElement("a");
      link.href = profileUrl(index);
      link.textContent = messages.openProfile;
      found.append(link);
    }

    document.getElementById("graph-search").addEventListener("submit", (event) => {
      event.preventDefault();
      const text = searchInput.value.trim().toLocaleLowerCase();
      if (!text) return;
      let index = labels.findIndex((label) => label.toLocaleLowerCase() === text);
      if (index === -1) index = nodes.findIndex((node) => node[0] === text);
      if (index === -1) index = labels.findIndex((label) => label.toLocaleLowerCase().includes(text));
      if (index === -1) {
        focused = null;
        found.textContent = messages.notFound;
        renderer.refresh();
        return;
      }
      focus(index);
    });

    /* A click on a node opens its profile. */
    renderer.on("clickNode", ({ node }) => {
      window.location.assign(profileUrl(Number(node)));
    });
    renderer.on("enterNode", () => container.classList.add("graph-pointing"));
    renderer.on("leaveNode", () => container.classList.remove("graph-pointing"));

    const camera = renderer.getCamera();
    document.getElementById("graph-zoom-in").addEventListener("click", () => camera.animatedZoom({ duration: 200 }));
    document.getElementById("graph-zoom-out").addEventListener("click", () => camera.animatedUnzoom({ duration: 200 }));
    document.getElementById("graph-zoom-reset").addEventListener("click", () => {
      focused = null;
      found.textContent = "";
      renderer.refresh();
      camera.animatedReset({ duration: 200 });
    });

    controls.hidden = false;
    syncSlider();
    drawLegend();
    applyFilters();
    // For the browser test and the measurements (not an API).
    window.allasGraph = { renderer, graph, drawnAt: performance.now() };
    container.dataset.ready = "true";
  }

  fetch(container.dataset.url, { headers: { Accept: "application/json" } })
    .then((response) => {
      if (!response.ok) throw new Error(String(response.status));
      return response.json();
    })
    .then(start)
    .catch(() => {
      container.hidden = true;
      say(messages.failed);
    });
})();
