/*
 * The convdemo playground: edit a kernel, watch the output, inspect one
 * output pixel's arithmetic. Plain JavaScript, no network beyond this site.
 *
 * The page needs <div id="convdemo-playground"></div> and this script after
 * core.js. The arithmetic (core.js) runs in a worker (worker.js); the data
 * (images, kernels, colormap) is written by the site build into data/.
 *
 * Safe to run more than once (Material's instant navigation re-runs page
 * scripts): each container is set up once, and a playground whose container
 * left the page is shut down.
 */
(function () {
  "use strict";

  var Core = window.ConvdemoCore;
  var script = document.currentScript;
  var BASE = new URL(".", script ? script.src : document.baseURI).href;
  var ROOT_ID = "convdemo-playground";
  var TIMES = "\u00d7";
  var MINUS = "\u2212";

  /* ---------------------------------------------------------------- utils */

  function h(tag, attrs, children) {
    var el = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) {
      var value = attrs[key];
      if (value === null || value === undefined || value === false) {
        return;
      }
      if (key === "text") {
        el.textContent = value;
      } else if (key === "className") {
        el.className = value;
      } else if (key.slice(0, 2) === "on") {
        el.addEventListener(key.slice(2), value);
      } else {
        el.setAttribute(key, value === true ? "" : value);
      }
    });
    (children || []).forEach(function (child) {
      if (child !== null && child !== undefined) {
        el.appendChild(typeof child === "string"
          ? document.createTextNode(child) : child);
      }
    });
    return el;
  }

  /* A number as shown in the read-out: at most 4 decimals, a true minus. */
  function fmt(v) {
    if (Object.is(v, -0)) {
      v = 0;
    }
    var s = Number.isInteger(v) ? String(v) : String(Number(v.toFixed(4)));
    if (s === "-0") {
      s = "0";
    }
    return s.replace("-", MINUS);
  }

  /* A kernel value as typed in a cell: a fraction when that is exact. */
  function fmtKernel(v) {
    if (Number.isInteger(v)) {
      return String(v);
    }
    for (var d = 2; d <= 1024; d++) {
      var n = Math.round(v * d);
      if (n / d === v) {
        return n + "/" + d;
      }
    }
    return String(v);
  }

  var NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

  /* Parse one kernel cell: a decimal number or a fraction such as 1/9. */
  function parseCell(text) {
    var t = text.trim().replace(/\u2212/g, "-");
    if (t === "") {
      return { error: "is empty" };
    }
    var parts = t.split("/");
    if (parts.length > 2 || !parts.every(function (p) {
      return NUMBER.test(p.trim());
    })) {
      return { error: "\u201c" + text.trim() + "\u201d is not a number" };
    }
    var value = Number(parts[0]);
    if (parts.length === 2) {
      var den = Number(parts[1]);
      if (den === 0) {
        return { error: "\u201c" + text.trim() + "\u201d divides by zero" };
      }
      value = value / den;
    }
    if (!Number.isFinite(value)) {
      return { error: "\u201c" + text.trim() + "\u201d is too large" };
    }
    return { value: value };
  }

  function rows(data, height, width) {
    var out = [];
    for (var i = 0; i < height; i++) {
      out.push(Array.prototype.slice.call(data, i * width, (i + 1) * width));
    }
    return out;
  }

  function fetchOk(url, kind) {
    return fetch(url).then(function (res) {
      if (!res.ok) {
        throw new Error("could not load " + url + " (" + res.status + ")");
      }
      return kind === "json" ? res.json() : res.blob();
    });
  }

  /* ------------------------------------------------------- compute engine */

  /*
   * Below this many multiply-adds a recompute runs on the page itself (about
   * a millisecond), which saves the worker's round trip; above it, in the
   * worker, so that big images never block the page.
   */
  var LOCAL_WORK = 1000000;

  /* Talks to the worker; falls back to the page thread if there is none. */
  function Engine() {
    this.nextId = 1;
    this.waiting = {};
    this.worker = null;
    // Holds the current image too, for the small recomputes done here.
    this.local = new Core.Engine();
    try {
      this.worker = new Worker(BASE + "worker.js");
      var self = this;
      this.worker.onmessage = function (event) {
        var entry = self.waiting[event.data.id];
        delete self.waiting[event.data.id];
        if (entry) {
          event.data.where = "worker";
          entry.resolve(event.data);
        }
      };
      this.worker.onerror = function (event) {
        event.preventDefault();
        self.fallback();
      };
    } catch (err) {
      this.fallback();
    }
  }

  Engine.prototype.fallback = function () {
    if (this.worker) {
      this.worker.terminate();
      this.worker = null;
    }
    // The page thread takes over, including what the worker had been given.
    var self = this;
    var pending = this.waiting;
    this.waiting = {};
    Object.keys(pending).forEach(function (id) {
      self.runLocally(pending[id].msg, pending[id].resolve);
    });
  };

  Engine.prototype.runLocally = function (msg, resolve) {
    this.local.handle(msg).then(function (res) {
      res.reply.where = "page";
      resolve(res.reply);
    });
  };

  Engine.prototype.isSmall = function (msg) {
    var img = this.local.image;
    return msg.type === "compute" && img !== null &&
      img.height * img.width * msg.kh * msg.kw <= LOCAL_WORK;
  };

  Engine.prototype.request = function (msg, transfer) {
    var self = this;
    msg.id = this.nextId++;
    if (msg.type === "image") {
      this.local.image = { data: msg.data, height: msg.height,
        width: msg.width };
    }
    return new Promise(function (resolve) {
      if (self.worker && !self.isSmall(msg)) {
        self.waiting[msg.id] = { msg: msg, resolve: resolve };
        self.worker.postMessage(msg, transfer || []);
      } else {
        self.runLocally(msg, resolve);
      }
    });
  };

  Engine.prototype.terminate = function () {
    if (this.worker) {
      this.worker.terminate();
    }
    this.worker = null;
    this.waiting = {};
  };

  /* ------------------------------------------------------------ the page */

  function Playground(root) {
    this.root = root;
    this.engine = new Engine();
    this.images = {};          // name -> {data, height, width, title}
    this.kernels = [];
    this.lut = null;
    this.size = 3;
    this.texts = [];
    this.kernel = null;        // last valid kernel, Float64Array
    this.shown = null;         // what the output canvas shows and how it came about
    this.focus = [0, 0];
    this.hover = null;
    this.inFlight = false;
    this.pending = false;
    this.status = "loading";
    this.waiters = [];
    this.lastUpdate = null;
    this.editStart = null;
    this.liveTimer = null;
    this.imageToken = 0;
    this.loading = 0;          // images being decoded
  }

  Playground.prototype.setStatus = function (status) {
    this.status = status;
    this.root.setAttribute("data-status", status);
    if (status === "ready" || status === "error") {
      var waiters = this.waiters;
      this.waiters = [];
      waiters.forEach(function (resolve) { resolve(status); });
    }
  };

  /* Ready once nothing is loading or computing. */
  Playground.prototype.settle = function () {
    if (!this.inFlight && !this.pending && this.loading === 0) {
      this.setStatus("ready");
    }
  };

  Playground.prototype.whenIdle = function () {
    var self = this;
    if (this.status === "ready" || this.status === "error") {
      return Promise.resolve(this.status);
    }
    return new Promise(function (resolve) { self.waiters.push(resolve); });
  };

  Playground.prototype.start = function () {
    var self = this;
    this.setStatus("loading");
    this.root.textContent = "Loading the playground\u2026";
    return Promise.all([
      fetchOk(BASE + "data/manifest.json", "json"),
      fetchOk(BASE + "data/kernels.json", "json")
    ]).then(function (loaded) {
      self.manifest = loaded[0];
      self.kernels = loaded[1];
      self.lut = Uint8Array.from(self.manifest.colormap.lut);
      Core.LIMITS.maxSide = self.manifest.limits.uploadMaxSide;
      self.build();
      self.applyPreset(self.kernelByName("vertical") || self.kernels[0]);
      return self.selectImage(self.manifest.images[0].name);
    }).catch(function (err) {
      self.root.textContent = "The playground could not start: " +
        err.message;
      self.setStatus("error");
    });
  };

  Playground.prototype.kernelByName = function (name) {
    for (var n = 0; n < this.kernels.length; n++) {
      if (this.kernels[n].name === name) {
        return this.kernels[n];
      }
    }
    return null;
  };

  Playground.prototype.destroy = function () {
    this.engine.terminate();
    clearTimeout(this.liveTimer);
  };

  /* Build the controls, canvases and read-out inside the container. */
  Playground.prototype.build = function () {
    var self = this;
    var uid = ROOT_ID;
    var root = this.root;
    root.textContent = "";
    root.classList.add("cdp");

    function select(id, label, options, onchange, hint) {
      var sel = h("select", { id: uid + "-" + id, onchange: onchange },
        options.map(function (o) {
          return h("option", { value: o[0], text: o[1] });
        }));
      return h("div", { className: "cdp-field" }, [
        h("label", { "for": uid + "-" + id, text: label }), sel,
        hint ? h("p", { className: "cdp-hint", id: uid + "-" + id + "-hint",
          text: hint }) : null
      ]);
    }

    // Input image.
    this.imageSelect = select("image", "Image", this.manifest.images.map(
      function (im) { return [im.name, im.title]; }), function () {
      self.selectImage(self.imageSelect.value);
    }).querySelector("select");
    this.fileInput = h("input", {
      type: "file", id: uid + "-file", accept: "image/*",
      "aria-describedby": uid + "-file-hint " + uid + "-file-msg",
      onchange: function () { self.readFile(); }
    });
    this.fileMsg = h("p", { className: "cdp-message", id: uid + "-file-msg",
      role: "status" });
    var inputGroup = h("fieldset", { className: "cdp-group" }, [
      h("legend", { text: "Input" }),
      this.imageSelect.parentNode,
      h("div", { className: "cdp-field" }, [
        h("label", { "for": uid + "-file", text: "Your own image" }),
        this.fileInput,
        h("p", { className: "cdp-hint", id: uid + "-file-hint",
          text: "It stays in your browser. Colour images are turned gray " +
          "and downscaled to at most " + Core.LIMITS.maxSide + " px on the " +
          "longer side." })
      ]),
      this.fileMsg
    ]);

    // Kernel.
    var presetOptions = this.kernels.map(function (k) {
      return [k.name, k.title];
    });
    presetOptions.push(["custom", "Custom (edited)"]);
    this.presetSelect = select("preset", "Preset", presetOptions, function () {
      var k = self.kernelByName(self.presetSelect.value);
      if (k) {
        self.applyPreset(k);
        self.schedule();
      }
    }).querySelector("select");
    this.presetSelect.setAttribute("aria-describedby", uid + "-desc");
    this.desc = h("p", { className: "cdp-desc", id: uid + "-desc" });
    this.sizeRadios = [3, 5].map(function (n) {
      return h("input", { type: "radio", name: uid + "-size",
        id: uid + "-size-" + n, value: String(n),
        onchange: function () { self.resize(n); self.schedule(); } });
    });
    var sizeGroup = h("fieldset", { className: "cdp-size" }, [
      h("legend", { text: "Kernel size" }),
      h("span", {}, [this.sizeRadios[0],
        h("label", { "for": uid + "-size-3", text: "3 " + TIMES + " 3" })]),
      h("span", {}, [this.sizeRadios[1],
        h("label", { "for": uid + "-size-5", text: "5 " + TIMES + " 5" })])
    ]);
    this.grid = h("div", { className: "cdp-kernel", role: "group",
      id: uid + "-kernel", "aria-label": "Kernel values",
      "aria-describedby": uid + "-kernel-hint" });
    this.kernelError = h("p", { className: "cdp-error", id: uid + "-kernel-error",
      "aria-live": "polite" });
    this.flip = h("input", { type: "checkbox", role: "switch",
      id: uid + "-flip", onchange: function () { self.schedule(); } });
    var kernelGroup = h("fieldset", { className: "cdp-group" }, [
      h("legend", { text: "Kernel" }),
      this.presetSelect.parentNode,
      this.desc,
      sizeGroup,
      this.grid,
      h("p", { className: "cdp-hint", id: uid + "-kernel-hint",
        text: "Numbers or fractions such as 1/9." }),
      this.kernelError,
      h("div", { className: "cdp-field cdp-switch" }, [
        this.flip,
        h("label", { "for": uid + "-flip",
          text: "Flip the kernel (true convolution)" })
      ])
    ]);

    // Options.
    this.padding = select("padding", "Padding", [["valid", "valid (none)"],
      ["same", "same (output as large as the input)"]],
    function () { self.schedule(); }).querySelector("select");
    this.border = select("border", "Border", [["zeros", "zeros"],
      ["reflect", "reflect (d c b | a b c d)"], ["replicate", "replicate"],
      ["wrap", "wrap"]], function () { self.schedule(); },
    "What the padding cells hold; no effect with valid padding."
    ).querySelector("select");
    this.border.setAttribute("aria-describedby", uid + "-border-hint");
    this.stride = select("stride", "Stride", [["1", "1"], ["2", "2"]],
      function () { self.schedule(); }).querySelector("select");
    this.pool = select("pool", "Pooling afterwards (2 " + TIMES + " 2)",
      [["none", "none"], ["max", "max"], ["avg", "average"], ["min", "min"]],
      function () { self.schedule(); }).querySelector("select");
    var optionGroup = h("fieldset", { className: "cdp-group" }, [
      h("legend", { text: "Options" }),
      this.padding.parentNode, this.border.parentNode,
      this.stride.parentNode, this.pool.parentNode
    ]);

    // Views.
    this.inCanvas = h("canvas", { className: "cdp-canvas", role: "img",
      "aria-label": "Input image" });
    this.inBox = h("div", { className: "cdp-box", "aria-hidden": "true" });
    this.inCaption = h("figcaption", {});
    this.outCanvas = h("canvas", {
      className: "cdp-canvas cdp-output", tabindex: "0", role: "application",
      id: uid + "-output",
      "aria-label": "Output: use the arrow keys to pick a pixel",
      "aria-describedby": uid + "-output-hint " + uid + "-readout-title"
    });
    this.outBox = h("div", { className: "cdp-box cdp-box-out",
      "aria-hidden": "true" });
    this.outCaption = h("figcaption", { id: uid + "-shape" });
    this.legendCanvas = h("canvas", { className: "cdp-legend-bar",
      width: String(this.lut.length / 3), height: "1", "aria-hidden": "true" });
    this.legendLabels = [h("span", {}), h("span", { text: "0" }), h("span", {})];
    this.legend = h("div", { className: "cdp-legend", role: "img",
      "aria-label": "Colour scale" }, [
      this.legendCanvas,
      h("div", { className: "cdp-legend-labels", "aria-hidden": "true" },
        this.legendLabels)
    ]);
    this.outMsg = h("p", { className: "cdp-error", role: "status" });
    var views = h("div", { className: "cdp-views" }, [
      h("figure", { className: "cdp-view" }, [
        this.inCaption,
        h("div", { className: "cdp-frame" }, [this.inCanvas, this.inBox])
      ]),
      h("figure", { className: "cdp-view" }, [
        this.outCaption,
        h("div", { className: "cdp-frame" }, [this.outCanvas, this.outBox]),
        this.legend,
        h("p", { className: "cdp-hint", id: uid + "-output-hint",
          text: "Hover over the output, or focus it and use the arrow keys " +
          "(Shift moves by 10, Ctrl+Home goes to the first pixel), to see " +
          "one pixel's arithmetic." }),
        this.outMsg
      ])
    ]);

    // Read-out.
    this.readout = h("div", { className: "cdp-readout", id: uid + "-readout" });
    this.live = h("div", { className: "cdp-sr-only", "aria-live": "polite",
      "aria-atomic": "true", id: uid + "-live" });

    // Kernel, then what it does, then the rest: on a phone the output sits
    // right under the kernel being edited.
    kernelGroup.classList.add("cdp-area-kernel");
    views.classList.add("cdp-area-views");
    this.readout.classList.add("cdp-area-readout");
    optionGroup.classList.add("cdp-area-options");
    inputGroup.classList.add("cdp-area-input");
    root.appendChild(h("div", { className: "cdp-layout" }, [
      kernelGroup, views, this.readout, optionGroup, inputGroup
    ]));
    root.appendChild(this.live);

    this.outCanvas.addEventListener("keydown", function (e) { self.onKey(e); });
    this.outCanvas.addEventListener("mousemove", function (e) {
      self.onPointer(e, false);
    });
    this.outCanvas.addEventListener("click", function (e) {
      self.onPointer(e, true);
    });
    this.outCanvas.addEventListener("mouseleave", function () {
      self.hover = null;
      self.renderReadout(false);
    });
    this.outCanvas.addEventListener("focus", function () {
      self.renderReadout(true);
    });
  };

  /* ------------------------------------------------------------ kernel UI */

  Playground.prototype.buildGrid = function () {
    var self = this;
    var n = this.size;
    this.grid.textContent = "";
    this.grid.style.setProperty("--cdp-n", String(n));
    this.cells = [];
    for (var u = 0; u < n; u++) {
      for (var v = 0; v < n; v++) {
        var cell = h("input", {
          type: "text", inputmode: "decimal", autocomplete: "off",
          spellcheck: "false", className: "cdp-cell",
          id: ROOT_ID + "-k" + u + "-" + v,
          "aria-label": "Kernel row " + (u + 1) + ", column " + (v + 1),
          "data-row": String(u), "data-col": String(v)
        });
        cell.value = this.texts[u * n + v];
        cell.addEventListener("input", (function (t) {
          return function (e) {
            self.editStart = performance.now();
            self.texts[t] = e.target.value;
            self.presetSelect.value = "custom";
            self.desc.textContent = "Your own kernel.";
            if (self.validate()) {
              self.schedule();
            }
          };
        })(u * n + v));
        this.cells.push(cell);
        this.grid.appendChild(cell);
      }
    }
    this.sizeRadios[0].checked = n === 3;
    this.sizeRadios[1].checked = n === 5;
  };

  Playground.prototype.applyPreset = function (k) {
    var values = k.values;
    this.size = values.length;
    this.texts = [];
    for (var u = 0; u < values.length; u++) {
      for (var v = 0; v < values[u].length; v++) {
        this.texts.push(fmtKernel(values[u][v]));
      }
    }
    this.presetSelect.value = k.name;
    this.desc.textContent = k.description;
    this.buildGrid();
    this.validate();
  };

  /* Switch between 3x3 and 5x5, keeping the centre. */
  Playground.prototype.resize = function (n) {
    var old = this.size;
    if (n === old) {
      return;
    }
    var off = (n - old) / 2;
    var texts = [];
    for (var u = 0; u < n; u++) {
      for (var v = 0; v < n; v++) {
        var su = u - off;
        var sv = v - off;
        texts.push(su >= 0 && su < old && sv >= 0 && sv < old
          ? this.texts[su * old + sv] : "0");
      }
    }
    this.size = n;
    this.texts = texts;
    this.buildGrid();
    this.presetSelect.value = "custom";
    this.desc.textContent = "Your own kernel.";
    this.validate();
  };

  /* Check every cell; on success the kernel becomes the last valid one. */
  Playground.prototype.validate = function () {
    var n = this.size;
    var values = new Float64Array(n * n);
    var problems = [];
    for (var t = 0; t < n * n; t++) {
      var res = parseCell(this.texts[t]);
      var cell = this.cells[t];
      if (res.error) {
        cell.setAttribute("aria-invalid", "true");
        cell.setAttribute("aria-describedby", ROOT_ID + "-kernel-error");
        problems.push("row " + (Math.floor(t / n) + 1) + ", column " +
          (t % n + 1) + ": " + res.error);
      } else {
        cell.removeAttribute("aria-invalid");
        cell.removeAttribute("aria-describedby");
        values[t] = res.value;
      }
    }
    if (problems.length) {
      this.kernelError.textContent = "Kernel " + problems.join("; ") +
        ". The output shows the last valid kernel.";
      this.root.setAttribute("data-kernel-valid", "false");
      return false;
    }
    this.kernelError.textContent = "";
    this.root.setAttribute("data-kernel-valid", "true");
    this.kernel = values;
    this.kernelSize = n;
    return true;
  };

  /* --------------------------------------------------------------- images */

  Playground.prototype.loadBuiltin = function (name) {
    var self = this;
    if (this.images[name]) {
      return Promise.resolve(this.images[name]);
    }
    var meta = this.manifest.images.filter(function (im) {
      return im.name === name;
    })[0];
    return fetchOk(BASE + "data/" + meta.file, "blob").then(function (blob) {
      return self.engine.request({ type: "decode", blob: blob,
        maxSide: Math.max(meta.height, meta.width), exact: true });
    }).then(function (res) {
      if (res.error) {
        throw new Error(res.error);
      }
      if (res.height !== meta.height || res.width !== meta.width) {
        throw new Error("unexpected size of " + meta.file);
      }
      self.images[name] = { data: res.data, height: res.height,
        width: res.width, title: meta.title };
      return self.images[name];
    });
  };

  Playground.prototype.selectImage = function (name) {
    var self = this;
    var token = ++this.imageToken;
    this.loading++;
    this.setStatus("busy");
    return this.loadBuiltin(name).then(function (img) {
      if (token === self.imageToken) {
        self.imageSelect.value = name;
        return self.useImage(img, name);
      }
      return null;
    }).catch(function (err) {
      self.outMsg.textContent = "The image could not be loaded: " +
        err.message;
    }).then(function () {
      self.loading--;
      self.settle();
    });
  };

  Playground.prototype.useImage = function (img, name) {
    var self = this;
    this.image = img;
    this.imageName = name;
    this.drawInput();
    return this.engine.request({ type: "image", data: img.data,
      height: img.height, width: img.width }).then(function () {
      self.imageReady = true;
      return self.schedule();
    });
  };

  Playground.prototype.readFile = function () {
    var self = this;
    var file = this.fileInput.files && this.fileInput.files[0];
    if (!file) {
      return Promise.resolve();
    }
    var token = ++this.imageToken;
    this.fileMsg.textContent = "Reading " + file.name + "\u2026";
    this.fileMsg.className = "cdp-message";
    this.loading++;
    this.setStatus("busy");
    return this.engine.request({ type: "decode", blob: file,
      maxSide: Core.LIMITS.maxSide, exact: false }).then(function (res) {
      if (token !== self.imageToken) {
        return null;
      }
      if (res.error) {
        self.fileMsg.textContent = "Could not use " + file.name + ": " +
          res.error + ". The previous image stays.";
        self.fileMsg.className = "cdp-message cdp-error";
        if (self.image) {
          self.imageSelect.value = self.imageName;
        }
        return null;
      }
      var scaled = res.width !== res.originalWidth;
      var title = "Your image (" + res.width + " " + TIMES + " " +
        res.height + ")";
      var img = { data: res.data, height: res.height, width: res.width,
        title: title };
      self.images.upload = img;
      var opt = self.imageSelect.querySelector("option[value=upload]");
      if (!opt) {
        opt = h("option", { value: "upload" });
        self.imageSelect.appendChild(opt);
      }
      opt.textContent = title;
      self.imageSelect.value = "upload";
      self.fileMsg.textContent = file.name + ": " + res.originalWidth + " " +
        TIMES + " " + res.originalHeight + " px" + (scaled
        ? ", downscaled to " + res.width + " " + TIMES + " " + res.height + "."
        : ".");
      return self.useImage(img, "upload");
    }).then(function () {
      self.loading--;
      self.settle();
    });
  };

  Playground.prototype.drawInput = function () {
    var img = this.image;
    var c = this.inCanvas;
    c.width = img.width;
    c.height = img.height;
    var ctx = c.getContext("2d");
    var data = ctx.createImageData(img.width, img.height);
    for (var p = 0; p < img.data.length; p++) {
      var g = Math.round(img.data[p] * 255);
      data.data[4 * p] = g;
      data.data[4 * p + 1] = g;
      data.data[4 * p + 2] = g;
      data.data[4 * p + 3] = 255;
    }
    ctx.putImageData(data, 0, 0);
    this.inCaption.textContent = "Input: " + img.height + " " + TIMES + " " +
      img.width;
    this.inCanvas.setAttribute("aria-label", "Input image: " + img.title);
  };

  /* -------------------------------------------------------------- compute */

  Playground.prototype.settings = function () {
    return {
      padding: this.padding.value,
      border: this.border.value,
      stride: Number(this.stride.value),
      flip: this.flip.checked,
      pool: this.pool.value
    };
  };

  /* Ask for a recompute; at most one request is in flight at a time. */
  Playground.prototype.schedule = function () {
    if (!this.imageReady || !this.kernel) {
      return Promise.resolve();
    }
    if (this.editStart === null) {
      this.editStart = performance.now();
    }
    if (this.inFlight) {
      // Sent when the current request comes back (not awaited here: an image
      // load waiting for "idle" would wait for itself).
      this.pending = true;
      return Promise.resolve();
    }
    this.setStatus("busy");
    return this.send();
  };

  Playground.prototype.send = function () {
    var self = this;
    var job = {
      image: this.image,
      imageName: this.imageName,
      kernel: Float64Array.from(this.kernel),
      size: this.kernelSize,
      opts: this.settings(),
      started: this.editStart
    };
    this.editStart = null;
    this.inFlight = true;
    this.pending = false;
    job.sent = performance.now();
    return this.engine.request({ type: "compute", kernel: job.kernel,
      kh: job.size, kw: job.size, opts: job.opts }).then(function (res) {
      job.received = performance.now();
      self.inFlight = false;
      if (res.error) {
        self.outMsg.textContent = "No output: " + res.error +
          ". The previous output stays.";
      } else {
        self.outMsg.textContent = "";
        job.output = res;
        self.show(job);
      }
      if (self.pending) {
        return self.send();
      }
      self.settle();
      return null;
    });
  };

  Playground.prototype.show = function (job) {
    var out = job.output;
    this.shown = job;
    var c = this.outCanvas;
    c.width = out.width;
    c.height = out.height;
    var ctx = c.getContext("2d");
    var img = ctx.createImageData(out.width, out.height);
    var vmax = Core.maxAbs(out.data);
    Core.colourize(out.data, this.lut, vmax, img.data);
    ctx.putImageData(img, 0, 0);
    this.drawLegend(vmax);
    var o = job.opts;
    var conv = out.convHeight + " " + TIMES + " " + out.convWidth;
    this.outCaption.textContent = "Output: " + out.height + " " + TIMES + " " +
      out.width + (o.pool !== "none" ? " (" + conv + " before pooling)" : "");
    this.root.setAttribute("data-shape", out.height + "," + out.width);
    this.focus = [Math.min(this.focus[0], out.height - 1),
      Math.min(this.focus[1], out.width - 1)];
    this.renderReadout(false);
    // Where the time between an edit and the drawn output went (the
    // benchmark reads this).
    var now = performance.now();
    this.lastUpdate = {
      total: job.started === null ? null : now - job.started,
      waiting: job.started === null ? null : job.sent - job.started,
      compute: out.elapsed,
      where: out.where,
      messages: job.received - job.sent - out.elapsed,
      drawing: now - job.received
    };
  };

  Playground.prototype.drawLegend = function (vmax) {
    var n = this.lut.length / 3;
    var ctx = this.legendCanvas.getContext("2d");
    var img = ctx.createImageData(n, 1);
    for (var i = 0; i < n; i++) {
      img.data[4 * i] = this.lut[3 * i];
      img.data[4 * i + 1] = this.lut[3 * i + 1];
      img.data[4 * i + 2] = this.lut[3 * i + 2];
      img.data[4 * i + 3] = 255;
    }
    ctx.putImageData(img, 0, 0);
    var m = vmax > 0 ? vmax : 1;
    this.legendLabels[0].textContent = fmt(-m);
    this.legendLabels[2].textContent = fmt(m);
    this.legend.setAttribute("aria-label", "Colour scale: from " + fmt(-m) +
      " (blue) through 0 (white) to " + fmt(m) + " (red)");
  };

  /* ------------------------------------------------------------- read-out */

  Playground.prototype.onPointer = function (e, commit) {
    if (!this.shown) {
      return;
    }
    var rect = this.outCanvas.getBoundingClientRect();
    var out = this.shown.output;
    var j = Math.floor((e.clientX - rect.left) / rect.width * out.width);
    var i = Math.floor((e.clientY - rect.top) / rect.height * out.height);
    i = Math.max(0, Math.min(out.height - 1, i));
    j = Math.max(0, Math.min(out.width - 1, j));
    if (commit) {
      this.focus = [i, j];
      this.hover = null;
      this.outCanvas.focus();
      this.renderReadout(true);
    } else {
      this.hover = [i, j];
      this.renderReadout(false);
    }
  };

  Playground.prototype.onKey = function (e) {
    if (!this.shown) {
      return;
    }
    var out = this.shown.output;
    var step = e.shiftKey ? 10 : 1;
    var i = this.focus[0];
    var j = this.focus[1];
    switch (e.key) {
      case "ArrowUp": i -= step; break;
      case "ArrowDown": i += step; break;
      case "ArrowLeft": j -= step; break;
      case "ArrowRight": j += step; break;
      case "PageUp": i -= 10; break;
      case "PageDown": i += 10; break;
      case "Home": j = 0; i = e.ctrlKey ? 0 : i; break;
      case "End": j = out.width - 1; i = e.ctrlKey ? out.height - 1 : i; break;
      default: return;
    }
    e.preventDefault();
    this.focus = [Math.max(0, Math.min(out.height - 1, i)),
      Math.max(0, Math.min(out.width - 1, j))];
    this.hover = null;
    this.renderReadout(true);
  };

  /* The arithmetic behind output cell (i, j) of what is shown. */
  Playground.prototype.explain = function (i, j) {
    var job = this.shown;
    var img = job.image;
    var o = job.opts;
    var n = job.size;
    var res = { index: [i, j], value: job.output.data[i * job.output.width + j] };
    var ci = i;
    var cj = j;
    if (o.pool !== "none") {
      var cells = [];
      for (var t = 0; t < 4; t++) {
        var s = Core.step(img.data, img.height, img.width, job.kernel, n, n, o,
          2 * i + (t >> 1), 2 * j + (t & 1));
        cells.push(s.value);
      }
      var pooled = Core.poolStep({ data: Float64Array.from(cells), width: 2 },
        o.pool, 0, 0);
      var pick = pooled.pick < 0 ? 0 : pooled.pick;
      res.pool = { mode: o.pool, values: cells, value: pooled.value,
        pick: pooled.pick };
      ci = 2 * i + (pick >> 1);
      cj = 2 * j + (pick & 1);
    }
    var st = Core.step(img.data, img.height, img.width, job.kernel, n, n, o,
      ci, cj);
    res.conv = {
      index: [ci, cj],
      top: st.top,
      left: st.left,
      size: n,
      window: rows(st.window, n, n),
      kernel: rows(st.kernel, n, n),
      products: rows(st.products, n, n),
      valid: rows(st.valid, n, n),
      sum: st.value
    };
    return res;
  };

  function matrix(caption, values, valid, extraClass) {
    var n = values.length;
    var cells = [];
    for (var u = 0; u < n; u++) {
      for (var v = 0; v < values[u].length; v++) {
        cells.push(h("span", {
          className: "cdp-num" + (valid && !valid[u][v] ? " cdp-pad" : ""),
          text: fmt(values[u][v])
        }));
      }
    }
    var grid = h("div", { className: "cdp-mat " + (extraClass || "") }, cells);
    grid.style.setProperty("--cdp-n", String(values[0].length));
    return h("figure", { className: "cdp-matfig" }, [
      h("figcaption", { text: caption }), grid
    ]);
  }

  function rowsText(values) {
    return values.map(function (r) { return r.map(fmt).join(", "); })
      .join("; ");
  }

  var POOL_NAMES = { max: "maximum", avg: "average", min: "minimum" };

  Playground.prototype.renderReadout = function (announce) {
    if (!this.shown) {
      return;
    }
    var at = this.hover || this.focus;
    var ex = this.explain(at[0], at[1]);
    this.current = ex;
    var job = this.shown;
    var conv = ex.conv;
    var n = conv.size;
    var box = this.readout;
    box.textContent = "";
    var where = "row " + at[0] + ", column " + at[1];
    box.appendChild(h("p", { className: "cdp-readout-title",
      id: ROOT_ID + "-readout-title",
      text: "Output pixel at " + where + " = " + fmt(ex.value) }));
    if (ex.pool) {
      var pv = ex.pool.values.map(fmt);
      box.appendChild(h("p", {}, [
        "It is the " + POOL_NAMES[ex.pool.mode] + " of the 2 " + TIMES +
        " 2 convolution outputs " + pv[0] + ", " + pv[1] + " / " + pv[2] +
        ", " + pv[3] + ". " + (ex.pool.pick >= 0
          ? "The chosen one, at row " + conv.index[0] + ", column " +
            conv.index[1] + ", comes from:"
          : "The first of them, at row " + conv.index[0] + ", column " +
            conv.index[1] + ", comes from:")
      ]));
    }
    var kcap = job.opts.flip ? "Kernel, flipped" : "Kernel";
    box.appendChild(h("div", { className: "cdp-mats" }, [
      matrix("Input window", conv.window, conv.valid, "cdp-mat-in"),
      h("span", { className: "cdp-op", "aria-hidden": "true", text: TIMES }),
      matrix(kcap, conv.kernel, null, "cdp-mat-k"),
      h("span", { className: "cdp-op", "aria-hidden": "true", text: "=" }),
      matrix("Products", conv.products, conv.valid, "cdp-mat-out")
    ]));
    var terms = [];
    conv.products.forEach(function (r) { r.forEach(function (v) {
      terms.push(fmt(v));
    }); });
    box.appendChild(h("p", { className: "cdp-sum" }, [
      "Sum of the products: ",
      n === 3 ? terms.join(" + ").replace(/\+ \u2212/g, MINUS + " ") + " = "
        : "",
      h("strong", { className: "cdp-sum-value", text: fmt(conv.sum) })
    ]));
    if (conv.valid.some(function (r) { return r.some(function (x) {
      return !x;
    }); })) {
      box.appendChild(h("p", { className: "cdp-hint",
        text: "Dashed cells are padding (" + job.opts.border + ")." }));
    }
    box.setAttribute("data-index", at[0] + "," + at[1]);
    this.placeBoxes(ex);
    if (announce) {
      var self = this;
      var text = "Row " + at[0] + ", column " + at[1] + ": " + fmt(ex.value) +
        ". " + (ex.pool ? POOL_NAMES[ex.pool.mode] + " of " +
        ex.pool.values.map(fmt).join(", ") + ". " : "") +
        "Window: " + rowsText(conv.window) + ". Products: " +
        rowsText(conv.products) + ". Sum: " + fmt(conv.sum) + ".";
      clearTimeout(this.liveTimer);
      this.liveTimer = setTimeout(function () {
        self.live.textContent = text;
      }, 150);
    }
  };

  /* Outline the window on the input and the pixel on the output. */
  Playground.prototype.placeBoxes = function (ex) {
    var job = this.shown;
    var img = job.image;
    var out = job.output;
    var o = job.opts;
    var n = job.size;
    var top = ex.conv.top;
    var left = ex.conv.left;
    var height = n;
    var width = n;
    if (ex.pool) {
      // The union of the four windows of the pooled cell.
      var pad = Core.paddingAmounts(o.padding, n, n);
      top = 2 * ex.index[0] * o.stride - pad[0][0];
      left = 2 * ex.index[1] * o.stride - pad[1][0];
      height = n + o.stride;
      width = n + o.stride;
    }
    var t = Math.max(0, top);
    var l = Math.max(0, left);
    var b = Math.min(img.height, top + height);
    var r = Math.min(img.width, left + width);
    setBox(this.inBox, t / img.height, l / img.width, (b - t) / img.height,
      (r - l) / img.width);
    setBox(this.outBox, ex.index[0] / out.height, ex.index[1] / out.width,
      1 / out.height, 1 / out.width);
  };

  function setBox(el, top, left, height, width) {
    el.style.top = (100 * top) + "%";
    el.style.left = (100 * left) + "%";
    el.style.height = (100 * height) + "%";
    el.style.width = (100 * width) + "%";
    el.style.display = "block";
  }

  /* -------------------------------------------------- test and bench API */

  Playground.prototype.api = function () {
    var self = this;
    return {
      whenIdle: function () { return self.whenIdle(); },
      getOutput: function () {
        if (!self.shown) {
          return null;
        }
        var o = self.shown.output;
        return { shape: [o.height, o.width], data: rows(o.data, o.height,
          o.width), settings: self.shown.opts, image: self.shown.imageName,
        kernel: rows(self.shown.kernel, self.shown.size, self.shown.size) };
      },
      getInput: function () {
        var im = self.image;
        return im ? { name: self.imageName, shape: [im.height, im.width],
          data: rows(im.data, im.height, im.width) } : null;
      },
      getReadout: function () { return self.current || null; },
      getLastUpdate: function () { return self.lastUpdate; },
      status: function () { return self.status; }
    };
  };

  /* ---------------------------------------------------------------- boot */

  var current = null;

  function boot() {
    if (current && !document.body.contains(current.root)) {
      current.destroy();
      current = null;
    }
    var root = document.getElementById(ROOT_ID);
    if (!root || root.getAttribute("data-started")) {
      return;
    }
    root.setAttribute("data-started", "true");
    current = new Playground(root);
    window.convdemoPlayground = current.api();
    current.start();
  }

  if (!Core) {
    var missing = document.getElementById(ROOT_ID);
    if (missing) {
      missing.textContent = "The playground could not start: core.js is " +
        "missing.";
    }
    return;
  }
  if (window.document$ && typeof window.document$.subscribe === "function") {
    if (!window.__convdemoPlaygroundBoot) {
      window.__convdemoPlaygroundBoot = true;
      window.document$.subscribe(function () { boot(); });
    }
    boot();
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", boot);
  } else {
    boot();
  }
})();
