"""Images to filter: the post's grid, an isometric drawing, photographs.

Every function here returns a float64 array with values in [0, 1], where 0 is
black and 1 is white: ``(H, W)`` for a grey image, ``(H, W, 3)`` for colour.
The synthetic images are computed from their geometry, so they are the same
on every machine; :func:`load_image` reads any file Pillow can decode and
:func:`sample_photo` returns a photograph that ships with matplotlib.
"""

from __future__ import annotations

import contextlib
import io
import math
import os
import stat
import sys
import tempfile
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
import numpy.typing as npt
from PIL import Image, ImageFile, ImageOps, UnidentifiedImageError

from convdemo._validate import (
    as_flag,
    as_image,
    as_pair,
    positive_int,
    positive_number,
)

__all__ = [
    "LUMA_THOUSANDTHS",
    "LUMA_WEIGHTS",
    "MAX_PIXELS",
    "grid_image",
    "isometric_image",
    "load_image",
    "sample_photo",
    "save_image",
    "to_uint8",
]

#: Weights of red, green and blue in the grey value, in thousandths (ITU-R
#: BT.601 luma, the formula Pillow uses for its ``"L"`` mode). They sum to
#: exactly 1000, so white stays exactly 1.0.
LUMA_THOUSANDTHS = (299, 587, 114)
#: The same weights as fractions, applied to float values.
LUMA_WEIGHTS = tuple(weight / 1000 for weight in LUMA_THOUSANDTHS)

#: Grey level of the lines in the synthetic drawings (0 is black, 1 white).
_INK = 0.2

#: Default pixel limit of :func:`load_image` (and of the playground's
#: uploads): 50 megapixels.
MAX_PIXELS = 50_000_000

#: Image modes holding integers beyond 8 bits, scaled by 65535.
_SIXTEEN_BIT_MODES = ("I;16", "I;16L", "I;16B", "I;16N", "I")


def grid_image(
    size: int | tuple[int, int] = 300,
    cell: int = 30,
    line_width: int = 2,
    *,
    dtype: npt.DTypeLike = np.float64,
) -> np.ndarray:
    """Draw a square grid: dark lines on white, outer frame included.

    The default is the blog post's test image: 300 × 300 pixels, a 10 × 10
    grid of 30-pixel cells, lines 2 pixels wide.

    Parameters
    ----------
    size : int or (int, int), optional
        Image size in pixels, ``(rows, cols)`` or one number for a square.
    cell : int, optional
        Distance between neighbouring grid lines in pixels.
    line_width : int, optional
        Width of each line in pixels; smaller than `cell` and than the image.
    dtype : floating dtype, optional
        Floating-point type of the result.

    Returns
    -------
    (rows, cols) ndarray
        1.0 on the white background, 0.2 on the lines.

    Raises
    ------
    TypeError
        If `size`, `cell` or `line_width` is not an integer, or `dtype` is
        not a floating-point type.
    ValueError
        If a value is below 1, or `line_width` does not fit in a cell or in
        the image.

    Notes
    -----
    A line starts at every multiple of `cell` (rows 0, 30, 60, … for the
    default) and covers `line_width` pixels from there. The frame line at the
    bottom and right edges is moved inside the image: it covers the last
    `line_width` rows and columns. With the defaults the lines cover rows
    0–1, 30–31, …, 270–271 and 298–299 (and the same columns), so every
    cell's interior is white and the frame is two pixels wide on all four
    sides.

    See Also
    --------
    isometric_image : slanted lines as well as vertical ones.

    Examples
    --------
    >>> image = grid_image(8, cell=4, line_width=1)
    >>> (image < 1).astype(int)
    array([[1, 1, 1, 1, 1, 1, 1, 1],
           [1, 0, 0, 0, 1, 0, 0, 1],
           [1, 0, 0, 0, 1, 0, 0, 1],
           [1, 0, 0, 0, 1, 0, 0, 1],
           [1, 1, 1, 1, 1, 1, 1, 1],
           [1, 0, 0, 0, 1, 0, 0, 1],
           [1, 0, 0, 0, 1, 0, 0, 1],
           [1, 1, 1, 1, 1, 1, 1, 1]])
    >>> grid_image().shape, float(grid_image().min())
    ((300, 300), 0.2)
    """
    rows, cols = as_pair(size, "size")
    cell = positive_int(cell, "cell")
    line_width = positive_int(line_width, "line_width")
    result_type = np.dtype(dtype)
    if result_type.kind != "f":
        raise TypeError(f"`dtype` must be a floating-point type, got {result_type}")
    if line_width >= cell:
        raise ValueError(
            f"`line_width` must be smaller than `cell` ({cell}), got {line_width}"
        )
    if line_width > min(rows, cols):
        raise ValueError(
            f"`line_width` must fit in the image ({rows} × {cols}), got {line_width}"
        )
    image = np.ones((rows, cols), dtype=result_type)
    for axis, length in enumerate((rows, cols)):
        starts = [*range(0, length, cell), length - line_width]
        for start in starts:
            if axis == 0:
                image[start : start + line_width, :] = _INK
            else:
                image[:, start : start + line_width] = _INK
    return image


