"""The built site works when it is served under a sub-path, as project sites are.

GitHub Pages serves a project site at ``https://OWNER.github.io/REPO/`` and
Read the Docs at ``/en/latest/``: every link, image, script, search index,
download and playground file has to resolve relative to that prefix, and
nothing may be requested from the host's root. This module serves the built
site under the path of its ``site_url`` (``/convdemo/``) on 127.0.0.1 and
crawls every page in Chromium. Anything outside the prefix is a 404; a
missing file inside it gets ``404.html`` with status 404, as on GitHub Pages.
"""

from __future__ import annotations

import re
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest

from .conftest import Build

pytestmark = [pytest.mark.site, pytest.mark.browser]

# Used when site_url has no path of its own; otherwise the prefix is
# site_url's path, as on the real host (the 404 page's links depend on it).
DEFAULT_PREFIX = "/convdemo/"
# A word every version of the story uses; the search must find it.
SEARCH_WORD = "convolution"
# The playground's root element; it sets data-status="ready" once its data is in.
PLAYGROUND_ID = "convdemo-playground"


def _site_prefix(site: Path) -> str:
    """Return the path of the site's canonical address (site_url), or the default."""
    match = re.search(
        r'<link rel="canonical" href="([^"]+)"',
        (site / "index.html").read_text(encoding="utf-8"),
    )
    path = urlsplit(match.group(1)).path if match else "/"
    return path if path not in {"", "/"} else DEFAULT_PREFIX


@pytest.fixture(scope="module")
def prefix_url(build: Build, serve_site: ModuleType) -> Iterator[str]:
    """Serve the built site under its prefix on 127.0.0.1; yield its address."""
    with serve_site.serve(build.site, prefix=_site_prefix(build.site)) as url:
        yield url


def _page_paths(site_dir: Path) -> list[str]:
    """Return the URL path (relative to the site root) of every HTML page."""
    paths = []
    for html in sorted(site_dir.rglob("*.html")):
        relative = html.relative_to(site_dir).as_posix()
        if relative == "404.html":
            continue
        if relative == "index.html":
            paths.append("")
        elif relative.endswith("/index.html"):
            paths.append(relative.removesuffix("index.html"))
        else:
            paths.append(relative)
    return paths


@dataclass
class _Visit:
    """What one page load did."""

    path: str
    console_errors: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    outside: list[str] = field(default_factory=list)
    broken_images: list[str] = field(default_factory=list)
    links: list[str] = field(default_factory=list)


_SCROLL_JS = """async () => {
  for (let y = 0; y < document.body.scrollHeight; y += window.innerHeight) {
    window.scrollTo(0, y);
    await new Promise(r => setTimeout(r, 30));
  }
  window.scrollTo(0, 0);
}"""

# Images in closed <details> or hidden tabs never load lazily: ask for them.
_BROKEN_IMAGES_JS = """async () => {
  const images = Array.from(document.images);
  for (const img of images) { img.loading = "eager"; }
  await Promise.all(images.map(img => img.decode().catch(() => null)));
  return images.filter(img => !(img.naturalWidth > 0))
    .map(img => img.getAttribute('src'));
}"""

_LINKS_JS = """() => Array.from(document.querySelectorAll('a[href]'))
  .map(a => a.href)"""


def _visit(context: Any, base: str, path: str) -> _Visit:
    """Load ``base + path``, let lazy images load, and record what happened."""
    visit = _Visit(path)
    page = context.new_page()
    page.on(
        "console",
        lambda m: visit.console_errors.append(m.text) if m.type == "error" else None,
    )
    page.on("pageerror", lambda e: visit.console_errors.append(str(e)))
    page.on("requestfailed", lambda r: visit.failed.append(f"{r.url} ({r.failure})"))

    def on_response(response: Any) -> None:
        if response.status >= 400:
            visit.failed.append(f"{response.url} (HTTP {response.status})")

    page.on("response", on_response)
    page.on(
        "request",
        lambda r: (
            visit.outside.append(r.url)
            if not r.url.startswith(base) and not r.url.startswith("data:")
            else None
        ),
    )
    page.goto(base + path, wait_until="load")
    page.evaluate(_SCROLL_JS)
    page.wait_for_load_state("networkidle")
    visit.broken_images = page.evaluate(_BROKEN_IMAGES_JS)
    visit.links = page.evaluate(_LINKS_JS)
    page.close()
    return visit


