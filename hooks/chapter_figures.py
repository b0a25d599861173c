"""Give the gallery figures that chapter pages embed the gallery's own markup.

Chapter pages (``docs/story``, ``docs/beyond``, the home page) embed gallery
output with plain Markdown images. The gallery pages show the same files
through ``hooks/gallery_scraper.py``, which adds what a plain image lacks:

- An animation (``mkd_glr_<script>_NNN.webp``) becomes the scraper's
  ``figure.convdemo-anim``: a ``<picture>`` whose reduced-motion
  ``<source>`` shows the still poster (the PNG of the same name, the
  animation's last frame), and which ``assets/javascripts/site.js`` gives a
  pause button.
- A figure (``mkd_glr_<script>_NNN.png``) gets ``srcset`` with the 2x file
  the scraper saved next to it (``..._NNN_2x.png``), so it is sharp on hi-dpi
  screens.

Both get ``width`` and ``height`` (the 1x PNG's pixel size), so the page does
not jump while images load. Images already in that markup are left alone.

On every page, gallery pages included, a figure's ``1x, 2x`` ``srcset`` is
then rewritten with width descriptors and ``sizes`` (:func:`width_srcset`):
a figure is shown at most at its 1x width and never wider than the screen, so
a phone whose screen is narrower than the figure picks the 1x file when that
is sharp enough, instead of always taking the 2x file.
"""

from __future__ import annotations

import posixpath
import re
from pathlib import Path
from typing import Any
from urllib.parse import unquote

__all__ = ["on_page_content", "rewrite_images", "width_srcset"]

# A lone image in a paragraph (how Markdown writes `![alt](src)` on its own
# line), or any other image tag.
_IMG = re.compile(r"(?P<p><p>\s*)?(?P<img><img\b[^>]*?/?>)(?P<end>\s*</p>)?")
_ATTR = re.compile(r'([\w:-]+)="([^"]*)"')
_FRAME = re.compile(r"mkd_glr_\w+_\d{3}\.(?P<ext>webp|png)$")
_ANIMATION_CLASS = "convdemo-anim__img"
_IMG_TAG = re.compile(r"<img\b[^>]*>")
_X_SRCSET = re.compile(r'srcset="(?P<one>[^\s",]+) 1x, (?P<two>[^\s",]+) 2x"')
_WIDTH = re.compile(r'\swidth="(?P<w>\d+)"')
# Material's content has 0.8rem = 16 px of padding on each side on phones.
_GUTTER_PX = 32


def _attributes(tag: str) -> dict[str, str]:
    return dict(_ATTR.findall(tag))


def _tag(attributes: dict[str, str]) -> str:
    return "<img " + " ".join(f'{k}="{v}"' for k, v in attributes.items()) + ">"


def _size(path: Path) -> tuple[int, int]:
    from PIL import Image

    with Image.open(path) as image:
        return image.size


def _sibling(src: str, name: str) -> str:
    """Return the URL `src` with its file name replaced by `name`."""
    head, _, _ = src.rpartition("/")
    return f"{head}/{name}" if head else name


def _still_srcset(src: str, still: Path) -> str | None:
    """Return ``"still 1x, still_2x 2x"`` if the 2x file exists, else None."""
    double = still.with_name(f"{still.stem}_2x.png")
    if not double.is_file():
        return None
    return f"{_sibling(src, still.name)} 1x, {_sibling(src, double.name)} 2x"


def _animation(attributes: dict[str, str], still: Path) -> str:
    src = attributes["src"]
    poster = _sibling(src, still.name)
    width, height = _size(still)
    srcset = _still_srcset(src, still) or f"{poster} 1x"
    img = {
        "class": _ANIMATION_CLASS,
        "src": src,
        "data-poster": poster,
        "width": str(width),
        "height": str(height),
        "alt": attributes.get("alt", ""),
        "decoding": "async",
    }
    return (
        '<figure class="convdemo-anim">\n'
        "<picture>\n"
        f'<source srcset="{srcset}" media="(prefers-reduced-motion: reduce)">\n'
        f"{_tag(img)}\n"
        "</picture>\n"
        "</figure>"
    )


