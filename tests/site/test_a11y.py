"""Accessibility of the built site: axe-core in light and dark, structure, motion.

axe-core (shipped by axe-playwright-python) runs on every page in Chromium,
once with the light scheme and once with the dark one (the palette follows
the system preference, which the browser context sets). Serious and critical
violations fail, and so does any violation of the rules about landmarks,
headings, link names and image alternatives, whatever impact axe gives it.
Heading order and link texts are also read from the HTML. Animated images
must have a pause control and must not move when the reader prefers reduced
motion.
"""

from __future__ import annotations

import itertools
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import numpy as np
import pytest
from PIL import Image

pytestmark = [pytest.mark.site, pytest.mark.browser]

# Material's name for each scheme, keyed by the system preference.
SCHEMES = {"light": "default", "dark": "slate"}
BLOCKING_IMPACTS = {"serious", "critical"}
# Structure rules that fail whatever impact axe reports for them.
STRUCTURE_RULES = {
    "document-title",
    "html-has-lang",
    "page-has-heading-one",
    "heading-order",
    "empty-heading",
    "landmark-one-main",
    "landmark-unique",
    "landmark-no-duplicate-banner",
    "landmark-no-duplicate-contentinfo",
    "landmark-no-duplicate-main",
    "landmark-banner-is-top-level",
    "landmark-contentinfo-is-top-level",
    "landmark-main-is-top-level",
    "landmark-complementary-is-top-level",
    "link-name",
    "button-name",
    "image-alt",
    "role-img-alt",
}
# Link texts that say nothing out of context (WCAG 2.4.4).
VAGUE_LINK_TEXTS = {
    "here",
    "click here",
    "link",
    "this",
    "more",
    "read more",
    "this page",
}


def _url(server: str, site: Path, page: Path) -> str:
    """Return the address of a built page on the test server."""
    relative = page.relative_to(site).as_posix()
    return server + relative.removesuffix("index.html")


# preload=False: axe would otherwise download every stylesheet again for
# its one CSSOM rule (css-orientation-lock), which Material never trips.
AXE_OPTIONS = {"resultTypes": ["violations"], "preload": False}
# The rules whose outcome depends on the colours: the dark pass runs these.
COLOUR_RULES = ["color-contrast", "link-in-text-block"]


def _run_axe(page: Any, script: str, rules: list[str] | None) -> list[dict[str, Any]]:
    """Inject axe-core into `page` and return its violations."""
    options: dict[str, Any] = dict(AXE_OPTIONS)
    if rules is not None:
        options["runOnly"] = {"type": "rule", "values": rules}
    page.evaluate(script)
    result: list[dict[str, Any]] = page.evaluate(
        "options => axe.run(document, options).then(r => r.violations)", options
    )
    return result


@pytest.fixture(scope="module")
def axe_violations(
    build: Any, pages: list[Path], server: str, browser: Any
) -> dict[tuple[str, str], list[dict[str, Any]]]:
    """Run axe-core on every page in both schemes; map (scheme, page) to violations.

    The light pass runs every rule; the dark pass, in a browser that prefers
    dark, runs the colour rules (the rest cannot change with the palette). A
    page whose palette does not follow the system preference is reported as
    a violation named ``scheme-follows-system``.
    """
    axe_module = pytest.importorskip("axe_playwright_python.sync_playwright")
    script = axe_module.Axe().axe_script
    found: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for scheme, material_name in SCHEMES.items():
        context = browser.new_context(
            viewport={"width": 1280, "height": 800}, color_scheme=scheme
        )
        context.set_default_timeout(15_000)
        page = context.new_page()
        rules = None if scheme == "light" else COLOUR_RULES
        for html in pages:
            name = html.relative_to(build.site).as_posix()
            page.goto(_url(server, build.site, html), wait_until="load")
            page.wait_for_function("() => document.body.dataset.mdColorScheme")
            violations = _run_axe(page, script, rules)
            shown = page.evaluate("document.body.dataset.mdColorScheme")
            if shown != material_name:
                violations.append(
                    {
                        "id": "scheme-follows-system",
                        "impact": "serious",
                        "nodes": [{"target": ["body"], "html": f"scheme={shown!r}"}],
                    }
                )
            found[scheme, name] = violations
        context.close()
    return found


