/*
 * The playground's arithmetic, shared by the page and its worker.
 *
 * Mirrors convdemo.ops:
 *   correlate2d: out[i, j] = sum over (u, v) of K[u, v] * P[i*s + u*d, j*s + v*d],
 *     summed in row-major tap order starting from 0, P the padded image,
 *     s the stride and d the dilation;
 *   convolve2d: the same with the kernel flipped in both axes;
 *   padding "same": total d(k - 1) per axis, the extra cell on the
 *     bottom/right;
 *   borders: zeros, reflect (numpy "reflect", the edge is not repeated),
 *     replicate (numpy "edge"), wrap (numpy "wrap");
 *   pool2d(size=2, stride=2): windows that do not fit are dropped.
 * Images are row-major Float64Arrays with their height and width.
 */
(function (root) {
  "use strict";

  var PADDINGS = ["valid", "same"];
  var BORDERS = ["zeros", "reflect", "replicate", "wrap"];
  var POOLS = ["none", "max", "avg", "min"];

  function oneOf(value, name, choices) {
    if (choices.indexOf(value) < 0) {
      throw new Error(
        "`" + name + "` must be one of " +
        choices.map(function (c) { return "'" + c + "'"; }).join(", ") +
        ", got '" + value + "'"
      );
    }
    return value;
  }

  /* The dilations the playground offers (the library takes any). */
  var DILATIONS = [1, 2, 3];

  /* Padding per side, [[top, bottom], [left, right]]. */
  function paddingAmounts(padding, kh, kw, dilation) {
    oneOf(padding, "padding", PADDINGS);
    if (padding === "valid") {
      return [[0, 0], [0, 0]];
    }
    var d = dilation || 1;
    var th = d * (kh - 1);
    var tw = d * (kw - 1);
    var top = Math.floor(th / 2);
    var left = Math.floor(tw / 2);
    return [[top, th - top], [left, tw - left]];
  }

  /* Index into a line of n cells for position i (may be outside), -1 = zero. */
  function borderIndex(i, n, border) {
    if (i >= 0 && i < n) {
      return i;
    }
    if (border === "zeros") {
      return -1;
    }
    if (border === "replicate") {
      return i < 0 ? 0 : n - 1;
    }
    if (border === "wrap") {
      return ((i % n) + n) % n;
    }
    // reflect: the symmetric periodic extension d c b | a b c d | c b a.
    if (n === 1) {
      return 0;
    }
    var period = 2 * (n - 1);
    var m = ((i % period) + period) % period;
    return m < n ? m : period - m;
  }

  /* The rows and columns a dilated kernel spans: d(k - 1) + 1. */
  function span(k, dilation) {
    return (dilation || 1) * (k - 1) + 1;
  }

  function outputShape(h, w, kh, kw, padding, stride, dilation) {
    var pad = paddingAmounts(padding, kh, kw, dilation);
    var ph = h + pad[0][0] + pad[0][1];
    var pw = w + pad[1][0] + pad[1][1];
    var eh = span(kh, dilation);
    var ew = span(kw, dilation);
    if (eh > ph || ew > pw) {
      throw new Error(
        "`kernel` spanning " + eh + "\u00d7" + ew +
        " is larger than the padded image (" + ph + "\u00d7" + pw + ")"
      );
    }
    return [
      Math.floor((ph - eh) / stride) + 1,
      Math.floor((pw - ew) / stride) + 1
    ];
  }

  /* The kernel as applied: flipped in both axes for true convolution. */
  function appliedKernel(kernel, kh, kw, flip) {
    var k = new Float64Array(kh * kw);
    for (var u = 0; u < kh; u++) {
      for (var v = 0; v < kw; v++) {
        k[u * kw + v] = flip
          ? kernel[(kh - 1 - u) * kw + (kw - 1 - v)]
          : kernel[u * kw + v];
      }
    }
    return k;
  }

  function padImage(image, h, w, pad, border) {
    var ph = h + pad[0][0] + pad[0][1];
    var pw = w + pad[1][0] + pad[1][1];
    var out = new Float64Array(ph * pw);
    var cols = new Int32Array(pw);
    for (var c = 0; c < pw; c++) {
      cols[c] = borderIndex(c - pad[1][0], w, border);
    }
    for (var r = 0; r < ph; r++) {
      var sr = borderIndex(r - pad[0][0], h, border);
      if (sr < 0) {
        continue;
      }
      var base = sr * w;
      var row = r * pw;
      for (c = 0; c < pw; c++) {
        if (cols[c] >= 0) {
          out[row + c] = image[base + cols[c]];
        }
      }
    }
    return { data: out, height: ph, width: pw };
  }

  /*
   * The loops below all add each output value's products in row-major tap
   * order to a sum that starts at 0, the order of convdemo's slice-per-tap
   * accumulation; they differ only in how much of it is spelled out.
   * p is the padded image, pw its width, k the kernel as applied.
   */
  function correlate3(p, pw, k, stride, out, ho, wo) {
    var k0 = k[0], k1 = k[1], k2 = k[2], k3 = k[3], k4 = k[4], k5 = k[5];
    var k6 = k[6], k7 = k[7], k8 = k[8];
    for (var i = 0; i < ho; i++) {
      var r0 = i * stride * pw;
      var r1 = r0 + pw;
      var r2 = r1 + pw;
      var o = i * wo;
      for (var j = 0; j < wo; j++) {
        var c = j * stride;
        var acc = 0;
        acc += k0 * p[r0 + c];
        acc += k1 * p[r0 + c + 1];
        acc += k2 * p[r0 + c + 2];
        acc += k3 * p[r1 + c];
        acc += k4 * p[r1 + c + 1];
        acc += k5 * p[r1 + c + 2];
        acc += k6 * p[r2 + c];
        acc += k7 * p[r2 + c + 1];
        acc += k8 * p[r2 + c + 2];
        out[o + j] = acc;
      }
    }
  }

  function correlateRows5(p, pw, k, kh, stride, out, ho, wo) {
    for (var i = 0; i < ho; i++) {
      var o = i * wo;
      for (var j = 0; j < wo; j++) {
        var at = i * stride * pw + j * stride;
        var acc = 0;
        for (var u = 0; u < kh; u++) {
          var t = 5 * u;
          acc += k[t] * p[at];
          acc += k[t + 1] * p[at + 1];
          acc += k[t + 2] * p[at + 2];
          acc += k[t + 3] * p[at + 3];
          acc += k[t + 4] * p[at + 4];
          at += pw;
        }
        out[o + j] = acc;
      }
    }
  }

  function correlateAny(p, pw, k, kh, kw, stride, dilation, out, ho, wo) {
    for (var i = 0; i < ho; i++) {
      for (var j = 0; j < wo; j++) {
        var base = i * stride * pw + j * stride;
        var acc = 0;
        var t = 0;
        for (var u = 0; u < kh; u++) {
          var at = base + u * dilation * pw;
          for (var v = 0; v < kw; v++) {
            acc += k[t++] * p[at + v * dilation];
          }
        }
        out[i * wo + j] = acc;
      }
    }
  }

  /*
   * Correlate (or convolve, flip=true) a 2-D image with a kernel.
   * opts: {padding, border, stride, dilation, flip} (dilation defaults to
   * 1). Returns {data, height, width}.
   */
  function correlate(image, h, w, kernel, kh, kw, opts) {
    var border = oneOf(opts.border, "border", BORDERS);
    var stride = opts.stride;
    if (stride !== 1 && stride !== 2) {
      throw new Error("`stride` must be 1 or 2, got " + stride);
    }
    var dilation = opts.dilation === undefined ? 1 : opts.dilation;
    if (DILATIONS.indexOf(dilation) < 0) {
      throw new Error("`dilation` must be 1, 2 or 3, got " + dilation);
    }
    var shape = outputShape(h, w, kh, kw, opts.padding, stride, dilation);
    var ho = shape[0];
    var wo = shape[1];
    var pad = paddingAmounts(opts.padding, kh, kw, dilation);
    var padded = opts.padding === "valid"
      ? { data: image, height: h, width: w }
      : padImage(image, h, w, pad, border);
    var p = padded.data;
    var pw = padded.width;
    var k = appliedKernel(kernel, kh, kw, !!opts.flip);
    var out = new Float64Array(ho * wo);
    if (dilation !== 1) {
      correlateAny(p, pw, k, kh, kw, stride, dilation, out, ho, wo);
    } else if (kh === 3 && kw === 3) {
      correlate3(p, pw, k, stride, out, ho, wo);
    } else if (kw === 5) {
      correlateRows5(p, pw, k, kh, stride, out, ho, wo);
    } else {
      correlateAny(p, pw, k, kh, kw, stride, 1, out, ho, wo);
    }
    return { data: out, height: ho, width: wo };
  }

  function poolValue(values, mode) {
    var best = values[0];
    var pick = 0;
    if (mode === "avg") {
      var sum = 0;
      for (var n = 0; n < values.length; n++) {
        sum += values[n];
      }
      return { value: sum / values.length, pick: -1 };
    }
    for (var m = 1; m < values.length; m++) {
      if (mode === "max" ? values[m] > best : values[m] < best) {
        best = values[m];
        pick = m;
      }
    }
    return { value: best, pick: pick };
  }

  /* 2x2 pooling with stride 2; a last odd row/column is dropped. */
  function pool(data, h, w, mode) {
    oneOf(mode, "pool", ["max", "avg", "min"]);
    var ho = Math.floor(h / 2);
    var wo = Math.floor(w / 2);
    var out = new Float64Array(ho * wo);
    var cell = [0, 0, 0, 0];
    for (var i = 0; i < ho; i++) {
      for (var j = 0; j < wo; j++) {
        var a = 2 * i * w + 2 * j;
        cell[0] = data[a];
        cell[1] = data[a + 1];
        cell[2] = data[a + w];
        cell[3] = data[a + w + 1];
        out[i * wo + j] = poolValue(cell, mode).value;
      }
    }
    return { data: out, height: ho, width: wo };
  }

  /* The whole pipeline: convolution, then the optional 2x2 pooling. */
  function run(image, h, w, kernel, kh, kw, opts) {
    var conv = correlate(image, h, w, kernel, kh, kw, opts);
    var pooled = opts.pool && opts.pool !== "none"
      ? pool(conv.data, conv.height, conv.width, opts.pool)
      : null;
    if (pooled && (pooled.height < 1 || pooled.width < 1)) {
      throw new Error(
        "the convolution output (" + conv.height + "\u00d7" + conv.width +
        ") is too small for 2\u00d72 pooling"
      );
    }
    return { conv: conv, output: pooled || conv };
  }

  /*
   * One output cell's arithmetic: the input window (padded values), the
   * kernel as applied, the element-wise products and their sum, summed in
   * the same order as correlate().
   */
  function step(image, h, w, kernel, kh, kw, opts, i, j) {
    var d = opts.dilation || 1;
    var pad = paddingAmounts(opts.padding, kh, kw, d);
    var k = appliedKernel(kernel, kh, kw, !!opts.flip);
    var r0 = i * opts.stride;
    var c0 = j * opts.stride;
    var n = kh * kw;
    var win = new Float64Array(n);
    var prod = new Float64Array(n);
    var valid = [];
    var acc = 0;
    for (var u = 0; u < kh; u++) {
      var sr = r0 + u * d - pad[0][0];
      var rr = borderIndex(sr, h, opts.border);
      for (var v = 0; v < kw; v++) {
        var sc = c0 + v * d - pad[1][0];
        var cc = borderIndex(sc, w, opts.border);
        var t = u * kw + v;
        win[t] = rr < 0 || cc < 0 ? 0 : image[rr * w + cc];
        prod[t] = k[t] * win[t];
        valid.push(sr >= 0 && sr < h && sc >= 0 && sc < w);
        acc += prod[t];
      }
    }
    return {
      index: [i, j],
      origin: [r0, c0],
      top: r0 - pad[0][0],
      left: c0 - pad[1][0],
      window: win,
      kernel: k,
      products: prod,
      valid: valid,
      value: acc
    };
  }

  /* The pooling window of pooled cell (i, j) over the convolution output. */
  function poolStep(conv, mode, i, j) {
    var w = conv.width;
    var a = 2 * i * w + 2 * j;
    var values = [conv.data[a], conv.data[a + 1], conv.data[a + w],
      conv.data[a + w + 1]];
    var res = poolValue(values, mode);
    return { values: values, value: res.value, pick: res.pick };
  }

  /* Signed values to RGBA through a LUT, symmetric around zero. */
  function colourize(data, lut, vmax, rgba) {
    var n = lut.length / 3;
    var scale = vmax > 0 ? vmax : 1;
    for (var p = 0; p < data.length; p++) {
      // matplotlib: Normalize(-vmax, vmax), then floor(x * N) clipped.
      var x = (data[p] + scale) / (2 * scale);
      var idx = Math.floor(x * n);
      idx = idx < 0 ? 0 : idx >= n ? n - 1 : idx;
      rgba[4 * p] = lut[3 * idx];
      rgba[4 * p + 1] = lut[3 * idx + 1];
      rgba[4 * p + 2] = lut[3 * idx + 2];
      rgba[4 * p + 3] = 255;
    }
    return rgba;
  }

  function allFinite(data) {
    for (var p = 0; p < data.length; p++) {
      if (!Number.isFinite(data[p])) {
        return false;
      }
    }
    return true;
  }

  function maxAbs(data) {
    var m = 0;
    for (var p = 0; p < data.length; p++) {
      var a = Math.abs(data[p]);
      if (a > m) {
        m = a;
      }
    }
    return m;
  }

  /*
   * 8-bit RGBA to gray in [0, 1] as convdemo.load_image(gray=True) does:
   * a gray pixel is u8 / 255; otherwise alpha is composited on white, then
   * (wr R + wg G + wb B) / 1000 with the library's weights in thousandths
   * (grey, from the exported manifest).
   */
  function grayFromRGBA(rgba, count, grey) {
    var out = new Float64Array(count);
    for (var p = 0; p < count; p++) {
      var a = rgba[4 * p + 3];
      if (a === 255 && rgba[4 * p] === rgba[4 * p + 1] &&
          rgba[4 * p] === rgba[4 * p + 2]) {
        // A gray pixel: exactly u8 / 255, as for a grey ("L") file.
        out[p] = rgba[4 * p] / 255;
        continue;
      }
      var r = rgba[4 * p] / 255;
      var g = rgba[4 * p + 1] / 255;
      var b = rgba[4 * p + 2] / 255;
      if (a < 255) {
        var alpha = a / 255;
        r = r * alpha + (1 - alpha);
        g = g * alpha + (1 - alpha);
        b = b * alpha + (1 - alpha);
      }
      var l = (r * grey[0] + g * grey[1] + b * grey[2]) / 1000;
      out[p] = l < 0 ? 0 : l > 1 ? 1 : l;
    }
    return out;
  }

  /* Gray values in [0, 1] as opaque RGBA bytes, to draw them. */
  function grayToRGBA(gray) {
    var rgba = new Uint8ClampedArray(4 * gray.length);
    for (var p = 0; p < gray.length; p++) {
      var g = Math.round(gray[p] * 255);
      rgba[4 * p] = g;
      rgba[4 * p + 1] = g;
      rgba[4 * p + 2] = g;
      rgba[4 * p + 3] = 255;
    }
    return rgba;
  }

  /*
   * Width and height from the first bytes of a PNG, GIF, JPEG, WebP or BMP
   * file, so that a huge image is refused before it is decoded; null when
   * the header is not recognised (the decoder then decides).
   */
  function headerSize(bytes) {
    var b = bytes;
    function u16be(o) { return (b[o] << 8) | b[o + 1]; }
    function u16le(o) { return b[o] | (b[o + 1] << 8); }
    function u32be(o) { return ((b[o] << 24) >>> 0) + (b[o + 1] << 16) + (b[o + 2] << 8) + b[o + 3]; }
    function u32le(o) { return b[o] + (b[o + 1] << 8) + (b[o + 2] << 16) + ((b[o + 3] << 24) >>> 0); }
    if (b.length >= 24 && b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e &&
        b[3] === 0x47) {
      return [u32be(16), u32be(20)];
    }
    if (b.length >= 10 && b[0] === 0x47 && b[1] === 0x49 && b[2] === 0x46) {
      return [u16le(6), u16le(8)];
    }
    if (b.length >= 26 && b[0] === 0x42 && b[1] === 0x4d) {
      return [Math.abs(u32le(18) | 0), Math.abs(u32le(22) | 0)];
    }
    if (b.length >= 30 && u32be(0) === 0x52494646 && u32be(8) === 0x57454250) {
      var chunk = u32be(12);
      if (chunk === 0x56503858) {          // VP8X
        return [1 + b[24] + (b[25] << 8) + (b[26] << 16),
          1 + b[27] + (b[28] << 8) + (b[29] << 16)];
      }
      if (chunk === 0x56503820) {          // VP8 (lossy)
        return [u16le(26) & 0x3fff, u16le(28) & 0x3fff];
      }
      if (chunk === 0x5650384c) {          // VP8L (lossless)
        var bits = u32le(21);
        return [(bits & 0x3fff) + 1, ((bits >>> 14) & 0x3fff) + 1];
      }
      return null;
    }
    if (b.length >= 4 && b[0] === 0xff && b[1] === 0xd8) {
      var o = 2;
      while (o + 9 < b.length) {
        if (b[o] !== 0xff) {
          return null;
        }
        var marker = b[o + 1];
        if (marker === 0xff) {
          o += 1;
          continue;
        }
        // Start-of-frame markers C0-CF, except DHT (C4), JPG (C8), DAC (CC).
        if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 &&
            marker !== 0xc8 && marker !== 0xcc) {
          return [u16be(o + 7), u16be(o + 5)];
        }
        o += 2 + u16be(o + 2);
      }
    }
    return null;
  }

  function tooLarge(w, h, maxPixels) {
    return new Error(
      "the image is too large (" + w + " \u00d7 " + h + " pixels); the " +
      "limit is " + maxPixels / 1e6 + " megapixels"
    );
  }

  function makeCanvas(w, h) {
    if (typeof OffscreenCanvas !== "undefined") {
      return new OffscreenCanvas(w, h);
    }
    var c = document.createElement("canvas");
    c.width = w;
    c.height = h;
    return c;
  }

  /*
   * Decode an image file to gray values in [0, 1], downscaled so that its
   * longer side is at most opts.maxSide. opts.exact = true refuses to
   * resample (the playground's own 8-bit PNGs): value = u8 / 255 exactly.
   * opts.maxBytes and opts.maxPixels refuse larger files, and opts.grey
   * holds the grey weights; all three come from the exported manifest.
   */
  function decodeImage(blob, opts) {
    var maxSide = opts.maxSide;
    var exact = opts.exact;
    if (typeof createImageBitmap === "undefined") {
      return Promise.reject(new Error("this browser cannot decode images here"));
    }
    if (!exact && blob.size > opts.maxBytes) {
      return Promise.reject(new Error(
        "the file is too large (" + (blob.size / 1048576).toFixed(1) +
        " MB); the limit is " + opts.maxBytes / 1048576 + " MB"
      ));
    }
    var bitmapOpts = { colorSpaceConversion: "none", premultiplyAlpha: "none" };
    // JPEG headers can sit behind large EXIF blocks: read up to 256 kB.
    return blob.slice(0, 262144).arrayBuffer().then(function (head) {
      var size = headerSize(new Uint8Array(head));
      if (size && size[0] * size[1] > opts.maxPixels) {
        throw tooLarge(size[0], size[1], opts.maxPixels);
      }
      return createImageBitmap(blob, bitmapOpts).catch(function () {
        throw new Error("the file could not be read as an image");
      });
    }).then(function (bitmap) {
      var w0 = bitmap.width;
      var h0 = bitmap.height;
      if (w0 * h0 > opts.maxPixels) {
        bitmap.close();
        throw tooLarge(w0, h0, opts.maxPixels);
      }
      var scale = Math.min(1, maxSide / Math.max(w0, h0));
      if (exact && scale < 1) {
        bitmap.close();
        throw new Error("the image is larger than " + maxSide + " pixels");
      }
      var w = Math.max(1, Math.round(w0 * scale));
      var h = Math.max(1, Math.round(h0 * scale));
      var canvas = makeCanvas(w, h);
      var ctx = canvas.getContext("2d", { willReadFrequently: true });
      if (scale < 1) {
        ctx.imageSmoothingEnabled = true;
        ctx.imageSmoothingQuality = "high";
      }
      ctx.drawImage(bitmap, 0, 0, w, h);
      bitmap.close();
      var gray = grayFromRGBA(ctx.getImageData(0, 0, w, h).data, w * h,
        opts.grey);
      return {
        data: gray,
        rgba: grayToRGBA(gray),
        height: h,
        width: w,
        originalHeight: h0,
        originalWidth: w0
      };
    });
  }

  /*
   * Message handler shared by the worker and the main-thread fallback.
   * Requests: {type: "image", data, height, width}, {type: "compute",
   * kernel, kh, kw, opts, lut}, {type: "decode", blob, maxSide, exact,
   * maxBytes, maxPixels, grey} (see decodeImage).
   * Replies carry the request's id; failures come back as {error}. The
   * pixels to draw come ready with the reply (rgba: the decoded image in
   * gray; the output through the colormap `lut`, with its scale vmax), so
   * that the page only has to put them on a canvas.
   */
  function Engine() {
    this.image = null;
  }

  Engine.prototype.handle = function (msg) {
    var self = this;
    return new Promise(function (resolve) {
      if (msg.type === "image") {
        self.image = { data: msg.data, height: msg.height, width: msg.width };
        resolve({ reply: { id: msg.id, type: "image" }, transfer: [] });
      } else if (msg.type === "compute") {
        var img = self.image;
        var t0 = performance.now();
        var res = run(img.data, img.height, img.width, msg.kernel, msg.kh,
          msg.kw, msg.opts);
        var out = res.output;
        var t1 = performance.now();
        if (!allFinite(out.data)) {
          throw new Error("the output is not finite: a value overflows " +
            "(beyond \u00b11.8 \u00d7 10^308), so there is nothing to draw");
        }
        var vmax = maxAbs(out.data);
        var rgba = new Uint8ClampedArray(4 * out.data.length);
        colourize(out.data, msg.lut, vmax, rgba);
        resolve({
          reply: {
            id: msg.id,
            type: "compute",
            data: out.data,
            rgba: rgba,
            vmax: vmax,
            height: out.height,
            width: out.width,
            convHeight: res.conv.height,
            convWidth: res.conv.width,
            elapsed: t1 - t0,
            colourElapsed: performance.now() - t1
          },
          transfer: [out.data.buffer, rgba.buffer]
        });
      } else if (msg.type === "decode") {
        resolve(decodeImage(msg.blob, msg).then(function (d) {
          d.id = msg.id;
          d.type = "decode";
          return { reply: d, transfer: [d.data.buffer, d.rgba.buffer] };
        }));
      } else {
        throw new Error("unknown request " + msg.type);
      }
    }).catch(function (err) {
      return {
        reply: { id: msg.id, type: msg.type, error: String(err.message || err) },
        transfer: []
      };
    });
  };

  root.ConvdemoCore = {
    PADDINGS: PADDINGS,
    BORDERS: BORDERS,
    POOLS: POOLS,
    DILATIONS: DILATIONS,
    span: span,
    allFinite: allFinite,
    paddingAmounts: paddingAmounts,
    borderIndex: borderIndex,
    outputShape: outputShape,
    appliedKernel: appliedKernel,
    correlate: correlate,
    pool: pool,
    run: run,
    step: step,
    poolStep: poolStep,
    colourize: colourize,
    maxAbs: maxAbs,
    grayFromRGBA: grayFromRGBA,
    grayToRGBA: grayToRGBA,
    decodeImage: decodeImage,
    headerSize: headerSize,
    Engine: Engine
  };
})(typeof self !== "undefined" ? self : this);