def _isometric_segments(
    rows: int, cols: int, spacing: float, margin: float
) -> np.ndarray:
    """Return the line segments of an isometric cube pattern.

    Parameters
    ----------
    rows, cols : int
        Image size in pixels.
    spacing : float
        Horizontal distance between neighbouring vertical lines.
    margin : float
        Segments are kept if they come within `margin` of the image.

    Returns
    -------
    (n, 4) ndarray
        One segment per row as ``x0, y0, x1, y1`` in pixel coordinates
        (x = column, y = row, pixel centres at integers). Every segment is
        vertical or at ±30° from the horizontal.

    Notes
    -----
    The pattern is the "tumbling blocks" tiling: a tiling by hexagons with
    vertical sides, each hexagon drawn as a cube seen from above (its
    outline plus three inner edges from the centre to the upper-left vertex,
    the upper-right vertex and the bottom vertex). The hexagon's side is
    ``2 · spacing / √3``; a cube is ``2 · spacing`` pixels wide.
    """
    side = 2.0 * spacing / math.sqrt(3.0)
    half = side / 2.0
    # Hexagon vertices relative to the centre, image coordinates (y down):
    # top, upper right, lower right, bottom, lower left, upper left.
    vertices = [
        (0.0, -side),
        (spacing, -half),
        (spacing, half),
        (0.0, side),
        (-spacing, half),
        (-spacing, -half),
    ]
    outline = [(vertices[k], vertices[(k + 1) % 6]) for k in range(6)]
    inner = [((0.0, 0.0), vertices[5]), ((0.0, 0.0), vertices[1])]
    inner.append(((0.0, 0.0), vertices[3]))
    found: dict[tuple[float, ...], tuple[float, float, float, float]] = {}
    row_step = 1.5 * side
    for j in range(-1, math.ceil(rows / row_step) + 2):
        for i in range(-1, math.ceil(cols / (2 * spacing)) + 2):
            centre_x = 2 * spacing * i + (spacing if j % 2 else 0.0)
            centre_y = row_step * j
            for (ax, ay), (bx, by) in outline + inner:
                x0, y0 = centre_x + ax, centre_y + ay
                x1, y1 = centre_x + bx, centre_y + by
                if (
                    max(x0, x1) < -margin
                    or min(x0, x1) > cols - 1 + margin
                    or max(y0, y1) < -margin
                    or min(y0, y1) > rows - 1 + margin
                ):
                    continue
                # Shared hexagon sides appear twice; keep one copy.
                ends = sorted(
                    [(round(x0, 6), round(y0, 6)), (round(x1, 6), round(y1, 6))]
                )
                found.setdefault((*ends[0], *ends[1]), (x0, y0, x1, y1))
    return np.array(sorted(found.values()), dtype=np.float64).reshape(-1, 4)


