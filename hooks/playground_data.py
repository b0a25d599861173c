"""Export the playground's data from ``convdemo`` when the site is built.

The Playground page (``docs/playground.md``) computes in the reader's browser,
so it needs the library's images, kernel registry and colormap as files. This
hook writes them into the built site under ``assets/playground/data/``:

``manifest.json``
    The diverging colormap as a lookup table (the same 8-bit colours as the
    figures), the list of images with their sizes, and the upload limits.
``kernels.json``
    ``convdemo.kernels.KERNELS`` in display order: name, title, description,
    source and values. The preset menu is built from it.
``grid.png``, ``isometric.png``, ``photo.png``
    8-bit grey PNGs. The browser reads a pixel ``u`` as ``u / 255``.

"Same pixels" means, per image:

- grid: ``convdemo.images.grid_image()`` exactly. Its values are 0.2 and
  1.0, and ``51 / 255`` and ``255 / 255`` are those very doubles, so the page
  computes on the library's float64 image bit for bit.
- isometric drawing: ``to_uint8(isometric_image())``, the 8-bit image a
  figure shows (the drawing is anti-aliased; the PNG rounds it to 1/255).
- photo: ``to_uint8(sample_photo())`` reduced by an integer box filter
  (Pillow's ``Image.reduce``) so that its longer side is at most
  ``PHOTO_MAX_SIDE`` pixels, to keep the page light.

Every file is a pure function of the library and the pinned Pillow, so the
bytes are the same from one build to the next.
"""

from __future__ import annotations

import io
import json
import math
from typing import Any

import numpy as np

DATA_DIR = "assets/playground/data"
PHOTO_MAX_SIDE = 256
UPLOAD_MAX_SIDE = 512


def _png(pixels: np.ndarray) -> bytes:
    """Encode an (H, W) uint8 array as a grey PNG without metadata."""
    from PIL import Image

    buffer = io.BytesIO()
    Image.fromarray(pixels).save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def _photo_pixels() -> np.ndarray:
    """Return the sample photo as 8-bit grey, reduced to ``PHOTO_MAX_SIDE``."""
    from PIL import Image

    from convdemo.images import sample_photo, to_uint8

    pixels = to_uint8(sample_photo())
    factor = math.ceil(max(pixels.shape) / PHOTO_MAX_SIDE)
    if factor > 1:
        pixels = np.asarray(Image.fromarray(pixels).reduce(factor))
    return pixels


def playground_images() -> list[dict[str, Any]]:
    """Return the playground's images: name, title, uint8 pixels, exactness.

    ``exact`` is True when ``pixels / 255`` equals the library's float64
    image exactly.
    """
    from convdemo.images import grid_image, isometric_image, to_uint8

    grid = grid_image()
    isometric = isometric_image()
    photo = _photo_pixels()
    images = []
    for name, title, pixels, original in (
        ("grid", "Grid", to_uint8(grid), grid),
        ("isometric", "Isometric drawing", to_uint8(isometric), isometric),
        ("photo", "Photo (Grace Hopper)", photo, None),
    ):
        height, width = pixels.shape
        exact = original is not None and bool(np.array_equal(pixels / 255.0, original))
        images.append(
            {
                "name": name,
                "title": f"{title}, {height} × {width}",
                "pixels": pixels,
                "exact": exact,
            }
        )
    return images


def colormap_lut() -> tuple[str, list[int]]:
    """Return the diverging colormap's name and its 8-bit RGB table, flat."""
    import matplotlib

    from convdemo.style import DIVERGING

    cmap = matplotlib.colormaps[DIVERGING] if isinstance(DIVERGING, str) else DIVERGING
    rgba = cmap(np.arange(cmap.N), bytes=True)
    return cmap.name, [int(v) for v in rgba[:, :3].ravel()]


def kernel_entries() -> list[dict[str, Any]]:
    """Return ``KERNELS`` as JSON-ready dicts, in the registry's order."""
    from convdemo.kernels import KERNELS

    return [
        {
            "name": kernel.name,
            "title": kernel.title,
            "description": kernel.description,
            "source": kernel.source,
            "values": kernel.values.tolist(),
        }
        for kernel in KERNELS.values()
    ]


def _json(data: Any) -> bytes:
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return (text + "\n").encode("utf-8")


def export() -> dict[str, bytes]:
    """Return every data file as ``{file name: bytes}``."""
    files: dict[str, bytes] = {}
    listing = []
    for image in playground_images():
        file_name = f"{image['name']}.png"
        files[file_name] = _png(image["pixels"])
        height, width = image["pixels"].shape
        listing.append(
            {
                "name": image["name"],
                "title": image["title"],
                "file": file_name,
                "height": height,
                "width": width,
                "exact": image["exact"],
            }
        )
    name, lut = colormap_lut()
    files["manifest.json"] = _json(
        {
            "colormap": {"name": name, "lut": lut},
            "images": listing,
            "limits": {
                "photoMaxSide": PHOTO_MAX_SIDE,
                "uploadMaxSide": UPLOAD_MAX_SIDE,
            },
        }
    )
    files["kernels.json"] = _json(kernel_entries())
    return files


def on_files(files: Any, config: Any) -> Any:
    """Add the exported data files to the site (MkDocs hook)."""
    from mkdocs.structure.files import File

    for file_name, content in export().items():
        files.append(File.generated(config, f"{DATA_DIR}/{file_name}", content=content))
    return files
