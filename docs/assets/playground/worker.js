/* The playground's worker: keeps the current image, computes off the page. */
/* global importScripts, ConvdemoCore */
"use strict";
importScripts("core.js");

var engine = new ConvdemoCore.Engine();

self.onmessage = function (event) {
  engine.handle(event.data).then(function (res) {
    self.postMessage(res.reply, res.transfer);
  });
};
