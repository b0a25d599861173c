"""The built site works when it is served under a sub-path, as project sites are.

GitHub Pages serves a project site at ``https://OWNER.github.io/REPO/`` and
Read the Docs at ``/en/latest/``: every link, image, script, search index,
download and playground file has to resolve relative to that prefix, and
nothing may be requested from the host's root. The shared crawl
(``crawl.py``) serves the built site under the path of its ``site_url``
(``/convdemo/``) on 127.0.0.1 and loads every page there, so the browser
checks of ``test_browser.py`` (console, failed requests, images) are made
under the prefix; this module checks what is particular to it. Anything
outside the prefix is a 404; a missing file inside it gets ``404.html`` with
status 404, as on GitHub Pages.
"""

from __future__ import annotations

import urllib.error
import urllib.request
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest

from .conftest import Build
from .crawl import Crawl

pytestmark = [pytest.mark.site, pytest.mark.browser]

# A word every version of the story uses; the search must find it.
SEARCH_WORD = "convolution"
# The worker builds its index from the whole site's text before it answers;
# on a busy machine that takes seconds.
SEARCH_TIMEOUT_MS = 30_000


def test_no_request_outside_the_prefix(crawl: Crawl) -> None:
    """No page asks for a root-relative URL (or another host)."""
    assert crawl.problems("outside_prefix") == {}


def _status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return error.code


def _local_links(crawl: Crawl) -> dict[str, list[str]]:
    """Map each page to the paths of its links to the test server."""
    return {
        path: [link for link in visit.links if link.startswith("/")]
        for path, visit in crawl.visits["light"].items()
    }


def test_internal_links_resolve(site_url: str, crawl: Crawl) -> None:
    """Every same-site link (pages, downloads, images) answers 200 under the prefix."""
    targets = {link for links in _local_links(crawl).values() for link in links}
    assert targets, "the crawl found no link to the site itself"
    outside = sorted(t for t in targets if not t.startswith(crawl.prefix))
    origin = site_url.removesuffix(urlsplit(site_url).path)
    broken = sorted(
        t for t in targets if t.startswith(crawl.prefix) and _status(origin + t) != 200
    )
    assert outside == []
    assert broken == []


def test_gallery_downloads_resolve(build: Build, crawl: Crawl) -> None:
    """Every example page links its .py and .ipynb, and both download."""
    examples = {
        path: links
        for path, links in _local_links(crawl).items()
        if (build.site / path / "index.html").is_file()
        and Path(path.rstrip("/")).name.startswith("plot_")
    }
    assert examples, "no gallery example pages found"
    missing = {}
    for path, links in examples.items():
        local = [unquote(link).removeprefix(crawl.prefix) for link in links]
        for suffix in (".py", ".ipynb"):
            found = [link for link in local if link.endswith(suffix)]
            if not found or any(not (build.site / f).is_file() for f in found):
                missing.setdefault(path, []).append(suffix)
    assert missing == {}


@pytest.mark.parametrize("path", ["", "generated/gallery/"])
def test_search_finds_results(site_url: str, browser: Any, path: str) -> None:
    """The search worker loads the index under the prefix and finds results."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    context.set_default_timeout(SEARCH_TIMEOUT_MS)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(site_url + path, wait_until="load")
    search = page.locator("input.md-search__input")
    search.click()
    search.press_sequentially(SEARCH_WORD, delay=20)
    results = page.locator(".md-search-result__item")
    results.first.wait_for()
    first_link = page.locator(".md-search-result__link").first.get_attribute("href")
    context.close()
    assert errors == []
    assert first_link is not None
    assert first_link.startswith(site_url)
    assert _status(first_link.split("#", 1)[0]) == 200


def test_not_found_page_is_styled(site_url: str, browser: Any) -> None:
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
    response = page.goto(site_url + "no/such/page/", wait_until="networkidle")
    sheets = page.evaluate("document.styleSheets.length")
    context.close()
    assert response is not None
    assert response.status == 404
    assert failed == []
    assert sheets > 0


def test_playground_loads_its_data(crawl: Crawl) -> None:
    """The playground fetches its data under the prefix and gets ready."""
    visits = [v for v in crawl.all() if v.playground_status is not None]
    assert visits, "the crawl found no playground"
    for visit in visits:
        data = [t for t in visit.transfers if "/playground/data/" in f"/{t.path}"]
        assert visit.playground_status == "ready", visit.scheme
        assert data, f"{visit.scheme}: the playground requested no data"
        assert [t for t in data if t.status != 200] == []
