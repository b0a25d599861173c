"""Accessibility of the built site: axe-core in light and dark, structure, motion.

axe-core (shipped by axe-playwright-python) runs on every page in Chromium,
during the shared crawl (``crawl.py``): every rule with the light scheme,
the colour rules with the dark one (the palette follows the system
preference, which the browser context sets). Serious and critical violations
fail, and so does any violation of the rules about landmarks, headings, link
names and image alternatives, whatever impact axe gives it. Heading order and
link texts are also read from the HTML. Animated images must have a pause
control (pressed during the light crawl) and must not move when the reader
prefers reduced motion (the dark crawl asks for it).

axe sees links and buttons at rest only: the text of hovered and focused ones
is measured on a few pages of its own, in each palette.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import numpy as np
import pytest
from matplotlib.colors import to_hex
from PIL import Image

from convdemo.style import blend, contrast_ratio

from .crawl import COLOUR_RULES, DESKTOP, SCHEMES, Control, Crawl, label

pytestmark = [pytest.mark.site, pytest.mark.browser]

BLOCKING_IMPACTS = {"serious", "critical"}
# axe-core 4 has about 90 rules; far fewer means it did not run them all.
MIN_AXE_RULES = 60
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


def _summary(violations: list[dict[str, Any]]) -> list[str]:
    """Return one readable line per violated rule, with its first targets."""
    lines = []
    for v in violations:
        targets = [", ".join(map(str, n["target"])) for n in v["nodes"][:3]]
        lines.append(f"{v['id']} ({v['impact']}, {len(v['nodes'])}x): {targets}")
    return lines


def test_axe_ran_on_every_page(crawl: Crawl) -> None:
    """axe ran every rule on each light page and the colour rules on each dark one."""
    light = {label(p): len(v.axe_rules) for p, v in crawl.visits["light"].items()}
    assert min(light.values()) >= MIN_AXE_RULES, light
    dark = {label(p): v.axe_rules for p, v in crawl.visits["dark"].items()}
    assert {page: ran for page, ran in dark.items() if ran != COLOUR_RULES} == {}


@pytest.mark.parametrize("scheme", sorted(SCHEMES))
def test_no_serious_or_critical_violations(crawl: Crawl, scheme: str) -> None:
    """axe-core finds no serious or critical problem on any page (incl. contrast)."""
    bad = {
        label(path): _summary([v for v in visit.axe if v["impact"] in BLOCKING_IMPACTS])
        for path, visit in crawl.visits[scheme].items()
    }
    assert {page: lines for page, lines in bad.items() if lines} == {}


def test_landmarks_headings_and_names(crawl: Crawl) -> None:
    """No page breaks axe's landmark, heading, link-name or alt-text rules."""
    bad = {
        label(path): _summary([v for v in visit.axe if v["id"] in STRUCTURE_RULES])
        for path, visit in crawl.visits["light"].items()
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


class _ImageSources(HTMLParser):
    """Collect every URL an <img> or <source> may show (src and srcset)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in {"img", "source"}:
            return
        values = dict(attrs)
        self.urls += [values.get("src") or ""]
        self.urls += [
            part.split()[0]
            for part in (values.get("srcset") or "").split(",")
            if part.strip()
        ]


def _shown_files(site: Path, page: Path) -> set[str]:
    """Return the site-relative paths of the files a page's images may show."""
    parser = _ImageSources()
    parser.feed(page.read_text(encoding="utf-8"))
    shown = set()
    for url in parser.urls:
        parts = urlsplit(url)
        if url and not parts.scheme and not url.startswith("data:"):
            target = (page.parent / unquote(parts.path)).resolve()
            if target.is_relative_to(site.resolve()):
                shown.add(target.relative_to(site.resolve()).as_posix())
    return shown


def _pages_showing(site: Path, pages: list[Path], files: set[str]) -> list[Path]:
    """Return the pages with an image that shows one of `files`.

    Only images count: a page that merely names such a file (the reference's
    example of ``save_animation(anim, "hero.webp")``) shows no animation.
    """
    return [p for p in pages if _shown_files(site, p) & files]


def _site_file(site: Path, prefix: str, url: str) -> Path:
    """Return the built file that a URL of the crawl's server serves."""
    return site / unquote(urlsplit(url).path).removeprefix(prefix)


@pytest.fixture(scope="module")
def animated(build: Any, crawl: Crawl) -> Callable[[str], bool]:
    """Tell whether a URL of the crawl shows an animated file (cached)."""
    known: dict[str, bool] = {}

    def is_animated(url: str) -> bool:
        if url not in known:
            path = _site_file(build.site, crawl.prefix, url)
            known[url] = bool(url) and path.is_file() and _is_animated(path)
        return known[url]

    return is_animated


@pytest.fixture(scope="module")
def animation_pages(build: Any, pages: list[Path]) -> list[str]:
    """The URL paths of the pages that show at least one animation."""
    files = _animated_files(build.site)
    assert files, "the site has no animation (the convolution chapter has one)"
    found = _pages_showing(build.site, pages, files)
    assert found
    return [
        p.relative_to(build.site).as_posix().removesuffix("index.html") for p in found
    ]


_PAUSE = re.compile(r"\b(pause|stop)\b", re.IGNORECASE)
_PLAY = re.compile(r"\b(play|resume|start)\b", re.IGNORECASE)


def test_animations_play_by_default(
    crawl: Crawl, animated: Callable[[str], bool], animation_pages: list[str]
) -> None:
    """Without a preference for less motion, each animation page shows one moving."""
    still = [
        label(path)
        for path in animation_pages
        if not any(map(animated, crawl.visits["light"][path].article_images))
    ]
    assert still == []


def _pause_problems(control: Control, animated: Callable[[str], bool]) -> list[str]:
    """Check one animation's button: Pause, a still, Play, moving again."""
    name = Path(urlsplit(control.figure_image).path).name
    if control.buttons != 1:
        return [f"{name}: {control.buttons} buttons"]
    (label0, _, shown0), (label1, _, shown1), (_, _, shown2) = control.states
    moving = [sum(map(animated, shown)) for shown in (shown0, shown1, shown2)]
    problems = []
    if not _PAUSE.search(label0):
        problems.append(f"{name}: the control reads {label0!r}, not 'Pause'")
    if moving[1] >= moving[0]:
        problems.append(f"{name}: pausing left it moving")
    if not _PLAY.search(label1):
        problems.append(f"{name}: a paused control reads {label1!r}")
    if moving[2] != moving[0]:
        problems.append(f"{name}: playing again did not restore it")
    return problems


def test_every_animation_can_be_paused_and_resumed(
    crawl: Crawl, animated: Callable[[str], bool]
) -> None:
    """A button next to each animation swaps it for a still and back."""
    problems = {}
    checked = 0
    for path, visit in crawl.visits["light"].items():
        for control in visit.controls:
            if animated(control.figure_image):
                checked += 1
                if found := _pause_problems(control, animated):
                    problems.setdefault(label(path), []).extend(found)
    assert checked > 0, "no animated figure was found in the crawl"
    assert problems == {}


def test_toggle_buttons_use_one_accessible_pattern(crawl: Crawl) -> None:
    """A toggle either changes its label or uses aria-pressed, not both.

    "Play animation, pressed" contradicts itself for a screen-reader user.
    """
    mixed = [
        f"{label(path)}: {before[:2]} -> {after[:2]}"
        for path, visit in crawl.visits["light"].items()
        for control in visit.controls
        if control.states
        for before, after in [control.states[:2]]
        if before[0] != after[0] and before[1] != after[1]
    ]
    assert sum(bool(c.states) for v in crawl.all() for c in v.controls) > 0
    assert mixed == []


@pytest.fixture(scope="module")
def reduced_motion(
    build: Any, crawl: Crawl, animated: Callable[[str], bool]
) -> dict[str, dict[str, list[Any]]]:
    """Every page as the dark crawl saw it, with reduced motion.

    Map each page to what moves on it ("moving": animated files shown and
    endless CSS animations) and to its (animation, still shown) pairs.
    """
    visits: dict[str, dict[str, list[Any]]] = {}
    for path, visit in crawl.visits["dark"].items():
        html = build.site / path
        html = html / "index.html" if html.is_dir() else html
        # The HTML's own src (the animation) against what the browser shows.
        written = _content(html).images
        shown = visit.article_images
        assert len(written) == len(shown), label(path)
        pairs = []
        for src, current in zip(written, shown, strict=True):
            src_path = (html.parent / unquote(urlsplit(src).path)).resolve()
            if src_path.is_file() and _is_animated(src_path):
                pairs.append((src_path, _site_file(build.site, crawl.prefix, current)))
        visits[label(path)] = {
            "moving": [u for u in shown if animated(u)] + visit.looping_animations,
            "pairs": pairs,
        }
    return visits


def test_reduced_motion_shows_stills(
    reduced_motion: dict[str, dict[str, list[Any]]],
) -> None:
    """With prefers-reduced-motion, no image moves and no CSS animation loops."""
    moving = {page: v["moving"] for page, v in reduced_motion.items() if v["moving"]}
    assert moving == {}


def _on_white(image: Image.Image, size: tuple[int, int]) -> np.ndarray:
    """Return `image` composited on white at `size` (box-filtered), as float RGB."""
    rgba = image.convert("RGBA")
    if rgba.size != size:
        rgba = rgba.resize(size, Image.Resampling.BOX)
    white = Image.new("RGBA", size, "white")
    return np.asarray(Image.alpha_composite(white, rgba).convert("RGB"), dtype=float)


def _frame_differences(animation: Path, still: Path) -> list[float]:
    """Return the mean absolute difference (0-255) of a still and each frame.

    They are compared at the animation's size, the still reduced with a box
    filter, as ``convdemo.publish`` reduces its 2x drawing to the 1x still.
    (Enlarging a 1x frame to the 2x still's size measured mostly the blur of
    the enlargement: 6.3 for an exact 1x copy of the CNN's eight small
    filters and their numbers.)
    """
    with Image.open(animation) as moving, Image.open(still) as poster:
        shown = _on_white(poster, moving.size)
        differences = []
        for index in range(moving.n_frames):
            moving.seek(index)
            frame = _on_white(moving, moving.size)
            differences.append(float(np.abs(frame - shown).mean()))
    return differences


# A frame drawn directly at 1x and the same figure drawn at 2x and reduced
# differ by a few units (up to 7.6 for the CNN's filters); frames that show
# the same figure within that noise are equally near the still.
FINAL_FRAME_LIMIT = 8
SAME_FRAME_NOISE = 0.5


def test_reduced_motion_still_is_the_final_frame(
    reduced_motion: dict[str, dict[str, list[Any]]],
) -> None:
    """The still shown instead of an animation is its final frame.

    It matches the final frame closely, and no earlier frame matches it better.
    """
    pairs = {pair for visit in reduced_motion.values() for pair in visit["pairs"]}
    assert pairs, "no animation found under reduced motion"
    different = {}
    for animation, still in sorted(pairs):
        differences = _frame_differences(animation, still)
        nearest = int(np.argmin(differences))
        last = differences[-1]
        if last > FINAL_FRAME_LIMIT or last > differences[nearest] + SAME_FRAME_NOISE:
            different[f"{animation.name} vs {still.name}"] = (
                f"final frame {last:.1f}, frame {nearest} {differences[nearest]:.1f}"
            )
    assert different == {}


# Hovered and focused links ------------------------------------------------

# WCAG AA's contrast for text of ordinary size (1.4.3).
AA_CONTRAST = 4.5
# The links and buttons measured, page by page: (what it is, a CSS selector
# of the first one). Material paints their text in the accent colour when
# hovered or focused, and the buttons' background.
HOVERED = {
    "story/convolution/": [
        ("link in running text", "article p a[href]:not(.md-button)"),
        (
            "navigation link",
            ".md-sidebar--primary"
            " .md-nav__item:not(.md-nav__item--active) > .md-nav__link[href]",
        ),
        ("table-of-contents link", ".md-sidebar--secondary .md-nav__link[href]"),
    ],
    "reference/convolution/": [
        ("code cross-reference", "article a.autorefs[href]:has(> code)"),
        ("cross-reference in code", "article :not(pre) > code > a.autorefs[href]"),
        ("cross-reference in a signature", "article .doc-signature a.autorefs[href]"),
    ],
    "generated/gallery/1_story/plot_01_legend/": [
        ("download button", "article a.md-button[href]"),
    ],
}

# The text of a link or button as drawn in its new state: its transitions are
# run to their end (finish(), instead of waiting them out). For each element
# inside it that holds text: the text, its colour, the product of its
# ancestors' opacities, and the background colour and image of it and each
# ancestor, up to <html>.
_TEXT_COLOURS = """async (element) => {
  getComputedStyle(element).color;
  await new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)));
  for (const animation of document.getAnimations()) {
    if (animation.effect?.getComputedTiming().endTime !== Infinity) animation.finish();
  }
  const holders = [element, ...element.querySelectorAll("*")].filter((node) =>
    [...node.childNodes].some((c) => c.nodeType === Node.TEXT_NODE && c.data.trim()));
  return holders.map((node) => {
    let opacity = 1;
    const layers = [];
    for (let at = node; at; at = at.parentElement) {
      const style = getComputedStyle(at);
      opacity *= Number(style.opacity);
      layers.push([style.backgroundColor, style.backgroundImage]);
    }
    const text = node.textContent.trim().replace(/\\s+/g, " ").slice(0, 40);
    return {text, color: getComputedStyle(node).color, opacity, layers};
  });
}"""

_RGBA = re.compile(r"rgba?\(([\d.]+), ([\d.]+), ([\d.]+)(?:, ([\d.]+))?\)")


def _rgba(css: str) -> tuple[tuple[float, float, float], float]:
    """Return a computed CSS colour, ``rgb()`` or ``rgba()``, as RGB (0-1) and alpha."""
    match = _RGBA.fullmatch(css)
    if match is None:
        raise AssertionError(f"not a computed rgb()/rgba() colour: {css!r}")
    red, green, blue, alpha = match.groups()
    rgb = (float(red) / 255, float(green) / 255, float(blue) / 255)
    return rgb, 1.0 if alpha is None else float(alpha)


def _as_drawn(text: dict[str, Any]) -> tuple[str, str, float]:
    """Return a text's colour and background as drawn (hex) and their contrast.

    The background is every layer from the text's element up to the first
    opaque one, blended; the colour is blended onto it with its alpha and
    the opacities around it.
    """
    layers = []
    for css, image in text["layers"]:
        if image != "none":
            raise AssertionError(f"{text['text']!r} sits on a background image")
        rgb, alpha = _rgba(css)
        layers.append((rgb, alpha))
        if alpha == 1:
            break
    else:
        raise AssertionError(f"no opaque background behind {text['text']!r}")
    background = layers[-1][0]
    for rgb, alpha in reversed(layers[:-1]):
        background = blend(rgb, alpha, background)
    rgb, alpha = _rgba(text["color"])
    color = blend(rgb, alpha * text["opacity"], background)
    return to_hex(color), to_hex(background), contrast_ratio(color, background)


def _drawn(page: Any, element: Any, state: str) -> list[tuple[str, str, str, float]]:
    """Put `element` in `state` (rest, hovered, focused); return its texts as drawn."""
    page.mouse.move(0, 0)
    page.evaluate("document.activeElement?.blur()")
    if state == "hovered":
        element.hover()
    elif state == "focused":
        element.focus()
    return [(t["text"], *_as_drawn(t)) for t in element.evaluate(_TEXT_COLOURS)]


@pytest.mark.parametrize("scheme", sorted(SCHEMES))
def test_hovered_and_focused_links_keep_aa_contrast(
    browser: Any, site_url: str, scheme: str
) -> None:
    """Hovered or focused, links and buttons keep 4.5:1 on what is behind them.

    axe sees the resting state only; Material paints hovered and focused
    links, and the background of buttons, in the accent colour.
    """
    context = browser.new_context(color_scheme=scheme, viewport=DESKTOP)
    low, unchanged = [], []
    try:
        page = context.new_page()
        for path, targets in HOVERED.items():
            page.goto(site_url + path, wait_until="load")
            shown = page.evaluate("document.body.dataset.mdColorScheme")
            assert shown == SCHEMES[scheme], path
            for name, selector in targets:
                element = page.locator(selector).first
                rest = _drawn(page, element, "rest")
                for state in ("hovered", "focused"):
                    drawn = _drawn(page, element, state)
                    if drawn == rest:
                        unchanged.append(f"{scheme} {name} on {path}, {state}")
                    low += [
                        f"{scheme} {name} on {path}, {state}: {text!r} "
                        f"{color} on {background} = {ratio:.2f}:1"
                        for text, color, background, ratio in drawn
                        if ratio < AA_CONTRAST
                    ]
    finally:
        context.close()
    assert unchanged == [], "hovering or focusing changed nothing on screen"
    assert not low, "\n".join([f"below {AA_CONTRAST}:1 when hovered or focused:", *low])
