"""Publish named figures: image files for the web and one manifest.

A gallery script names each figure it makes
(``set_alt_text(fig, text, name="vertical-edges")``). :func:`publish_figure`
writes a named figure once, in every form a web page needs, into one folder:

- a still figure as ``<name>.png`` at 1x and ``<name>_2x.png`` at 2x (one
  file per scale). The figure is drawn once, at the largest scale, and
  Pillow scales that drawing down for the others: drawing a tall figure
  costs far more than resizing it. No PNG metadata, so the bytes depend only
  on the pixels;
- an animation (registered with ``set_alt_text(..., animation=anim)``) as
  ``<name>.webp``, through :func:`convdemo.animate.save_animation`, plus the
  figure as it stands afterwards (the last frame) as the still PNGs above:
  the poster shown to readers who prefer reduced motion.

The folder's ``manifest.json`` maps each name to its files, its alt text, its
size in pixels at 1x and the script that made it (:func:`read_manifest`).
Nothing here depends on a site generator: a page embeds a figure by looking
its name up in the manifest. Two ways to fill the folder:

- ``python -m convdemo.publish --into FOLDER SCRIPT...`` runs each script as
  ``python SCRIPT`` would, then publishes the figures it left open
  (:func:`run_script`);
- mkdocs-gallery calls :func:`scrape` after each code cell of a script
  (``image_scrapers: [convdemo.publish]`` in ``mkdocs.yml``). It publishes the
  cell's figures into ``docs/generated/images`` (:data:`SITE_FOLDER`) and puts
  a reference to each (``![[name]]``, :func:`reference`) into the example's
  page, where the site's ``hooks/figures.py`` expands it like a chapter's.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import re
import runpy
import sys
import warnings
import weakref
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from matplotlib.figure import Figure

from convdemo.style import (
    FIGURE_NAME,
    get_alt_text,
    get_figure_animation,
    get_figure_name,
)

__all__ = [
    "MANIFEST",
    "REFERENCE",
    "SCALES",
    "SITE_FOLDER",
    "PublishedFigure",
    "main",
    "publish_figure",
    "publish_open_figures",
    "read_manifest",
    "reference",
    "run_script",
    "scrape",
    "update_manifest",
]

#: The manifest's file name inside the folder of published figures.
MANIFEST = "manifest.json"
#: Where the site's figures go, relative to the MkDocs ``docs`` folder.
SITE_FOLDER = Path("generated/images")
#: The scales written by default: 1x, and 2x for hi-dpi screens.
SCALES = (1.0, 2.0)
#: A Markdown line that embeds a figure: ``![[name]]``, or ``![[name | caption]]``.
REFERENCE = re.compile(
    rf"^!\[\[[ \t]*(?P<name>{FIGURE_NAME.pattern})[ \t]*"
    r"(?:\|[ \t]*(?P<caption>[^\]\n]*?)[ \t]*)?\]\][ \t]*$",
    re.MULTILINE,
)


@dataclass(frozen=True)
class PublishedFigure:
    """One published figure: its files, description and size.

    Attributes
    ----------
    name : str
        The figure's name.
    alt : str
        Its alternative text, on one line.
    source : str
        The script that made it (a path with forward slashes).
    width, height : int
        The pixel size of the 1x still.
    stills : tuple of (float, str)
        ``(scale, file name)`` for each still PNG, 1x first.
    animation : str or None
        The WebP file name of an animation, whose poster the stills are.
    """

    name: str
    alt: str
    source: str
    width: int
    height: int
    stills: tuple[tuple[float, str], ...]
    animation: str | None = None

    @property
    def files(self) -> tuple[str, ...]:
        """Return the names of every file of the figure."""
        moving = (self.animation,) if self.animation else ()
        return tuple(name for _, name in self.stills) + moving


def _still_name(name: str, scale: float) -> str:
    return f"{name}.png" if scale == 1.0 else f"{name}_{scale:g}x.png"


def _check_scales(scales: Sequence[float]) -> tuple[float, ...]:
    ordered = tuple(sorted({float(s) for s in scales}))
    if not ordered or ordered[0] != 1.0:
        raise ValueError(f"`scales` must include 1 and nothing below, got {scales!r}")
    return ordered


def _save_stills(
    fig: Figure, folder: Path, name: str, scales: tuple[float, ...]
) -> tuple[tuple[float, str], ...]:
    import matplotlib as mpl
    from PIL import Image

    dpi = mpl.rcParams["savefig.dpi"]
    base_dpi = fig.dpi if dpi == "figure" else float(dpi)
    largest = scales[-1]
    buffer = io.BytesIO()
    # TIFF: uncompressed, the quickest way to the pixels and their size.
    # "auto" colours: the figure's own face and edge, whatever rcParams say.
    fig.savefig(
        buffer,
        format="tiff",
        dpi=base_dpi * largest,
        facecolor="auto",
        edgecolor="auto",
    )
    buffer.seek(0)
    with Image.open(buffer) as drawn:
        drawn.load()
        full = drawn.copy()
    stills = []
    for scale in scales:
        image = full
        if scale != largest:
            # Rounded down, so that the largest file always has at least
            # `largest / scale` pixels per pixel of this one. A box filter
            # averages whole blocks of pixels (2 × 2 for 1x from 2x), like
            # drawing with 4 samples per pixel, for a fraction of Lanczos' cost.
            size = (
                max(1, int(full.width * scale / largest)),
                max(1, int(full.height * scale / largest)),
            )
            image = full.resize(size, Image.Resampling.BOX)
        # Fast compression: the site publishes palette-compressed copies.
        image.save(folder / _still_name(name, scale), format="PNG", compress_level=1)
        stills.append((scale, _still_name(name, scale)))
    return tuple(stills)


def publish_figure(
    fig: Figure,
    folder: str | Path,
    *,
    source: str = "",
    scales: Sequence[float] = SCALES,
) -> PublishedFigure:
    """Write a named figure (or its animation) in every form a page needs.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        A figure given a name and alt text by
        :func:`~convdemo.style.set_alt_text`.
    folder : str or Path
        Where the files go; created if missing.
    source : str, optional
        The script that made the figure, for the manifest and for messages.
    scales : sequence of float, optional
        Pixel densities to write; must include 1.

    Returns
    -------
    PublishedFigure
        What was written. The manifest is not touched (see
        :func:`update_manifest`).

    Raises
    ------
    ValueError
        If the figure has no name or no alt text; the message names `source`.

    Examples
    --------
    >>> import tempfile
    >>> import matplotlib.pyplot as plt
    >>> from convdemo.style import set_alt_text
    >>> fig = plt.figure(figsize=(2, 1))
    >>> set_alt_text(fig, "An empty two by one figure", name="empty")
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     published = publish_figure(fig, folder)
    >>> published.files, (published.width, published.height)
    (('empty.png', 'empty_2x.png'), (200, 100))
    >>> plt.close(fig)
    """
    where = f"{source}: " if source else ""
    name, alt = get_figure_name(fig), get_alt_text(fig)
    if name is None or alt is None:
        raise ValueError(
            f"{where}a figure has no {'name' if alt else 'alt text'}: give it "
            "both with convdemo.style.set_alt_text(fig, 'what it shows', "
            "name='figure-name')"
        )
    target = Path(folder)
    target.mkdir(parents=True, exist_ok=True)
    animation = get_figure_animation(fig)
    moving = None
    if animation is not None:
        from convdemo.animate import save_animation

        moving = save_animation(animation, target / f"{name}.webp").name
    stills = _save_stills(fig, target, name, _check_scales(scales))
    from PIL import Image

    with Image.open(target / stills[0][1]) as first:
        width, height = first.size
    return PublishedFigure(
        name=name,
        alt=" ".join(alt.split()),
        source=source,
        width=width,
        height=height,
        stills=stills,
        animation=moving,
    )


def publish_open_figures(
    folder: str | Path, *, source: str = "", scales: Sequence[float] = SCALES
) -> list[PublishedFigure]:
    """Publish every open pyplot figure, in order, then close them all.

    Parameters
    ----------
    folder : str or Path
        Where the files go.
    source : str, optional
        The script that made the figures.
    scales : sequence of float, optional
        Pixel densities to write; must include 1.

    Returns
    -------
    list of PublishedFigure
        One per figure, in the order of their pyplot numbers.

    Examples
    --------
    >>> import tempfile
    >>> import matplotlib.pyplot as plt
    >>> from convdemo.style import set_alt_text
    >>> set_alt_text(plt.figure(figsize=(1, 1)), "A blank square", name="square")
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     [figure.name for figure in publish_open_figures(folder)]
    ['square']
    >>> plt.get_fignums()
    []
    """
    import matplotlib.pyplot as plt

    try:
        return [
            publish_figure(plt.figure(number), folder, source=source, scales=scales)
            for number in plt.get_fignums()
        ]
    finally:
        plt.close("all")


def _unique(figures: list[PublishedFigure], names: set[str]) -> list[PublishedFigure]:
    """Return `figures`, adding their names to `names`; raise on a repeated name."""
    for figure in figures:
        if figure.name in names:
            raise ValueError(f"{figure.source}: two figures are named {figure.name!r}")
        names.add(figure.name)
    return figures


def _from_json(name: str, entry: dict[str, Any]) -> PublishedFigure:
    stills = tuple(
        sorted(
            (float(key.removesuffix("x")), file)
            for key, file in entry["stills"].items()
        )
    )
    return PublishedFigure(
        name=name,
        alt=entry["alt"],
        source=entry["source"],
        width=entry["width"],
        height=entry["height"],
        stills=stills,
        animation=entry.get("animation"),
    )


def _to_json(figure: PublishedFigure) -> dict[str, Any]:
    return {
        "alt": figure.alt,
        "source": figure.source,
        "width": figure.width,
        "height": figure.height,
        "stills": {f"{scale:g}x": file for scale, file in figure.stills},
        "animation": figure.animation,
    }


def read_manifest(folder: str | Path) -> dict[str, PublishedFigure]:
    """Return the published figures of a folder by name.

    Parameters
    ----------
    folder : str or Path
        A folder written by :func:`update_manifest`.

    Returns
    -------
    dict of str to PublishedFigure
        Empty when the folder has no manifest yet.

    Examples
    --------
    >>> read_manifest("no/such/folder")
    {}
    """
    path = Path(folder) / MANIFEST
    if not path.is_file():
        return {}
    entries = json.loads(path.read_text(encoding="utf-8"))
    return {name: _from_json(name, entry) for name, entry in entries.items()}


def update_manifest(
    folder: str | Path,
    figures: Iterable[PublishedFigure],
    *,
    replace_source: str | None = None,
) -> dict[str, PublishedFigure]:
    """Record published figures in the folder's manifest.

    Parameters
    ----------
    folder : str or Path
        The folder of the figures and of ``manifest.json``.
    figures : iterable of PublishedFigure
        Entries to add; an entry of the same name is replaced.
    replace_source : str, optional
        A script that has just run again: its earlier entries, and their
        files, are removed first, so a figure it no longer makes does not
        linger.

    Returns
    -------
    dict of str to PublishedFigure
        The manifest as written: sorted by name, the same bytes for the same
        entries.

    Examples
    --------
    >>> import tempfile
    >>> figure = PublishedFigure("a", "A figure", "plot.py", 4, 3, ((1.0, "a.png"),))
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     sorted(update_manifest(folder, [figure]))
    ['a']
    """
    target = Path(folder)
    entries = read_manifest(target)
    added = {figure.name: figure for figure in figures}
    written = {file for figure in added.values() for file in figure.files}
    if replace_source is not None:
        for name, old in list(entries.items()):
            if old.source == replace_source:
                del entries[name]
                for file in set(old.files) - written:
                    (target / file).unlink(missing_ok=True)
    entries.update(added)
    entries = dict(sorted(entries.items()))
    text = json.dumps(
        {name: _to_json(entry) for name, entry in entries.items()},
        indent=1,
        ensure_ascii=False,
    )
    target.mkdir(parents=True, exist_ok=True)
    partial = target / f"{MANIFEST}.part"
    partial.write_text(text + "\n", encoding="utf-8")
    partial.replace(target / MANIFEST)
    return entries


def reference(name: str, caption: str = "") -> str:
    """Return the Markdown line that embeds a published figure.

    Parameters
    ----------
    name : str
        The figure's name.
    caption : str, optional
        Plain text shown under the figure.

    Returns
    -------
    str
        ``![[name]]`` or ``![[name | caption]]``, which :data:`REFERENCE`
        matches.

    Examples
    --------
    >>> reference("vertical-edges", "The whole grid.")
    '![[vertical-edges | The whole grid.]]'
    """
    return f"![[{name} | {caption}]]" if caption else f"![[{name}]]"


def run_script(
    path: str | Path,
    folder: str | Path,
    *,
    source: str | None = None,
    scales: Sequence[float] = SCALES,
) -> list[PublishedFigure]:
    """Run a script as ``python path`` would, then publish its open figures.

    The script runs in its own folder, as ``__main__``, with pyplot's
    settings reset first (as mkdocs-gallery resets them before each example).
    ``plt.show()`` draws nothing under a non-interactive backend such as Agg,
    so every figure the script made is still open at the end.

    Parameters
    ----------
    path : str or Path
        The script.
    folder : str or Path
        Where the figures and the manifest go.
    source : str, optional
        The script's name in the manifest; by default `path` as given.
    scales : sequence of float, optional
        Pixel densities to write; must include 1.

    Returns
    -------
    list of PublishedFigure
        The figures the script made, also recorded in the manifest in place
        of that script's earlier ones.
    """
    import matplotlib as mpl
    import matplotlib.pyplot as plt

    script = Path(path).resolve()
    name = Path(path).as_posix() if source is None else source
    plt.close("all")
    mpl.rcdefaults()
    saved = os.getcwd(), sys.path[:], sys.argv[:]
    try:
        os.chdir(script.parent)
        sys.path.insert(0, str(script.parent))
        sys.argv = [str(script)]
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", "FigureCanvasAgg is non-interactive")
            runpy.run_path(str(script), run_name="__main__")
    finally:
        os.chdir(saved[0])
        sys.path[:], sys.argv = saved[1], saved[2]
    figures = _unique(publish_open_figures(folder, source=name, scales=scales), set())
    update_manifest(folder, figures, replace_source=name)
    return figures


def main(argv: Sequence[str] | None = None) -> int:
    """Run gallery scripts and publish their figures (the command line).

    Parameters
    ----------
    argv : sequence of str, optional
        The arguments; by default ``sys.argv[1:]``.

    Returns
    -------
    int
        The exit status: 0 (2, from argparse, for a missing script).

    Examples
    --------
    >>> main(["no/such/plot.py", "--into", "out"])
    Traceback (most recent call last):
    SystemExit: 2
    """
    parser = argparse.ArgumentParser(
        prog="python -m convdemo.publish",
        description="Run gallery scripts and publish their named figures.",
    )
    parser.add_argument("scripts", nargs="+", type=Path, help="scripts to run")
    parser.add_argument("--into", type=Path, required=True, help="output folder")
    args = parser.parse_args(argv)
    for script in args.scripts:
        if not script.is_file():
            parser.error(f"`scripts` must be Python files, got {str(script)!r}")
    for script in args.scripts:
        for figure in run_script(script, args.into):
            print(f"{figure.name}: {', '.join(figure.files)}")
    return 0


# mkdocs-gallery's scraper protocol: the module named under `image_scrapers`
# provides `_get_sg_image_scraper()`, which returns the scraper.

# The names published so far by each script run: mkdocs-gallery hands the
# scraper a new script object for each run of a script, after each code cell.
_RUNS: weakref.WeakKeyDictionary[Any, set[str]] = weakref.WeakKeyDictionary()


def scrape(block: Any, script: Any, **kwargs: Any) -> str:
    """Publish the open figures of a gallery cell; return their references.

    Parameters
    ----------
    block : tuple
        The code cell (label, content, line number), unused.
    script : mkdocs_gallery.gen_data_model.GalleryScript
        The running script: its name, the docs folder, ``image_srcset``.
    **kwargs
        Ignored (mkdocs-gallery's interface).

    Returns
    -------
    str
        One ``![[name]]`` paragraph per figure; empty when no figure is open.
    """
    folder = Path(script.gallery.all_info.mkdocs_docs_dir) / SITE_FOLDER
    source = Path(script.src_py_file_rel_project).as_posix()
    factors = [e for e in script.gallery_conf.get("image_srcset") or [] if e]
    if not all(isinstance(e, str) and e.endswith("x") for e in factors):
        raise ValueError(f"`image_srcset` entries look like '2x', got {factors!r}")
    scales = [1.0, *(float(e[:-1]) for e in factors)]
    fresh = script not in _RUNS
    names = _RUNS.setdefault(script, set())
    figures = _unique(publish_open_figures(folder, source=source, scales=scales), names)
    update_manifest(folder, figures, replace_source=source if fresh else None)
    return "".join(f"\n\n{reference(figure.name)}\n\n" for figure in figures)


def _get_sg_image_scraper() -> Any:
    """Return the scraper (the entry point mkdocs-gallery looks for)."""
    return scrape


if __name__ == "__main__":
    import matplotlib

    matplotlib.use("Agg")
    sys.exit(main())
