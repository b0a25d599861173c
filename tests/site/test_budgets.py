"""Speed budgets of the built site: bytes, requests, figure formats and sizes.

Sizes are stable from one run to the next, so they are tested; load times
are not (``benchmarks/bench_site.py`` measures those). Every page must stay
within 1.5 MB, HTML plus everything it loads, and 40 requests. That is
counted twice:

- from the files: everything the page could make a browser fetch, each
  image at its largest ``srcset`` candidate (``scripts/build_report.py``,
  whose table ``make site`` prints);
- in Chromium, on a hi-dpi screen (which picks the 2x figures), after
  scrolling to the bottom so that lazy images load: every request the page
  made, weighed by the size of the file it fetched.

Figures are WebP, or PNG with a palette (8 bits a pixel: matplotlib's flat
colours and anti-aliasing fit in 256 colours, at a third of the bytes of a
true-colour PNG), without text metadata, and each file, animations included,
within the figure budget. Still figures are sharp on a 2x screen.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest
from PIL import Image

pytestmark = [pytest.mark.site, pytest.mark.browser]

PAGE_BUDGET = 1_500_000
REQUEST_BUDGET = 40
# One figure file, still or animated, at any density: a third of a page.
FIGURE_BUDGET = 500_000
# Pixels per CSS pixel a still figure needs to look sharp on a 2x screen
# (a little under 2 for rounding in the layout).
MIN_DENSITY = 1.9
# An animation is not drawn at 2x (its size would double), but it must never
# be stretched beyond its pixels.
MIN_ANIMATION_DENSITY = 1.0
FIGURE_SUFFIXES = {".png", ".webp", ".svg"}
# PNG chunks that carry text or time stamps, not pixels.
METADATA_CHUNKS = {b"tEXt", b"zTXt", b"iTXt", b"tIME", b"eXIf"}


@dataclass
class _Load:
    """What Chromium fetched for one page, and how it drew its figures."""

    requests: list[str] = field(default_factory=list)
    # (file shown, rendered width in CSS pixels) for each figure in the article
    figures: list[tuple[str, float]] = field(default_factory=list)


_SCROLL_JS = """async () => {
  for (let y = 0; y < document.body.scrollHeight; y += window.innerHeight) {
    window.scrollTo(0, y);
    await new Promise(r => setTimeout(r, 30));
  }
}"""

_FIGURES_JS = """() => Array.from(document.querySelectorAll('article img'))
  .filter(img => img.currentSrc && img.getBoundingClientRect().width > 0)
  .map(img => [img.currentSrc, img.getBoundingClientRect().width])"""


@pytest.fixture(scope="module")
def loads(build: Any, pages: list[Path], server: str, browser: Any) -> dict[str, _Load]:
    """Load every page in Chromium on a 2x screen; map page to its _Load."""
    context = browser.new_context(
        viewport={"width": 1280, "height": 800}, device_scale_factor=2
    )
    context.set_default_timeout(15_000)
    found: dict[str, _Load] = {}
    for html in pages:
        name = html.relative_to(build.site).as_posix()
        load = found[name] = _Load()
        page = context.new_page()
        page.on(
            "request",
            lambda r, load=load: (
                load.requests.append(r.url) if not r.url.startswith("data:") else None
            ),
        )
        page.goto(server + name.removesuffix("index.html"), wait_until="load")
        page.evaluate(_SCROLL_JS)
        page.wait_for_load_state("networkidle")
        load.figures = [(url, float(w)) for url, w in page.evaluate(_FIGURES_JS)]
        page.close()
    context.close()
    return found


def _file(site: Path, server: str, url: str) -> Path:
    """Return the built file a URL of the test server serves."""
    path = unquote(urlsplit(url).path)
    target = site / path.removeprefix(urlsplit(server).path)
    return target / "index.html" if path.endswith("/") else target


def test_pages_within_byte_budget_in_chromium(
    build: Any, server: str, loads: dict[str, _Load]
) -> None:
    """What Chromium fetches for a page, on a 2x screen, stays within 1.5 MB."""
    weights = {}
    for name, load in loads.items():
        files = {_file(build.site, server, url) for url in load.requests}
        weights[name] = sum(f.stat().st_size for f in files if f.is_file())
    assert all(weights.values()), "a page weighed nothing: the mapping is broken"
    over = {name: w for name, w in weights.items() if w > PAGE_BUDGET}
    assert over == {}


def test_pages_within_byte_budget_from_files(
    build: Any, pages: list[Path], report: Any
) -> None:
    """Everything a page could load (largest srcset candidates) is within 1.5 MB."""
    weights = [report.page_weight(build.site, page) for page in pages]
    assert {w.page: sorted(w.missing) for w in weights if w.missing} == {}
    assert {w.page: w.total for w in weights if w.total > PAGE_BUDGET} == {}


def test_pages_within_request_budget(loads: dict[str, _Load]) -> None:
    """No page makes more than 40 requests."""
    counts = {name: len(load.requests) for name, load in loads.items()}
    assert min(counts.values()) > 1, "the requests were not recorded"
    assert {name: n for name, n in counts.items() if n > REQUEST_BUDGET} == {}


def _figure_files(site: Path) -> list[Path]:
    """Return every file in the gallery's image folders."""
    return sorted(
        p
        for p in (site / "generated").rglob("*")
        if p.is_file() and "images" in p.parts
    )


