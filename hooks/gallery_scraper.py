"""mkdocs-gallery image scraper: hi-dpi figures, real alt text, animations.

mkdocs-gallery calls the scraper after each code cell of a gallery script.
For every open matplotlib figure this one writes

- a still figure: ``images/mkd_glr_<script>_NNN.png`` at 1x and
  ``..._NNN_2x.png`` at 2x (one file per ``image_srcset`` factor). The
  figure is drawn once, at the largest factor, and Pillow scales that
  drawing down for the others: drawing a tall figure costs far more than
  resizing it. No PNG metadata, so the bytes depend only on the pixels;
- an animation (a ``matplotlib.animation.Animation`` bound to a global
  variable of the script, whose figure this is): ``..._NNN.webp`` written
  with ``convdemo.animate.save_animation``, plus the figure as it stands
  after the animation (its last frame) as the PNG poster. The poster is the
  thumbnail, the image shown when the reader prefers reduced motion, and
  what the site's pause button shows.

The ``<img alt>`` is ``convdemo.style.get_alt_text(fig)``. A figure without
alt text fails the build with a message naming the script.

The files in ``docs/generated`` stay full-colour: mkdocs-gallery makes the
thumbnails from them on every build, and a thumbnail made from the same
bytes is the same thumbnail. ``on_post_build`` re-encodes the copies of the
gallery's PNGs in the built site (figures, posters, thumbnails) as
256-colour palette PNGs with Floyd-Steinberg dithering: figures holding
photographs shrink about six times, flat diagrams about three, and the
result depends only on the pixels. Re-encoding is slow, so each result is
kept in ``docs/generated/.png-cache`` under the SHA-256 of the full-colour
file; a rebuild copies it from there (mkdocs publishes no dot-folder).

mkdocs loads this file as a hook; mkdocs-gallery imports scrapers by module
name, so the module registers itself as ``convdemo_gallery_scraper``, the
name used under ``image_scrapers`` in ``mkdocs.yml``.
"""

from __future__ import annotations

import hashlib
import io
import sys
from html import escape
from pathlib import Path
from typing import Any

__all__ = [
    "CACHE_DIR",
    "alt_text_of",
    "compress_png",
    "compress_site_pngs",
    "on_post_build",
    "scrape",
]

#: The module name mkdocs.yml's ``image_scrapers`` refers to.
MODULE_NAME = "convdemo_gallery_scraper"
sys.modules[MODULE_NAME] = sys.modules[__name__]

#: Palette PNGs already made, by the SHA-256 of the full-colour PNG (relative
#: to the project folder; a dot-folder, so mkdocs does not publish it).
CACHE_DIR = Path("docs/generated/.png-cache")

# Part of every cache key: a change in how PNGs are re-encoded (or in Pillow)
# must not reuse older results.
_COMPRESSION = "palette-256-fastoctree-floydsteinberg-zlib6"


def _get_sg_image_scraper() -> Any:
    """Return the scraper (the entry point mkdocs-gallery looks for)."""
    return scrape


def _srcset_factors(srcset: list[str]) -> list[float]:
    factors = [1.0]
    for entry in srcset:
        if not entry:
            continue
        if not entry.endswith("x"):
            raise ValueError(f"`image_srcset` entries look like '2x', got {entry!r}")
        factor = float(entry[:-1])
        if factor != 1.0 and factor not in factors:
            factors.append(factor)
    return factors


def alt_text_of(fig: Any, script_name: str, number: int) -> str:
    """Return the figure's alt text, or raise naming the script.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        The figure about to be saved.
    script_name : str
        The gallery script, for the error message.
    number : int
        The figure's number on the page (1 for the first), for the message.

    Returns
    -------
    str
        The alt text on one line.
    """
    from convdemo.style import get_alt_text

    text = get_alt_text(fig)
    if text is None or not text.strip():
        raise ValueError(
            f"{script_name}: figure {number} has no alt text. Describe what it "
            "shows with convdemo.style.set_alt_text(fig, '...') before the cell "
            "ends."
        )
    return " ".join(text.split())


def _attr(text: str) -> str:
    # `$` would otherwise look like maths to a later Markdown pass.
    return escape(text, quote=True).replace("$", "&#36;")


