"""The built site in a real browser: headless Chromium driven by Playwright.

Every page is opened from a server on 127.0.0.1. On each one: no console
error, no failed request, no request to another host, every image decoded,
the maths laid out as MathML, and the palette toggle going to dark and back.

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