def test_figures_are_webp_png_or_svg(build: Any) -> None:
    """No figure is a GIF, JPEG or other heavy format."""
    files = _figure_files(build.site)
    assert files, "the site has no gallery images"
    wrong = [p.relative_to(build.site).as_posix() for p in files]
    assert [w for w in wrong if Path(w).suffix.lower() not in FIGURE_SUFFIXES] == []


def _png_chunks(path: Path) -> list[bytes]:
    """Return the chunk types of a PNG file, in order."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", path
    chunks, offset = [], 8
    while offset < len(data):
        (length,) = struct.unpack(">I", data[offset : offset + 4])
        chunks.append(data[offset + 4 : offset + 8])
        offset += 12 + length
    return chunks


def test_pngs_carry_no_metadata(build: Any) -> None:
    """No PNG carries text or time chunks (they also break reproducibility)."""
    found = {
        p.relative_to(build.site).as_posix(): sorted(
            c.decode() for c in set(_png_chunks(p)) & METADATA_CHUNKS
        )
        for p in _figure_files(build.site)
        if p.suffix == ".png"
    }
    assert {name: chunks for name, chunks in found.items() if chunks} == {}


def test_png_figures_use_a_palette(build: Any) -> None:
    """PNG figures are 8 bits a pixel at most (palette or grey), not true colour."""
    wide = {}
    for path in _figure_files(build.site):
        if path.suffix == ".png":
            with Image.open(path) as image:
                if image.mode not in {"P", "L", "1"}:
                    wide[path.relative_to(build.site).as_posix()] = image.mode
    assert wide == {}


def test_figure_files_within_figure_budget(build: Any) -> None:
    """Each figure file, animations included, is at most 500 kB."""
    sizes = {
        p.relative_to(build.site).as_posix(): p.stat().st_size
        for p in _figure_files(build.site)
    }
    assert {name: n for name, n in sizes.items() if n > FIGURE_BUDGET} == {}


def _is_animated(path: Path) -> bool:
    with Image.open(path) as image:
        return bool(getattr(image, "is_animated", False))


def test_figures_are_sharp_on_a_2x_screen(
    build: Any, server: str, loads: dict[str, _Load]
) -> None:
    """Each still figure has 2 pixels per CSS pixel on a 2x screen.

    That takes a 2x ``srcset`` candidate, or a file at least twice as wide
    as it is drawn. Animations only need not be stretched.
    """
    blurry = {}
    for name, load in loads.items():
        for url, css_width in load.figures:
            path = _file(build.site, server, url)
            if path.suffix == ".svg" or not path.is_file():
                continue
            with Image.open(path) as image:
                density = image.width / css_width
            needed = MIN_ANIMATION_DENSITY if _is_animated(path) else MIN_DENSITY
            if density < needed:
                blurry.setdefault(name, []).append(f"{path.name}: {density:.2f}x")
    assert blurry == {}


# Lighthouse's phone: 412 CSS pixels wide at 1.75 device pixels per CSS pixel.
PHONE = {"viewport": {"width": 412, "height": 823}, "device_scale_factor": 1.75}
PHONE_PAGES = (
    "index.html",
    "story/filters/index.html",
    "generated/gallery/1_story/plot_12_filter_bank/index.html",
)


@pytest.mark.parametrize("name", PHONE_PAGES)
def test_phones_get_the_smallest_sharp_figure(
    build: Any, server: str, browser: Any, name: str
) -> None:
    """On a phone, each still figure is sharp and comes from the smaller file
    whenever the 1x file already has enough pixels for the screen."""
    context = browser.new_context(**PHONE)
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.goto(server + name.removesuffix("index.html"), wait_until="load")
    page.evaluate(_SCROLL_JS)
    page.wait_for_load_state("networkidle")
    figures = page.evaluate(_FIGURES_JS)
    context.close()
    checked, wrong = 0, []
    for url, css_width in figures:
        path = _file(build.site, server, url)
        if path.suffix != ".png" or _is_animated(path):
            continue
        stem = path.name.removesuffix("_2x.png").removesuffix(".png")
        one_x = path.with_name(f"{stem}.png")
        if not path.with_name(f"{stem}_2x.png").is_file():
            continue
        with Image.open(path) as image:
            density = image.width / css_width
        with Image.open(one_x) as image:
            one_x_density = image.width / css_width
        needed = PHONE["device_scale_factor"] - 0.05
        checked += 1
        if density < needed:
            wrong.append(f"{path.name}: blurry, {density:.2f}x")
        elif path != one_x and one_x_density >= PHONE["device_scale_factor"]:
            wrong.append(f"{path.name}: 2x file where the 1x is {one_x_density:.2f}x")
    assert checked > 0, f"no still figure with a 2x file on {name}"
    assert wrong == []