def _save_stills(fig: Any, path: Path, factors: list[float]) -> list[Path]:
    import matplotlib as mpl
    from PIL import Image

    dpi = mpl.rcParams["savefig.dpi"]
    base_dpi = fig.dpi if dpi == "figure" else float(dpi)
    largest = max(factors)
    buffer = io.BytesIO()
    # TIFF: uncompressed, the quickest way to the pixels and their size.
    fig.savefig(
        buffer,
        format="tiff",
        dpi=base_dpi * largest,
        # "auto": the figure's own face and edge colours, whatever rcParams say.
        facecolor="auto",
        edgecolor="auto",
    )
    buffer.seek(0)
    with Image.open(buffer) as drawn:
        drawn.load()
        full = drawn.copy()
    paths = []
    for factor in factors:
        out = path if factor == 1.0 else path.with_name(f"{path.stem}_{factor:g}x.png")
        image = full
        if factor != largest:
            # Rounded down, so that the largest file always has at least
            # `largest / factor` pixels per pixel of this one.
            size = (
                max(1, int(full.width * factor / largest)),
                max(1, int(full.height * factor / largest)),
            )
            # A box filter averages whole blocks of pixels (2 × 2 for 1x from
            # 2x), like drawing with 4 samples per pixel, and costs a fraction
            # of a Lanczos filter.
            image = full.resize(size, Image.Resampling.BOX)
        # Fast compression: the site publishes re-encoded copies of these.
        image.save(out, format="PNG", compress_level=1)
        paths.append(out)
    return paths


def _size(path: Path) -> tuple[int, int]:
    from PIL import Image

    with Image.open(path) as image:
        return image.size


def _srcset(paths: list[Path], factors: list[float], page_dir: Path) -> str:
    return ", ".join(
        f"{_rel(p, page_dir)} {f:g}x" for p, f in zip(paths, factors, strict=True)
    )


def _rel(path: Path, page_dir: Path) -> str:
    # Generated pages are served as <stem>/index.html (directory URLs): one
    # level below the folder holding the Markdown and the images/ folder.
    return "../" + path.relative_to(page_dir).as_posix()


def _still_html(
    alt: str, paths: list[Path], factors: list[float], page_dir: Path, *, lazy: bool
) -> str:
    width, height = _size(paths[0])
    loading = ' loading="lazy"' if lazy else ""
    zoom = paths[factors.index(max(factors))]
    return (
        '<figure class="convdemo-figure">\n'
        f'<img class="mkd-glr-single-img" src="{_rel(paths[0], page_dir)}" '
        f'srcset="{_srcset(paths, factors, page_dir)}" '
        f'data-src="{_rel(zoom, page_dir)}" '
        f'width="{width}" height="{height}" alt="{_attr(alt)}"{loading} '
        'decoding="async">\n'
        "</figure>"
    )


def _animation_html(
    alt: str, animation: Path, posters: list[Path], factors: list[float], page_dir: Path
) -> str:
    width, height = _size(posters[0])
    return (
        '<figure class="convdemo-anim">\n'
        "<picture>\n"
        f'<source srcset="{_srcset(posters, factors, page_dir)}" '
        'media="(prefers-reduced-motion: reduce)">\n'
        f'<img class="convdemo-anim__img" src="{_rel(animation, page_dir)}" '
        f'data-poster="{_rel(posters[0], page_dir)}" '
        f'width="{width}" height="{height}" alt="{_attr(alt)}" decoding="async">\n'
        "</picture>\n"
        "</figure>"
    )


