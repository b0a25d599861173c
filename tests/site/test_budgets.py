"""Speed budgets of the built site: bytes, requests, figure formats and sizes.

Sizes are stable from one run to the next, so they are tested; load times
are not (``benchmarks/bench_site.py`` measures those). Every page must stay
within the budget of ``scripts/build_report.py`` (1.5 MB, HTML plus
everything it loads) and 40 requests. That is counted twice:

- from the files: everything the page could make a browser fetch, each
  image at its largest ``srcset`` candidate (``scripts/build_report.py``,
  whose table ``make site`` prints);
- in Chromium, as a first visit (a fresh browser context: nothing cached),
  scrolled to the bottom so that lazy images load, on Lighthouse's phone
  (the shared crawl, ``crawl.py``): every response the server sent,
  weighed by the size of the file it sent. The benchmark's table counts the
  same responses.

Figures are WebP, or PNG with a palette (8 bits a pixel: matplotlib's flat
colours and anti-aliasing fit in 256 colours, at a third of the bytes of a
true-colour PNG), without text metadata, and each file, animations included,
within the figure budget. Still figures are sharp on a 2x screen.
"""

from __future__ import annotations

import struct
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from .crawl import PHONE, Crawl, Figure, Visit, label, site_file

pytestmark = [pytest.mark.site, pytest.mark.browser]

# One figure file, still or animated, at any density: a third of a page.
FIGURE_BUDGET = 500_000
# Pixels per CSS pixel a still figure needs to look sharp on a 2x screen
# (a little under 2 for rounding in the layout).
MIN_DENSITY = 1.9
# An animation is not drawn at 2x (its size would double), but it must never
# be stretched beyond its pixels.
MIN_ANIMATION_DENSITY = 1.0
FIGURE_SUFFIXES = {".png", ".webp", ".svg"}
# What counts as an image in a page's weight (as benchmarks/bench_site.py).
IMAGES = {".png", ".webp", ".gif", ".svg", ".jpg", ".jpeg", ".ico"}
# PNG chunks that carry text or time stamps, not pixels.
METADATA_CHUNKS = {b"tEXt", b"zTXt", b"iTXt", b"tIME", b"eXIf"}


def test_pages_within_byte_budget_in_chromium(
    build: Any, crawl: Crawl, report: Any
) -> None:
    """A first visit on a phone stays within 1.5 MB (the 2x files: from files)."""
    weights = {
        label(path): v.file_bytes(build.site)
        for path, v in crawl.visits["light"].items()
    }
    assert all(weights.values()), "a page weighed nothing: the mapping is broken"
    over = {name: w for name, w in weights.items() if w > report.BUDGET_BYTES}
    assert over == {}


def test_first_visits_are_fetched_from_the_server(crawl: Crawl) -> None:
    """Each first visit gets its document, styles and scripts from the server."""
    missing = {}
    for visit in crawl.visits["light"].values():
        kinds = {Path(t.path).suffix for t in visit.transfers if t.status == 200}
        wanted = {".css", ".js"} - kinds
        if not any(t.path == visit.path for t in visit.transfers) or wanted:
            missing[label(visit.path)] = sorted(wanted)
    assert missing == {}


def test_first_visits_load_every_lazy_image(crawl: Crawl) -> None:
    """Scrolling through a first visit loads each lazy image that is laid out."""
    assert crawl.problems("lazy_unloaded") == {}


def _image_files(visit: Visit) -> list[str]:
    """The image files a first visit's server log lists."""
    return sorted(t.path for t in visit.transfers if Path(t.path).suffix in IMAGES)


def test_reported_image_bytes_are_the_referenced_files(
    build: Any, crawl: Crawl
) -> None:
    """A page's first-visit image bytes are the sizes of the images it shows.

    Each file the page's images show (at the resolution the profile picks)
    and its icon was sent once, whole, and nothing else counts as an image:
    a cache that made a figure count as 0 bytes fails here.
    """
    wrong = {}
    checked = 0
    for path, visit in crawl.visits["light"].items():
        if visit.playground_status is not None:
            continue  # the playground's script fetches its data images itself
        files = visit.referenced_images
        reported = sum(t.sent for t in visit.transfers if t.path in set(files))
        expected = sum(site_file(build.site, f).stat().st_size for f in files)
        checked += path.startswith(("story/", "beyond/"))
        if _image_files(visit) != files or reported != expected:
            wrong[label(path)] = (reported, expected, _image_files(visit), files)
    assert checked >= 1, "no chapter page was crawled"
    assert wrong == {}