def rewrite_images(html: str, page_url: str, docs_dir: Path) -> str:
    """Return a page's HTML with its gallery images in the gallery's markup.

    Parameters
    ----------
    html : str
        The page content, as Markdown rendered it.
    page_url : str
        The page's URL relative to the site root (``"beyond/padding/"``); the
        images' relative ``src`` are resolved against it.
    docs_dir : Path
        The documentation folder, which holds the generated gallery files.

    Returns
    -------
    str
        The HTML with animations wrapped as ``figure.convdemo-anim`` (a lone
        image's paragraph is replaced by the figure) and gallery PNGs given
        ``srcset``, ``width`` and ``height``.

    Examples
    --------
    >>> rewrite_images('<p><img alt="x" src="a.png" /></p>', "", Path("."))
    '<p><img alt="x" src="a.png" /></p>'
    """
    base = (
        page_url
        if page_url.endswith("/") or not page_url
        else posixpath.dirname(page_url)
    )

    def replace(match: re.Match[str]) -> str:
        tag = match["img"]
        attributes = _attributes(tag)
        src = attributes.get("src", "")
        frame = _FRAME.search(src.split("?")[0].split("#")[0])
        if frame is None or "://" in src:
            return match[0]
        target = posixpath.normpath(posixpath.join(base, unquote(src)))
        if target.startswith(".."):
            return match[0]
        path = docs_dir / target
        still = path.with_suffix(".png")
        if not still.is_file():
            return match[0]
        if _ANIMATION_CLASS in attributes.get("class", "").split():
            # Already the gallery's markup; only add a missing size.
            if "width" in attributes:
                return match[0]
            width, height = _size(still)
            attributes |= {"width": str(width), "height": str(height)}
            return (match["p"] or "") + _tag(attributes) + (match["end"] or "")
        if frame["ext"] == "webp":
            figure = _animation(attributes, still)
            if match["p"] and match["end"]:
                return figure
            return (match["p"] or "") + figure + (match["end"] or "")
        changed = False
        if "srcset" not in attributes and (srcset := _still_srcset(src, still)):
            attributes["srcset"] = srcset
            changed = True
        if "width" not in attributes and "height" not in attributes:
            width, height = _size(still)
            attributes |= {"width": str(width), "height": str(height)}
            changed = True
        if not changed:
            return match[0]
        return (match["p"] or "") + _tag(attributes) + (match["end"] or "")

    return _IMG.sub(replace, html)


def width_srcset(html: str) -> str:
    """Give images with a ``1x, 2x`` srcset width descriptors and ``sizes``.

    An image of ``width`` W (its 1x file is W pixels wide, the 2x file 2W)
    is displayed at most W CSS pixels wide, and at most as wide as the
    screen minus the page's side padding. ``sizes`` says so, never
    underestimating the slot, so the browser picks the smallest file that is
    sharp for that slot and the screen's pixel density.

    Parameters
    ----------
    html : str
        Page content.

    Returns
    -------
    str
        The content with each ``<img>`` that has ``width`` and a
        ``"a 1x, b 2x"`` srcset rewritten as ``"a Ww, b 2Ww"`` plus ``sizes``.
        Other images are unchanged.

    Examples
    --------
    >>> width_srcset('<img src="a.png" srcset="a.png 1x, a2.png 2x" width="600">')
    '<img src="a.png" srcset="a.png 600w, a2.png 1200w" sizes="(max-width: 632px) 100vw, 600px" width="600">'
    >>> width_srcset('<img src="a.png" srcset="a.png 1x, a2.png 2x">')
    '<img src="a.png" srcset="a.png 1x, a2.png 2x">'
    """  # noqa: E501

    def replace(match: re.Match[str]) -> str:
        tag = match[0]
        srcset = _X_SRCSET.search(tag)
        width = _WIDTH.search(tag)
        if srcset is None or width is None or " sizes=" in tag:
            return tag
        w = int(width["w"])
        new = (
            f'srcset="{srcset["one"]} {w}w, {srcset["two"]} {2 * w}w" '
            f'sizes="(max-width: {w + _GUTTER_PX}px) 100vw, {w}px"'
        )
        return tag[: srcset.start()] + new + tag[srcset.end() :]

    return _IMG_TAG.sub(replace, html)


def on_page_content(html: str, page: Any, config: Any, **kwargs: Any) -> str:
    """Rewrite the gallery images; give every figure a width-based srcset."""
    if not page.file.src_uri.startswith("generated/"):
        html = rewrite_images(html, page.url, Path(config["docs_dir"]))
    return width_srcset(html)