def isometric_image(
    size: int | tuple[int, int] = 300,
    *,
    spacing: float = 30,
    line_width: float = 2,
) -> np.ndarray:
    """Draw cubes in isometric perspective: vertical and ±30° lines on white.

    This is the kind of drawing the blog post filters with the horizontal
    Prewitt kernel: the vertical lines vanish and the slanted lines survive,
    although none of them is horizontal.

    Parameters
    ----------
    size : int or (int, int), optional
        Image size in pixels, ``(rows, cols)`` or one number for a square.
    spacing : float, optional
        Horizontal distance in pixels between neighbouring vertical lines
        (half the width of a cube).
    line_width : float, optional
        Width of the lines in pixels; smaller than `spacing`.

    Returns
    -------
    (rows, cols) ndarray
        Values in [0.2, 1]: 1.0 on the white background, 0.2 on the lines,
        intermediate values on their anti-aliased edges.

    Raises
    ------
    TypeError
        If `size` is not an integer or pair of integers, or `spacing` or
        `line_width` is not a number.
    ValueError
        If a value is not positive, or `line_width` is not smaller than
        `spacing`.

    Notes
    -----
    The drawing is a "tumbling blocks" tiling: hexagons with vertical sides,
    each drawn as a cube seen from above. Every line is vertical or at ±30°
    from the horizontal. The vertical lines lie on the columns
    ``0, spacing, 2·spacing, …``.

    Each pixel's ink is computed from the distance ``d`` between the
    pixel's centre and the nearest line: coverage ``clip(w/2 + 1/2 − d, 0,
    1)`` for a line of width ``w``. With ``w = 2`` a vertical line darkens
    three columns by 0.5, 1 and 0.5 of the ink: a total of two pixels,
    anti-aliased, and the same on every machine (no random numbers, no
    font or renderer involved).

    See Also
    --------
    grid_image : horizontal and vertical lines only.

    Examples
    --------
    >>> image = isometric_image(120, spacing=20)
    >>> image.shape
    (120, 120)
    >>> float(image.min()), float(image.max())
    (0.2, 1.0)

    Column 20 holds a vertical line (an inner edge of a cube), columns 19
    and 21 its anti-aliased sides:

    >>> image[44:47, 18:23].round(2)
    array([[1. , 0.6, 0.2, 0.6, 1. ],
           [1. , 0.6, 0.2, 0.6, 1. ],
           [1. , 0.6, 0.2, 0.6, 1. ]])
    """
    rows, cols = as_pair(size, "size")
    spacing = positive_number(spacing, "spacing")
    line_width = positive_number(line_width, "line_width")
    if line_width >= spacing:
        raise ValueError(
            f"`line_width` must be smaller than `spacing` ({spacing:g}), "
            f"got {line_width:g}"
        )
    reach = line_width / 2.0 + 0.5
    coverage = np.zeros((rows, cols), dtype=np.float64)
    for x0, y0, x1, y1 in _isometric_segments(rows, cols, spacing, reach):
        # Only the pixels within `reach` of the segment can receive ink.
        top = max(math.floor(min(y0, y1) - reach), 0)
        bottom = min(math.ceil(max(y0, y1) + reach), rows - 1)
        left = max(math.floor(min(x0, x1) - reach), 0)
        right = min(math.ceil(max(x0, x1) + reach), cols - 1)
        if top > bottom or left > right:
            continue
        ys = np.arange(top, bottom + 1, dtype=np.float64)[:, np.newaxis]
        xs = np.arange(left, right + 1, dtype=np.float64)[np.newaxis, :]
        dx, dy = x1 - x0, y1 - y0
        along = np.clip(((xs - x0) * dx + (ys - y0) * dy) / (dx * dx + dy * dy), 0, 1)
        distance = np.hypot(xs - (x0 + along * dx), ys - (y0 + along * dy))
        patch = coverage[top : bottom + 1, left : right + 1]
        np.maximum(patch, np.clip(reach - distance, 0.0, 1.0), out=patch)
    return 1.0 - (1.0 - _INK) * coverage


