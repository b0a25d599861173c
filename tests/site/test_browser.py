"""The built site in a real browser: headless Chromium driven by Playwright.

Every page is opened from a server on 127.0.0.1. On each one: no console
error, no failed request, no request to another host, every image decoded,
the maths laid out as MathML, and the palette toggle going to dark and back.
Then the site's own start-up (overrides/): the light/dark toggle's memory,
its keyboard use and its following of the system, and a start-up that never
re-styles the whole document.

Chromium is Debian's ``chromium`` package (``.ci/run`` installs it). Without
it these tests skip locally, loudly, and fail in CI (``CI=true``).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from .conftest import GALLERY_SCRIPTS, ROOT, Build

pytestmark = [pytest.mark.site, pytest.mark.browser]


def _page_urls() -> list[str]:
    """Return the site-relative URL of every page, from the sources."""
    urls = []
    for md in sorted((ROOT / "docs").rglob("*.md")):
        rel = md.relative_to(ROOT / "docs")
        if "generated" in rel.parts:
            continue
        folder = rel.parent if rel.stem == "index" else rel.with_suffix("")
        urls.append("" if folder == Path(".") else f"{folder.as_posix()}/")
    urls.append("generated/gallery/")
    urls += [f"generated/gallery/{s.parent.name}/{s.stem}/" for s in GALLERY_SCRIPTS]
    return urls


PAGE_URLS = _page_urls()


class Visit:
    """A page opened in a browser context, with everything that went wrong."""

    def __init__(self, context: Any, base: str, url: str) -> None:
        self.problems: list[str] = []
        self.requests: list[str] = []
        self.page = context.new_page()
        # Anything not on the test server is recorded and refused, so that a
        # leak shows up as a failure instead of a hang.
        self.page.route("**/*", self._route)
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda error: self.problems.append(f"error: {error}"))
        self.page.on("requestfailed", self._failed)
        self.page.on("response", self._response)
        self.page.goto(base + url, wait_until="load")

    def _route(self, route: Any) -> None:
        url = route.request.url
        self.requests.append(url)
        host = urlsplit(url).hostname
        if url.startswith(("data:", "blob:")) or host == "127.0.0.1":
            route.continue_()
        else:
            self.problems.append(f"request to another host: {url}")
            route.abort()

    def _console(self, message: Any) -> None:
        if message.type == "error":
            self.problems.append(f"console error: {message.text}")

    def _failed(self, request: Any) -> None:
        if urlsplit(request.url).hostname != "127.0.0.1":
            return
        # Chromium fetches the favicon itself after each page load and
        # cancels that fetch when the next navigation starts first. A
        # missing favicon still fails through `_response` (HTTP 404).
        if request.failure == "net::ERR_ABORTED" and request.url.endswith(
            "/favicon.png"
        ):
            return
        self.problems.append(f"failed request: {request.url} ({request.failure})")

    def _response(self, response: Any) -> None:
        if response.status >= 400:
            self.problems.append(f"HTTP {response.status}: {response.url}")

    def settle(self) -> list[str]:
        """Wait until the network is idle; return the problems seen."""
        self.page.wait_for_load_state("networkidle")
        return self.problems


@pytest.fixture(scope="module")
def shared_context(browser: Any) -> Iterator[Any]:
    """One light-scheme, hi-dpi browser context for the page-by-page crawl."""
    context = browser.new_context(color_scheme="light", device_scale_factor=2)
    try:
        yield context
    finally:
        context.close()


@pytest.fixture
def visit(browser: Any, server: str) -> Iterator[Any]:
    """Open a page in a new context with the given options (closed after)."""
    contexts: list[Any] = []

    def open_page(url: str, **options: Any) -> Visit:
        contexts.append(browser.new_context(**options))
        return Visit(contexts[-1], server, url)

    yield open_page
    for context in contexts:
        context.close()


# Load every image now (lazy ones included) and report those that did not
# decode.
_UNDECODED_IMAGES = """async () => {
  const images = [...document.querySelectorAll("img")];
  for (const img of images) { img.loading = "eager"; }
  await Promise.all(images.map((img) => img.decode().catch(() => null)));
  return images.filter((img) => !(img.naturalWidth > 0))
               .map((img) => img.currentSrc || img.src);
}"""

# Each <math> element: how Chromium displays it and its size on screen.
_MATHS = """() => [...document.querySelectorAll("math")].map((m) => {
  const box = m.getBoundingClientRect();
  return {display: getComputedStyle(m).display, width: box.width, height: box.height};
})"""


def _scheme(page: Any) -> str:
    return page.evaluate("document.body.getAttribute('data-md-color-scheme')")


@pytest.mark.parametrize("url", PAGE_URLS, ids=[u or "home" for u in PAGE_URLS])
def test_page_in_browser(
    url: str, shared_context: Any, server: str, build: Build
) -> None:
    """The page loads cleanly, shows its images and maths, and changes palette."""
    opened = Visit(shared_context, server, url)
    page = opened.page
    try:
        undecoded = page.evaluate(_UNDECODED_IMAGES)
        assert undecoded == [], "images that did not decode"

        if "<math" in (build.site / url / "index.html").read_text(encoding="utf-8"):
            maths = page.evaluate(_MATHS)
            assert all("math" in m["display"] for m in maths), maths
            assert any(m["width"] > 0 and m["height"] > 0 for m in maths), maths

        assert _scheme(page) == "default"
        page.locator("label[title='Switch to dark mode']").click()
        page.wait_for_function("document.body.dataset.mdColorScheme === 'slate'")
        page.locator("label[title='Switch to light mode']").click()
        page.wait_for_function("document.body.dataset.mdColorScheme === 'default'")

        assert opened.settle() == []
        assert opened.requests, "the page made no request at all"
    finally:
        page.close()


def test_every_page_is_crawled(build: Build) -> None:
    """The browser test's page list matches the pages the build wrote."""
    built = sorted(
        p.parent.relative_to(build.site).as_posix() + "/"
        for p in build.site.rglob("index.html")
    )
    built = [b if b != "./" else "" for b in built]
    assert sorted(PAGE_URLS) == built