def scrape(block: Any, script: Any, **kwargs: Any) -> str:
    """Save the open figures of one code cell and return their HTML.

    Parameters
    ----------
    block : tuple
        The code cell (label, content, line number), unused.
    script : mkdocs_gallery.gen_data_model.GalleryScript
        The running script: where to write, its globals, its settings.
    **kwargs
        Ignored (mkdocs-gallery's interface).

    Returns
    -------
    str
        Block-level HTML, one ``<figure>`` per figure, separated by blank
        lines; empty when no figure is open.
    """
    import matplotlib.pyplot as plt
    from matplotlib.animation import Animation

    factors = _srcset_factors(list(script.gallery_conf.get("image_srcset", [])))
    page_dir = Path(script.gallery.generated_dir)
    name = Path(script.src_py_file_rel_project).as_posix()
    animations = {
        id(value._fig): value
        for value in script.run_vars.example_globals.values()
        if isinstance(value, Animation)
    }
    parts = []
    try:
        for number, path in zip(
            plt.get_fignums(), script.run_vars.image_path_iterator, strict=False
        ):
            fig = plt.figure(number)
            position = len(script.run_vars.image_path_iterator)
            alt = alt_text_of(fig, name, position)
            path = Path(path)
            animation = animations.get(id(fig))
            if animation is None:
                stills = _save_stills(fig, path, factors)
                parts.append(
                    _still_html(alt, stills, factors, page_dir, lazy=position > 1)
                )
                continue
            from convdemo.animate import save_animation

            moving = save_animation(animation, path.with_suffix(".webp"))
            posters = _save_stills(fig, path, factors)
            parts.append(_animation_html(alt, Path(moving), posters, factors, page_dir))
    finally:
        plt.close("all")
    return "".join(f"\n\n{part}\n\n" for part in parts)


def compress_png(data: bytes) -> bytes:
    """Re-encode a PNG as a 256-colour palette PNG.

    Parameters
    ----------
    data : bytes
        A PNG file's bytes.

    Returns
    -------
    bytes
        The palette PNG's bytes; the same input always gives the same bytes.
        A PNG that already is a palette image comes back unchanged.
    """
    from PIL import Image

    with Image.open(io.BytesIO(data)) as image:
        if image.mode == "P":
            return data
        image.load()
        rgba = image.convert("RGBA")
    palette = rgba.quantize(
        256, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.FLOYDSTEINBERG
    )
    out = io.BytesIO()
    # zlib's default level: level 9 makes the files 10 % smaller for five
    # times the time.
    palette.save(out, format="PNG", compress_level=6)
    return out.getvalue()


def _cache_key(data: bytes) -> str:
    from PIL import __version__ as pillow_version

    digest = hashlib.sha256(f"{_COMPRESSION}\0{pillow_version}\0".encode())
    digest.update(data)
    return digest.hexdigest()


def compress_site_pngs(folders: list[Path], cache: Path) -> tuple[int, int]:
    """Replace the PNGs under `folders` by their palette versions, cached.

    Parameters
    ----------
    folders : list of Path
        Folders of the built site holding the gallery's pages and images.
    cache : Path
        Folder of palette PNGs named by their key; entries this call did not
        use are deleted, so the cache holds the current gallery only.

    Returns
    -------
    tuple of int
        (PNGs re-encoded, PNGs taken from the cache).
    """
    cache.mkdir(parents=True, exist_ok=True)
    used: set[str] = set()
    made = reused = 0
    for folder in folders:
        for png in sorted(folder.rglob("images/**/*.png")):
            data = png.read_bytes()
            name = _cache_key(data) + ".png"
            used.add(name)
            cached = cache / name
            if cached.is_file():
                compressed = cached.read_bytes()
                reused += 1
            else:
                compressed = compress_png(data)
                # Written aside, then renamed: an interrupted build leaves no
                # truncated entry behind.
                partial = cached.with_suffix(".part")
                partial.write_bytes(compressed)
                partial.replace(cached)
                made += 1
            png.write_bytes(compressed)
    for entry in cache.iterdir():
        if entry.name not in used:
            entry.unlink()
    return made, reused


def on_post_build(config: Any) -> None:
    """Compress the built site's copies of the gallery's PNGs."""
    gallery = config.plugins.get("gallery")
    if gallery is None:
        return
    root = Path(config.config_file_path).resolve().parent
    docs = Path(config.docs_dir).resolve()
    site = Path(config.site_dir).resolve()
    dirs = gallery.config.get("gallery_dirs") or []
    folders = []
    for folder in dirs if isinstance(dirs, list | tuple) else [dirs]:
        source = Path(folder)
        source = (source if source.is_absolute() else root / source).resolve()
        if source.is_relative_to(docs) and (site / source.relative_to(docs)).is_dir():
            folders.append(site / source.relative_to(docs))
    compress_site_pngs(folders, root / CACHE_DIR)
