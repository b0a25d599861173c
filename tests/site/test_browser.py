"""The built site in a real browser: headless Chromium driven by Playwright.

The page-by-page checks read the shared crawl (``crawl.py``: every page
loaded once in each colour scheme, under the site's sub-path): no console
error, no failed request, no request to another host, no
Content-Security-Policy violation, every image decoded, the maths laid out
as MathML, the palette following the system and the toggle going to the
other palette and back. Then the site's own start-up (overrides/), on pages
of their own: the light/dark toggle's memory, its keyboard use and its
following of the system, a start-up that never re-styles the whole
document, and the footer's "next" links.

Chromium is Debian's ``chromium`` package (``.ci/run`` installs it). Without
it these tests skip locally, loudly, and fail in CI (``CI=true``).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from project_files import ROOT

from .conftest import GALLERIES, GALLERY_SCRIPTS, Build
from .crawl import SCHEMES, UNDECODED_IMAGES, Crawl, Recorder, label, page_paths

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
    urls += [f"generated/gallery/{folder.name}/" for folder in GALLERIES]
    urls += [f"generated/gallery/{s.parent.name}/{s.stem}/" for s in GALLERY_SCRIPTS]
    return urls


PAGE_URLS = _page_urls()


@pytest.fixture
def visit(browser: Any, site_url: str) -> Iterator[Any]:
    """Open a page in a new context with the given options (closed after).

    The page's recorder (``crawl.Recorder``) collects its errors, failed
    requests and requests to other hosts; ``problems()`` returns them.
    """
    contexts: list[Any] = []

    def open_page(url: str, **options: Any) -> Recorder:
        contexts.append(browser.new_context(**options))
        page = contexts[-1].new_page()
        recorder = Recorder(page, site_url, [], refuse_other_hosts=True)
        recorder.page.goto(site_url + url, wait_until="load")
        return recorder

    yield open_page
    for context in contexts:
        context.close()


def _scheme(page: Any) -> str:
    return page.evaluate("document.body.getAttribute('data-md-color-scheme')")


# The crawl's findings ------------------------------------------------------


def test_crawl_reaches_every_page(build: Build, crawl: Crawl) -> None:
    """The crawl loads every page of the build in both schemes, under the prefix."""
    paths = page_paths(build.site)
    assert "" in paths
    assert any(path.startswith("generated/gallery/") for path in paths)
    assert len(paths) == len(list(build.site.rglob("*.html"))) - 1
    for scheme in SCHEMES:
        assert sorted(crawl.visits[scheme]) == sorted(paths), scheme
    assert crawl.prefix != "/"


def test_no_console_errors(crawl: Crawl) -> None:
    """No page logs a console error or throws an uncaught exception."""
    assert crawl.problems("console_errors") == {}


def test_no_failed_requests(crawl: Crawl) -> None:
    """Every script, style, image and data file a page loads is found."""
    assert crawl.problems("failed_requests") == {}


def test_no_request_to_another_host(crawl: Crawl) -> None:
    """No page asks another host for anything (the crawl refuses such requests)."""
    assert crawl.problems("other_hosts") == {}


def test_no_content_security_policy_violation(crawl: Crawl) -> None:
    """No page breaks its Content-Security-Policy (securitypolicyviolation events)."""
    assert crawl.problems("csp_violations") == {}


def test_every_page_made_requests(crawl: Crawl) -> None:
    """The request listener saw every page's own loads, so the checks above bite."""
    silent = [f"{v.scheme} {label(v.path)}" for v in crawl.all() if len(v.requests) < 2]
    assert silent == []


def test_images_decode(crawl: Crawl) -> None:
    """Every image of every page, lazy and hidden ones included, decodes."""
    assert crawl.problems("undecoded_images") == {}


def test_maths_is_laid_out_as_mathml(build: Build, crawl: Crawl) -> None:
    """Each page with maths shows it as MathML, with a size on screen."""
    problems = {}
    for visit in crawl.all():
        html = build.site / visit.path
        html = html / "index.html" if html.is_dir() else html
        if "<math" not in html.read_text(encoding="utf-8"):
            continue
        maths = visit.maths
        laid_out = bool(maths) and all("math" in m["display"] for m in maths)
        if not (laid_out and any(m["width"] > 0 and m["height"] > 0 for m in maths)):
            problems[f"{visit.scheme} {label(visit.path)}"] = maths
    assert problems == {}


def test_scheme_follows_the_system_on_every_page(crawl: Crawl) -> None:
    """A reader whose system is light gets the light palette first; dark, dark."""
    wrong = {
        f"{v.scheme} {label(v.path)}": v.scheme_shown
        for v in crawl.all()
        if v.scheme_shown != SCHEMES[v.scheme]
    }
    assert wrong == {}


def test_palette_toggle_switches_and_back(crawl: Crawl) -> None:
    """On every page the toggle goes from dark to the light palette and back."""
    assert crawl.problems("palette_toggle") == {}  # recorded in dark only


# The site's own start-up, on pages of their own ---------------------------