def test_dark_system_preference_starts_dark(visit: Any) -> None:
    """A reader whose system is dark gets the dark palette first."""
    opened = visit("", color_scheme="dark")
    assert _scheme(opened.page) == "slate"
    assert opened.settle() == []


# The palette toggle's state: the scheme, the toggle shown, the checked
# option, and the two <meta> elements that follow the scheme.
_PALETTE = """() => {
  const form = document.querySelector("[data-convdemo-palette]");
  const meta = (name) => document.querySelector(`meta[name=${name}]`)?.content;
  return {
    scheme: document.body.dataset.mdColorScheme,
    shown: [...form.querySelectorAll("label")]
      .filter((label) => !label.hidden).map((label) => label.title),
    checked: form.querySelector("input:checked")?.getAttribute("aria-label"),
    colorScheme: meta("color-scheme"),
    themeColor: meta("theme-color"),
    header: getComputedStyle(document.querySelector(".md-header")).backgroundColor,
  };
}"""

_LIGHT = {
    "scheme": "default",
    "shown": ["Switch to dark mode"],
    "checked": "Switch to dark mode",
    "colorScheme": "light",
}
_DARK = {
    "scheme": "slate",
    "shown": ["Switch to light mode"],
    "checked": "Switch to light mode",
    "colorScheme": "dark",
}


def _palette(page: Any) -> dict[str, Any]:
    state: dict[str, Any] = page.evaluate(_PALETTE)
    return state


def _assert_palette(page: Any, expected: dict[str, str]) -> None:
    state = _palette(page)
    assert {key: state[key] for key in expected} == expected
    assert state["themeColor"] == state["header"]


def _await_palette(page: Any, expected: dict[str, str]) -> None:
    """Wait until the page shows `expected`'s scheme, then check the whole palette."""
    scheme = expected["scheme"]
    page.wait_for_function(f"document.body.dataset.mdColorScheme === {scheme!r}")
    _assert_palette(page, expected)


def test_toggle_choice_holds_on_every_page(visit: Any) -> None:
    """A press of the toggle is remembered site-wide, over the system's setting."""
    opened = visit("", color_scheme="light")
    page = opened.page
    _assert_palette(page, _LIGHT)
    page.locator("label[title='Switch to dark mode']").click()
    _await_palette(page, _DARK)

    page.locator("a.md-footer__link--next").click()
    page.wait_for_load_state("load")
    _assert_palette(page, _DARK)
    # An explicit choice is not overruled by the system changing.
    page.emulate_media(color_scheme="light")
    page.wait_for_timeout(100)
    _assert_palette(page, _DARK)
    page.reload(wait_until="load")
    _assert_palette(page, _DARK)
    assert opened.settle() == []


