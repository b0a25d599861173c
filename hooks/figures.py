"""Embed figures by name: a line ``![[name]]`` becomes the figure's markup.

``convdemo.publish``, the gallery's image scraper, writes each named figure
into ``docs/generated/images`` with a manifest (files, alt text, size) and
puts ``![[name]]`` in its example page; chapters write ``![[name]]`` or
``![[name | A plain-text caption.]]``. Each such line, outside code blocks,
becomes one ``<figure>``: for a still, an ``<img>`` whose ``srcset`` lists
the 1x and 2x files by width, with a ``sizes`` (at most its 1x width, never
wider than the screen) that lets a phone take the 1x file when it is sharp
enough, ``width`` and ``height``, and, on example pages, ``loading="lazy"``
after the first figure; for an animation, a ``<picture>`` whose reduced-motion
``<source>`` is the still poster, around an ``img.convdemo-anim__img`` whose
``data-poster`` the pause button of ``assets/javascripts/site.js`` shows.

An unknown name fails the build; on an example page, so does a figure not
made by its script, or shown twice (two figures share a name). Only the
manifest's files are published.
"""

from __future__ import annotations

import difflib
import posixpath
import re
from html import escape
from pathlib import Path, PurePosixPath
from typing import Any

from mkdocs.exceptions import PluginError

from convdemo.publish import REFERENCE, SITE_FOLDER, PublishedFigure, read_manifest

__all__ = ["expand", "figure_html", "on_files", "on_page_markdown"]

# Material's content has 0.8rem = 16 px of padding on each side on phones.
_GUTTER_PX = 32
_FENCE = re.compile(r"^(?P<fence>`{3,}|~{3,}).*?^(?P=fence)[ \t]*$", re.M | re.S)

# This build's figures, and its (scripts folder, example pages folder) pairs.
_figures: dict[str, PublishedFigure] = {}
_galleries: list[tuple[PurePosixPath, PurePosixPath]] = []


def _attr(text: str) -> str:
    # `$` would otherwise look like maths to a later Markdown pass.
    return escape(text, quote=True).replace("$", "&#36;")


def figure_html(
    figure: PublishedFigure, page_url: str, *, caption: str = "", lazy: bool = False
) -> str:
    """Return the ``<figure>`` for a published figure on the page at `page_url`.

    A still with `lazy` waits until it nears the screen; animations never do.
    """
    base = page_url if page_url.endswith("/") else posixpath.dirname(page_url)

    def url(file: str) -> str:
        return posixpath.relpath(f"{SITE_FOLDER.as_posix()}/{file}", base or ".")

    w, h, poster = figure.width, figure.height, figure.stills[0][1]
    size = f'width="{w}" height="{h}" alt="{_attr(figure.alt)}"'
    if figure.animation is None:
        srcset = ", ".join(f"{url(f)} {round(s * w)}w" for s, f in figure.stills)
        wait = ' loading="lazy"' if lazy else ""
        body = (
            f'<img src="{url(poster)}" srcset="{srcset}" '
            f'sizes="(max-width: {w + _GUTTER_PX}px) 100vw, {w}px" {size}{wait} '
            'decoding="async">'
        )
    else:
        posters = ", ".join(f"{url(f)} {s:g}x" for s, f in figure.stills)
        body = (
            f'<picture>\n<source srcset="{posters}" '
            'media="(prefers-reduced-motion: reduce)">\n'
            f'<img class="convdemo-anim__img" src="{url(figure.animation)}" '
            f'data-poster="{url(poster)}" {size} decoding="async">\n</picture>'
        )
    kind = "figure" if figure.animation is None else "anim"
    below = f"<figcaption>{_attr(caption)}</figcaption>\n" if caption else ""
    return f'\n<figure class="convdemo-{kind}">\n{body}\n{below}</figure>\n'


def expand(
    markdown: str,
    page_url: str,
    figures: dict[str, PublishedFigure],
    *,
    example: str | None = None,
) -> str:
    """Replace a page's figure references, outside fenced code, by figures.

    On an example page, `example` is its script: each figure must come from
    it, once. A bad reference raises ValueError.
    """
    shown: list[str] = []

    def one(match: re.Match[str]) -> str:
        name = match["name"]
        if name not in figures:
            close = ", ".join(difflib.get_close_matches(name, figures, n=3))
            raise ValueError(f"no gallery script makes a figure {name!r} ({close})")
        figure = figures[name]
        if example is not None and (figure.source != example or name in shown):
            raise ValueError(
                f"figure {name!r} is shown twice or made by another script "
                f"({figure.source}): give each figure its own name"
            )
        shown.append(name)
        # Between an example page's long code cells, stills after the first
        # load when they near the screen; chapters load every figure at once.
        lazy = example is not None and len(shown) > 1
        return figure_html(figure, page_url, caption=match["caption"] or "", lazy=lazy)

    parts, start = [], 0
    for fence in _FENCE.finditer(markdown):
        parts += [REFERENCE.sub(one, markdown[start : fence.start()]), fence[0]]
        start = fence.end()
    return "".join([*parts, REFERENCE.sub(one, markdown[start:])])


def on_files(files: Any, config: Any) -> Any:
    """Read the manifest; publish only the files of its figures."""
    root = Path(config.config_file_path).resolve().parent
    docs = Path(config["docs_dir"]).resolve()
    # A deleted script's figures stay in the manifest until `make clean`.
    manifest = read_manifest(docs / SITE_FOLDER).items()
    _figures.clear()
    _figures.update((n, f) for n, f in manifest if (root / f.source).is_file())
    gallery = config.plugins["gallery"].config
    _galleries[:] = [
        (
            PurePosixPath(Path(src).resolve().relative_to(root)),
            PurePosixPath(Path(out).resolve().relative_to(docs)),
        )
        for src, out in zip(
            gallery["examples_dirs"], gallery["gallery_dirs"], strict=True
        )
    ]
    keep = {f"{SITE_FOLDER.as_posix()}/{x}" for f in _figures.values() for x in f.files}
    for file in list(files):
        if (
            PurePosixPath(file.src_uri).parent == SITE_FOLDER
            and file.src_uri not in keep
        ):
            files.remove(file)
    return files


def on_page_markdown(markdown: str, page: Any, **kwargs: Any) -> str:
    """Expand the page's figure references; name the page on an error."""
    uri = PurePosixPath(page.file.src_uri)
    example = next(
        (
            (src / uri.relative_to(out)).with_suffix(".py").as_posix()
            for src, out in _galleries
            if uri.is_relative_to(out) and uri.name != "index.md"
        ),
        None,
    )
    try:
        return expand(markdown, page.url, _figures, example=example)
    except ValueError as error:
        raise PluginError(f"figures: {uri}: {error}") from error
