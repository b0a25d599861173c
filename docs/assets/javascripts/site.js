// Site behaviour that Material does not provide: a pause control for the
// gallery's animations, and a name for the search dialog. Material's instant navigation swaps the page content
// without reloading this file and calls document$ subscribers on every page,
// so the setup is idempotent: each animation is set up once.
(function () {
  "use strict";

  var reduceMotion = window.matchMedia("(prefers-reduced-motion: reduce)");

  function setPlaying(figure, img, button, playing) {
    var source = figure.querySelector("picture source");
    if (playing) {
      // The <source> shows the poster to readers who prefer reduced motion:
      // a press of "Play" is their explicit choice, so drop it.
      if (source) {
        figure.convdemoSource = source;
        source.remove();
      }
      img.src = img.dataset.animation;
    } else {
      img.src = img.dataset.poster;
    }
    button.setAttribute("aria-pressed", playing ? "false" : "true");
    button.textContent = playing ? "Pause animation" : "Play animation";
  }

  function setUp(root) {
    root.querySelectorAll("figure.convdemo-anim").forEach(function (figure) {
      var img = figure.querySelector("img.convdemo-anim__img");
      if (!img || figure.dataset.convdemoReady === "1") {
        return;
      }
      figure.dataset.convdemoReady = "1";
      img.dataset.animation = img.getAttribute("src");
      var button = document.createElement("button");
      button.type = "button";
      button.className = "md-button convdemo-anim__toggle";
      figure.appendChild(button);
      var playing = !reduceMotion.matches;
      setPlaying(figure, img, button, playing);
      button.addEventListener("click", function () {
        playing = !playing;
        setPlaying(figure, img, button, playing);
      });
    });
  }

  // Material's search overlay has role="dialog" but no accessible name.
  var search = document.querySelector(".md-search[role='dialog']");
  if (search && !search.hasAttribute("aria-label")) {
    search.setAttribute("aria-label", "Search");
  }

  if (typeof document$ !== "undefined") {
    document$.subscribe(function () {
      setUp(document);
    });
  } else {
    document.addEventListener("DOMContentLoaded", function () {
      setUp(document);
    });
  }
})();