def _summary(violations: list[dict[str, Any]]) -> list[str]:
    """Return one readable line per violated rule, with its first targets."""
    lines = []
    for v in violations:
        targets = [", ".join(map(str, n["target"])) for n in v["nodes"][:3]]
        lines.append(f"{v['id']} ({v['impact']}, {len(v['nodes'])}x): {targets}")
    return lines


@pytest.mark.parametrize("scheme", sorted(SCHEMES))
def test_no_serious_or_critical_violations(
    axe_violations: dict[tuple[str, str], list[dict[str, Any]]], scheme: str
) -> None:
    """axe-core finds no serious or critical problem on any page (incl. contrast)."""
    bad = {
        page: _summary([v for v in found if v["impact"] in BLOCKING_IMPACTS])
        for (s, page), found in axe_violations.items()
        if s == scheme
    }
    assert {page: lines for page, lines in bad.items() if lines} == {}


def test_landmarks_headings_and_names(
    axe_violations: dict[tuple[str, str], list[dict[str, Any]]],
) -> None:
    """No page breaks axe's landmark, heading, link-name or alt-text rules."""
    bad = {
        page: _summary([v for v in found if v["id"] in STRUCTURE_RULES])
        for (scheme, page), found in axe_violations.items()
        if scheme == "light"
    }
    assert {page: lines for page, lines in bad.items() if lines} == {}


class _Content(HTMLParser):
    """Collect the headings and link texts of a page's article."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.headings: list[tuple[int, str]] = []
        self.links: list[str] = []
        self.images: list[str] = []
        self._depth = 0  # > 0 inside <article>
        self._heading: int | None = None
        self._link = False
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "article":
            self._depth += 1
        if not self._depth:
            return
        if tag == "img":
            self.images.append(dict(attrs).get("src") or "")
        elif re.fullmatch(r"h[1-6]", tag):
            self._heading = int(tag[1])
            self._text = []
        elif tag == "a" and dict(attrs).get("class") != "headerlink":
            self._link = True
            self._text = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "article":
            self._depth -= 1
        elif self._heading is not None and tag == f"h{self._heading}":
            self.headings.append((self._heading, " ".join(self._text).strip()))
            self._heading = None
        elif tag == "a" and self._link:
            self.links.append(" ".join("".join(self._text).split()))
            self._link = False

    def handle_data(self, data: str) -> None:
        if self._heading is not None or self._link:
            self._text.append(data)


def _content(page: Path) -> _Content:
    parser = _Content()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser


def test_heading_levels_are_not_skipped(build: Any, pages: list[Path]) -> None:
    """Each article opens with its one h1, and no heading skips a level."""
    problems = {}
    for page in pages:
        levels = [level for level, _ in _content(page).headings]
        issues = []
        if not levels or levels[0] != 1:
            issues.append(f"first heading is h{levels[0] if levels else '-'}")
        if levels.count(1) != 1:
            issues.append(f"{levels.count(1)} h1 headings")
        issues += [
            f"h{a} followed by h{b}" for a, b in itertools.pairwise(levels) if b > a + 1
        ]
        if issues:
            problems[page.relative_to(build.site).as_posix()] = issues
    assert problems == {}


def test_link_texts_say_where_they_go(build: Any, pages: list[Path]) -> None:
    """No link in an article is named only "here", "link", "more" or the like."""
    vague = {}
    for page in pages:
        texts = [t for t in _content(page).links if t.lower() in VAGUE_LINK_TEXTS]
        if texts:
            vague[page.relative_to(build.site).as_posix()] = texts
    assert vague == {}


# Animations --------------------------------------------------------------


def _is_animated(path: Path) -> bool:
    with Image.open(path) as image:
        return bool(getattr(image, "is_animated", False))


def _animated_files(site: Path) -> set[str]:
    """Return the site-relative paths of every animated GIF or WebP."""
    return {
        p.relative_to(site).as_posix()
        for suffix in ("*.gif", "*.webp")
        for p in site.rglob(suffix)
        if _is_animated(p)
    }


def _pages_showing(site: Path, pages: list[Path], files: set[str]) -> list[Path]:
    """Return the pages whose HTML refers to one of `files`."""
    names = {Path(f).name for f in files}
    return [p for p in pages if any(n in p.read_text(encoding="utf-8") for n in names)]


_SHOWN_JS = """() => Array.from(document.querySelectorAll('article img'))
  .filter(img => img.currentSrc)
  .map(img => img.currentSrc)"""


def _shown_animations(page: Any, server: str, site: Path) -> list[str]:
    """Return the animated files that the page's images currently show."""
    shown = []
    for url in page.evaluate(_SHOWN_JS):
        path = unquote(urlsplit(url).path).lstrip("/")
        target = site / path
        if url.startswith(server) and target.is_file() and _is_animated(target):
            shown.append(path)
    return shown


