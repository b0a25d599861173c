"""The site crawl's own machinery (``tests/site/crawl.py``) on a tiny static site.

The site tests trust the crawl to see what goes wrong on a page; here each
kind of problem is put on a page of a temporary site, which is served the way
the crawl serves the real one, and the crawl's first visit must report it.
No site build is needed.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from project_files import load_crawl, load_tool

from .browser_tools import chromium

pytestmark = pytest.mark.browser


crawl = load_crawl()
serve_site = load_tool("serve_site")


# A figure far below the first screen, loaded lazily.
CLEAN = """<!doctype html><html lang="en"><head><title>clean</title>
<link rel="icon" href="icon.png"></head><body>
<div style="height: 5000px">top</div>
<img src="far.png" loading="lazy" alt="far" width="40" height="40">
</body></html>"""

# A page that breaks its own Content-Security-Policy, logs an error, asks for
# a missing file and for a file on another host.
BROKEN = """<!doctype html><html lang="en"><head><title>broken</title>
<meta http-equiv="Content-Security-Policy" content="img-src 'self'">
</head><body>
<img src="../missing.png" alt="missing">
<img src="https://images.example.org/leak.png" alt="leak">
<script>console.error("something broke");</script>
</body></html>"""


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("tiny-site")
    (root / "index.html").write_text(CLEAN, encoding="utf-8")
    (root / "broken").mkdir()
    (root / "broken" / "index.html").write_text(BROKEN, encoding="utf-8")
    Image.new("RGB", (40, 40), "red").save(root / "far.png")
    Image.new("RGB", (16, 16), "blue").save(root / "icon.png")
    return root


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium(crawl.NO_OTHER_HOSTS) as launched:
        yield launched


def _first_visit(browser: Any, site: Path, path: str) -> Any:
    """Open `path` of `site` as the crawl does; return its finished Visit."""
    log: list[Any] = []
    with serve_site.serve(site, prefix="/demo/", compress=True, log=log) as base:
        context, recorder = crawl.first_visit(browser, base, path, log)
        try:
            recorder.visit.referenced_images = sorted(
                recorder.site_path(url)
                for url in recorder.page.evaluate(crawl._REFERENCED)
            )
            recorder.finish()
        finally:
            context.close()
    return recorder.visit


@pytest.fixture(scope="module")
def clean(browser: Any, site: Path) -> Any:
    return _first_visit(browser, site, "")


@pytest.fixture(scope="module")
def broken(browser: Any, site: Path) -> Any:
    return _first_visit(browser, site, "broken/")


def test_first_visit_scrolls_lazy_images_in(clean: Any, site: Path) -> None:
    """A lazy figure five screens down is fetched, and weighed by its file size."""
    sent = {t.path: t.sent for t in clean.transfers}
    assert sent["far.png"] == (site / "far.png").stat().st_size
    assert 0 < sent[""] < (site / "index.html").stat().st_size  # gzip
    assert clean.referenced_images == ["far.png", "icon.png"]


def test_clean_page_has_no_problem(clean: Any) -> None:
    """A clean page reports nothing, so that the reports below mean something."""
    found = (
        clean.console_errors
        + clean.failed_requests
        + clean.other_hosts
        + clean.outside_prefix
        + clean.csp_violations
    )
    assert found == []


def test_csp_violation_is_recorded(broken: Any) -> None:
    """The securitypolicyviolation listener sees an image the page's CSP refuses."""
    assert broken.csp_violations
    assert "img-src" in broken.csp_violations[0]
    assert "images.example.org" in broken.csp_violations[0]


def test_console_error_is_recorded(broken: Any) -> None:
    """console.error on the page is reported with its text."""
    assert any("something broke" in error for error in broken.console_errors)


def test_missing_file_is_a_failed_request(broken: Any) -> None:
    """A 404 inside the site is reported as a failed request."""
    assert any("404" in f and "missing.png" in f for f in broken.failed_requests)


def test_other_host_request_is_reported(browser: Any, site: Path) -> None:
    """Without a CSP to stop it, a request to another host is reported, quickly."""
    page = site / "leak"
    page.mkdir(exist_ok=True)
    (page / "index.html").write_text(
        '<!doctype html><title>leak</title><img src="https://example.org/a.png">',
        encoding="utf-8",
    )
    start = time.monotonic()
    visit = _first_visit(browser, site, "leak/")
    assert time.monotonic() - start < 10
    assert visit.other_hosts == ["https://example.org/a.png"]
    assert visit.outside_prefix == ["https://example.org/a.png"]


def test_undecoded_images_names_only_the_broken_ones(browser: Any, site: Path) -> None:
    """The decode check reports the missing image, not the one that loads."""
    with serve_site.serve(site, prefix="/demo/", compress=True) as base:
        context = browser.new_context()
        try:
            page = context.new_page()
            page.goto(base + "broken/")
            broken = page.evaluate(crawl.UNDECODED_IMAGES)
            page.goto(base)
            clean = page.evaluate(crawl.UNDECODED_IMAGES)
        finally:
            context.close()
    assert [Path(src).name for src in broken] == ["missing.png", "leak.png"]
    assert clean == []