# Raw modes in which Pillow reads a 16-bit colour PNG at 8 bits (the high
# byte of each sample), and the raw mode that reads the same pixels' other
# bytes: the low bytes for RGB and RGBA; all four bytes of grey + alpha,
# read as 8-bit RGBA.
_LOW_BYTES = {"RGB;16B": "RGB;16L", "RGBA;16B": "RGBA;16L", "LA;16B": "RGBA"}

# Rows converted at a time: enough pixels to amortise the overhead, few
# enough that the float64 copies of a strip stay small next to the result.
_STRIP_PIXELS = 1 << 16


def _open_regular(file: Path) -> io.BufferedReader:
    """Open `file` for reading if it is a regular file; refuse anything else.

    The file is opened without blocking and checked through the open
    descriptor, so a FIFO (which would wait for a writer forever) or a
    device is refused, and what is checked is what is read.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        descriptor = os.open(file, flags)
    except (FileNotFoundError, NotADirectoryError):
        raise FileNotFoundError(f"no such file: '{file}'") from None
    except PermissionError as error:
        raise PermissionError(f"cannot open '{file}': {error.strerror}") from None
    except OSError as error:
        # A symlink loop, a name too long, a socket, ...
        raise ValueError(f"cannot open '{file}': {error.strerror}") from None
    kind = os.fstat(descriptor).st_mode
    if not stat.S_ISREG(kind):
        os.close(descriptor)
        if stat.S_ISDIR(kind):
            raise IsADirectoryError(f"'{file}' is a directory, not an image file")
        what = "a FIFO (named pipe)" if stat.S_ISFIFO(kind) else "a device or socket"
        raise ValueError(f"'{file}' is {what}, not a regular file: refusing to read it")
    return os.fdopen(descriptor, "rb")


@contextlib.contextmanager
def _stderr_captured() -> Iterator[list[str]]:
    """Capture what C libraries write to file descriptor 2 meanwhile.

    libtiff reports errors by writing to descriptor 2 itself (Pillow
    silences only its warnings). The text is appended to the yielded list
    once the block ends. Without a usable descriptor 2 nothing is captured.
    """
    captured: list[str] = []
    try:
        if sys.stderr is not None:
            sys.stderr.flush()
        saved = os.dup(2)
    except (OSError, ValueError):
        saved = -1
    if saved < 0:
        yield captured
        return
    with tempfile.TemporaryFile() as sink:
        os.dup2(sink.fileno(), 2)
        try:
            yield captured
        finally:
            os.dup2(saved, 2)
            os.close(saved)
            sink.seek(0)
            captured.append(sink.read().decode("utf-8", "replace"))


class _LowBytes(NamedTuple):
    """The bytes Pillow dropped from a 16-bit colour PNG (see :func:`_low_bytes`)."""

    image: Image.Image
    # True for grey + alpha: `image` then holds all four bytes of each pixel.
    packed: bool


def _low_raw_mode(picture: Image.Image) -> str | None:
    """Return the raw mode that reads the bytes Pillow drops from this file, or None.

    Pillow reads 16-bit RGB, RGBA and grey + alpha PNGs at 8 bits per
    sample, keeping the high byte. Call before the image is loaded: loading
    clears the tile that says how the file is stored.
    """
    if not isinstance(picture, ImageFile.ImageFile) or picture.format != "PNG":
        return None
    tile = picture.tile
    if len(tile) != 1 or not isinstance(tile[0].args, str):
        return None
    return _LOW_BYTES.get(tile[0].args)


def _reads_eight_of_sixteen(picture: Image.Image) -> bool:
    """Tell whether Pillow will read 16-bit samples of this file at 8 bits.

    True for 16-bit colour files other than PNG (a 16-bit RGB TIFF, say):
    their raw mode has 16 bits per sample but Pillow's image mode has 8.
    Call before the image is loaded.
    """
    if not isinstance(picture, ImageFile.ImageFile) or picture.mode.startswith("I"):
        return False
    for tile in picture.tile:
        raw = tile.args[0] if isinstance(tile.args, tuple) and tile.args else tile.args
        if isinstance(raw, str) and ";16" in raw:
            return True
    return False


def _low_bytes(stream: io.BufferedReader, raw_mode: str) -> _LowBytes:
    """Decode a 16-bit colour PNG again for the bytes Pillow dropped.

    The raw mode from :func:`_low_raw_mode` has the same pixel size as the
    file's own, so the PNG filters undo the same way, but it keeps the
    other bytes of each sample; :func:`_strip` puts the 16 bits back
    together.
    """
    stream.seek(0)
    low = Image.open(stream)
    assert isinstance(low, ImageFile.ImageFile)
    low.tile = [low.tile[0]._replace(args=raw_mode)]
    low.load()
    return _LowBytes(low, packed=raw_mode == "RGBA")


def _normal_mode(picture: Image.Image) -> Image.Image:
    """Convert to L, LA, RGB, RGBA, F or a 16-bit grey mode, if needed.

    Palettes become RGB (RGBA when one entry is transparent), bilevel images
    grey, premultiplied alpha plain alpha, and CMYK, YCbCr, LAB and other
    colour spaces RGB, by Pillow's own conversions.
    """
    mode = picture.mode
    if mode == "P":
        return picture.convert("RGBA" if "transparency" in picture.info else "RGB")
    if mode == "PA":
        return picture.convert("RGBA")
    if mode == "1":
        return picture.convert("L")
    if mode in ("La", "RGBa"):
        return picture.convert("LA" if mode == "La" else "RGBA")
    if mode not in ("L", "LA", "RGB", "RGBA", "F", *_SIXTEEN_BIT_MODES):
        return picture.convert("RGB")
    return picture


def _strip(
    picture: Image.Image,
    low: _LowBytes | None,
    box: tuple[int, int, int, int],
    path: str,
) -> np.ndarray:
    """Return a band of rows of a decoded image as floats in [0, 1].

    ``(rows, W)`` for grey, ``(rows, W, C)`` with C = 2, 3 or 4 for grey +
    alpha, colour and colour + alpha (alpha not yet composited).
    """
    if low is not None:
        low_bytes = np.asarray(low.image.crop(box), dtype=np.float64)
        if low.packed:
            # Grey + alpha read as RGBA bytes: (grey high, grey low, alpha
            # high, alpha low).
            return (low_bytes[..., 0::2] * 256.0 + low_bytes[..., 1::2]) / 65535.0
        high_bytes = np.asarray(picture.crop(box), dtype=np.float64)
        return (high_bytes * 256.0 + low_bytes) / 65535.0
    strip = _normal_mode(picture.crop(box))
    values = np.asarray(strip)
    if strip.mode in _SIXTEEN_BIT_MODES:
        if values.min() < 0 or values.max() > 65535:
            raise ValueError(
                f"cannot read '{path}': pixel values {values.min()}…{values.max()} "
                "are outside the 16-bit range 0…65535"
            )
        sixteen_bit: np.ndarray = values.astype(np.float64) / 65535.0
        return sixteen_bit
    if strip.mode == "F":
        if not np.isfinite(values).all() or values.min() < 0 or values.max() > 1:
            raise ValueError(
                f"cannot read '{path}': a floating-point image must hold "
                "finite values in [0, 1]"
            )
        return values.astype(np.float64)
    eight_bit: np.ndarray = values.astype(np.float64) / 255.0
    return eight_bit


def _flatten_alpha(values: np.ndarray) -> np.ndarray:
    """Composite grey+alpha or RGB+alpha values on a white background."""
    if values.ndim == 3 and values.shape[2] in (2, 4):
        alpha = values[..., -1:]
        colour: np.ndarray = values[..., :-1] * alpha + (1.0 - alpha)
        return colour[..., 0] if colour.shape[2] == 1 else colour
    return values


def load_image(
    path: str | os.PathLike[str],
    *,
    gray: bool = True,
    max_pixels: int = MAX_PIXELS,
) -> np.ndarray:
    """Read an image file as floats in [0, 1].

    Parameters
    ----------
    path : str or path-like
        Any file Pillow can decode (PNG, JPEG, GIF, TIFF, BMP, WebP, …).
    gray : bool, optional
        True (default) for a grey ``(H, W)`` image, False for colour
        ``(H, W, 3)`` (a grey file then has three equal channels).
    max_pixels : int, optional
        Largest number of pixels (H · W) accepted, 50 megapixels by default.
        The size is checked before the pixels are decoded, so a tiny file
        that would expand into a huge image (a "decompression bomb") is
        refused without using the memory. Pillow's own hard limit (twice
        ``PIL.Image.MAX_IMAGE_PIXELS``, about 179 megapixels) still applies
        above this value.

    Returns
    -------
    (H, W) or (H, W, 3) ndarray, float64
        0 is black, 1 is white.

    Raises
    ------
    FileNotFoundError
        If `path` does not exist.
    IsADirectoryError
        If `path` is a directory.
    PermissionError
        If the file may not be read.
    ValueError
        If the file is not a regular file (a FIFO, a device), cannot be
        opened (a symlink loop), is not an image Pillow can read, is
        truncated or corrupt, has more than `max_pixels` pixels, or holds
        values that cannot be scaled to [0, 1]. Every message names the
        path.
    TypeError
        If `path`, `gray` or `max_pixels` has the wrong type.

    Warns
    -----
    UserWarning
        When Pillow or libtiff reported a problem but the pixels were read
        (corrupt EXIF metadata, for instance); the message names the path.

    Notes
    -----
    - The EXIF orientation tag is applied (``ImageOps.exif_transpose``), so
      a phone photo comes out the way up it was taken.
    - Palette images are expanded to RGB, or to RGBA when the palette has a
      transparent entry.
    - Transparent pixels (RGBA, LA, palette transparency) are composited on
      white: ``value · alpha + (1 − alpha)``.
    - 16-bit images are divided by 65535, 8-bit ones by 255. Pillow reads
      16-bit grey files whole (modes ``"I;16"`` and ``"I"``) but keeps only
      the high byte of 16-bit colour PNGs (RGB, RGBA, grey + alpha); for
      those the file is decoded a second time for the low bytes, so every
      16-bit PNG keeps its full precision. Other 16-bit colour files (TIFF)
      are read at 8 bits by Pillow: a warning says so. CMYK and other colour spaces are
      converted to RGB by Pillow.
    - Grey is the ITU-R BT.601 luma ``0.299 R + 0.587 G + 0.114 B``
      (:data:`LUMA_WEIGHTS`, the formula of Pillow's ``"L"`` mode) computed
      on the float values, without rounding to 8 bits (Pillow's own
      conversion to grey would round). Grey files are used as they are.
    - Memory: the result and Pillow's decoded image (4 bytes a pixel, 8 for
      a 16-bit colour PNG) plus a band of rows at a time; a 49-megapixel
      RGB photo peaks near twice its float64 result (``make bench``).
    - The file is opened without blocking and must be a regular file, so a
      named pipe never makes the call wait. While Pillow decodes, what is
      written to file descriptor 2 (libtiff's error messages) is captured
      and added to the error or the warning.

    See Also
    --------
    sample_photo : a photograph that needs no file of your own.
    save_image : the reverse direction, array to PNG.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from PIL import Image
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> Image.new("RGB", (3, 2), (255, 0, 0)).save(folder / "red.png")
    >>> load_image(folder / "red.png")
    array([[0.299, 0.299, 0.299],
           [0.299, 0.299, 0.299]])
    >>> load_image(folder / "red.png", gray=False)[0, 0]
    array([1., 0., 0.])
    """
    if not isinstance(path, str | os.PathLike):
        raise TypeError(f"`path` must be a string or a path, got {path!r}")
    gray = as_flag(gray, "gray")
    max_pixels = positive_int(max_pixels, "max_pixels")
    file = Path(path)
    with _open_regular(file) as stream:
        picture, low, notes = _decode(file, stream, max_pixels)
        try:
            values = _to_array(picture, low, str(file), gray=bool(gray))
        except MemoryError:
            size = f"{picture.size[0]} × {picture.size[1]} pixels"
            raise MemoryError(f"not enough memory to read '{file}' ({size})") from None
        except ValueError as error:
            if str(file) in str(error):
                raise
            raise ValueError(f"cannot read an image from '{file}': {error}") from None
        finally:
            picture.close()
            if low is not None:
                low.image.close()
    for note in notes:
        warnings.warn(f"'{file}': {note}", UserWarning, stacklevel=2)
    return values


def _decode(
    file: Path, stream: io.BufferedReader, max_pixels: int
) -> tuple[Image.Image, _LowBytes | None, list[str]]:
    """Decode an opened image file with Pillow, upright; refuse what fails.

    Returns the image, the low bytes of a 16-bit colour PNG (or None) and
    the problems Pillow and libtiff reported without failing: the text of
    their warnings and what they wrote to descriptor 2.
    """
    failure = ""
    low = None
    reduced: list[str] = []
    with warnings.catch_warnings(record=True) as caught, _stderr_captured() as text:
        warnings.simplefilter("always")
        # Pillow warns above its own limit; this function has its own.
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        try:
            picture = Image.open(stream)
            width, height = picture.size
            if width * height > max_pixels:
                failure = (
                    f"'{file}' has {width} × {height} = {width * height} pixels, "
                    f"more than `max_pixels` = {max_pixels}"
                )
            else:
                raw_mode = _low_raw_mode(picture)
                if raw_mode is None and _reads_eight_of_sixteen(picture):
                    reduced.append(
                        f"its {picture.format} file stores 16 bits per sample, but "
                        "Pillow reads it at 8 bits: the values are rounded to "
                        "multiples of 1/255"
                    )
                picture.load()
                if raw_mode is not None:
                    low = _low_bytes(stream, raw_mode)
                ImageOps.exif_transpose(picture, in_place=True)
                if low is not None:
                    ImageOps.exif_transpose(low.image, in_place=True)
        except Image.DecompressionBombError as error:
            failure = f"'{file}' is too large to decode safely: {error}"
        except UnidentifiedImageError:
            failure = f"'{file}' is not an image file Pillow can read"
        except MemoryError:
            raise MemoryError(f"not enough memory to decode '{file}'") from None
        except Exception as error:  # a corrupt file can break any of Pillow's plugins
            reason = str(error) or type(error).__name__
            failure = f"cannot read an image from '{file}': {reason}"
    said = " ".join(" ".join(text).split())
    if failure:
        raise ValueError(f"{failure} ({said})" if said else failure) from None
    notes = reduced + [str(warning.message) for warning in caught]
    if said:
        notes.append(said)
    return picture, low, notes


def _to_array(
    picture: Image.Image, low: _LowBytes | None, path: str, *, gray: bool
) -> np.ndarray:
    """Convert a decoded image to floats, a band of rows at a time.

    Each band goes from Pillow's pixels to float64, is composited on white
    and made grey (or colour) straight into the result, so no float64 copy
    of the whole colour image is ever made.
    """
    width, height = picture.size
    out = np.empty((height, width) if gray else (height, width, 3))
    rows = max(1, _STRIP_PIXELS // max(width, 1))
    for top in range(0, height, rows):
        bottom = min(height, top + rows)
        values = _flatten_alpha(_strip(picture, low, (0, top, width, bottom), path))
        if gray and values.ndim == 3:
            # Integer weights in thousandths: they sum to exactly 1000, so
            # white stays exactly 1.0 (0.299 + 0.587 + 0.114 is not 1 in
            # floating point).
            weights = np.array(LUMA_THOUSANDTHS, dtype=np.float64)
            out[top:bottom] = values @ weights / 1000.0
        elif not gray and values.ndim == 2:
            out[top:bottom] = values[:, :, np.newaxis]
        else:
            out[top:bottom] = values
    # Rounding in the weighted sum can step a hair outside [0, 1].
    np.clip(out, 0.0, 1.0, out=out)
    return out


def sample_photo(*, gray: bool = True) -> np.ndarray:
    """Return the photograph of Grace Hopper that ships with matplotlib.

    The file ``grace_hopper.jpg`` is part of matplotlib's sample data,
    installed with matplotlib itself: nothing is downloaded.

    Parameters
    ----------
    gray : bool, optional
        True (default) for grey ``(600, 512)``, False for colour
        ``(600, 512, 3)``.

    Returns
    -------
    (600, 512) or (600, 512, 3) ndarray, float64
        Values in [0, 1].

    See Also
    --------
    load_image : the same for a file of your own.

    Examples
    --------
    >>> photo = sample_photo()
    >>> photo.shape, photo.dtype
    ((600, 512), dtype('float64'))
    >>> sample_photo(gray=False).shape
    (600, 512, 3)
    """
    # Imported here: the rest of the module does not need matplotlib.
    from matplotlib import cbook

    path = cbook.get_sample_data("grace_hopper.jpg", asfileobj=False)
    return load_image(Path(str(path)), gray=gray)


def to_uint8(image: npt.ArrayLike) -> np.ndarray:
    """Turn float values in [0, 1] into 8-bit pixel values 0–255.

    Parameters
    ----------
    image : (H, W) or (H, W, 3) array_like
        Values in [0, 1]; values outside are clipped.

    Returns
    -------
    (H, W) or (H, W, 3) ndarray, uint8
        ``round(255 · clip(image, 0, 1))``.

    Examples
    --------
    >>> to_uint8([[0.0, 0.5], [0.999, 2.0]])
    array([[  0, 128],
           [255, 255]], dtype=uint8)
    """
    values = as_image(image, ndim=(2, 3))
    if values.ndim == 3 and values.shape[2] != 3:
        raise ValueError(
            f"`image` must have 3 colour channels, got shape {values.shape}"
        )
    pixels = np.empty(values.shape, dtype=np.uint8)
    # A band of rows at a time, so no float copy of a large image is made.
    rows = max(1, _STRIP_PIXELS // max(1, values[0].size))
    for top in range(0, values.shape[0], rows):
        band = np.clip(values[top : top + rows], 0.0, 1.0)
        band *= 255.0
        pixels[top : top + rows] = np.round(band, out=band)
    return pixels


def save_image(path: str | os.PathLike[str], image: npt.ArrayLike) -> Path:
    """Write an image as a PNG file with no metadata.

    Parameters
    ----------
    path : str or path-like
        Destination; its folder must exist. The format is PNG whatever the
        suffix.
    image : (H, W) or (H, W, 3) array_like
        Floats in [0, 1] (clipped, then scaled by 255) or ``uint8`` values
        used as they are. 2-D gives a grey PNG, 3-D an RGB one.

    Returns
    -------
    Path
        `path` as a :class:`~pathlib.Path`, once the file is written.

    Notes
    -----
    Pillow writes no date, software name or other text chunk unless asked,
    so the same array always gives the same bytes.

    See Also
    --------
    load_image : read it back.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> path = save_image(folder / "ramp.png", [[0.0, 0.5, 1.0]])
    >>> load_image(path).round(3)
    array([[0.   , 0.502, 1.   ]])
    """
    if not isinstance(path, str | os.PathLike):
        raise TypeError(f"`path` must be a string or a path, got {path!r}")
    array: Any = np.asarray(image)
    if array.dtype != np.uint8:
        array = to_uint8(array)
    elif array.ndim not in (2, 3) or (array.ndim == 3 and array.shape[2] != 3):
        raise ValueError(
            f"`image` must have shape (H, W) or (H, W, 3), got shape {array.shape}"
        )
    elif array.size == 0:
        raise ValueError(f"`image` must not be empty, got shape {array.shape}")
    file = Path(path)
    # uint8 (H, W) becomes mode "L", (H, W, 3) mode "RGB".
    picture = Image.fromarray(np.ascontiguousarray(array))
    picture.save(file, format="PNG")
    return file
