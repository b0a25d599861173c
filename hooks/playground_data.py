"""Export the playground's data from ``convdemo`` when the site is built.

The Playground page (``docs/playground.md``) computes in the reader's browser,
so it needs the library's images, kernel registry and colormap. This hook
writes them into the built site under ``assets/playground/data/``:

``manifest.json``
    The diverging colormap as a lookup table (the same 8-bit colours as the
    figures), the list of images with their sizes and their top-left
    corner (as many pixels square as the largest kernel), the limits on a
    reader's own image (``convdemo.images.MAX_PIXELS`` among them) and the
    grey weights of ``convdemo.images.load_image``, in thousandths
    (``LUMA_THOUSANDTHS``). The page's scripts hold none of these numbers.
``kernels.json``
    ``convdemo.kernels.KERNELS`` in display order: name, title, description,
    source, values, and the whole-number weights and divisor the values
    come from (the preset menu writes ``1/16`` from them, never guessing a
    fraction back from a float).
``grid.png``, ``isometric.png``, ``photo.png``
    8-bit grey PNGs. The browser reads a pixel ``u`` as ``u / 255``.

It also copies ``manifest.json`` and ``kernels.json`` into the page itself,
as the ``data-playground`` attribute of ``<div id="convdemo-playground">``:
``{"kernels": ..., "manifest": ...}``, keys sorted and HTML-escaped. The
playground's script, which follows that element, builds the whole interface
from it while the page is parsed, so the first paint already has the final
layout (no layout shift when the data would otherwise arrive); only the PNGs
are fetched. The image sizes fix the canvases' sizes before any pixel is
decoded, and a corner is enough to spell out the first output pixel's
arithmetic (the read-out) at once. An attribute rather than an inline
``<script type="application/json">``: Material's instant navigation re-creates
every inline script of a page as a JavaScript one. The files stay for pages
without the attribute, which fetch them instead.

"Same pixels" means, per image:

- grid: ``convdemo.images.grid_image()`` exactly. Its values are 0.2 and
  1.0, and ``51 / 255`` and ``255 / 255`` are those very doubles, so the page
  computes on the library's float64 image bit for bit.
- isometric drawing: ``to_uint8(isometric_image())``, the 8-bit image a
  figure shows (the drawing is anti-aliased; the PNG rounds it to 1/255).
- photo: ``to_uint8(sample_photo())`` reduced by an integer box filter
  (Pillow's ``Image.reduce``) so that its longer side is at most
  ``PHOTO_MAX_SIDE`` pixels, to keep the page light.

Every file, and the attribute, is a pure function of the library and the
pinned Pillow, so the bytes are the same from one build to the next.
"""

from __future__ import annotations

import html
import io
import json
import math
from typing import Any

import numpy as np

DATA_DIR = "assets/playground/data"
# The page that holds the playground, and the start of its container.
PAGE = "playground.md"
CONTAINER = '<div id="convdemo-playground"'
PHOTO_MAX_SIDE = 256
# A reader's own image: longest side after downscaling, largest file.
UPLOAD_MAX_SIDE = 512
UPLOAD_MAX_BYTES = 40 * 1024 * 1024


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
            "weights": kernel.weights.tolist(),
            "divisor": kernel.divisor,
        }
        for kernel in KERNELS.values()
    ]


def _json(data: Any) -> bytes:
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return (text + "\n").encode("utf-8")


def export() -> dict[str, bytes]:
    """Return every data file as ``{file name: bytes}``."""
    from convdemo.images import LUMA_THOUSANDTHS, MAX_PIXELS

    files: dict[str, bytes] = {}
    kernels = kernel_entries()
    corner = max(len(kernel["values"]) for kernel in kernels)
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
                "corner": image["pixels"][:corner, :corner].tolist(),
            }
        )
    name, lut = colormap_lut()
    files["manifest.json"] = _json(
        {
            "colormap": {"name": name, "lut": lut},
            "grey": list(LUMA_THOUSANDTHS),
            "images": listing,
            "limits": {
                "maxBytes": UPLOAD_MAX_BYTES,
                "maxPixels": MAX_PIXELS,
                "photoMaxSide": PHOTO_MAX_SIDE,
                "uploadMaxSide": UPLOAD_MAX_SIDE,
            },
        }
    )
    files["kernels.json"] = _json(kernels)
    return files


def page_attribute(manifest: bytes, kernels: bytes) -> str:
    """Return the container's ``data-playground="..."`` attribute.

    The JSON has sorted keys and no spaces, so that it is the same from one
    build to the next, and is escaped for a double-quoted attribute.
    """
    data = {"kernels": json.loads(kernels), "manifest": json.loads(manifest)}
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return f'data-playground="{html.escape(text, quote=True)}"'


def on_files(files: Any, config: Any) -> Any:
    """Add the exported data files to the site (MkDocs hook)."""
    from mkdocs.structure.files import File

    for file_name, content in export().items():
        files.append(File.generated(config, f"{DATA_DIR}/{file_name}", content=content))
    return files


def on_page_content(html_text: str, page: Any, config: Any, files: Any) -> str:
    """Put the data into the playground's container (MkDocs hook).

    Only on ``PAGE``; the data comes from the files that ``on_files`` added.
    A page without the container fails the build.
    """
    if page.file.src_uri != PAGE:
        return html_text
    from mkdocs.exceptions import PluginError

    if html_text.count(CONTAINER) != 1:
        raise PluginError(f"playground_data: {PAGE} needs one {CONTAINER}>")

    def content(name: str) -> bytes:
        data: bytes = files.get_file_from_path(f"{DATA_DIR}/{name}").content_bytes
        return data

    attribute = page_attribute(content("manifest.json"), content("kernels.json"))
    return html_text.replace(CONTAINER, f"{CONTAINER} {attribute}")
