/* The page "Draw a digit": draw on a 32×32 grid, or pick a held-out digit,
   and watch every layer of the tiny CNN and its ten probabilities.

   The arithmetic is tinycnn.js (window.ConvdemoNet). This file builds the
   page inside <div id="convdemo-network">, draws, and explains cells. No
   inline style attribute is written: sizes and colours go through the
   CSSOM (element.style) or classes, as the page's Content-Security-Policy
   requires. The container's data-status is "ready" once the network has
   loaded, and data-update-ms holds how long the last update took. */
(function () {
  "use strict";

  const root = document.getElementById("convdemo-network");
  if (!root || !window.ConvdemoNet) return;
  const Net = window.ConvdemoNet;
  const DATA = "../assets/network/data/";
  const BITMAP = 32;
  const BRUSH = 1.6; // brush radius, in bitmap cells
  // Each layer as drawn: maps per row, pixels per cell, label.
  const VIEWS = [
    { name: "relu1", title: "Layer 1: conv 3×3 + ReLU, 8 maps of 8×8", n: 8, maps: 8, perRow: 4, cell: 10 },
    { name: "pool1", title: "Max pool 2×2: 8 maps of 4×4", n: 4, maps: 8, perRow: 8, cell: 10 },
    { name: "relu2", title: "Layer 2: conv 3×3 + ReLU, 16 maps of 4×4", n: 4, maps: 16, perRow: 8, cell: 10 },
    { name: "pool2", title: "Max pool 2×2: 16 maps of 2×2", n: 2, maps: 16, perRow: 8, cell: 18 },
  ];
  const GAP = 6;
  const INPUT_CELL = 22;
  const DRAW_CELL = 8;

  const state = {
    model: null, digits: [], labels: [],
    bitmap: new Uint8Array(BITMAP * BITMAP), ink: new Float64Array(64),
    layers: null, selected: null, inputCursor: [0, 0], last: null,
  };

  function element(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function format(value) {
    const rounded = Math.abs(value) < 5e-5 ? 0 : value;
    return rounded.toFixed(Math.abs(rounded) >= 100 ? 1 : 3).replace("-", "−");
  }

  // A canvas of css × css pixels, sharp on hi-dpi screens.
  function canvas(width, height, label) {
    const node = element("canvas", "cdn-canvas");
    const ratio = Math.min(window.devicePixelRatio || 1, 3);
    node.width = Math.round(width * ratio);
    node.height = Math.round(height * ratio);
    node.style.width = width + "px";
    node.style.aspectRatio = width + " / " + height;
    node.setAttribute("role", "img");
    node.setAttribute("aria-label", label);
    const context = node.getContext("2d");
    context.scale(ratio, ratio);
    return { node, context, width, height };
  }

  // Colour strings, made once: the figures' diverging colormap (white at
  // 0, red for a layer's largest value) and the 17 greys of the ink.
  let colours = [];
  const INKS = Array.from({ length: 17 }, (_, v) => {
    const grey = Math.round(255 * (1 - v / 16));
    return "rgb(" + grey + "," + grey + "," + grey + ")";
  });

  function colour(value, scale) {
    const t = scale > 0 ? Math.max(-1, Math.min(1, value / scale)) : 0;
    return colours[Math.round(((t + 1) / 2) * 255)];
  }

  function ink(value) {
    return INKS[Math.max(0, Math.min(16, Math.round(value)))];
  }

  // ------------------------------------------------------------ the page

  const parts = {};

  function build() {
    root.textContent = "";
    const left = element("section", "cdn-panel cdn-area-input");
    left.append(element("h2", "cdn-heading", "Your digit"));
    const help = element("p", "cdn-help",
      "Draw with a mouse, a finger or a pen. Each 4×4 block of the 32×32 " +
      "grid becomes one pixel of the 8×8 input, holding how many of its 16 " +
      "cells are inked: how the digits of the data set were made.");
    left.append(help);
    const pad = canvas(BITMAP * DRAW_CELL, BITMAP * DRAW_CELL,
      "Drawing area, 32 by 32 cells");
    pad.node.classList.add("cdn-pad");
    parts.pad = pad;
    left.append(pad.node);
    const controls = element("div", "cdn-controls");
    const clear = element("button", "md-button cdn-button", "Clear");
    clear.type = "button";
    clear.addEventListener("click", () => { state.bitmap.fill(0); changed(); });
    const pickLabel = element("label", "cdn-pick");
    pickLabel.append(element("span", "", "Held-out digit "));
    const pick = element("select", "cdn-select");
    pick.append(new Option("(your drawing)", ""));
    state.digits.forEach((code, k) => {
      pick.append(new Option((k + 1) + ": a " + state.labels[k], String(k)));
    });
    pick.addEventListener("change", () => {
      if (pick.value !== "") loadDigit(Number(pick.value));
    });
    pickLabel.append(pick);
    parts.pick = pick;
    controls.append(clear, pickLabel);
    left.append(controls);

    const inputFigure = element("figure", "cdn-figure");
    const input = canvas(8 * INPUT_CELL, 8 * INPUT_CELL, "");
    input.node.tabIndex = 0;
    input.node.setAttribute("role", "application");
    input.node.setAttribute("aria-roledescription", "8 by 8 input grid");
    input.node.classList.add("cdn-focusable");
    parts.input = input;
    const inputCaption = element("figcaption", "cdn-caption",
      "Input, 8×8 (ink 0 to 16). Keyboard: arrows move, + and − change the " +
      "ink, 0 clears a pixel.");
    inputFigure.append(input.node, inputCaption);
    left.append(inputFigure);

    const right = element("section", "cdn-panel cdn-area-layers");
    right.append(element("h2", "cdn-heading", "Every layer"));
    right.append(element("p", "cdn-help",
      "Point at any cell, tap it, or focus a layer and use the arrow keys " +
      "(Page Up and Page Down jump to the next map): the read-out shows its " +
      "arithmetic. White is 0, red the layer's largest value."));
    parts.views = VIEWS.map((view) => {
      const rows = Math.ceil(view.maps / view.perRow);
      const side = view.n * view.cell;
      const width = view.perRow * side + (view.perRow - 1) * GAP;
      const height = rows * side + (rows - 1) * GAP;
      const picture = canvas(width, height, view.title);
      picture.node.tabIndex = 0;
      picture.node.setAttribute("role", "application");
      picture.node.setAttribute("aria-roledescription", "feature maps");
      picture.node.classList.add("cdn-focusable");
      const figure = element("figure", "cdn-figure");
      figure.append(picture.node, element("figcaption", "cdn-caption", view.title));
      right.append(figure);
      return Object.assign({ picture, side, rows }, view);
    });

    const bars = element("section", "cdn-panel cdn-area-output");
    bars.append(element("h2", "cdn-heading", "Ten probabilities"));
    const list = element("ol", "cdn-bars");
    list.start = 0;
    parts.bars = [];
    for (let k = 0; k < 10; k++) {
      const item = element("li", "cdn-bar");
      item.tabIndex = 0;
      const name = element("span", "cdn-bar-digit", String(k));
      const track = element("span", "cdn-bar-track");
      const fill = element("span", "cdn-bar-fill");
      track.append(fill);
      const value = element("span", "cdn-bar-value", "");
      item.append(name, track, value);
      item.addEventListener("pointerenter", () => select("probabilities", k, 0, 0));
      item.addEventListener("focus", () => select("probabilities", k, 0, 0));
      item.addEventListener("click", () => select("probabilities", k, 0, 0));
      list.append(item);
      parts.bars.push({ item, fill, value });
    }
    bars.append(list);

    const readout = element("section", "cdn-panel cdn-area-readout");
    readout.append(element("h2", "cdn-heading", "Read-out"));
    const live = element("div", "cdn-readout");
    live.setAttribute("aria-live", "polite");
    parts.readout = live;
    readout.append(live);

    const layout = element("div", "cdn-layout");
    layout.append(left, right, bars, readout);
    root.append(layout);
    wire();
  }

  // ------------------------------------------------------------ drawing

  function brush(x, y) {
    const r = Math.ceil(BRUSH);
    for (let row = Math.floor(y) - r; row <= Math.floor(y) + r; row++) {
      for (let col = Math.floor(x) - r; col <= Math.floor(x) + r; col++) {
        if (row < 0 || col < 0 || row >= BITMAP || col >= BITMAP) continue;
        const dy = row + 0.5 - y, dx = col + 0.5 - x;
        if (dx * dx + dy * dy <= BRUSH * BRUSH) state.bitmap[row * BITMAP + col] = 1;
      }
    }
  }

  function stroke(from, to) {
    const steps = Math.max(1, Math.ceil(Math.hypot(to[0] - from[0], to[1] - from[1]) * 2));
    for (let s = 0; s <= steps; s++) {
      brush(from[0] + ((to[0] - from[0]) * s) / steps, from[1] + ((to[1] - from[1]) * s) / steps);
    }
  }

  function cellAt(node, event, columns, rows) {
    const box = node.getBoundingClientRect();
    return [
      ((event.clientX - box.left) / box.width) * columns,
      ((event.clientY - box.top) / box.height) * rows,
    ];
  }

  let pending = false;
  function changed() {
    parts.pick.value = "";
    state.ink = Net.reduce(state.bitmap);
    schedule();
  }

  function schedule() {
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => { pending = false; update(); });
  }

  // A held-out digit, or an edited pixel: fill each 4×4 block of the bitmap
  // with as many inked cells as its ink count, in a fixed order, so that
  // the bitmap reduces to exactly these counts and drawing can go on.
  const ORDER = [5, 6, 9, 10, 1, 2, 4, 8, 7, 11, 13, 14, 0, 3, 12, 15];
  function paint(inkCounts) {
    state.bitmap.fill(0);
    for (let i = 0; i < 8; i++) {
      for (let j = 0; j < 8; j++) {
        const count = inkCounts[i * 8 + j];
        for (let k = 0; k < count; k++) {
          const cell = ORDER[k];
          state.bitmap[(i * 4 + (cell >> 2)) * BITMAP + j * 4 + (cell & 3)] = 1;
        }
      }
    }
    state.ink = Float64Array.from(inkCounts);
  }

  function loadDigit(k) {
    const code = state.digits[k];
    paint(Array.from(code, (ch) => ch.charCodeAt(0) - 97));
    parts.pick.value = String(k);
    update();
  }

  // ------------------------------------------------------------- wiring

  function wire() {
    const pad = parts.pad.node;
    pad.addEventListener("pointerdown", (event) => {
      pad.setPointerCapture(event.pointerId);
      state.last = cellAt(pad, event, BITMAP, BITMAP);
      brush(state.last[0], state.last[1]);
      changed();
      event.preventDefault();
    });
    pad.addEventListener("pointermove", (event) => {
      if (state.last === null) return;
      const here = cellAt(pad, event, BITMAP, BITMAP);
      stroke(state.last, here);
      state.last = here;
      changed();
    });
    const stop = () => { state.last = null; };
    pad.addEventListener("pointerup", stop);
    pad.addEventListener("pointercancel", stop);

    const input = parts.input.node;
    input.addEventListener("pointermove", (event) => {
      const [x, y] = cellAt(input, event, 8, 8);
      state.inputCursor = [Math.min(7, Math.floor(y)), Math.min(7, Math.floor(x))];
      select("input", 0, state.inputCursor[0], state.inputCursor[1]);
    });
    input.addEventListener("focus", () => select("input", 0, ...state.inputCursor));
    input.addEventListener("keydown", (event) => {
      let [i, j] = state.inputCursor;
      const key = event.key;
      const moves = { ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1] };
      if (moves[key]) {
        i = Math.max(0, Math.min(7, i + moves[key][0]));
        j = Math.max(0, Math.min(7, j + moves[key][1]));
      } else if (key === "+" || key === "=" || key === "-" || key === "0" || key === "Delete") {
        const counts = Array.from(state.ink);
        const at = i * 8 + j;
        if (key === "0" || key === "Delete") counts[at] = 0;
        else counts[at] = Math.max(0, Math.min(16, counts[at] + (key === "-" ? -1 : 1)));
        paint(counts);
        parts.pick.value = "";
        update();
      } else {
        return;
      }
      event.preventDefault();
      state.inputCursor = [i, j];
      select("input", 0, i, j);
    });

    for (const view of parts.views) {
      const node = view.picture.node;
      const locate = (event) => {
        const box = node.getBoundingClientRect();
        const x = ((event.clientX - box.left) / box.width) * view.picture.width;
        const y = ((event.clientY - box.top) / box.height) * view.picture.height;
        const column = Math.floor(x / (view.side + GAP));
        const row = Math.floor(y / (view.side + GAP));
        const f = row * view.perRow + column;
        const j = Math.floor((x - column * (view.side + GAP)) / view.cell);
        const i = Math.floor((y - row * (view.side + GAP)) / view.cell);
        if (f >= view.maps || i < 0 || j < 0 || i >= view.n || j >= view.n) return;
        select(view.name, f, i, j);
      };
      node.addEventListener("pointermove", locate);
      node.addEventListener("pointerdown", locate);
      node.addEventListener("focus", () => {
        const s = state.selected;
        if (!s || s.name !== view.name) select(view.name, 0, 0, 0);
      });
      node.addEventListener("keydown", (event) => {
        const s = state.selected && state.selected.name === view.name
          ? state.selected : { f: 0, i: 0, j: 0 };
        let { f, i, j } = s;
        const n = view.n;
        switch (event.key) {
          case "ArrowLeft": if (j > 0) j--; else if (f > 0) { f--; j = n - 1; } break;
          case "ArrowRight": if (j < n - 1) j++; else if (f < view.maps - 1) { f++; j = 0; } break;
          case "ArrowUp": if (i > 0) i--; break;
          case "ArrowDown": if (i < n - 1) i++; break;
          case "PageUp": if (f > 0) f--; break;
          case "PageDown": if (f < view.maps - 1) f++; break;
          default: return;
        }
        event.preventDefault();
        select(view.name, f, i, j);
      });
    }
  }

  // ----------------------------------------------------------- rendering

  function drawPad() {
    const { context, width } = parts.pad;
    context.fillStyle = "#ffffff";
    context.fillRect(0, 0, width, width);
    context.fillStyle = "#1a1a1a";
    // One rectangle per run of inked cells in a row.
    for (let r = 0; r < BITMAP; r++) {
      let start = -1;
      for (let c = 0; c <= BITMAP; c++) {
        const on = c < BITMAP && state.bitmap[r * BITMAP + c];
        if (on && start < 0) start = c;
        if (!on && start >= 0) {
          context.fillRect(start * DRAW_CELL, r * DRAW_CELL, (c - start) * DRAW_CELL, DRAW_CELL);
          start = -1;
        }
      }
    }
    context.strokeStyle = "rgba(86, 180, 233, 0.9)";
    context.lineWidth = 1;
    context.beginPath();
    for (let k = 1; k < 8; k++) {
      const at = k * 4 * DRAW_CELL + 0.5;
      context.moveTo(at, 0); context.lineTo(at, width);
      context.moveTo(0, at); context.lineTo(width, at);
    }
    context.stroke();
  }

  function outline(context, x, y, w, h) {
    context.strokeStyle = "#d55e00";
    context.lineWidth = 2;
    context.strokeRect(x + 1, y + 1, w - 2, h - 2);
  }

  function drawInput() {
    const { context, node } = parts.input;
    const size = 8 * INPUT_CELL;
    context.clearRect(0, 0, size, size);
    context.font = "11px sans-serif";
    context.textAlign = "center";
    context.textBaseline = "middle";
    for (let i = 0; i < 8; i++) {
      for (let j = 0; j < 8; j++) {
        const value = state.ink[i * 8 + j];
        context.fillStyle = ink(value);
        context.fillRect(j * INPUT_CELL, i * INPUT_CELL, INPUT_CELL, INPUT_CELL);
        context.fillStyle = value > 8 ? "#ffffff" : "#1a1a1a";
        context.fillText(String(value), (j + 0.5) * INPUT_CELL, (i + 0.5) * INPUT_CELL);
      }
    }
    const s = state.selected;
    if (s && s.name === "input") outline(context, s.j * INPUT_CELL, s.i * INPUT_CELL, INPUT_CELL, INPUT_CELL);
    if (s && (s.name === "relu1")) {
      outline(context, (s.j - 1) * INPUT_CELL, (s.i - 1) * INPUT_CELL, 3 * INPUT_CELL, 3 * INPUT_CELL);
    }
    node.setAttribute("aria-label", "Input 8 by 8, ink counts by row: " +
      Array.from({ length: 8 }, (_, i) => Array.from(state.ink.slice(i * 8, i * 8 + 8)).join(" ")).join("; "));
  }

  function drawView(view) {
    const values = state.layers[view.name];
    let scale = 0;
    for (const v of values) scale = Math.max(scale, Math.abs(v));
    const { context, width, height } = view.picture;
    context.clearRect(0, 0, width, height);
    const channels = view.maps;
    for (let f = 0; f < view.maps; f++) {
      const x0 = (f % view.perRow) * (view.side + GAP);
      const y0 = Math.floor(f / view.perRow) * (view.side + GAP);
      for (let i = 0; i < view.n; i++) {
        for (let j = 0; j < view.n; j++) {
          context.fillStyle = colour(values[(i * view.n + j) * channels + f], scale);
          context.fillRect(x0 + j * view.cell, y0 + i * view.cell, view.cell, view.cell);
        }
      }
      context.strokeStyle = "#7f7f7f";
      context.lineWidth = 1;
      context.strokeRect(x0 + 0.5, y0 + 0.5, view.side - 1, view.side - 1);
    }
    const s = state.selected;
    if (s && s.name === view.name) {
      const x0 = (s.f % view.perRow) * (view.side + GAP);
      const y0 = Math.floor(s.f / view.perRow) * (view.side + GAP);
      outline(context, x0 + s.j * view.cell, y0 + s.i * view.cell, view.cell, view.cell);
    }
  }

  function drawBars() {
    const p = state.layers.probabilities;
    let best = 0;
    for (let k = 1; k < 10; k++) if (p[k] > p[best]) best = k;
    parts.bars.forEach((bar, k) => {
      bar.fill.style.width = (100 * p[k]).toFixed(2) + "%";
      bar.item.classList.toggle("cdn-bar-best", k === best);
      bar.value.textContent = (100 * p[k]).toFixed(1) + " %";
      bar.item.setAttribute("aria-label", "digit " + k + ": " + (100 * p[k]).toFixed(1) + " percent");
    });
    root.dataset.answer = String(best);
  }

  function render() {
    drawPad();
    drawInput();
    parts.views.forEach(drawView);
    drawBars();
  }

  function update() {
    const start = performance.now();
    state.layers = Net.forward(state.model, state.ink);
    render();
    if (state.selected) explain();
    root.dataset.updateMs = (performance.now() - start).toFixed(3);
    root.dataset.ink = Array.from(state.ink).join(",");
  }

  // ------------------------------------------------------------ read-out

  function select(name, f, i, j) {
    state.selected = { name, f, i, j };
    if (name === "input") drawInput();
    else {
      drawInput();
      parts.views.forEach(drawView);
    }
    explain();
  }

  function grid(title, values) {
    const table = element("table", "cdn-grid");
    table.append(element("caption", "", title));
    const body = element("tbody");
    for (let r = 0; r < 3; r++) {
      const row = element("tr");
      for (let c = 0; c < 3; c++) row.append(element("td", "", format(values[r * 3 + c])));
      body.append(row);
    }
    table.append(body);
    return table;
  }

  function explain() {
    const s = state.selected;
    const out = parts.readout;
    out.textContent = "";
    const name = s.name === "relu1" ? "relu1" : s.name;
    const e = Net.explain(state.model, state.layers, name, s.f, s.i, s.j);
    const line = (text) => out.append(element("p", "cdn-line", text));
    if (e.kind === "input") {
      line("Input [" + e.i + ", " + e.j + "]: " + e.ink + " inked cells of 16, so the network reads " +
        e.ink + " ÷ 16 = " + format(e.value) + ".");
    } else if (e.kind === "conv") {
      line("Layer " + e.layer + ", map " + e.f + ", cell [" + e.i + ", " + e.j + "]: " +
        (e.layer === 1 ? "the 3×3 window of the input (÷ 16; outside the digit: 0) times filter " + e.f + "'s weights."
          : "one 3×3 window per map of the pooled layer 1, times filter " + e.f + "'s weights for that map."));
      if (e.layer === 1) {
        const c = e.channels[0];
        const tables = element("div", "cdn-tables");
        tables.append(grid("window", c.window), grid("weights", c.weights), grid("products", c.products));
        out.append(tables);
        line("Sum of the products: " + format(c.sum) + ".");
      } else {
        const list = element("ul", "cdn-channels");
        e.channels.forEach((c, k) => {
          list.append(element("li", "", "map " + k + ": Σ window × weights = " + format(c.sum)));
        });
        out.append(list);
        line("Sum over the 8 maps: " + format(e.channels.reduce((t, c) => t + c.sum, 0)) + ".");
      }
      line("Plus the bias " + format(e.bias) + " = " + format(e.value) +
        "; ReLU: max(0, " + format(e.value) + ") = " + format(e.relu) + ".");
    } else if (e.kind === "pool") {
      const win = e.cells.map((c) => format(c.value)).join(", ");
      const chosen = e.cells[e.pick];
      line("Max pool " + e.layer + ", map " + e.f + ", cell [" + e.i + ", " + e.j + "]: the largest of " +
        win + " (the 2×2 window at rows " + (2 * e.i) + "–" + (2 * e.i + 1) + ", columns " +
        (2 * e.j) + "–" + (2 * e.j + 1) + " of the layer above) is " + format(e.value) +
        ", from cell [" + chosen.r + ", " + chosen.c + "].");
    } else {
      line("Digit " + e.f + ": logit = Σ of the 64 pooled values × their weights (" + format(e.sum) +
        ") + bias " + format(e.bias) + " = " + format(e.logit) + ". The largest term is value " +
        e.largest + " of the pooled maps: " + format(e.term) + ".");
      line("Softmax: e^logit divided by the sum over the ten digits = " +
        (100 * e.probability).toFixed(2) + " %.");
    }
  }

  // ------------------------------------------------------------- start

  Promise.all([
    fetch(DATA + "tiny-cnn.json").then((r) => r.json()),
    fetch(DATA + "digits.json").then((r) => r.json()),
  ]).then(([weights, data]) => {
    state.model = Net.fromJSON(weights);
    const lut = data.colormap;
    colours = Array.from({ length: 256 }, (_, k) =>
      "rgb(" + lut[3 * k] + "," + lut[3 * k + 1] + "," + lut[3 * k + 2] + ")");
    state.digits = data.digits;
    state.labels = data.labels;
    build();
    loadDigit(0);
    select("relu1", 0, 3, 3);
    root.dataset.status = "ready";
  }).catch((error) => {
    root.dataset.status = "error";
    root.textContent = "The network could not be loaded: " + error.message;
  });
})();