def test_without_a_choice_the_scheme_follows_the_system(visit: Any) -> None:
    """Before any press, the scheme follows the system live, both ways."""
    opened = visit("story/image-is-a-matrix/", color_scheme="light")
    page = opened.page
    _assert_palette(page, _LIGHT)
    page.emulate_media(color_scheme="dark")
    _await_palette(page, _DARK)
    page.emulate_media(color_scheme="light")
    _await_palette(page, _LIGHT)
    # Following the system stored nothing: a reload still follows it.
    page.emulate_media(color_scheme="dark")
    page.reload(wait_until="load")
    _assert_palette(page, _DARK)
    assert opened.settle() == []


def test_toggle_works_from_the_keyboard(visit: Any) -> None:
    """Enter on the focused toggle switches scheme and keeps the focus on it."""
    opened = visit("", color_scheme="light")
    page = opened.page
    page.locator("[data-convdemo-palette] input:checked").focus()
    page.keyboard.press("Enter")
    _await_palette(page, _DARK)
    focused = page.evaluate("document.activeElement.getAttribute('aria-label')")
    assert focused == "Switch to light mode"
    page.keyboard.press("Enter")
    _await_palette(page, _LIGHT)
    assert opened.settle() == []


# Records what re-styles the whole document under Material's stylesheet:
# each change of its "suspend transitions" attribute on <body>, and each
# change of the set of classes on <html> (whatever the class).
_COUNT_RESTYLES = """
window.convdemoRestyles = [];
new MutationObserver((records) => {
  for (const record of records) {
    const target = record.target;
    if (record.attributeName === "data-md-color-switching") {
      window.convdemoRestyles.push("data-md-color-switching");
    } else if (target === document.documentElement) {
      const before = (record.oldValue || "").split(/\\s+/).filter(Boolean).sort();
      const after = [...target.classList].sort();
      if (before.join(" ") !== after.join(" ")) {
        const where = document.body ? "after <body>" : "in <head>";
        window.convdemoRestyles.push(`class ${before} -> ${after} ${where}`);
      }
    }
  }
}).observe(document, {
  subtree: true, attributes: true, attributeOldValue: true,
  attributeFilter: ["data-md-color-switching", "class"],
});
"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_start_up_restyles_nothing_document_wide(
    scheme: str, browser: Any, server: str
) -> None:
    """The scheme and "js" are set while parsing; Material's start-up changes neither.

    The palette toggle works without Material's script, and transitions are
    suspended only for the switch itself.
    """
    context = browser.new_context(color_scheme=scheme)
    try:
        page = context.new_page()
        page.add_init_script(_COUNT_RESTYLES)
        page.goto(
            server + "generated/gallery/1_story/plot_03_convolution_step_by_step/"
        )
        page.wait_for_load_state("networkidle")
        # The classes are set once, in <head>, before the body exists.
        assert page.evaluate("window.convdemoRestyles") == [
            "class no-js -> js,js-focus-visible in <head>"
        ]
        assert page.evaluate("document.documentElement.classList.contains('js')")

        page.route("**/bundle.*.min.js", lambda route: route.abort())
        page.goto(server, wait_until="load")
        page.wait_for_timeout(200)
        first, second = (_LIGHT, _DARK) if scheme == "light" else (_DARK, _LIGHT)
        _assert_palette(page, first)
        restyles = page.evaluate("window.convdemoRestyles")
        assert "data-md-color-switching" not in restyles

        page.locator(f"label[title='{first['shown'][0]}']").click()
        page.wait_for_function("!document.body.hasAttribute('data-md-color-switching')")
        _assert_palette(page, second)
        assert (
            page.evaluate("window.convdemoRestyles").count("data-md-color-switching")
            == 2
        )
    finally:
        context.close()


def test_sidebars_show_before_material_sizes_them(browser: Any, server: str) -> None:
    """On a wide screen both sidebars show their menus before Material's script runs."""
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    try:
        page.route("**/bundle.*.min.js", lambda route: route.abort())
        page.goto(
            server + "generated/gallery/1_story/plot_03_convolution_step_by_step/"
        )
        heights = page.evaluate(
            "[...document.querySelectorAll('.md-sidebar')]"
            ".map((s) => s.getBoundingClientRect().height)"
        )
        assert len(heights) == 2
        assert min(heights) > 100, heights
    finally:
        page.close()


def test_next_links_keep_pages_working(visit: Any) -> None:
    """Following the footer's "next" links loads each page without errors."""
    opened = visit("", color_scheme="light")
    page = opened.page
    seen = [page.url]
    for _ in range(3):
        page.locator("a.md-footer__link--next").click()
        page.wait_for_function(f"location.href !== {seen[-1]!r}")
        seen.append(page.url)
        assert page.evaluate(_UNDECODED_IMAGES) == []
    assert len(set(seen)) == len(seen)
    assert opened.settle() == []
