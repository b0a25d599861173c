"""The Content-Security-Policy of the built site: on every page, and obeyed.

Without a browser: every HTML file of the build carries one policy ``<meta>``
ahead of everything it governs, names no other host and nothing unsafe, and
lists the hash of each inline script and style on its page (counted here with
a plain pattern, independently of the hook's parser). The pages have no
``style="..."`` attribute and no ``on...=`` handler, which the policy would
block.

In Chromium, at the root and under ``/convdemo/``, in light and dark: the
home page, the search (typed into, then Enter), a gallery page with an
animation (paused and played), the playground (5 × 5 kernel, pooling, an
uploaded image, the read-out), and the 404 page. An init script listens for
``securitypolicyviolation`` before any page script runs; no page may report
one, nor any Content-Security-Policy message on the console. A control
checks that the listener does hear a violation when an inline script is
injected.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np
import pytest
from PIL import Image
from project_files import load_hook

from .conftest import Build

POLICY_META = re.compile(
    r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">'
)
# Independent of the hook: an executed inline script or a style element, as
# a pattern over the raw HTML (the built pages have no such tag in a comment).
_INLINE_SCRIPT = re.compile(
    r"<script((?:\s+[^>]*)?)>(.*?)</script>", re.DOTALL | re.IGNORECASE
)
_STYLE = re.compile(r"<style\b[^>]*>(.*?)</style>", re.DOTALL | re.IGNORECASE)
_DATA_BLOCK = re.compile(r'\btype="application/(?:ld\+)?json"', re.IGNORECASE)

# Recorded in every page before its own scripts run.
LISTEN = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push([event.effectiveDirective, event.blockedURI,
    event.sourceFile + ":" + event.lineNumber, event.sample].join(" "));
});
"""
PLAYGROUND = "#convdemo-playground"
ANIMATION_PAGE = "generated/gallery/1_story/plot_13_max_pooling/"


@pytest.fixture(scope="module")
def hook() -> ModuleType:
    """The policy hook, hooks/csp.py."""
    return load_hook("csp")


def _html_files(build: Build) -> list[Path]:
    files = sorted(build.site.rglob("*.html"))
    assert build.site / "404.html" in files
    return files


def _directives(policy: str) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for directive in html.unescape(policy).split("; "):
        name, *sources = directive.split(" ")
        out[name] = sources
    return out


# ------------------------------------------------------------- no browser


@pytest.mark.site
def test_every_page_has_one_policy_first(build: Build) -> None:
    """Each HTML file has one policy <meta>, before any script, style or link."""
    for path in _html_files(build):
        page = path.read_text(encoding="utf-8")
        metas = list(POLICY_META.finditer(page))
        assert len(metas) == 1, path
        first = re.search(r"<(?:script|style|link)\b", page, re.IGNORECASE)
        assert first is not None, path
        assert metas[0].start() < first.start(), path
        assert page.index("<head") < metas[0].start() < page.index("</head>"), path


@pytest.mark.site
def test_policies_name_no_other_host_and_nothing_unsafe(build: Build) -> None:
    """Only 'self', 'none', data: images and hashes; the fixed directives."""
    for path in _html_files(build):
        meta = POLICY_META.search(path.read_text(encoding="utf-8"))
        assert meta is not None, path
        policy = _directives(meta.group(1))
        assert list(policy) == [
            "default-src",
            "script-src",
            "style-src",
            "img-src",
            "worker-src",
            "object-src",
            "base-uri",
            "form-action",
        ], path
        assert policy["img-src"] == ["'self'", "data:"], path
        assert policy["object-src"] == ["'none'"], path
        assert policy["form-action"] == ["'none'"], path
        for name in ("default-src", "worker-src", "base-uri"):
            assert policy[name] == ["'self'"], (path, name)
        for sources in policy.values():
            for source in sources:
                assert source in ("'self'", "'none'", "data:") or re.fullmatch(
                    r"'sha256-[A-Za-z0-9+/]{43}='", source
                ), (path, source)


@pytest.mark.site
def test_every_inline_script_and_style_is_hashed(
    build: Build, hook: ModuleType
) -> None:
    """The policy lists exactly the hashes of the page's inline code."""
    for path in _html_files(build):
        page = path.read_text(encoding="utf-8")
        meta = POLICY_META.search(page)
        assert meta is not None, path
        policy = _directives(meta.group(1))
        scripts = {
            hook.source_hash(body)
            for attributes, body in _INLINE_SCRIPT.findall(page)
            if "src=" not in attributes and not _DATA_BLOCK.search(attributes)
        }
        styles = {hook.source_hash(body) for body in _STYLE.findall(page)}
        assert scripts, f"{path}: Material's inline start-up script is missing"
        assert set(policy["script-src"]) == {"'self'"} | scripts, path
        assert set(policy["style-src"]) == {"'self'"} | styles, path