def test_every_page_is_crawled(build: Build) -> None:
    """The browser test's page list matches the pages the build wrote."""
    built = sorted(
        p.parent.relative_to(build.site).as_posix() + "/"
        for p in build.site.rglob("index.html")
    )
    built = [b if b != "./" else "" for b in built]
    assert sorted(PAGE_URLS) == built


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
    page.wait_for_function(
        "(s) => document.body.dataset.mdColorScheme === s", arg=scheme
    )
    _assert_palette(page, expected)


def _reload(opened: Recorder) -> None:
    """Reload the page once its own requests have ended, as a reader would.

    The search worker and its index load after the load event; leaving the
    page while they load cancels them, and the recorder would count that.
    """
    opened.settle()
    opened.page.reload(wait_until="load")


def test_toggle_choice_holds_on_every_page(visit: Any) -> None:
    """A press of the toggle is remembered site-wide, over the system's setting."""
    opened = visit("", color_scheme="light")
    page = opened.page
    _assert_palette(page, _LIGHT)
    page.locator("label[title='Switch to dark mode']").click()
    _await_palette(page, _DARK)

    opened.settle()  # see _reload
    page.locator("a.md-footer__link--next").click()
    page.wait_for_load_state("load")
    _assert_palette(page, _DARK)
    # An explicit choice is not overruled by the system changing.
    page.emulate_media(color_scheme="light")
    page.wait_for_timeout(100)
    _assert_palette(page, _DARK)
    _reload(opened)
    _assert_palette(page, _DARK)
    assert opened.problems() == []


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
    _reload(opened)
    _assert_palette(page, _DARK)
    assert opened.problems() == []


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
    assert opened.problems() == []


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
    scheme: str, browser: Any, site_url: str
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
            site_url + "generated/gallery/1_story/plot_03_convolution_step_by_step/"
        )
        page.wait_for_load_state("networkidle")
        # The classes are set once, in <head>, before the body exists.
        assert page.evaluate("window.convdemoRestyles") == [
            "class no-js -> js,js-focus-visible in <head>"
        ]
        assert page.evaluate("document.documentElement.classList.contains('js')")

        page.route("**/bundle.*.min.js", lambda route: route.abort())
        page.goto(site_url, wait_until="load")
        page.wait_for_timeout(200)
        first, second = (_LIGHT, _DARK) if scheme == "light" else (_DARK, _LIGHT)
        _assert_palette(page, first)
        restyles = page.evaluate("window.convdemoRestyles")
        assert "data-md-color-switching" not in restyles

        page.locator(f"label[title='{first['shown'][0]}']").click()
        page.wait_for_function(
            "() => !document.body.hasAttribute('data-md-color-switching')"
        )
        _assert_palette(page, second)
        assert (
            page.evaluate("window.convdemoRestyles").count("data-md-color-switching")
            == 2
        )
    finally:
        context.close()


def test_sidebars_show_before_material_sizes_them(browser: Any, site_url: str) -> None:
    """On a wide screen both sidebars show their menus before Material's script runs."""
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    try:
        page.route("**/bundle.*.min.js", lambda route: route.abort())
        page.goto(
            site_url + "generated/gallery/1_story/plot_03_convolution_step_by_step/"
        )
        heights = page.evaluate(
            "[...document.querySelectorAll('.md-sidebar')]"
            ".map((s) => s.getBoundingClientRect().height)"
        )
        assert len(heights) == 2
        assert min(heights) > 100, heights
    finally:
        page.close()


@pytest.fixture(scope="module")
def next_walk(browser: Any, site_url: str) -> Iterator[tuple[Recorder, list[Any]]]:
    """Follow the footer's "next" link three times from the home page.

    Yield the page's recorder and, for each page reached, its address, the
    HTTP status of its document and the images that did not decode.
    """
    context = browser.new_context(color_scheme="light")
    context.set_default_timeout(15_000)
    opened = Recorder(context.new_page(), site_url, [], refuse_other_hosts=True)
    page = opened.page
    response = page.goto(site_url, wait_until="load")
    reached = [(page.url, response.status if response else None, [])]
    for _ in range(3):
        opened.settle()  # a reader reads the page before going on
        with page.expect_navigation() as navigation:
            page.locator("a.md-footer__link--next").click()
        page.wait_for_load_state("load")
        status = navigation.value.status if navigation.value else None
        reached.append((page.url, status, page.evaluate(UNDECODED_IMAGES)))
    yield opened, reached
    context.close()


def test_next_links_keep_pages_working(next_walk: tuple[Recorder, list[Any]]) -> None:
    """Following the footer's "next" links loads new pages without errors."""
    opened, reached = next_walk
    urls = [url for url, _, _ in reached]
    assert len(set(urls)) == len(urls) == 4
    assert {url: undecoded for url, _, undecoded in reached if undecoded} == {}
    assert opened.problems() == []


def test_next_links_stay_under_the_prefix(
    next_walk: tuple[Recorder, list[Any]], site_url: str
) -> None:
    """Each page the "next" links reach is inside the site's sub-path and found."""
    _, reached = next_walk
    assert urlsplit(site_url).path != "/"
    assert [
        (u, s) for u, s, _ in reached if not u.startswith(site_url) or s != 200
    ] == []