def test_pages_within_request_budget(crawl: Crawl, report: Any) -> None:
    """No first visit makes more than 40 requests (``BUDGET_REQUESTS``)."""
    counts = {label(p): len(v.transfers) for p, v in crawl.visits["light"].items()}
    assert min(counts.values()) > 1, "the requests were not recorded"
    assert {name: n for name, n in counts.items() if n > report.BUDGET_REQUESTS} == {}


def test_pages_within_byte_budget_from_files(
    build: Any, pages: list[Path], report: Any
) -> None:
    """Everything a page could load (largest srcset candidates) is within 1.5 MB."""
    weights = [report.page_weight(build.site, page) for page in pages]
    assert {w.page: sorted(w.missing) for w in weights if w.missing} == {}
    assert {w.page: w.total for w in weights if w.total > report.BUDGET_BYTES} == {}


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


def test_figures_are_sharp_on_a_2x_screen(build: Any, crawl: Crawl) -> None:
    """Each still figure has 2 pixels per CSS pixel on a 2x screen.

    That takes a 2x ``srcset`` candidate, or a file at least twice as wide
    as it is drawn. Animations only need not be stretched. (The dark crawl
    is the 2x desktop screen.)
    """
    blurry = {}
    for name, visit in crawl.visits["dark"].items():
        for figure in visit.figures:
            path = site_file(build.site, figure.shown)
            if path.suffix == ".svg" or not path.is_file():
                continue
            with Image.open(path) as image:
                density = image.width / figure.css_width
            needed = MIN_ANIMATION_DENSITY if _is_animated(path) else MIN_DENSITY
            if density < needed:
                blurry.setdefault(label(name), []).append(
                    f"{path.name}: {density:.2f}x"
                )
    assert blurry == {}


# The light crawl's screen: Lighthouse's phone.
PHONE_DENSITY = PHONE["device_scale_factor"]
# Pages checked, each with at least one still figure with a choice of files.
PHONE_PAGES = ("", "story/filters/", "generated/gallery/1_story/plot_12_filter_bank/")


def _width(path: Path) -> int:
    with Image.open(path) as image:
        return int(image.width)


def _phone_problem(site: Path, figure: Figure) -> str | None:
    """Say what is wrong with the file a phone shows for `figure`, if anything."""
    path = site_file(site, figure.shown)
    density = _width(path) / figure.css_width
    if density < PHONE_DENSITY - 0.05:
        return f"{path.name}: blurry, {density:.2f}x"
    smaller = [
        candidate
        for candidate, _ in figure.candidates
        if (other := site_file(site, candidate)) != path
        and _width(other) < _width(path)
        and _width(other) / figure.css_width >= PHONE_DENSITY
    ]
    if smaller:
        return f"{path.name}: a larger file where {Path(smaller[0]).name} is sharp"
    return None


def test_phones_get_the_smallest_sharp_figure(build: Any, crawl: Crawl) -> None:
    """On a phone, each still figure is sharp and comes from the smallest
    ``srcset`` candidate that has enough pixels for the screen."""
    checked: dict[str, int] = {}
    wrong = {}
    for name in PHONE_PAGES:
        for figure in crawl.visits["light"][name].figures:
            path = site_file(build.site, figure.shown)
            if len(figure.candidates) < 2 or path.suffix == ".svg":
                continue
            if _is_animated(path):
                continue
            checked[name] = checked.get(name, 0) + 1
            if problem := _phone_problem(build.site, figure):
                wrong.setdefault(label(name), []).append(problem)
    assert [label(p) for p in PHONE_PAGES if not checked.get(p)] == []
    assert wrong == {}
