"""After the build: publish the generated PNGs as 256-colour palette PNGs.

The files in ``docs/generated`` stay full-colour, because mkdocs-gallery
makes the thumbnails from them on every build (the same bytes give the same
thumbnail). The built site's copies (figures, posters, thumbnails) are
re-encoded with Floyd-Steinberg dithering: photographs shrink about six
times, flat diagrams about three, and the result depends only on the pixels.
Each result is kept in ``docs/generated/.png-cache`` (mkdocs publishes no
dot-folder) under the SHA-256 of the full-colour file, so a rebuild copies
it from there.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from PIL import Image
from PIL import __version__ as pillow

__all__ = ["CACHE_DIR", "compress_png", "compress_pngs", "on_post_build"]

#: Palette PNGs already made, by key (relative to the project folder).
CACHE_DIR = Path("docs/generated/.png-cache")
# In every key: another way of re-encoding, or Pillow, must not reuse results.
_COMPRESSION = f"palette-256-fastoctree-floydsteinberg-zlib6\0{pillow}\0".encode()


def compress_png(data: bytes) -> bytes:
    """Return a PNG's bytes as a 256-colour palette PNG (a palette PNG as is)."""
    with Image.open(io.BytesIO(data)) as image:
        if image.mode == "P":
            return data
        rgba = image.convert("RGBA")
    palette = rgba.quantize(
        256, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.FLOYDSTEINBERG
    )
    out = io.BytesIO()
    # zlib's default level: level 9 is 10 % smaller for five times the time.
    palette.save(out, format="PNG", compress_level=6)
    return out.getvalue()


def compress_pngs(pngs: Iterable[Path], cache: Path) -> tuple[int, int]:
    """Re-encode PNG files in place through `cache`; return (made, reused).

    Cache entries this call did not use are deleted: the cache holds the
    current figures only.
    """
    cache.mkdir(parents=True, exist_ok=True)
    used: set[str] = set()
    made = reused = 0
    for png in pngs:
        data = png.read_bytes()
        cached = cache / f"{hashlib.sha256(_COMPRESSION + data).hexdigest()}.png"
        used.add(cached.name)
        if cached.is_file():
            reused += 1
        else:
            # Written aside, then renamed: an interrupted build leaves no
            # truncated entry behind.
            partial = cached.with_suffix(".part")
            partial.write_bytes(compress_png(data))
            partial.replace(cached)
            made += 1
        png.write_bytes(cached.read_bytes())
    for entry in cache.iterdir():
        if entry.name not in used:
            entry.unlink()
    return made, reused


def on_post_build(config: Any) -> None:
    """Compress every PNG the build generated (figures and thumbnails)."""
    root = Path(config.config_file_path).resolve().parent
    generated = Path(config.site_dir) / "generated"
    compress_pngs(sorted(generated.rglob("*.png")), root / CACHE_DIR)