@pytest.fixture(scope="module")
def animation_pages(build: Any, pages: list[Path]) -> list[Path]:
    """The pages that show at least one animation."""
    files = _animated_files(build.site)
    assert files, "the site has no animation (the convolution chapter has one)"
    found = _pages_showing(build.site, pages, files)
    assert found
    return found


def _goto(context: Any, server: str, site: Path, html: Path) -> Any:
    page = context.new_page()
    page.goto(_url(server, site, html), wait_until="networkidle")
    return page


_PAUSE = re.compile(r"\b(pause|stop)\b", re.IGNORECASE)
_PLAY = re.compile(r"\b(play|resume|start)\b", re.IGNORECASE)


def _toggle_of(figure: Any) -> Any:
    """Return the figure's pause/play button."""
    buttons = figure.get_by_role("button")
    assert buttons.count() == 1, f"{buttons.count()} buttons in {figure}"
    return buttons.first


def test_every_animation_can_be_paused_and_resumed(
    build: Any, server: str, browser: Any, animation_pages: list[Path]
) -> None:
    """A button next to each animation swaps it for a still and back."""
    context = browser.new_context(reduced_motion="no-preference")
    context.set_default_timeout(10_000)
    problems: list[str] = []
    for html in animation_pages:
        name = html.relative_to(build.site).as_posix()
        page = _goto(context, server, build.site, html)
        moving = _shown_animations(page, server, build.site)
        if not moving:
            problems.append(f"{name}: no animation plays by default")
        figures = page.locator("article figure").filter(has=page.locator("img"))
        for index in range(figures.count()):
            figure = figures.nth(index)
            src = figure.locator("img").first.evaluate("img => img.currentSrc")
            path = unquote(urlsplit(src).path).lstrip("/")
            if not _is_animated(build.site / path):
                continue
            button = _toggle_of(figure)
            label = button.inner_text()
            if not _PAUSE.search(label):
                problems.append(f"{name}: the control reads {label!r}, not 'Pause'")
                continue
            button.click()
            page.wait_for_function(
                "img => img.complete && img.naturalWidth > 0",
                arg=figure.locator("img").first.element_handle(),
            )
            if len(_shown_animations(page, server, build.site)) >= len(moving):
                problems.append(f"{name}: pausing left {path} moving")
            if not _PLAY.search(button.inner_text()):
                problems.append(
                    f"{name}: a paused control reads {button.inner_text()!r}"
                )
            button.click()
            page.wait_for_timeout(100)
            if len(_shown_animations(page, server, build.site)) != len(moving):
                problems.append(f"{name}: playing again did not restore {path}")
        page.close()
    context.close()
    assert problems == []