@pytest.mark.site
def test_no_style_attributes_or_event_handlers(build: Build, hook: ModuleType) -> None:
    """No style="" or on...= in the pages: the policy would block them."""
    for path in _html_files(build):
        code = hook.find_inline_code(path.read_text(encoding="utf-8"))
        assert code.style_attributes == [], path
        assert code.handlers == [], path


# ---------------------------------------------------------------- browser


class _Tab:
    """A page in a fresh context that records every policy violation."""

    def __init__(self, browser: Any, base: str, scheme: str) -> None:
        self.base = base
        self.context = browser.new_context(color_scheme=scheme)
        self.context.add_init_script(LISTEN)
        self.page = self.context.new_page()
        self.console: list[str] = []
        self.page.on("console", self._console)

    def _console(self, message: Any) -> None:
        if "Content Security Policy" in message.text:
            self.console.append(message.text)

    def violations(self) -> list[str]:
        """Violations so far on the current page (after pending events)."""
        self.page.wait_for_timeout(200)
        found: list[str] = self.page.evaluate("window.__cspViolations")
        return found

    def visit(self, url: str) -> None:
        self.page.goto(self.base + url, wait_until="load")


@pytest.fixture(scope="module")
def prefixed_server(build: Build, serve_site: ModuleType) -> Iterator[str]:
    """Serve the build under /convdemo/, as a GitHub Pages project site."""
    with serve_site.serve(build.site, prefix="/convdemo/") as url:
        yield url


@pytest.fixture(scope="module")
def upload(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small colour PNG that a reader might pick."""
    rng = np.random.default_rng(0)
    pixels = rng.integers(0, 256, size=(24, 32, 3), dtype=np.uint8)
    path = tmp_path_factory.mktemp("upload") / "mine.png"
    Image.fromarray(pixels).save(path)
    return path


def _walk(tab: _Tab, upload: Path) -> dict[str, list[str]]:
    """Use the pages that load or run the most; return violations per step."""
    found: dict[str, list[str]] = {}
    page = tab.page

    tab.visit("")
    search = page.locator("input.md-search__input")
    search.click()
    # Typed key by key, as a reader does: Material searches on key presses,
    # once its worker has loaded the index.
    page.wait_for_function(
        "() => !/Initializing/.test("
        "document.querySelector('.md-search-result__meta').textContent)"
    )
    search.press_sequentially("pooling")
    page.locator(".md-search-result__item").first.wait_for()
    page.keyboard.press("Enter")
    page.wait_for_load_state("load")
    found["home and search"] = tab.violations()

    tab.visit(ANIMATION_PAGE)
    button = page.locator("button.convdemo-anim__toggle").first
    button.click()
    button.click()
    found["gallery animation"] = tab.violations()

    tab.visit("playground/")
    idle = "() => window.convdemoPlayground.whenIdle()"
    page.wait_for_function("() => window.convdemoPlayground !== undefined")
    page.evaluate(idle)
    page.check(f"{PLAYGROUND}-size-5")
    page.select_option(f"{PLAYGROUND}-pool", "max")
    page.set_input_files(f"{PLAYGROUND}-file", str(upload))
    assert page.evaluate(idle) == "ready"
    page.locator(f"{PLAYGROUND}-output").hover()
    columns = page.evaluate(
        "() => [...document.querySelectorAll('.cdp-mat')].map("
        "(m) => getComputedStyle(m).gridTemplateColumns.split(' ').length)"
    )
    # A 5 × 5 kernel: window, kernel and products laid out in 5 columns
    # (their column count is set through the CSSOM, not a style attribute).
    assert columns == [5, 5, 5]
    found["playground with an upload"] = tab.violations()

    tab.visit("no-such-page/")
    found["404 page"] = tab.violations()
    return found


@pytest.mark.site
@pytest.mark.browser
@pytest.mark.parametrize("where", ["root", "sub-path"])
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_page_reports_a_violation(
    browser: Any,
    server: str,
    prefixed_server: str,
    upload: Path,
    where: str,
    scheme: str,
) -> None:
    """Home, search, an animation, the playground and 404: zero violations."""
    tab = _Tab(browser, server if where == "root" else prefixed_server, scheme)
    try:
        found = _walk(tab, upload)
    finally:
        tab.context.close()
    assert {step: v for step, v in found.items() if v} == {}
    assert tab.console == []


@pytest.mark.site
@pytest.mark.browser
def test_injected_inline_script_is_blocked_and_heard(
    browser: Any, prefixed_server: str
) -> None:
    """The control: an injected inline script does not run and is reported."""
    tab = _Tab(browser, prefixed_server, "light")
    try:
        tab.visit("")
        tab.page.evaluate(
            "() => { const s = document.createElement('script');"
            " s.textContent = 'window.__injected = true';"
            " document.body.appendChild(s); }"
        )
        violations = tab.violations()
        ran = tab.page.evaluate("window.__injected === true")
    finally:
        tab.context.close()
    assert not ran
    assert len(violations) == 1
    assert violations[0].startswith("script-src-elem inline")
