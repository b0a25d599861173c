// Site behaviour that Material does not provide: a pause control for the
// gallery's animations, a name for the search dialog, distinct names for the
// menus of sections that have an index page, and no landmark per code block.
// The setup runs from Material's document$ (which would call it again for
// each page if instant navigation were turned on), so it is idempotent: each
// animation and menu is set up once.
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
    // The label says what a press does; no aria-pressed on top of it ("Play
    // animation, pressed" would contradict itself).
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

  // With navigation.indexes, a section that has an index page labels its menu
  // by the icon-only toggle next to the link, so its <nav> landmark has an
  // empty name (the same as any other such section). Name it after the
  // section title shown at the top of the menu instead.
  function nameMenus(root) {
    root.querySelectorAll("nav.md-nav[aria-labelledby]").forEach(function (nav) {
      var owner = document.getElementById(nav.getAttribute("aria-labelledby"));
      if (owner && owner.textContent.trim()) {
        return;
      }
      var title = nav.querySelector(":scope > .md-nav__title");
      var text = title ? title.textContent.trim() : "";
      if (text) {
        nav.removeAttribute("aria-labelledby");
        nav.setAttribute("aria-label", text);
      }
    });
  }

  // Material puts each code block's copy button in a <nav>: several unnamed
  // navigation landmarks per page that lead nowhere. They are toolbars, not
  // navigation; Material adds them after the page loads, hence the observer.
  function unlandmark(node) {
    if (node.nodeType !== 1) {
      return;
    }
    var navs = node.matches("nav.md-code__nav")
      ? [node]
      : node.querySelectorAll("nav.md-code__nav");
    Array.prototype.forEach.call(navs, function (nav) {
      nav.setAttribute("role", "none");
    });
  }
  unlandmark(document.body);
  new MutationObserver(function (records) {
    records.forEach(function (record) {
      record.addedNodes.forEach(unlandmark);
    });
  }).observe(document.body, { childList: true, subtree: true });

  if (typeof document$ !== "undefined") {
    document$.subscribe(function () {
      nameMenus(document);
      setUp(document);
    });
  } else {
    document.addEventListener("DOMContentLoaded", function () {
      nameMenus(document);
      setUp(document);
    });
  }
})();
