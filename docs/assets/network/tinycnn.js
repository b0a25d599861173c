/* The tiny CNN of convdemo.cnn, computed in the browser: no dependencies.

   window.ConvdemoNet.fromJSON(data)   the weights of TinyCNN.save's JSON
   window.ConvdemoNet.forward(model, ink)
       ink: 64 ink counts (0 to 16), row by row, as load_digits gives them.
       Returns every layer of TinyCNN.forward, each a Float64Array in
       NumPy's (row, column, channel) order: input (8×8×1, ink / 16), conv1
       and relu1 (8×8×8), pool1 (4×4×8), conv2 and relu2 (4×4×16), pool2
       (2×2×16), logits and probabilities (10).
   window.ConvdemoNet.reduce(bitmap)
       A 32×32 bitmap of 0s and 1s to 8×8 ink counts: the sum of each 4×4
       block, exactly how the digits were made.
   window.ConvdemoNet.explain(model, layers, name, f, i, j)
       The arithmetic of one cell, as numbers for the page to write out.

   The arithmetic is the library's, in float64: the tests compare every
   layer with TinyCNN.forward on all 450 held-out digits (to 1e-9). */
(function () {
  "use strict";

  const SCALE = 16;
  const LAYER_SHAPES = {
    input: [8, 8, 1],
    conv1: [8, 8, 8],
    relu1: [8, 8, 8],
    pool1: [4, 4, 8],
    conv2: [4, 4, 16],
    relu2: [4, 4, 16],
    pool2: [2, 2, 16],
  };

  function flat(nested) {
    const out = [];
    (function walk(value) {
      if (Array.isArray(value)) value.forEach(walk);
      else out.push(value);
    })(nested);
    return Float64Array.from(out);
  }

  function fromJSON(data) {
    if (!data || data.format !== "convdemo.TinyCNN" || data.version !== 1) {
      throw new Error("not a convdemo.TinyCNN file (version 1)");
    }
    const layers = data.layers;
    const model = {
      scale: data.scale,
      conv1: { w: flat(layers.conv1.weights), b: flat(layers.conv1.bias), f: 8, c: 1 },
      conv2: { w: flat(layers.conv2.weights), b: flat(layers.conv2.bias), f: 16, c: 8 },
      dense: { w: flat(layers.dense.weights), b: flat(layers.dense.bias) },
    };
    const sizes = [
      [model.conv1.w, 72], [model.conv1.b, 8], [model.conv2.w, 1152],
      [model.conv2.b, 16], [model.dense.w, 640], [model.dense.b, 10],
    ];
    for (const [array, size] of sizes) {
      if (array.length !== size) throw new Error("a weight array has the wrong size");
    }
    return model;
  }

  // 'same' 3×3 correlation of an (n, n, c) map with (f, 3, 3, c) filters.
  function conv(x, n, layer) {
    const { w, b, f: filters, c: channels } = layer;
    const out = new Float64Array(n * n * filters);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        for (let f = 0; f < filters; f++) {
          let sum = 0;
          for (let u = 0; u < 3; u++) {
            const r = i + u - 1;
            if (r < 0 || r >= n) continue;
            for (let v = 0; v < 3; v++) {
              const col = j + v - 1;
              if (col < 0 || col >= n) continue;
              const at = (r * n + col) * channels;
              const kw = ((f * 3 + u) * 3 + v) * channels;
              for (let c = 0; c < channels; c++) sum += w[kw + c] * x[at + c];
            }
          }
          out[(i * n + j) * filters + f] = sum + b[f];
        }
      }
    }
    return out;
  }

  function relu(x) {
    return x.map((v) => (v > 0 ? v : 0));
  }

  // 2×2 max pooling, stride 2, of an (n, n, c) map.
  function pool(x, n, channels) {
    const m = n / 2;
    const out = new Float64Array(m * m * channels);
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < m; j++) {
        for (let c = 0; c < channels; c++) {
          let best = -Infinity;
          for (let u = 0; u < 2; u++) {
            for (let v = 0; v < 2; v++) {
              const value = x[((2 * i + u) * n + 2 * j + v) * channels + c];
              if (value > best) best = value;
            }
          }
          out[(i * m + j) * channels + c] = best;
        }
      }
    }
    return out;
  }

  function forward(model, ink) {
    if (ink.length !== 64) throw new Error("a digit has 64 ink counts");
    const input = Float64Array.from(ink, (v) => v / model.scale);
    const conv1 = conv(input, 8, model.conv1);
    const relu1 = relu(conv1);
    const pool1 = pool(relu1, 8, 8);
    const conv2 = conv(pool1, 4, model.conv2);
    const relu2 = relu(conv2);
    const pool2 = pool(relu2, 4, 16);
    const { w, b } = model.dense;
    const logits = new Float64Array(10);
    for (let k = 0; k < 10; k++) {
      let sum = 0;
      for (let i = 0; i < 64; i++) sum += pool2[i] * w[i * 10 + k];
      logits[k] = sum + b[k];
    }
    let top = -Infinity;
    for (const v of logits) top = Math.max(top, v);
    const exp = logits.map((v) => Math.exp(v - top));
    let total = 0;
    for (const v of exp) total += v;
    const probabilities = exp.map((v) => v / total);
    return { input, conv1, relu1, pool1, conv2, relu2, pool2, logits, probabilities };
  }

  function reduce(bitmap) {
    if (bitmap.length !== 1024) throw new Error("a bitmap has 32×32 cells");
    const ink = new Float64Array(64);
    for (let r = 0; r < 32; r++) {
      for (let c = 0; c < 32; c++) {
        if (bitmap[r * 32 + c]) ink[(r >> 2) * 8 + (c >> 2)] += 1;
      }
    }
    return ink;
  }

  // The value of (i, j, c) in an (n, n, channels) map, 0 outside.
  function at(x, n, channels, i, j, c) {
    return i < 0 || j < 0 || i >= n || j >= n ? 0 : x[(i * n + j) * channels + c];
  }

  // Numbers behind one cell: for a convolution, per input channel the 3×3
  // window, weights and products and their sum; then bias, value and ReLU.
  function explain(model, layers, name, f, i, j) {
    if (name === "conv1" || name === "relu1" || name === "conv2" || name === "relu2") {
      const first = name === "conv1" || name === "relu1";
      const layer = first ? model.conv1 : model.conv2;
      const source = first ? layers.input : layers.pool1;
      const n = first ? 8 : 4;
      const channels = [];
      for (let c = 0; c < layer.c; c++) {
        const window = [], weights = [], products = [];
        let sum = 0;
        for (let u = 0; u < 3; u++) {
          for (let v = 0; v < 3; v++) {
            const x = at(source, n, layer.c, i + u - 1, j + v - 1, c);
            const k = layer.w[((f * 3 + u) * 3 + v) * layer.c + c];
            window.push(x);
            weights.push(k);
            products.push(x * k);
            sum += x * k;
          }
        }
        channels.push({ window, weights, products, sum });
      }
      const value = layers[first ? "conv1" : "conv2"][(i * n + j) * layer.f + f];
      return {
        kind: "conv", layer: first ? 1 : 2, f, i, j, channels,
        bias: layer.b[f], value, relu: value > 0 ? value : 0,
      };
    }
    if (name === "pool1" || name === "pool2") {
      const first = name === "pool1";
      const source = first ? layers.relu1 : layers.relu2;
      const n = first ? 8 : 4;
      const channels = first ? 8 : 16;
      const cells = [];
      for (let u = 0; u < 2; u++) {
        for (let v = 0; v < 2; v++) {
          const r = 2 * i + u, c = 2 * j + v;
          cells.push({ r, c, value: source[(r * n + c) * channels + f] });
        }
      }
      // The first largest in reading order, as pool2d_backward's rule.
      let pick = 0;
      cells.forEach((cell, k) => { if (cell.value > cells[pick].value) pick = k; });
      return { kind: "pool", layer: first ? 1 : 2, f, i, j, cells, pick, value: cells[pick].value };
    }
    if (name === "probabilities") {
      const { w, b } = model.dense;
      const terms = [];
      let sum = 0;
      for (let k = 0; k < 64; k++) {
        const product = layers.pool2[k] * w[k * 10 + f];
        terms.push(product);
        sum += product;
      }
      let largest = 0;
      terms.forEach((t, k) => { if (Math.abs(t) > Math.abs(terms[largest])) largest = k; });
      return {
        kind: "dense", f, sum, bias: b[f], logit: layers.logits[f],
        probability: layers.probabilities[f], largest, term: terms[largest],
      };
    }
    if (name === "input") {
      return { kind: "input", i, j, ink: layers.input[i * 8 + j] * SCALE, value: layers.input[i * 8 + j] };
    }
    throw new Error("no such layer: " + name);
  }

  window.ConvdemoNet = { LAYER_SHAPES, fromJSON, forward, reduce, explain };
})();
