/*
 * The convdemo playground: edit a kernel, watch the output, inspect one
 * output pixel's arithmetic. Plain JavaScript, no network beyond this site.
 *
 * The page needs <div id="convdemo-playground"></div> and, right after it,
 * core.js and this script. The arithmetic (core.js) runs in a worker
 * (worker.js); the data (images, kernels, colormap) is written by the site
 * build into data/ (hooks/playground_data.py).
 *
 * Loading without moving the page: the build also copies the kernels and
 * the image list into the container's data-playground attribute, so this
 * script builds the whole interface as soon as it runs, while the page is
 * still parsed: the controls, the canvases at their final sizes (from the
 * image sizes), the captions and the first pixel's read-out (from the
 * image's corner). The first paint has the final layout; the image is
 * fetched and decoded in the worker, the first output is computed there too,
 * and drawing it changes no size. Without the attribute the script fetches
 * manifest.json and kernels.json first.
 *
 * Safe to run more than once (Material's instant navigation, when a site
 * turns it on, re-runs page scripts): each container is set up once, and a
 * playground whose container left the page is shut down.
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

  var ESCAPES = { "&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;" };

  /* Text made safe inside HTML, as content or a double-quoted attribute. */
  function esc(text) {
    return String(text).replace(/[&<>"]/g, function (c) {
      return ESCAPES[c];
    });
  }

  /*
   * An element as HTML, to build many at once (one parse is much cheaper
   * than creating them one by one). Attributes whose value is null,
   * undefined or false are left out; className is class; content is HTML,
   * a string or a list of strings.
   */
  function tag(name, attrs, content) {
    var out = "<" + name;
    for (var key in attrs) {
      var value = attrs[key];
      if (value !== null && value !== undefined && value !== false) {
        out += " " + (key === "className" ? "class" : key) +
          (value === true ? "" : "=\"" + esc(value) + "\"");
      }
    }
    if (name === "input") {
      return out + ">";
    }
    content = content || "";
    return out + ">" + (typeof content === "string" ? content
      : content.join("")) + "</" + name + ">";
  }

  /*
   * A number as shown in the read-out, with a true minus: at most 4
   * decimals; in scientific notation (4 significant digits) when those
   * decimals would hide it (|v| < 0.001) or it is very large (>= 1e9).
   */
  function fmt(v) {
    if (Object.is(v, -0)) {
      v = 0;
    }
    var a = Math.abs(v);
    var s;
    if (a !== 0 && Number.isFinite(v) && (a < 1e-3 || a >= 1e9)) {
      s = Number(v.toPrecision(4)).toExponential().replace("e+", "e");
    } else {
      s = Number.isInteger(v) ? String(v) : String(Number(v.toFixed(4)));
    }
    if (s === "-0") {
      s = "0";
    }
    return s.replace(/-/g, MINUS);
  }

  function gcd(a, b) {
    while (b) {
      var t = a % b;
      a = b;
      b = t;
    }
    return a;
  }

  /*
   * A preset's weight as typed in a cell: weight / divisor in lowest terms,
   * from the registry's whole-number weights and divisor (1/8, not 0.125).
   */
  function fmtWeight(weight, divisor) {
    var g = gcd(Math.abs(weight), divisor);
    var num = weight / g;
    var den = divisor / g;
    return den === 1 ? String(num) : num + "/" + den;
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

  /*
   * Talks to the worker; falls back to the page thread if there is none.
   * The worker starts with the first request, not while the page loads.
   */
  function Engine() {
    this.nextId = 1;
    this.waiting = {};
    this.worker = null;
    this.opened = false;
    // Holds the current image too, for the small recomputes done here.
    this.local = new Core.Engine();
  }

  Engine.prototype.open = function () {
    this.opened = true;
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
  };

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

  /*
   * offThread: send a compute to the worker even if it is small (the first
   * output: no edit is waiting for it, and the page has its own loading to
   * do).
   */
  Engine.prototype.request = function (msg, transfer, offThread) {
    var self = this;
    if (!this.opened) {
      this.open();
    }
    msg.id = this.nextId++;
    if (msg.type === "image") {
      this.local.image = { data: msg.data, height: msg.height,
        width: msg.width };
    }
    return new Promise(function (resolve) {
      if (self.worker && (offThread || !self.isSmall(msg))) {
        self.waiting[msg.id] = { msg: msg, resolve: resolve };
        self.worker.postMessage(msg, transfer || []);
      } else {
        self.runLocally(msg, resolve);
      }
    });
  };

  Engine.prototype.terminate = function () {
    this.opened = true;
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
    this.readoutKey = null;    // what the read-out's DOM shows
    this.legendDrawn = false;
    this.destroyed = false;
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

  /* The data the site build put into the container, or null. */
  function pageData(root) {
    var text = root.getAttribute("data-playground");
    return text ? JSON.parse(text) : null;
  }

  Playground.prototype.start = function () {
    var self = this;
    this.setStatus("loading");
    try {
      var data = pageData(this.root);
      if (data) {
        this.begin(data.manifest, data.kernels);
        return Promise.resolve();
      }
    } catch (err) {
      this.fail(err);
      return Promise.resolve();
    }
    // A page without the build's copy of the data fetches it first.
    this.root.textContent = "Loading the playground\u2026";
    return Promise.all([
      fetchOk(BASE + "data/manifest.json", "json"),
      fetchOk(BASE + "data/kernels.json", "json")
    ]).then(function (loaded) {
      self.begin(loaded[0], loaded[1]);
    }).catch(function (err) {
      self.fail(err);
    });
  };

  Playground.prototype.fail = function (err) {
    this.root.textContent = "The playground could not start: " + err.message;
    this.setStatus("error");
  };

  /*
   * Build the interface in its final layout, then load the first image; its
   * pixels and the first output only fill space that is already there.
   */
  Playground.prototype.begin = function (manifest, kernels) {
    this.manifest = manifest;
    this.kernels = kernels;
    this.lut = Uint8Array.from(manifest.colormap.lut);
    this.build();
    this.applyPreset(this.kernelByName("vertical") || kernels[0]);
    // A shared link's settings, before anything is sized or drawn.
    var first = this.applyState(location.search) || manifest.images[0];
    this.builtinName = first.name;
    this.imageSelect.value = first.name;
    this.sizeViews(first);
    this.firstReadout(first);
    this.updateShare();
    // The worker, the image's fetch and its decoding start in a task of
    // their own, after this one (the page's parsing).
    var self = this;
    setTimeout(function () {
      if (!self.destroyed) {
        self.selectImage(first.name);
      }
    }, 0);
  };

  /* A request to decode an image, with the limits and grey weights. */
  Playground.prototype.decodeRequest = function (blob, maxSide, exact) {
    var limits = this.manifest.limits;
    return { type: "decode", blob: blob, maxSide: maxSide, exact: exact,
      maxBytes: limits.maxBytes, maxPixels: limits.maxPixels,
      grey: this.manifest.grey };
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
    this.destroyed = true;
    this.engine.terminate();
    clearTimeout(this.liveTimer);
  };

  /*
   * Build the controls, canvases and read-out inside the container. The
   * markup is written as one string and parsed at once, which costs the
   * page much less than creating the elements one by one: this runs while
   * the page loads.
   */
  Playground.prototype.build = function () {
    var self = this;
    var root = this.root;

    function id(name) {
      return ROOT_ID + "-" + name;
    }

    function field(name, label, options, attrs, hint) {
      attrs.id = id(name);
      return tag("div", { className: "cdp-field" }, [
        tag("label", { "for": id(name) }, esc(label)),
        tag("select", attrs, options.map(function (o) {
          return tag("option", { value: o[0] }, esc(o[1]));
        })),
        hint ? tag("p", { className: "cdp-hint", id: id(name + "-hint") },
          esc(hint)) : ""
      ]);
    }

    function radio(n) {
      return tag("span", {}, [
        tag("input", { type: "radio", name: id("size"), id: id("size-" + n),
          value: String(n) }),
        tag("label", { "for": id("size-" + n) }, n + " " + TIMES + " " + n)
      ]);
    }

    var presets = this.kernels.map(function (k) {
      return [k.name, k.title];
    });
    presets.push(["custom", "Custom (edited)"]);
    var kernelGroup = tag("fieldset", {
      className: "cdp-group cdp-area-kernel" }, [
      tag("legend", {}, "Kernel"),
      field("preset", "Preset", presets, { "aria-describedby": id("desc") }),
      tag("p", { className: "cdp-desc", id: id("desc") }),
      tag("fieldset", { className: "cdp-size" }, [
        tag("legend", {}, "Kernel size"), radio(3), radio(5)
      ]),
      tag("div", { className: "cdp-kernel", role: "group", id: id("kernel"),
        "aria-label": "Kernel values", "aria-describedby": id("kernel-hint") }),
      tag("p", { className: "cdp-hint", id: id("kernel-hint") },
        "Numbers or fractions such as 1/9."),
      tag("p", { className: "cdp-error", id: id("kernel-error"),
        "aria-live": "polite" }),
      tag("div", { className: "cdp-field cdp-switch" }, [
        tag("input", { type: "checkbox", role: "switch", id: id("flip") }),
        tag("label", { "for": id("flip") },
          "Flip the kernel (true convolution)")
      ])
    ]);

    // "Loading..." shows inside each frame until its first image is drawn.
    var views = tag("div", { className: "cdp-views cdp-area-views" }, [
      tag("figure", { className: "cdp-view" }, [
        tag("figcaption", {}),
        tag("div", { className: "cdp-frame", "data-empty": "true" }, [
          tag("canvas", { className: "cdp-canvas", role: "img",
            "aria-label": "Input image" }),
          tag("div", { className: "cdp-box", "aria-hidden": "true" })
        ])
      ]),
      tag("figure", { className: "cdp-view" }, [
        tag("figcaption", { id: id("shape") }),
        tag("div", { className: "cdp-frame", "data-empty": "true" }, [
          tag("canvas", { className: "cdp-canvas cdp-output", tabindex: "0",
            role: "application", id: id("output"),
            "aria-label": "Output: use the arrow keys to pick a pixel",
            "aria-describedby": id("output-hint") + " " + id("readout-title")
          }),
          tag("div", { className: "cdp-box cdp-box-out",
            "aria-hidden": "true" })
        ]),
        tag("div", { className: "cdp-legend", role: "img",
          "aria-label": "Colour scale" }, [
          tag("canvas", { className: "cdp-legend-bar",
            width: String(this.lut.length / 3), height: "1",
            "aria-hidden": "true" }),
          tag("div", { className: "cdp-legend-labels", "aria-hidden": "true" },
            [tag("span", {}), tag("span", {}, "0"), tag("span", {})])
        ]),
        tag("p", { className: "cdp-hint", id: id("output-hint") },
          "Hover over the output, or focus it and use the arrow keys " +
          "(Shift moves by 10, Ctrl+Home goes to the first pixel), to see " +
          "one pixel's arithmetic."),
        tag("p", { className: "cdp-error", role: "status" })
      ])
    ]);

    var readout = tag("div", { className: "cdp-readout cdp-area-readout",
      id: id("readout") });

    var optionGroup = tag("fieldset", {
      className: "cdp-group cdp-area-options" }, [
      tag("legend", {}, "Options"),
      field("padding", "Padding", [["valid", "valid (none)"],
        ["same", "same (output as large as the input)"]], {}),
      field("border", "Border", [["zeros", "zeros"],
        ["reflect", "reflect (d c b | a b c d)"], ["replicate", "replicate"],
        ["wrap", "wrap"]], { "aria-describedby": id("border-hint") },
      "What the padding cells hold; no effect with valid padding."),
      field("stride", "Stride", [["1", "1"], ["2", "2"]], {}),
      field("dilation", "Dilation", Core.DILATIONS.map(function (d) {
        return [String(d), d === 1 ? "1 (none)" : d + " (taps " + d +
          " pixels apart)"];
      }), {}),
      field("pool", "Pooling afterwards (2 " + TIMES + " 2)", [
        ["none", "none"], ["max", "max"], ["avg", "average"], ["min", "min"]
      ], {})
    ]);

    var inputGroup = tag("fieldset", {
      className: "cdp-group cdp-area-input" }, [
      tag("legend", {}, "Input"),
      field("image", "Image", this.manifest.images.map(function (im) {
        return [im.name, im.title];
      }), {}),
      tag("div", { className: "cdp-field" }, [
        tag("label", { "for": id("file") }, "Your own image"),
        tag("input", { type: "file", id: id("file"), accept: "image/*",
          "aria-describedby": id("file-hint") + " " + id("file-msg") }),
        tag("p", { className: "cdp-hint", id: id("file-hint") },
          "It stays in your browser. Colour images are turned gray and " +
          "downscaled to at most " + this.manifest.limits.uploadMaxSide +
          " px on the " +
          "longer side.")
      ]),
      tag("p", { className: "cdp-message", id: id("file-msg"),
        role: "status" })
    ]);

    // Sharing and reproducing: the link, the code, the output image. The
    // snippets sit in a closed <details>, so that rewriting them as the
    // settings change moves nothing.
    function button(name, label) {
      return tag("button", { type: "button", className: "md-button cdp-button",
        id: id(name) }, esc(label));
    }
    var shareGroup = tag("fieldset", {
      className: "cdp-group cdp-area-share" }, [
      tag("legend", {}, "Share and reproduce"),
      tag("p", { className: "cdp-hint" }, "The address of this page " +
        "holds every setting above: copy it to show someone exactly this."),
      tag("div", { className: "cdp-buttons" }, [
        button("copy-link", "Copy link"),
        button("copy-python", "Copy as Python"),
        button("copy-cli", "Copy as command line"),
        button("download", "Download output (PNG)")
      ]),
      tag("p", { className: "cdp-message", id: id("share-msg"),
        role: "status" }),
      tag("details", { className: "cdp-snippets" }, [
        tag("summary", {}, "Show the Python and the command line"),
        tag("p", { className: "cdp-hint" }, "Python (convdemo installed):"),
        tag("pre", { className: "cdp-snippet", id: id("python") }),
        tag("p", { className: "cdp-hint" }, "Command line (a PNG with " +
          "one pixel per output cell, coloured like the output above):"),
        tag("pre", { className: "cdp-snippet", id: id("cli") })
      ])
    ]);

    // Kernel, then what it does, then the rest: on a phone the output sits
    // right under the kernel being edited.
    root.classList.add("cdp");
    root.innerHTML = tag("p", { className: "cdp-error", id: id("state-msg"),
      role: "status" }) + tag("div", { className: "cdp-layout" }, [
      kernelGroup, views, readout, optionGroup, inputGroup, shareGroup
    ]) + tag("div", { className: "cdp-sr-only", "aria-live": "polite",
      "aria-atomic": "true", id: id("live") });

    function find(selector) {
      return root.querySelector(selector);
    }

    function byId(name) {
      return find("#" + id(name));
    }

    this.presetSelect = byId("preset");
    this.desc = byId("desc");
    this.sizeRadios = [byId("size-3"), byId("size-5")];
    this.grid = byId("kernel");
    this.kernelError = byId("kernel-error");
    this.flip = byId("flip");
    var frames = root.querySelectorAll(".cdp-frame");
    var captions = root.querySelectorAll(".cdp-view > figcaption");
    this.inFrame = frames[0];
    this.outFrame = frames[1];
    this.inCaption = captions[0];
    this.outCaption = captions[1];
    this.inCanvas = find(".cdp-frame > .cdp-canvas");
    this.inBox = find(".cdp-box");
    this.outCanvas = byId("output");
    this.outBox = find(".cdp-box-out");
    this.legend = find(".cdp-legend");
    this.legendCanvas = find(".cdp-legend-bar");
    this.legendLabels = root.querySelectorAll(".cdp-legend-labels > span");
    this.outMsg = find(".cdp-views .cdp-error");
    this.readout = byId("readout");
    this.padding = byId("padding");
    this.border = byId("border");
    this.stride = byId("stride");
    this.dilation = byId("dilation");
    this.pool = byId("pool");
    this.stateMsg = byId("state-msg");
    this.shareMsg = byId("share-msg");
    this.pythonCode = byId("python");
    this.cliCode = byId("cli");
    this.imageSelect = byId("image");
    this.fileInput = byId("file");
    this.fileMsg = byId("file-msg");
    this.live = byId("live");

    function schedule() {
      self.schedule();
    }

    this.imageSelect.addEventListener("change", function () {
      self.selectImage(self.imageSelect.value);
    });
    this.fileInput.addEventListener("change", function () {
      self.readFile();
    });
    this.presetSelect.addEventListener("change", function () {
      var k = self.kernelByName(self.presetSelect.value);
      if (k) {
        self.applyPreset(k);
        self.schedule();
      }
    });
    this.sizeRadios.forEach(function (radio, n) {
      radio.addEventListener("change", function () {
        self.resize(n ? 5 : 3);
        self.schedule();
      });
    });
    // One listener for every kernel cell, present and future.
    this.grid.addEventListener("input", function (e) {
      self.editCell(e.target);
    });
    [this.flip, this.padding, this.border, this.stride, this.dilation,
      this.pool].forEach(function (control) {
      control.addEventListener("change", schedule);
    });
    byId("copy-link").addEventListener("click", function () {
      self.copy(location.href, "The link");
    });
    byId("copy-python").addEventListener("click", function () {
      self.copy(self.pythonCode.textContent, "The Python code");
    });
    byId("copy-cli").addEventListener("click", function () {
      self.copy(self.cliCode.textContent, "The command");
    });
    byId("download").addEventListener("click", function () {
      self.downloadOutput();
    });
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

  function inputCaption(height, width) {
    return "Input: " + height + " " + TIMES + " " + width;
  }

  function outputCaption(height, width, convHeight, convWidth, pool) {
    return "Output: " + height + " " + TIMES + " " + width + (pool !== "none"
      ? " (" + convHeight + " " + TIMES + " " + convWidth + " before pooling)"
      : "");
  }

  /*
   * Give the canvases the pixel size of what they are about to show, and the
   * captions their text, before any pixel is known: the canvases' height
   * follows from it (CSS), so drawing them later moves nothing.
   */
  Playground.prototype.sizeViews = function (meta) {
    var o = this.settings();
    var n = this.kernelSize;
    var conv = Core.outputShape(meta.height, meta.width, n, n, o.padding,
      o.stride, o.dilation);
    var out = o.pool === "none" ? conv
      : [Math.floor(conv[0] / 2), Math.floor(conv[1] / 2)];
    this.inCanvas.width = meta.width;
    this.inCanvas.height = meta.height;
    this.inCaption.textContent = inputCaption(meta.height, meta.width);
    this.outCanvas.width = out[1];
    this.outCanvas.height = out[0];
    this.outCaption.textContent = outputCaption(out[0], out[1], conv[0],
      conv[1], o.pool);
  };

  /*
   * The read-out of output pixel (0, 0) before the image is decoded. With
   * valid padding and no pooling it needs only the image's top-left corner,
   * which the data carries; the read-out then has its final size in the
   * first paint, and the first output, which explains the same pixel, finds
   * it already written.
   */
  Playground.prototype.firstReadout = function (meta) {
    var o = this.settings();
    var n = this.kernelSize;
    var corner = meta.corner;
    var reach = Core.span(n, o.dilation);
    if (!corner || o.padding !== "valid" || o.pool !== "none" ||
        corner.length < reach || corner[0].length < reach) {
      return;
    }
    var height = corner.length;
    var width = corner[0].length;
    var data = new Float64Array(height * width);
    for (var u = 0; u < height; u++) {
      for (var v = 0; v < width; v++) {
        data[u * width + v] = corner[u][v] / 255;
      }
    }
    this.showReadout({ image: { data: data, height: height, width: width },
      opts: o, size: n, kernel: this.kernel, output: null }, [0, 0], false);
  };

  /* ------------------------------------------------------------ kernel UI */

  Playground.prototype.buildGrid = function () {
    var n = this.size;
    var cells = [];
    for (var u = 0; u < n; u++) {
      for (var v = 0; v < n; v++) {
        cells.push(tag("input", {
          type: "text", inputmode: "decimal", autocomplete: "off",
          spellcheck: "false", className: "cdp-cell",
          id: ROOT_ID + "-k" + u + "-" + v,
          "aria-label": "Kernel row " + (u + 1) + ", column " + (v + 1),
          "data-row": String(u), "data-col": String(v),
          value: this.texts[u * n + v]
        }));
      }
    }
    this.grid.style.setProperty("--cdp-n", String(n));
    this.grid.innerHTML = cells.join("");
    this.cells = Array.prototype.slice.call(this.grid.children);
    this.sizeRadios[0].checked = n === 3;
    this.sizeRadios[1].checked = n === 5;
  };

  /* A kernel cell was edited (the grid's input events). */
  Playground.prototype.editCell = function (cell) {
    var t = this.cells.indexOf(cell);
    if (t < 0) {
      return;
    }
    this.editStart = performance.now();
    this.texts[t] = cell.value;
    this.presetSelect.value = "custom";
    this.desc.textContent = "Your own kernel.";
    if (this.validate()) {
      this.schedule();
    }
  };

  Playground.prototype.applyPreset = function (k) {
    var weights = k.weights;
    this.size = weights.length;
    this.texts = [];
    for (var u = 0; u < weights.length; u++) {
      for (var v = 0; v < weights[u].length; v++) {
        this.texts.push(fmtWeight(weights[u][v], k.divisor));
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
    this.kernelTexts = this.texts.slice();
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
      return self.engine.request(self.decodeRequest(blob,
        Math.max(meta.height, meta.width), true));
    }).then(function (res) {
      if (res.error) {
        throw new Error(res.error);
      }
      if (res.height !== meta.height || res.width !== meta.width) {
        throw new Error("unexpected size of " + meta.file);
      }
      self.images[name] = { data: res.data, rgba: res.rgba,
        height: res.height, width: res.width, title: meta.title };
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
        self.builtinName = name;
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
    return this.engine.request(this.decodeRequest(file,
      this.manifest.limits.uploadMaxSide, false)).then(function (res) {
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
      var img = { data: res.data, rgba: res.rgba, height: res.height,
        width: res.width, title: title };
      self.images.upload = img;
      var opt = self.imageSelect.querySelector("option[value=upload]");
      if (!opt) {
        opt = document.createElement("option");
        opt.value = "upload";
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
    if (c.width !== img.width || c.height !== img.height) {
      c.width = img.width;
      c.height = img.height;
    }
    // The decoder made the pixels to draw (Core.decodeImage).
    var rgba = img.rgba || Core.grayToRGBA(img.data);
    c.getContext("2d").putImageData(new ImageData(rgba, img.width,
      img.height), 0, 0);
    this.inFrame.removeAttribute("data-empty");
    this.inCaption.textContent = inputCaption(img.height, img.width);
    this.inCanvas.setAttribute("aria-label", "Input image: " + img.title);
  };

  /* -------------------------------------------------------------- compute */

  Playground.prototype.settings = function () {
    return {
      padding: this.padding.value,
      border: this.border.value,
      stride: Number(this.stride.value),
      dilation: Number(this.dilation.value),
      flip: this.flip.checked,
      pool: this.pool.value
    };
  };

  /* Ask for a recompute; at most one request is in flight at a time. */
  Playground.prototype.schedule = function () {
    this.updateShare();
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
      kh: job.size, kw: job.size, opts: job.opts, lut: this.lut }, null,
    this.shown === null).then(function (res) {
      job.received = performance.now();
      self.inFlight = false;
      if (res.error) {
        self.outMsg.textContent = "No output: " + res.error + "." +
          (self.shown ? " The previous output stays." : "");
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
    if (c.width !== out.width || c.height !== out.height) {
      c.width = out.width;
      c.height = out.height;
    }
    // Coloured where it was computed (Core.Engine).
    c.getContext("2d").putImageData(new ImageData(out.rgba, out.width,
      out.height), 0, 0);
    this.outFrame.removeAttribute("data-empty");
    this.drawLegend(out.vmax);
    var o = job.opts;
    this.outCaption.textContent = outputCaption(out.height, out.width,
      out.convHeight, out.convWidth, o.pool);
    this.root.setAttribute("data-shape", out.height + "," + out.width);
    this.focus = [Math.min(this.focus[0], out.height - 1),
      Math.min(this.focus[1], out.width - 1)];
    this.renderReadout(false);
    // Where the time between an edit and the drawn output went (the
    // benchmark reads this); colouring the output counts as drawing.
    var now = performance.now();
    this.lastUpdate = {
      total: job.started === null ? null : now - job.started,
      waiting: job.started === null ? null : job.sent - job.started,
      compute: out.elapsed,
      where: out.where,
      messages: job.received - job.sent - out.elapsed - out.colourElapsed,
      drawing: now - job.received + out.colourElapsed
    };
  };

  Playground.prototype.drawLegend = function (vmax) {
    if (!this.legendDrawn) {
      // The colour bar itself never changes: drawn once.
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
      this.legendDrawn = true;
    }
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

  /*
   * The arithmetic behind output cell (i, j) of a job (see send); a job
   * without its output (the first read-out) takes the value from the step.
   */
  function explain(job, i, j) {
    var img = job.image;
    var o = job.opts;
    var n = job.size;
    var res = { index: [i, j], value: job.output
      ? job.output.data[i * job.output.width + j] : null };
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
    if (res.value === null) {
      res.value = res.pool ? res.pool.value : st.value;
    }
    return res;
  }

  function matrix(caption, values, valid, extraClass) {
    var cells = [];
    for (var u = 0; u < values.length; u++) {
      for (var v = 0; v < values[u].length; v++) {
        cells.push(tag("span", {
          className: "cdp-num" + (valid && !valid[u][v] ? " cdp-pad" : "")
        }, fmt(values[u][v])));
      }
    }
    return tag("figure", { className: "cdp-matfig" }, [
      tag("figcaption", {}, esc(caption)),
      tag("div", { className: "cdp-mat " + extraClass,
        "data-cdp-n": values[0].length }, cells)
    ]);
  }

  function rowsText(values) {
    return values.map(function (r) { return r.map(fmt).join(", "); })
      .join("; ");
  }

  var POOL_NAMES = { max: "maximum", avg: "average", min: "minimum" };

  Playground.prototype.renderReadout = function (announce) {
    if (this.shown) {
      this.showReadout(this.shown, this.hover || this.focus, announce);
    }
  };

  /* Spell out pixel `at` of `job`; the DOM is rebuilt only if it changed. */
  Playground.prototype.showReadout = function (job, at, announce) {
    var ex = explain(job, at[0], at[1]);
    this.current = ex;
    var conv = ex.conv;
    var key = JSON.stringify([ex, job.opts.flip, job.opts.border]);
    if (key !== this.readoutKey) {
      this.readoutKey = key;
      this.writeReadout(job, at, ex);
    }
    if (job.output) {
      this.placeBoxes(job, ex);
    }
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

  Playground.prototype.writeReadout = function (job, at, ex) {
    var conv = ex.conv;
    var n = conv.size;
    var where = "row " + at[0] + ", column " + at[1];
    var parts = [tag("p", { className: "cdp-readout-title",
      id: ROOT_ID + "-readout-title" },
    "Output pixel at " + where + " = " + fmt(ex.value))];
    if (ex.pool) {
      var pv = ex.pool.values.map(fmt);
      parts.push(tag("p", {},
        "It is the " + POOL_NAMES[ex.pool.mode] + " of the 2 " + TIMES +
        " 2 convolution outputs " + pv[0] + ", " + pv[1] + " / " + pv[2] +
        ", " + pv[3] + ". " + (ex.pool.pick >= 0
          ? "The chosen one, at row " + conv.index[0] + ", column " +
            conv.index[1] + ", comes from:"
          : "The first of them, at row " + conv.index[0] + ", column " +
            conv.index[1] + ", comes from:")));
    }
    var kcap = job.opts.flip ? "Kernel, flipped" : "Kernel";
    parts.push(tag("div", { className: "cdp-mats" }, [
      matrix("Input window", conv.window, conv.valid, "cdp-mat-in"),
      tag("span", { className: "cdp-op", "aria-hidden": "true" }, TIMES),
      matrix(kcap, conv.kernel, null, "cdp-mat-k"),
      tag("span", { className: "cdp-op", "aria-hidden": "true" }, "="),
      matrix("Products", conv.products, conv.valid, "cdp-mat-out")
    ]));
    var terms = [];
    conv.products.forEach(function (r) { r.forEach(function (v) {
      terms.push(fmt(v));
    }); });
    parts.push(tag("p", { className: "cdp-sum" }, [
      "Sum of the products: ",
      n === 3 ? terms.join(" + ").replace(/\+ \u2212/g, MINUS + " ") + " = "
        : "",
      tag("strong", { className: "cdp-sum-value" }, fmt(conv.sum))
    ]));
    if (conv.valid.some(function (r) { return r.some(function (x) {
      return !x;
    }); })) {
      parts.push(tag("p", { className: "cdp-hint" },
        "Dashed cells are padding (" + esc(job.opts.border) + ")."));
    }
    this.readout.innerHTML = parts.join("");
    // The column counts go through the CSSOM: the site's
    // Content-Security-Policy drops style="" attributes of parsed HTML.
    Array.prototype.forEach.call(this.readout.querySelectorAll("[data-cdp-n]"),
      function (el) {
        el.style.setProperty("--cdp-n", el.getAttribute("data-cdp-n"));
      });
    this.readout.setAttribute("data-index", at[0] + "," + at[1]);
  };

  /* Outline the window on the input and the pixel on the output. */
  Playground.prototype.placeBoxes = function (job, ex) {
    var img = job.image;
    var out = job.output;
    var o = job.opts;
    var n = job.size;
    var top = ex.conv.top;
    var left = ex.conv.left;
    var reach = Core.span(n, o.dilation);
    var height = reach;
    var width = reach;
    if (ex.pool) {
      // The union of the four windows of the pooled cell.
      var pad = Core.paddingAmounts(o.padding, n, n, o.dilation);
      top = 2 * ex.index[0] * o.stride - pad[0][0];
      left = 2 * ex.index[1] * o.stride - pad[1][0];
      height = reach + o.stride;
      width = reach + o.stride;
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

  /* --------------------------------------------------- the shared state */

  /*
   * The settings as the address's query: image, then preset (a registry
   * kernel as it is) or kernel (rows separated by ";", cells by ","), then
   * padding, border, stride, dilation, flip (1 or 0) and pool.
   */
  Playground.prototype.stateParams = function () {
    var o = this.settings();
    var params = new URLSearchParams();
    params.set("image", this.builtinName);
    if (this.presetSelect.value !== "custom") {
      params.set("preset", this.presetSelect.value);
    } else {
      var n = this.kernelSize;
      var texts = this.kernelTexts;
      var rowTexts = [];
      for (var u = 0; u < n; u++) {
        rowTexts.push(texts.slice(u * n, (u + 1) * n).map(function (t) {
          return t.trim().replace(/\u2212/g, "-");
        }).join(","));
      }
      params.set("kernel", rowTexts.join(";"));
    }
    params.set("padding", o.padding);
    params.set("border", o.border);
    params.set("stride", String(o.stride));
    params.set("dilation", String(o.dilation));
    params.set("flip", o.flip ? "1" : "0");
    params.set("pool", o.pool);
    return params;
  };

  function quoted(text) {
    return "\u201c" + String(text).slice(0, 40) + "\u201d";
  }

  /*
   * Read settings from an address's query. Returns {values, problems}:
   * the settings that are valid, and a sentence for each that is not (it
   * is then left at its default). Unknown parameters are ignored.
   */
  Playground.prototype.parseState = function (search) {
    var params = new URLSearchParams(search);
    var values = {};
    var problems = [];
    function choice(key, choices, convert) {
      if (!params.has(key)) {
        return;
      }
      var raw = params.get(key);
      var value = convert ? convert(raw) : raw;
      if (choices.indexOf(value) < 0) {
        problems.push("`" + key + "` must be one of " + choices.join(", ") +
          ", got " + quoted(raw));
      } else {
        values[key] = value;
      }
    }
    choice("image", this.manifest.images.map(function (im) {
      return im.name;
    }));
    choice("padding", Core.PADDINGS);
    choice("border", Core.BORDERS);
    choice("stride", [1, 2], Number);
    choice("dilation", Core.DILATIONS, Number);
    choice("flip", ["0", "1"]);
    choice("pool", Core.POOLS);
    if (params.has("kernel")) {
      var raw = params.get("kernel");
      var rowsIn = raw.split(";").map(function (r) { return r.split(","); });
      var n = rowsIn.length;
      var square = (n === 3 || n === 5) && rowsIn.every(function (r) {
        return r.length === n;
      });
      var bad = square ? [].concat.apply([], rowsIn).filter(function (t) {
        return parseCell(t).error;
      }) : [];
      if (!square) {
        problems.push("`kernel` must be 3 \u00d7 3 or 5 \u00d7 5, rows " +
          "separated by \u201c;\u201d and cells by \u201c,\u201d, got " +
          quoted(raw));
      } else if (bad.length) {
        problems.push("`kernel` has a cell that is not a number: " +
          quoted(bad[0]));
      } else {
        values.kernel = [].concat.apply([], rowsIn).map(function (t) {
          return t.trim();
        });
      }
    } else if (params.has("preset")) {
      choice("preset", this.kernels.map(function (k) { return k.name; }));
    }
    return { values: values, problems: problems };
  };

  /*
   * Apply an address's settings to the controls; say which ones could not
   * be used. Returns the meta of the image to show, or null.
   */
  Playground.prototype.applyState = function (search) {
    var parsed = this.parseState(search);
    var v = parsed.values;
    if (v.kernel) {
      this.size = Math.sqrt(v.kernel.length);
      this.texts = v.kernel;
      this.buildGrid();
      this.presetSelect.value = "custom";
      this.desc.textContent = "Your own kernel.";
      this.validate();
    } else if (v.preset) {
      this.applyPreset(this.kernelByName(v.preset));
    }
    var controls = { padding: this.padding, border: this.border,
      stride: this.stride, dilation: this.dilation, pool: this.pool };
    Object.keys(controls).forEach(function (key) {
      if (key in v) {
        controls[key].value = String(v[key]);
      }
    });
    if ("flip" in v) {
      this.flip.checked = v.flip === "1";
    }
    this.stateMsg.textContent = parsed.problems.length
      ? "Some settings of this link could not be used, so they keep their " +
        "defaults: " + parsed.problems.join("; ") + "."
      : "";
    this.root.setAttribute("data-state-problems",
      String(parsed.problems.length));
    if (!v.image) {
      return null;
    }
    return this.manifest.images.filter(function (im) {
      return im.name === v.image;
    })[0];
  };

  /* Write the settings into the address and the two snippets. */
  Playground.prototype.updateShare = function () {
    if (!this.kernelTexts) {
      return;
    }
    var query = "?" + this.stateParams().toString();
    if (query !== location.search) {
      try {
        history.replaceState(history.state, "", location.pathname + query +
          location.hash);
      } catch (err) {
        // A page whose address cannot change (a sandboxed frame): the
        // snippets below still say everything.
      }
    }
    this.pythonCode.textContent = this.pythonSnippet();
    this.cliCode.textContent = this.cliSnippet();
  };

  /* A number as Python and the command line read it back, exactly. */
  function literal(v) {
    return Object.is(v, -0) ? "0" : String(v);
  }

  Playground.prototype.kernelRows = function () {
    var n = this.kernelSize;
    var out = [];
    for (var u = 0; u < n; u++) {
      out.push(Array.prototype.slice.call(this.kernel, u * n, (u + 1) * n)
        .map(literal));
    }
    return out;
  };

  Playground.prototype.imageSource = function () {
    return this.imageName === "upload" ? "upload" : this.builtinName;
  };

  /* Python that computes the output on screen with convdemo. */
  Playground.prototype.pythonSnippet = function () {
    var o = this.settings();
    var limits = this.manifest.limits;
    var lines = ["import numpy as np", "", "import convdemo", ""];
    var source = this.imageSource();
    if (source === "grid") {
      lines.push("image = convdemo.grid_image()");
    } else if (source === "isometric") {
      lines.push("# The drawing in 8 bits, as the playground has it.",
        "image = convdemo.to_uint8(convdemo.isometric_image()) / 255");
    } else if (source === "photo") {
      lines.push("# The photo in 8 bits, reduced as the playground has it.",
        "from PIL import Image", "",
        "pixels = convdemo.to_uint8(convdemo.sample_photo())",
        "factor = -(-max(pixels.shape) // " + limits.photoMaxSide + ")",
        "image = np.asarray(Image.fromarray(pixels).reduce(factor)) / 255");
    } else {
      lines.push("# Your image (the playground downscaled it to at most " +
        limits.uploadMaxSide + " pixels,",
      "# so the numbers can differ a little).",
      "image = convdemo.load_image(\"your_image.png\")");
    }
    if (this.presetSelect.value !== "custom") {
      lines.push("kernel = convdemo.get_kernel(\"" +
        this.presetSelect.value + "\")");
    } else {
      lines.push("kernel = np.array(", "    [");
      this.kernelRows().forEach(function (r) {
        lines.push("        [" + r.join(", ") + "],");
      });
      lines.push("    ]", ")");
    }
    lines.push("output = convdemo." + (o.flip ? "convolve2d" : "correlate2d") +
      "(", "    image,", "    kernel,", "    padding=\"" + o.padding + "\",",
    "    border=\"" + o.border + "\",", "    stride=" + o.stride + ",",
    "    dilation=" + o.dilation + ",", ")");
    if (o.pool !== "none") {
      lines.push("output = convdemo.pool2d(output, 2, mode=\"" + o.pool +
        "\")");
    }
    lines.push("print(output.shape)", "print(output)");
    return lines.join("\n") + "\n";
  };

  /* A convdemo command that writes the output on screen as a PNG. */
  Playground.prototype.cliSnippet = function () {
    var o = this.settings();
    var lines = [];
    var source = this.imageSource();
    var input = source;
    if (source === "isometric" || source === "photo") {
      input = source + ".png";
      lines.push("# The " + (source === "photo" ? "photo" : "drawing") +
        " in 8 bits, as the playground has it:",
      "curl -o " + input + " " + new URL("data/" + source + ".png", BASE).href);
    } else if (source === "upload") {
      input = "your_image.png";
      lines.push("# Your image (the playground downscaled it: the numbers " +
        "can differ a little):");
    }
    var kernel = this.presetSelect.value !== "custom"
      ? this.presetSelect.value
      : this.kernelRows().map(function (r) { return r.join(" "); })
        .join("; ");
    if (o.pool !== "none") {
      lines.push("# The command line has no pooling after a filter: this " +
        "writes the output before the 2 \u00d7 2 " + POOL_NAMES[o.pool] +
        " pooling.");
    }
    lines.push("convdemo filter " + input + " --kernel=\"" + kernel + "\"" +
      " --padding " + o.padding + " --border " + o.border + " --stride " +
      o.stride + " --dilation " + o.dilation + (o.flip ? " --flip" : "") +
      " -o output.png");
    return lines.join("\n") + "\n";
  };

  /* Copy a text; without the clipboard, show it to be copied by hand. */
  Playground.prototype.copy = function (text, what) {
    var self = this;
    function manual() {
      self.root.querySelector(".cdp-snippets").open = true;
      self.shareMsg.textContent = "The clipboard is not available here: " +
        "select the text below (or the address) and copy it.";
    }
    if (!navigator.clipboard || !navigator.clipboard.writeText) {
      manual();
      return Promise.resolve(false);
    }
    return navigator.clipboard.writeText(text).then(function () {
      self.shareMsg.textContent = what + " is copied.";
      return true;
    }, function () {
      manual();
      return false;
    });
  };

  /* Save the output as drawn: one pixel per output cell. */
  Playground.prototype.downloadOutput = function () {
    var self = this;
    if (!this.shown) {
      this.shareMsg.textContent = "There is no output yet.";
      return;
    }
    this.outCanvas.toBlob(function (blob) {
      var url = URL.createObjectURL(blob);
      var link = document.createElement("a");
      link.href = url;
      link.download = "convdemo-output.png";
      document.body.appendChild(link);
      link.click();
      link.remove();
      setTimeout(function () { URL.revokeObjectURL(url); }, 1000);
      self.shareMsg.textContent = "The output is saved as " +
        "convdemo-output.png (" + self.outCanvas.width + " \u00d7 " +
        self.outCanvas.height + " pixels).";
    }, "image/png");
  };

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
      getState: function () {
        return Object.fromEntries(self.stateParams().entries());
      },
      getSnippets: function () {
        return { python: self.pythonCode.textContent,
          cli: self.cliCode.textContent, link: location.href };
      },
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
  // If the site turns on Material's instant navigation, pages are swapped
  // without loading and each new one is announced on document$ (defined
  // once Material's script has run; on a plain page load it comes after
  // this file, and the boot below is all that is needed).
  if (window.document$ && typeof window.document$.subscribe === "function") {
    if (!window.__convdemoPlaygroundBoot) {
      window.__convdemoPlaygroundBoot = true;
      window.document$.subscribe(function () { boot(); });
    }
  }
  // The container comes before this script: set it up now, while the page
  // is parsed, so that the first paint shows the finished layout. If the
  // script came first, wait for the whole page.
  boot();
  if (!current && document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", boot);
  }
})();