@pytest.fixture(scope="module")
def crawl(build: Build, prefix_url: str, browser: Any) -> dict[str, _Visit]:
    """Visit every page of the site under the prefix, once."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    visits = {
        path: _visit(context, prefix_url, path) for path in _page_paths(build.site)
    }
    context.close()
    return visits


def _problems(crawl: dict[str, _Visit], attribute: str) -> dict[str, list[str]]:
    return {
        path: getattr(visit, attribute)
        for path, visit in crawl.items()
        if getattr(visit, attribute)
    }


def test_every_page_is_crawled(build: Build, crawl: dict[str, _Visit]) -> None:
    """The crawl reaches the home page, the chapters and the gallery."""
    assert "" in crawl
    assert any(path.startswith("generated/gallery/") for path in crawl)
    assert len(crawl) == len(list(build.site.rglob("*.html"))) - 1


def test_no_console_errors(crawl: dict[str, _Visit]) -> None:
    """No page logs a console error or throws under the sub-path."""
    assert _problems(crawl, "console_errors") == {}


def test_no_failed_requests(crawl: dict[str, _Visit]) -> None:
    """Every script, style, image and data file a page loads is found."""
    assert _problems(crawl, "failed") == {}


def test_no_request_outside_the_prefix(crawl: dict[str, _Visit]) -> None:
    """No page asks for a root-relative URL (or another host)."""
    assert _problems(crawl, "outside") == {}


def test_images_decode(crawl: dict[str, _Visit]) -> None:
    """Every image on every page has loaded and decoded."""
    assert _problems(crawl, "broken_images") == {}


def _status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return error.code


def test_internal_links_resolve(prefix_url: str, crawl: dict[str, _Visit]) -> None:
    """Every same-site link (pages, downloads, images) answers 200 under the prefix."""
    origin = prefix_url.removesuffix(urlsplit(prefix_url).path)
    targets = {
        link.split("#", 1)[0]
        for visit in crawl.values()
        for link in visit.links
        if link.startswith(origin)
    }
    outside = sorted(t for t in targets if not t.startswith(prefix_url))
    broken = sorted(
        t for t in targets if t.startswith(prefix_url) and _status(t) != 200
    )
    assert outside == []
    assert broken == []


def test_gallery_downloads_resolve(
    build: Build, prefix_url: str, crawl: dict[str, _Visit]
) -> None:
    """Every example page links its .py and .ipynb, and both download."""
    examples = {
        path: visit
        for path, visit in crawl.items()
        if (build.site / path / "index.html").is_file()
        and Path(path.rstrip("/")).name.startswith("plot_")
    }
    assert examples, "no gallery example pages found"
    prefix = urlsplit(prefix_url).path
    missing = {}
    for path, visit in examples.items():
        local = [
            unquote(urlsplit(link).path).removeprefix(prefix)
            for link in visit.links
            if link.startswith(prefix_url)
        ]
        for suffix in (".py", ".ipynb"):
            found = [link for link in local if link.endswith(suffix)]
            if not found or any(not (build.site / f).is_file() for f in found):
                missing.setdefault(path, []).append(suffix)
    assert missing == {}


@pytest.mark.parametrize("path", ["", "generated/gallery/"])
def test_search_finds_results(prefix_url: str, browser: Any, path: str) -> None:
    """The search worker loads the index under the prefix and finds results."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    context.set_default_timeout(10_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(prefix_url + path, wait_until="networkidle")
    search = page.locator("input.md-search__input")
    search.click()
    search.press_sequentially(SEARCH_WORD, delay=20)
    results = page.locator(".md-search-result__item")
    results.first.wait_for(timeout=10_000)
    first_link = page.locator(".md-search-result__link").first.get_attribute("href")
    context.close()
    assert errors == []
    assert first_link is not None
    assert first_link.startswith(prefix_url)
    assert _status(first_link.split("#", 1)[0]) == 200


def test_next_link_stays_under_the_prefix(prefix_url: str, browser: Any) -> None:
    """Following the footer's "next" link keeps the reader inside the site."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    context.set_default_timeout(10_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(prefix_url, wait_until="networkidle")
    title = page.title()
    page.locator("a.md-footer__link--next").click()
    page.wait_for_function(f"document.title !== {title!r}")
    url = page.url
    status = _status(url.split("#", 1)[0])
    context.close()
    assert errors == []
    assert url.startswith(prefix_url)
    assert status == 200


def test_not_found_page_is_styled(prefix_url: str, browser: Any) -> None:
    """A missing page under the prefix gets the 404 page with its styles."""
    context = browser.new_context()
    page = context.new_page()
    failed: list[str] = []
    page.on("requestfailed", lambda r: failed.append(r.url))
    page.on(
        "response",
        lambda r: (
            failed.append(r.url)
            if r.status >= 400 and r.request.resource_type != "document"
            else None
        ),
    )
    response = page.goto(prefix_url + "no/such/page/", wait_until="networkidle")
    sheets = page.evaluate("document.styleSheets.length")
    context.close()
    assert response is not None
    assert response.status == 404
    assert failed == []
    assert sheets > 0


def test_playground_loads_its_data(prefix_url: str, browser: Any) -> None:
    """The playground fetches its data under the prefix and gets ready."""
    context = browser.new_context()
    context.set_default_timeout(20_000)
    page = context.new_page()
    data: list[tuple[str, int]] = []
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on(
        "response",
        lambda r: (
            data.append((r.url, r.status))
            if r.request.resource_type in {"fetch", "xhr"} and "/search/" not in r.url
            else None
        ),
    )
    page.goto(prefix_url + "playground/", wait_until="load")
    page.wait_for_selector(f"#{PLAYGROUND_ID}[data-status='ready']", state="attached")
    context.close()
    assert errors == []
    assert data, "the playground requested no data"
    assert [(url, status) for url, status in data if status != 200] == []
    assert [url for url, _ in data if not url.startswith(prefix_url)] == []