def test_toggle_buttons_use_one_accessible_pattern(
    build: Any, server: str, browser: Any, animation_pages: list[Path]
) -> None:
    """A toggle either changes its label or uses aria-pressed, not both.

    "Play animation, pressed" contradicts itself for a screen-reader user.
    """
    context = browser.new_context()
    mixed = []
    for html in animation_pages:
        page = _goto(context, server, build.site, html)
        for button in page.locator("article figure button").all():
            before = (button.inner_text(), button.get_attribute("aria-pressed"))
            button.click()
            after = (button.inner_text(), button.get_attribute("aria-pressed"))
            button.click()
            if before[0] != after[0] and before[1] != after[1]:
                mixed.append(f"{html.relative_to(build.site)}: {before} -> {after}")
        page.close()
    context.close()
    assert mixed == []


_CURRENT_JS = """() => Array.from(document.querySelectorAll('article img'))
  .map(img => img.currentSrc)"""

_LOOPING_JS = """() => document.getAnimations()
  .filter(a => a.playState === 'running'
    && a.effect.getComputedTiming().iterations === Infinity)
  .map(a => a.animationName || String(a.effect.target))"""


@pytest.fixture(scope="module")
def reduced_motion(
    build: Any, server: str, browser: Any, animation_pages: list[Path]
) -> dict[str, dict[str, list[Any]]]:
    """Load the home page and the animation pages with reduced motion.

    Map each page to what moves on it ("moving": animated files shown and
    endless CSS animations) and to its (animation, still shown) pairs.
    """
    context = browser.new_context(reduced_motion="reduce")
    context.set_default_timeout(10_000)
    visits: dict[str, dict[str, list[Any]]] = {}
    for html in [build.site / "index.html", *animation_pages]:
        page = _goto(context, server, build.site, html)
        # The HTML's own src (the animation) against what the browser shows.
        written = _content(html).images
        shown = page.evaluate(_CURRENT_JS)
        assert len(written) == len(shown), html
        pairs = []
        for src, current in zip(written, shown, strict=True):
            src_path = (html.parent / unquote(urlsplit(src).path)).resolve()
            if src_path.is_file() and _is_animated(src_path):
                current_path = unquote(urlsplit(current).path).lstrip("/")
                pairs.append((src_path, build.site / current_path))
        visits[html.relative_to(build.site).as_posix()] = {
            "moving": _shown_animations(page, server, build.site)
            + page.evaluate(_LOOPING_JS),
            "pairs": pairs,
        }
        page.close()
    context.close()
    return visits


def test_reduced_motion_shows_stills(
    reduced_motion: dict[str, dict[str, list[Any]]],
) -> None:
    """With prefers-reduced-motion, no image moves and no CSS animation loops."""
    moving = {page: v["moving"] for page, v in reduced_motion.items() if v["moving"]}
    assert moving == {}


def _on_white(image: Image.Image, size: tuple[int, int]) -> np.ndarray:
    """Return `image` composited on white and resized, as float RGB."""
    rgba = image.convert("RGBA").resize(size, Image.Resampling.BILINEAR)
    white = Image.new("RGBA", size, "white")
    return np.asarray(Image.alpha_composite(white, rgba).convert("RGB"), dtype=float)


def _last_frame_difference(animation: Path, still: Path) -> float:
    """Return the mean absolute difference (0-255) of a still and a last frame."""
    with Image.open(animation) as moving, Image.open(still) as poster:
        moving.seek(moving.n_frames - 1)
        last = _on_white(moving, poster.size)
        shown = _on_white(poster, poster.size)
    return float(np.abs(last - shown).mean())


def test_reduced_motion_still_is_the_final_frame(
    reduced_motion: dict[str, dict[str, list[Any]]],
) -> None:
    """The still shown instead of an animation is its final frame."""
    pairs = {pair for visit in reduced_motion.values() for pair in visit["pairs"]}
    assert pairs, "no animation found under reduced motion"
    different = {
        f"{animation.name} vs {still.name}": round(diff, 1)
        for animation, still in sorted(pairs)
        if (diff := _last_frame_difference(animation, still)) > 8
    }
    assert different == {}
