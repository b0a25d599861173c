"""Draw matrices, images, filters, pooling and single steps in one visual language.

Functions named ``draw_*`` take an :class:`~matplotlib.axes.Axes` first and
return the artists they made; functions named ``show_*`` build a whole figure
and return ``(fig, axes)``. Everything is drawn in image coordinates: the cell
in row ``r`` and column ``c`` is centred on ``(x, y) = (c, r)`` with row 0 at
the top.

The colours, fonts and background come from :mod:`convdemo.style`; each
function applies that style itself, so nothing needs to be set up first.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from fractions import Fraction
from typing import Any

import matplotlib.image as mimage
import matplotlib.pyplot as plt
import numpy as np
import numpy.typing as npt
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import RendererAgg
from matplotlib.cm import ScalarMappable
from matplotlib.collections import LineCollection
from matplotlib.colors import Colormap, Normalize
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.image import AxesImage
from matplotlib.patches import Circle, Rectangle
from matplotlib.text import Text
from matplotlib.transforms import Bbox

from convdemo._validate import (
    as_image,
    as_pair,
    nonnegative_int,
    one_of,
    positive_int,
)
from convdemo.kernels import KERNELS
from convdemo.ops import (
    Padding,
    Step,
    convolve2d,
    correlate2d,
    output_shape,
    pad,
    padding_amounts,
    pool2d,
    pool_windows,
    sliding_windows,
)
from convdemo.style import (
    DIVERGING,
    GRAY,
    KERNEL,
    MUTED,
    ROLES,
    WINDOW,
    blend,
    cell_fill,
    set_alt_text,
    signed_norm,
    styled,
    text_color_for,
)

__all__ = [
    "draw_crop",
    "draw_image",
    "draw_matrix",
    "format_step",
    "show_arithmetic",
    "show_filter",
    "show_filters",
    "show_legend",
    "show_matrix",
    "show_pooling",
    "show_step",
]

PadSpec = tuple[tuple[int, int], tuple[int, int]]

# Widest figure, in inches: 750 pixels at 100 dpi, a documentation page.
_MAX_WIDTH = 7.5
# Largest matrix cell, in inches: big enough for "−128" at 11 pt.
_MAX_CELL = 0.42
# Gap between panels that holds an operator sign, in inches.
_GAP = 0.5
# Title and caption bands, in inches.
_TITLE_BAND = 0.5
_CAPTION_BAND = 0.6
# Largest matrix, rows or columns, that the figure builders write out.
_MAX_CELLS = 24
_NEUTRAL = "#D9D9D9"
_CAPTION_FILL = "#F2F2F2"
_CAPTION_TEXT = "#1A1A1A"
_MINUS = "\N{MINUS SIGN}"


# --------------------------------------------------------------------------
# Numbers as text
# --------------------------------------------------------------------------


def _format_value(value: float) -> str:
    """Return a short label for a number: integers as integers, floats cut.

    NaN (a padded cell in pooling) gives an empty label; negative numbers use
    the typographic minus sign.
    """
    number = float(value)
    if np.isnan(number):
        return ""
    if number.is_integer():
        text = str(int(number))
    elif abs(number) >= 100:
        text = f"{number:.1f}"
    else:
        text = np.format_float_positional(
            number, precision=3, unique=True, fractional=False, trim="-"
        )
    return text.replace("-", _MINUS)


def _factor(value: float) -> str:
    """Format a factor of a product, with negative numbers in parentheses."""
    text = _format_value(value)
    return f"({text})" if text.startswith(_MINUS) else text


def _matrix_text(values: np.ndarray) -> str:
    """Return a matrix as nested lists for alt text, e.g. ``[[1, 0], [0, 1]]``."""
    rows = (
        "[" + ", ".join(_format_value(v).replace(_MINUS, "-") for v in row) + "]"
        for row in values
    )
    return "[" + ", ".join(rows) + "]"


def format_step(step: Step, kernel: npt.ArrayLike) -> str:
    """Write out the arithmetic of one output cell.

    Parameters
    ----------
    step : Step
        One window, from :func:`convdemo.ops.sliding_windows`.
    kernel : (kh, kw) array_like
        The kernel that was slid over the image. When the step came from a
        convolution (``flip=True``) the flipped kernel is recognised from the
        step's products, so pass the kernel as given to the convolution.

    Returns
    -------
    str
        ``"w₀×k₀ + w₁×k₁ + … = value"``, the window values times the kernel
        values in row-major order; negative factors are parenthesised.

    Raises
    ------
    ValueError
        If `kernel` does not have the shape of the step's window.

    See Also
    --------
    show_step : The same arithmetic drawn next to the matrices.

    Examples
    --------
    >>> import numpy as np
    >>> from convdemo.ops import sliding_windows
    >>> image = np.arange(9).reshape(3, 3)
    >>> kernel = np.arange(4).reshape(2, 2)
    >>> step = next(sliding_windows(image, kernel))
    >>> format_step(step, kernel)
    '0×0 + 1×1 + 3×2 + 4×3 = 19'
    """
    weights = as_image(kernel, "kernel")
    window = np.asarray(step.window, dtype=np.float64)
    if weights.shape != window.shape:
        raise ValueError(
            f"`kernel` must have the shape of the window {window.shape}, "
            f"got shape {weights.shape}"
        )
    products = np.asarray(step.products, dtype=np.float64)
    if not np.allclose(products, window * weights) and np.allclose(
        products, window * weights[::-1, ::-1]
    ):
        weights = weights[::-1, ::-1]
    terms = [
        f"{_factor(w)}×{_factor(k)}"
        for w, k in zip(window.ravel(), weights.ravel(), strict=True)
    ]
    return " + ".join(terms) + " = " + _format_value(step.value)


def _format_pool_step(step: Step, mode: str, p: float = 2) -> str:
    """Write out the arithmetic of one pooling window (real cells only)."""
    values = np.asarray(step.window, dtype=np.float64)[np.asarray(step.valid)]
    listed = [_format_value(v) for v in values]
    result = _format_value(step.value)
    if mode in ("max", "min"):
        return f"{mode}({', '.join(listed)}) = {result}"
    if mode == "avg":
        return f"({' + '.join(listed)}) / {len(listed)} = {result}"
    if mode == "l2":
        squares = " + ".join(f"{_factor(v)}²" for v in values)
        return f"√({squares}) = {result}"
    power = _format_value(p)
    terms = " + ".join(f"|{_format_value(v)}|^{power}" for v in values)
    return f"({terms})^(1/{power}) = {result}"


# --------------------------------------------------------------------------
# Matrices
# --------------------------------------------------------------------------


def _pad_spec(padding: Any) -> PadSpec:
    """Normalise ``p``, ``(pr, pc)`` or ``((t, b), (l, r))`` to the last form."""
    if isinstance(padding, tuple | list) and len(padding) == 2:
        first, second = padding
        if isinstance(first, tuple | list) and isinstance(second, tuple | list):
            if len(first) != 2 or len(second) != 2:
                raise ValueError(
                    "`padding` must be an int, (rows, cols) or "
                    f"((top, bottom), (left, right)), got {padding!r}"
                )
            top, bottom = (nonnegative_int(v, "padding") for v in first)
            left, right = (nonnegative_int(v, "padding") for v in second)
            return (top, bottom), (left, right)
        rows = nonnegative_int(first, "padding")
        cols = nonnegative_int(second, "padding")
        return (rows, rows), (cols, cols)
    amount = nonnegative_int(padding, "padding")
    return (amount, amount), (amount, amount)


def _as_matrix(values: npt.ArrayLike, name: str) -> np.ndarray:
    """Return a 2-D float array; NaN is allowed (drawn as an empty cell)."""
    array = np.asarray(values)
    if array.dtype.kind not in "biuf":
        raise TypeError(f"`{name}` must hold real numbers, got dtype {array.dtype}")
    if array.ndim != 2 or array.size == 0:
        raise ValueError(
            f"`{name}` must be a non-empty 2-D array of shape (H, W), "
            f"got shape {array.shape}"
        )
    matrix = array.astype(np.float64)
    if np.isinf(matrix).any():
        raise ValueError(f"`{name}` must not contain infinity")
    return matrix


def _edge_color(fill: Any) -> tuple[float, float, float]:
    """Return a darker shade of a fill for the cell border."""
    return blend(fill, 0.6, "black")


def _auto_fontsize(ax: Axes, extent: tuple[float, float], longest: int) -> float:
    """Pick a font size that fits `longest` characters inside one cell."""
    fig = ax.get_figure(root=True)
    assert fig is not None
    width_in, height_in = fig.get_size_inches()
    box = ax.get_position()
    cell_points = 72 * min(
        box.width * width_in / extent[0], box.height * height_in / extent[1]
    )
    by_height = 0.42 * cell_points
    by_width = 0.86 * cell_points / (0.62 * max(longest, 1))
    return float(np.clip(min(by_height, by_width), 4.0, 13.0))


def _set_cell(cell: Rectangle, text: Text | None, fill: Any) -> None:
    """Give a cell a new opaque fill and keep its text readable."""
    cell.set_facecolor(fill)
    if text is not None:
        text.set_color(text_color_for(fill))


def _matrix_limits(
    ax: Axes, shape: tuple[int, int], indices: bool
) -> tuple[float, float]:
    """Set image-coordinate limits; return the extent in cells (wide, high)."""
    rows, cols = shape
    extra = 1.0 if indices else 0.0
    ax.set_xlim(-0.5 - extra, cols - 0.5)
    ax.set_ylim(rows - 0.5, -0.5 - extra)
    ax.set_aspect("equal")
    ax.set_axis_off()
    return cols + extra, rows + extra


def _draw_matrix(
    ax: Axes,
    values: npt.ArrayLike,
    *,
    role: str = "input",
    fmt: str | None = None,
    highlight: Any = None,
    padding: Any = ((0, 0), (0, 0)),
    indices: bool = False,
    cmap: str | Colormap | None = None,
    norm: Normalize | None = None,
    fontsize: float | None = None,
    index_origin: tuple[int, int] = (0, 0),
    show_text: bool = True,
) -> dict[str, Any]:
    """Draw a matrix; the public :func:`draw_matrix` plus index offsets."""
    matrix = _as_matrix(values, "values")
    if role not in ROLES:
        one_of(role, "role", ROLES)
    (top, bottom), (left, right) = _pad_spec(padding)
    rows, cols = matrix.shape
    if top + bottom >= rows or left + right >= cols:
        raise ValueError(
            f"`padding` {padding!r} leaves no real cells in a matrix of shape "
            f"{matrix.shape}"
        )
    colormap = plt.get_cmap(cmap) if cmap is not None else None
    if colormap is not None and norm is None:
        finite = matrix[np.isfinite(matrix)]
        low = float(finite.min()) if finite.size else 0.0
        high = float(finite.max()) if finite.size else 1.0
        norm = Normalize(low, high) if high > low else Normalize(low - 1, high + 1)
    extent = _matrix_limits(ax, (rows, cols), indices)
    labels = [
        [
            (fmt.format(v) if fmt is not None else _format_value(v))
            if np.isfinite(v)
            else ""
            for v in row
        ]
        for row in matrix
    ]
    if fontsize is None:
        longest = max(len(label) for row in labels for label in row)
        fontsize = _auto_fontsize(ax, extent, max(longest, 2))
    cells: list[Rectangle] = []
    texts: list[Text] = []
    padded: list[Rectangle] = []
    for r in range(rows):
        for c in range(cols):
            is_pad = r < top or r >= rows - bottom or c < left or c >= cols - right
            value = matrix[r, c]
            if is_pad:
                fill: Any = cell_fill("padding")
            elif colormap is not None and norm is not None and np.isfinite(value):
                fill = colormap(norm(value))
            else:
                fill = cell_fill(role)
            cell = Rectangle(
                (c - 0.5, r - 0.5),
                1.0,
                1.0,
                facecolor=fill,
                edgecolor=MUTED if is_pad else _edge_color(cell_fill(role)),
                linewidth=1.0,
                linestyle="--" if is_pad else "-",
                zorder=1,
                clip_on=False,
            )
            ax.add_patch(cell)
            cells.append(cell)
            if is_pad:
                padded.append(cell)
            if show_text:
                text = ax.text(
                    c,
                    r,
                    labels[r][c],
                    ha="center",
                    va="center",
                    fontsize=fontsize,
                    color=text_color_for(fill),
                    zorder=3,
                    gid="cell",
                )
                texts.append(text)
    highlights = _draw_highlight(ax, highlight, (rows, cols))
    index_texts: list[Text] = []
    if indices:
        size = max(0.8 * fontsize, 7.0)
        for r in range(top, rows - bottom):
            index_texts.append(
                ax.text(
                    -1.0,
                    r,
                    str(r - top + index_origin[0]),
                    ha="center",
                    va="center",
                    fontsize=size,
                    color=MUTED,
                )
            )
        for c in range(left, cols - right):
            index_texts.append(
                ax.text(
                    c,
                    -1.0,
                    str(c - left + index_origin[1]),
                    ha="center",
                    va="center",
                    fontsize=size,
                    color=MUTED,
                )
            )
    return {
        "cells": cells,
        "texts": texts,
        "highlights": highlights,
        "padding": padded,
        "indices": index_texts,
    }


def _draw_highlight(
    ax: Axes, highlight: Any, shape: tuple[int, int]
) -> list[Rectangle]:
    """Outline boxes ``(row, col, height, width)`` or the cells of a mask."""
    if highlight is None:
        return []
    boxes: list[tuple[int, int, int, int]] = []
    mask = np.asarray(highlight)
    if mask.dtype == bool:
        if mask.shape != shape:
            raise ValueError(
                f"`highlight` mask must have the shape of `values` {shape}, "
                f"got shape {mask.shape}"
            )
        boxes = [(int(r), int(c), 1, 1) for r, c in np.argwhere(mask)]
    else:
        for box in highlight:
            if len(box) != 4:
                raise ValueError(
                    "`highlight` must be a boolean mask or a list of "
                    f"(row, col, height, width) boxes, got {box!r}"
                )
            row, col = (nonnegative_int(v, "highlight") for v in box[:2])
            height, width = as_pair((box[2], box[3]), "highlight")
            boxes.append((row, col, height, width))
    patches = []
    for row, col, height, width in boxes:
        patch = Rectangle(
            (col - 0.5, row - 0.5),
            width,
            height,
            fill=False,
            edgecolor=WINDOW,
            linewidth=3.0,
            zorder=4,
            clip_on=False,
        )
        ax.add_patch(patch)
        patches.append(patch)
    return patches


def draw_matrix(
    ax: Axes,
    values: npt.ArrayLike,
    *,
    role: str = "input",
    fmt: str | None = None,
    highlight: Any = None,
    padding: Any = ((0, 0), (0, 0)),
    indices: bool = False,
    cmap: str | Colormap | None = None,
    norm: Normalize | None = None,
    fontsize: float | None = None,
) -> dict[str, Any]:
    """Draw a matrix as coloured cells with its numbers written in them.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        Where to draw; its limits are set to the matrix and its axis hidden.
    values : (H, W) array_like
        The numbers, padding cells included. NaN draws an empty cell.
    role : {'input', 'kernel', 'output', 'padding', 'window'}, optional
        Which role colour fills the cells (see :mod:`convdemo.style`).
    fmt : str, optional
        A format string such as ``"{:.2f}"``. By default integers are written
        as integers and other numbers with 3 significant digits.
    highlight : list of (row, col, height, width) or (H, W) bool array, optional
        Boxes outlined in the window colour, or the cells of a mask.
    padding : int, (int, int) or ((int, int), (int, int)), optional
        How many outer rows and columns of `values` are padding: one number
        for all sides, ``(rows, cols)`` or ``((top, bottom), (left, right))``.
        Padding cells are grey and dashed.
    indices : bool, optional
        Write row indices on the left and column indices on top (counted
        from the first real cell, so padding has no index).
    cmap : str or Colormap, optional
        Colour each cell by its value instead of the role colour.
    norm : matplotlib.colors.Normalize, optional
        Value-to-colour scaling for `cmap`; the data range by default.
    fontsize : float, optional
        Size of the numbers in points; by default the largest that fits.

    Returns
    -------
    dict
        ``"cells"``: the ``H·W`` cell rectangles in row-major order;
        ``"texts"``: their ``H·W`` labels in the same order;
        ``"highlights"``: the outline rectangles; ``"padding"``: the padding
        cells; ``"indices"``: the index labels.

    Notes
    -----
    Each label is black or white, whichever contrasts more with its cell's
    fill, so the contrast is at least 4.5:1 whatever the colormap.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> import numpy as np
    >>> fig, ax = plt.subplots()
    >>> artists = draw_matrix(ax, np.arange(6).reshape(2, 3), highlight=[(0, 1, 2, 2)])
    >>> [text.get_text() for text in artists["texts"]]
    ['0', '1', '2', '3', '4', '5']
    >>> artists["highlights"][0].get_xy()
    (0.5, -0.5)
    >>> plt.close(fig)
    """
    with styled():
        return _draw_matrix(
            ax,
            values,
            role=role,
            fmt=fmt,
            highlight=highlight,
            padding=padding,
            indices=indices,
            cmap=cmap,
            norm=norm,
            fontsize=fontsize,
        )


def _image_norm(image: np.ndarray, dtype: Any = None) -> Normalize:
    """Return the default value scaling of an image (the rule of draw_image).

    `image` is the float copy; `dtype` the dtype the caller passed in (the
    float copy no longer tells an 8-bit image from a float one).
    """
    kind = np.dtype(dtype if dtype is not None else image.dtype)
    low, high = float(image.min()), float(image.max())
    if kind == np.uint8:
        return Normalize(0.0, 255.0)
    if kind.kind in "iu" and low >= 0 and 1 < high <= 255:
        return Normalize(0.0, 255.0)
    if low >= 0 and high <= 1:
        return Normalize(0.0, 1.0)
    return Normalize(low, high) if high > low else Normalize(low - 1, high + 1)


def _title(ax: Axes, text: str, role: str | None = None, size: float = 11) -> Text:
    """Put a title on a rounded box in the role colour (neutral grey if None)."""
    fill = ROLES[role] if role is not None else _NEUTRAL
    return ax.set_title(
        text,
        color=text_color_for(fill),
        fontsize=size,
        fontweight="bold",
        pad=9,
        bbox={
            "boxstyle": "round,pad=0.28,rounding_size=0.5",
            "facecolor": fill,
            "edgecolor": "none",
        },
    )


def _note(ax: Axes, text: str, size: float = 9) -> Text:
    """Write a short note under an axes, in the muted colour."""
    return ax.text(
        0.5,
        -0.04,
        text,
        transform=ax.transAxes,
        ha="center",
        va="top",
        fontsize=size,
        color=MUTED,
    )


# One CSS pixel of the documentation page: figures are laid out at 100 dpi
# (7.5 inches = 750 px), whatever dpi they are saved at.
_SCREEN_DPI = 100.0
_INTERPOLATIONS = ("screen", *sorted(mimage.interpolations_names))


def _screen_pixels(ax: Axes, shape: tuple[int, ...]) -> float:
    """Return how many screen pixels (1/100 inch) one image pixel covers."""
    fig = ax.get_figure(root=True)
    assert fig is not None
    width_in, height_in = fig.get_size_inches()
    box = ax.get_position(original=True)
    inches = min(box.width * width_in / shape[1], box.height * height_in / shape[0])
    return float(inches * _SCREEN_DPI)


def _area_average(picture: np.ndarray, axis: int, target: int) -> np.ndarray:
    """Average an image along one axis down to `target` pixels, over areas.

    Output pixel ``i`` covers ``[i, i + 1) · length / target`` in input pixel
    units; each input pixel counts with the share of it inside that span. The
    sums come from the running sum of the pixels (the integral of the image,
    which is linear inside each pixel), so the cost is one pass over the image.
    """
    length = picture.shape[axis]
    moved = np.moveaxis(picture, axis, 0)
    running = np.zeros((length + 1, *moved.shape[1:]))
    np.cumsum(moved, axis=0, out=running[1:])
    edges = np.linspace(0.0, float(length), target + 1)
    whole = np.minimum(edges.astype(np.intp), length - 1)
    share = (edges - whole).reshape(-1, *([1] * (moved.ndim - 1)))
    integral = running[whole] + share * moved[whole]
    averaged = np.diff(integral, axis=0) * (target / length)
    return np.moveaxis(averaged, 0, axis)


def _reduce_to_screen(picture: np.ndarray, pixels: float) -> np.ndarray:
    """Average an image down to about one pixel per screen pixel.

    `pixels` is the screen pixels one image pixel covers; nothing changes when
    it is at least 1.
    """
    if pixels >= 1.0:
        return picture
    rows, cols = picture.shape[:2]
    reduced = _area_average(picture, 0, max(1, int(np.ceil(rows * pixels - 1e-6))))
    return _area_average(reduced, 1, max(1, int(np.ceil(cols * pixels - 1e-6))))


def draw_image(
    ax: Axes,
    image: npt.ArrayLike,
    *,
    cmap: str | Colormap | None = None,
    norm: Normalize | None = None,
    pixel_grid: bool = False,
    title: str | None = None,
    role: str | None = None,
    interpolation: str | None = None,
) -> dict[str, Any]:
    """Draw an image pixel for pixel, with an optional grid between pixels.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        Where to draw; ticks are hidden. Give it its final size first: the
        default `interpolation` depends on it.
    image : (H, W) or (H, W, 3) array_like
        Gray values or RGB colours.
    cmap : str or Colormap, optional
        Colormap for a gray image; :data:`convdemo.style.GRAY` by default.
    norm : matplotlib.colors.Normalize, optional
        Value scaling; by default the rule in the Notes.
    pixel_grid : bool, optional
        Draw lines between pixels (for small images).
    title : str, optional
        Title, on a rounded box in the colour of `role`.
    role : {'input', 'kernel', 'output', 'padding', 'window'}, optional
        Role whose colour the title box takes; neutral grey if omitted.
    interpolation : str, optional
        How pixels become screen pixels: ``'screen'`` or any name matplotlib's
        ``imshow`` accepts (``'nearest'``, ``'antialiased'``, …). By default
        ``'nearest'`` when one image pixel covers at least about one screen
        pixel (1/100 inch) of the Axes, else ``'antialiased'``.
        ``'screen'`` first averages the image down to about one pixel per
        screen pixel (area averaging), then draws it with ``'nearest'``: a
        photograph saved at 2× (dpi 200) then holds 2×2 blocks instead of
        finely resampled pixels, and its PNG is several times smaller.

    Returns
    -------
    dict
        ``"image"``: the :class:`~matplotlib.image.AxesImage` (with
        ``'screen'``, its array is the averaged image, spread over the same
        pixel coordinates); ``"grid"``: the grid's
        :class:`~matplotlib.collections.LineCollection` or None; ``"title"``:
        the title text or None.

    Raises
    ------
    ValueError
        If `interpolation` is not one of the names above, or `image` is not
        (H, W) or (H, W, 3).

    Notes
    -----
    Without `norm` the values are scaled by an explicit rule, the same for
    gray and RGB images:

    * ``uint8`` images, and integer images with values in 0..255 and a
      largest value above 1, run from 0 (black) to 255 (white);
    * images with every value in [0, 1] (float, bool or integer) run from 0
      to 1;
    * anything else (negative values, floats above 1 such as a ReLU map
      from 0 to 2.5, integers above 255) runs from its smallest to its
      largest value.

    A float image of whole numbers from 0 to 255 therefore uses its own
    range; pass ``norm=Normalize(0, 255)`` to show it on the 8-bit scale.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> import numpy as np
    >>> fig, ax = plt.subplots()
    >>> artists = draw_image(ax, np.eye(4), pixel_grid=True, title="Input")
    >>> artists["image"].get_array().shape, len(artists["grid"].get_segments())
    ((4, 4), 10)
    >>> artists["image"].get_interpolation()
    'nearest'
    >>> relu = draw_image(ax, np.array([[0.0, 2.5]]))["image"]
    >>> float(relu.norm.vmin), float(relu.norm.vmax)
    (0.0, 2.5)
    >>> plt.close(fig)
    """
    if interpolation is not None:
        interpolation = one_of(interpolation, "interpolation", _INTERPOLATIONS)
    dtype = np.asarray(image).dtype
    with styled():
        picture = as_image(image, "image", ndim=(2, 3))
        if picture.ndim == 3 and picture.shape[2] != 3:
            raise ValueError(
                f"`image` must have 3 colour channels, got shape {picture.shape}"
            )
        rows, cols = picture.shape[:2]
        pixels = _screen_pixels(ax, picture.shape)
        scale = norm if norm is not None else _image_norm(picture, dtype)
        if interpolation == "screen":
            shown_values = _reduce_to_screen(picture, pixels)
            method = "nearest"
        else:
            shown_values = picture
            method = interpolation or ("nearest" if pixels >= 0.95 else "antialiased")
        extent = (-0.5, cols - 0.5, rows - 0.5, -0.5)
        if picture.ndim == 2:
            shown = ax.imshow(
                shown_values,
                cmap=cmap if cmap is not None else GRAY,
                norm=scale,
                interpolation=method,
                extent=extent,
            )
        else:
            # imshow ignores a norm for RGB data: scale the channels here.
            low = float(scale.vmin if scale.vmin is not None else 0.0)
            high = float(scale.vmax if scale.vmax is not None else 1.0)
            shown = ax.imshow(
                np.clip((shown_values - low) / (high - low), 0.0, 1.0),
                interpolation=method,
                extent=extent,
            )
        ax.set_xticks([])
        ax.set_yticks([])
        for spine in ax.spines.values():
            spine.set_color(MUTED)
            spine.set_linewidth(0.8)
        grid: LineCollection | None = None
        if pixel_grid:
            segments = [
                ((-0.5, r - 0.5), (cols - 0.5, r - 0.5)) for r in range(rows + 1)
            ]
            segments += [
                ((c - 0.5, -0.5), (c - 0.5, rows - 0.5)) for c in range(cols + 1)
            ]
            grid = LineCollection(segments, colors=MUTED, linewidths=0.6, zorder=2)
            ax.add_collection(grid, autolim=False)
        title_text = _title(ax, title, role) if title is not None else None
        return {"image": shown, "grid": grid, "title": title_text}


def _as_range(span: Any, name: str, length: int) -> range:
    """Turn a slice or (start, stop) pair into a range inside ``0..length``."""
    if isinstance(span, slice):
        result = range(*span.indices(length))
    elif isinstance(span, tuple | list) and len(span) == 2:
        start = nonnegative_int(span[0], name)
        stop = nonnegative_int(span[1], name)
        result = range(start, min(stop, length))
    else:
        raise TypeError(f"`{name}` must be a slice or (start, stop), got {span!r}")
    if len(result) == 0 or result.step != 1:
        raise ValueError(
            f"`{name}` must select at least one consecutive index below {length}, "
            f"got {span!r}"
        )
    return result


def draw_crop(
    ax: Axes,
    image: npt.ArrayLike,
    rows: Any,
    cols: Any,
    *,
    fmt: str | None = None,
    indices: bool = True,
) -> dict[str, Any]:
    """Draw a crop of an image as its numbers, each cell in its own gray.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        Where to draw.
    image : (H, W) array_like
        A gray image.
    rows, cols : slice or (start, stop)
        The rows and columns to show.
    fmt : str, optional
        Format of the numbers (see :func:`draw_matrix`).
    indices : bool, optional
        Label the rows and columns with their indices in the full image.

    Returns
    -------
    dict
        As :func:`draw_matrix`, for a matrix of shape
        ``(len(rows), len(cols))``.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> import numpy as np
    >>> fig, ax = plt.subplots()
    >>> image = np.arange(100).reshape(10, 10)
    >>> artists = draw_crop(ax, image, (2, 4), (5, 8))
    >>> [text.get_text() for text in artists["texts"]]
    ['25', '26', '27', '35', '36', '37']
    >>> [text.get_text() for text in artists["indices"]]
    ['2', '3', '5', '6', '7']
    >>> plt.close(fig)
    """
    picture = as_image(image, "image")
    row_range = _as_range(rows, "rows", picture.shape[0])
    col_range = _as_range(cols, "cols", picture.shape[1])
    crop = picture[row_range.start : row_range.stop, col_range.start : col_range.stop]
    with styled():
        return _draw_matrix(
            ax,
            crop,
            fmt=fmt,
            cmap=GRAY,
            norm=_image_norm(picture, np.asarray(image).dtype),
            indices=indices,
            index_origin=(row_range.start, col_range.start),
        )


# --------------------------------------------------------------------------
# Figure layout
# --------------------------------------------------------------------------


def _row_figure(
    widths: Sequence[float],
    heights: Sequence[float],
    gaps: Sequence[float],
    *,
    top: float = _TITLE_BAND,
    bottom: float = 0.2,
    side: float = 0.15,
    right: float | None = None,
    min_width: float = 0.0,
) -> tuple[Figure, list[Axes], list[tuple[float, float]]]:
    """Place panels left to right, centred vertically; sizes in inches.

    Returns the figure, the axes and the centre of each gap (figure
    fraction), where an operator sign goes.
    """
    right = side if right is None else right
    content = side + sum(widths) + sum(gaps) + right
    # Centre narrow content in a figure of at least `min_width`.
    extra = max(0.0, min_width - content) / 2
    side += extra
    total_width = content + 2 * extra
    band = max(heights)
    total_height = top + band + bottom
    fig = plt.figure(figsize=(total_width, total_height))
    axes: list[Axes] = []
    centres: list[tuple[float, float]] = []
    x = side
    middle = (bottom + band / 2) / total_height
    for index, (width, height) in enumerate(zip(widths, heights, strict=True)):
        y = bottom + (band - height) / 2
        rect = (
            x / total_width,
            y / total_height,
            width / total_width,
            height / total_height,
        )
        axes.append(fig.add_axes(rect))
        x += width
        if index < len(gaps):
            centres.append(((x + gaps[index] / 2) / total_width, middle))
            x += gaps[index]
    return fig, axes, centres


def _operator(fig: Figure, where: tuple[float, float], symbol: str) -> Text:
    """Write an operator sign (⋆, =, →) between two panels."""
    return fig.text(
        where[0],
        where[1],
        symbol,
        ha="center",
        va="center",
        fontsize=32 if symbol == "⋆" else 22,
        color=MUTED,
        gid="operator",
    )


def _caption(fig: Figure, text: str, y: float, size: float = 10.5) -> Text:
    """Write a caption on an opaque rounded box (readable on any page)."""
    return fig.text(
        0.5,
        y,
        text,
        ha="center",
        va="center",
        fontsize=size,
        color=_CAPTION_TEXT,
        gid="caption",
        linespacing=1.5,
        bbox={
            "boxstyle": "round,pad=0.45,rounding_size=0.4",
            "facecolor": _CAPTION_FILL,
            "edgecolor": MUTED,
            "linewidth": 0.8,
        },
    )


def _drawn_texts(fig: Figure) -> list[Text]:
    """Return the texts a draw shows: visible, non-empty, not on a hidden axis."""
    found: list[Artist] = []
    for child in fig.get_children():
        if not isinstance(child, Axes):
            found += child.findobj(Text)
            continue
        if not child.get_visible():
            continue
        # Tick and axis labels of an Axes whose axis is off are not drawn; not
        # visiting them also spares creating their ticks.
        hidden = () if child.axison else (child.xaxis, child.yaxis)
        for part in child.get_children():
            if part not in hidden:
                found += part.findobj(Text)
    return [
        text
        for text in found
        if isinstance(text, Text) and text.get_visible() and text.get_text().strip()
    ]


def _text_extents(fig: Figure) -> list[Any]:
    """Return the display boxes of every drawn text, rounded boxes included."""
    # Texts are laid out by a draw; the images are hidden meanwhile: resampling
    # a photograph is most of a draw's cost and moves no text.
    images = [
        image for ax in fig.axes for image in ax.get_images() if image.get_visible()
    ]
    for image in images:
        image.set_visible(False)
    try:
        fig.draw_without_rendering()
    finally:
        for image in images:
            image.set_visible(True)
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    boxes = []
    for text in _drawn_texts(fig):
        boxes.append(text.get_window_extent(renderer))
        patch = text.get_bbox_patch()
        if patch is not None:
            boxes.append(patch.get_window_extent(renderer))
    return boxes


def _fit_figure(fig: Figure, margin: float = 0.06) -> None:
    """Move or grow a figure's layout so that every text lies inside it.

    Titles wider than their panel (a 1×1 output), notes wider than the
    figure's side margin: everything is measured as drawn, then the panels and
    figure texts are shifted together when the content fits, or the figure
    grows by the overflow when it does not. Sizes in inches stay the same.
    """
    width, height = (float(v) for v in fig.get_size_inches())
    boxes = _text_extents(fig)
    boxes += [ax.get_window_extent() for ax in fig.axes if ax.get_visible()]
    union = Bbox.union(boxes).transformed(fig.dpi_scale_trans.inverted())

    def place(low: float, high: float, size: float) -> tuple[float, float]:
        low, high = low - margin, high + margin
        if high - low > size:
            return high - low, -low
        return size, (-low if low < 0 else (size - high if high > size else 0.0))

    new_width, dx = place(union.x0, union.x1, width)
    new_height, dy = place(union.y0, union.y1, height)
    if (new_width, new_height, dx, dy) == (width, height, 0.0, 0.0):
        return
    fig.set_size_inches(new_width, new_height)
    for ax in fig.axes:
        box = ax.get_position(original=True)
        ax.set_position(
            (
                (box.x0 * width + dx) / new_width,
                (box.y0 * height + dy) / new_height,
                box.width * width / new_width,
                box.height * height / new_height,
            )
        )
    for text in fig.texts:
        x, y = text.get_position()
        text.set_position(
            ((x * width + dx) / new_width, (y * height + dy) / new_height)
        )


def _wrap_notes(notes: Sequence[str], width: float, size: float = 8.5) -> str:
    """Join notes with `` · ``, breaking lines so none is wider than `width` in."""
    per_line = max(12, int(width * 72 / (0.6 * size)))
    lines: list[str] = []
    for note in notes:
        if lines and len(lines[-1]) + 3 + len(note) <= per_line:
            lines[-1] += " · " + note
        else:
            lines.append(note)
    return "\n".join(lines)


def _note_height(text: str, size: float = 8.5) -> float:
    """Return the height (inches) of a note of this many lines, with a gap."""
    return 0.12 + (text.count("\n") + 1) * size * 1.25 / 72


def _hatch_unread(ax: Axes, mask: np.ndarray) -> list[Rectangle]:
    """Hatch the cells of `mask`: cells that no window reads."""
    patches = []
    for r, c in np.argwhere(mask):
        patch = Rectangle(
            (c - 0.5, r - 0.5),
            1,
            1,
            fill=False,
            hatch="///",
            edgecolor=MUTED,
            linewidth=0,
            zorder=2,
            gid="leftover",
        )
        ax.add_patch(patch)
        patches.append(patch)
    return patches


def _check_small(shape: tuple[int, ...], name: str, limit: int = _MAX_CELLS) -> None:
    """Refuse matrices too large to write out cell by cell."""
    if max(shape) > limit:
        raise ValueError(
            f"`{name}` is too large to draw as numbers: shape {tuple(shape)}, at "
            f"most {limit} rows and columns (with padding); pass a crop"
        )


def _cell_size(total_cells: float, fixed: float = 0.0) -> float:
    """Return the cell size (inches) that fits everything in the page width."""
    available = _MAX_WIDTH - 0.3 - fixed
    return float(min(_MAX_CELL, available / total_cells))


def _robust_norm(values: np.ndarray) -> Normalize:
    """Symmetric norm; large images ignore their most extreme 0.5 %."""
    return signed_norm(values, percentile=99.5 if values.size > 4096 else 100.0)


def _output_norm(result: np.ndarray, input_norm: Normalize) -> tuple[bool, Normalize]:
    """Choose how a filter output is drawn: ``(signed, norm)``.

    An output with a negative value (or only zeros) is signed: diverging map,
    symmetric scale. Otherwise it is drawn in gray like an image: on the
    input's own scale when every value lies inside it (so the identity's
    output looks exactly like its input), else from 0 (black) to its largest
    value (white).
    """
    low, high = float(result.min()), float(result.max())
    if low < 0 or high == 0:
        return True, _robust_norm(result)
    vmin = float(input_norm.vmin if input_norm.vmin is not None else 0.0)
    vmax = float(input_norm.vmax if input_norm.vmax is not None else 1.0)
    if vmin <= low and high <= vmax:
        return False, Normalize(vmin, vmax)
    return False, Normalize(0.0, high)


def _colorbar(
    fig: Figure,
    ax: Axes,
    cax: Axes,
    image: AxesImage,
    data: np.ndarray | None = None,
) -> Any:
    """Add a colourbar with muted ticks; arrows mark values beyond the scale.

    `data` is the full-resolution image when the drawn one was averaged down.
    """
    data = np.asarray(image.get_array() if data is None else data)
    norm = image.norm
    assert norm.vmin is not None
    assert norm.vmax is not None
    below = bool(data.min() < norm.vmin)
    above = bool(data.max() > norm.vmax)
    extend = {(False, False): "neither", (True, False): "min", (False, True): "max"}
    bar = fig.colorbar(image, cax=cax, extend=extend.get((below, above), "both"))
    bar.outline.set_edgecolor(MUTED)
    bar.outline.set_linewidth(0.6)
    cax.tick_params(labelsize=8, colors=MUTED, length=2)
    return bar


def _caption_width(text: str, size: float = 10.5) -> float:
    """Return the figure width (inches) a caption needs, at most a page."""
    longest = max(len(line) for line in text.split("\n"))
    return float(min(_MAX_WIDTH, longest * size * 0.6 / 72 + 0.6))


def _caption_band(text: str) -> float:
    """Return the height (inches) a caption of this many lines needs."""
    return 0.3 + 0.24 * (text.count("\n") + 1)


def _window_highlight(step: Step, shape: tuple[int, int]) -> Any:
    """Outline a step's window: one box, or each tap when the kernel is dilated."""
    rows = np.asarray(step.rows)
    cols = np.asarray(step.cols)
    if np.all(np.diff(rows) == 1) and np.all(np.diff(cols) == 1):
        return [(int(rows[0]), int(cols[0]), len(rows), len(cols))]
    mask = np.zeros(shape, dtype=bool)
    mask[np.ix_(rows, cols)] = True
    return mask


def _wrap_caption(text: str, size: float = 10.5) -> str:
    """Break a long caption after ``+`` or ``,`` so it fits the page width."""
    per_line = int((_MAX_WIDTH - 0.8) * 72 / (0.6 * size))
    lines: list[str] = []
    for token in re.split(r"(?<=[+,]) ", text):
        if lines and len(lines[-1]) + 1 + len(token) <= per_line:
            lines[-1] += " " + token
        else:
            lines.append(token)
    return "\n".join(lines)


def _wrap_terms(text: str, per_line: int) -> str:
    """Break ``a×b + c×d + … = v`` after every `per_line` terms."""
    left, _, result = text.rpartition(" = ")
    terms = left.split(" + ")
    if len(terms) <= per_line or len(text) <= 56:
        return text
    lines = [
        " + ".join(terms[start : start + per_line])
        for start in range(0, len(terms), per_line)
    ]
    return " +\n".join(lines) + " = " + result


# --------------------------------------------------------------------------
# Figure builders
# --------------------------------------------------------------------------


def show_matrix(
    values: npt.ArrayLike,
    *,
    role: str = "input",
    title: str | None = None,
    fmt: str | None = None,
    highlight: Any = None,
    padding: Any = ((0, 0), (0, 0)),
    indices: bool = False,
    cmap: str | Colormap | None = None,
    norm: Normalize | None = None,
) -> tuple[Figure, Axes]:
    """Show one matrix with its numbers, titled with its role.

    Parameters
    ----------
    values : (H, W) array_like
        The matrix (padding included, see `padding`).
    role : {'input', 'kernel', 'output', 'padding', 'window'}, optional
        Role colour of the cells and the title box.
    title : str, optional
        Title; by default the role and the shape, e.g. ``"Input 4×4"``.
    fmt, highlight, padding, indices, cmap, norm
        As in :func:`draw_matrix`.

    Returns
    -------
    fig : matplotlib.figure.Figure
    ax : matplotlib.axes.Axes

    See Also
    --------
    draw_matrix : The same on an existing Axes.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> import numpy as np
    >>> from convdemo.style import get_alt_text
    >>> fig, ax = show_matrix(np.arange(4).reshape(2, 2), role="kernel")
    >>> ax.get_title(), get_alt_text(fig)
    ('Kernel 2×2', 'Kernel 2×2 matrix [[0, 1], [2, 3]]')
    >>> plt.close(fig)
    """
    matrix = _as_matrix(values, "values")
    if role not in ROLES:
        one_of(role, "role", ROLES)
    _check_small(matrix.shape, "values")
    rows, cols = matrix.shape
    extra = 1 if indices else 0
    # The side margins are 0.25 inch, 0.1 more than _cell_size allows for.
    cell = _cell_size(cols + extra, 0.2)
    with styled():
        fig, (ax,), _ = _row_figure(
            [(cols + extra) * cell], [(rows + extra) * cell], [], side=0.25
        )
        _draw_matrix(
            ax,
            matrix,
            role=role,
            fmt=fmt,
            highlight=highlight,
            padding=padding,
            indices=indices,
            cmap=cmap,
            norm=norm,
        )
        label = title if title is not None else f"{role.capitalize()} {rows}×{cols}"
        _title(ax, label, role)
        _fit_figure(fig)
    shown = _matrix_text(matrix) if matrix.size <= 64 else "of numbers"
    set_alt_text(fig, f"{role.capitalize()} {rows}×{cols} matrix {shown}")
    return fig, ax


def _resolve_kernel(kernel: npt.ArrayLike | str) -> tuple[np.ndarray, str, str]:
    """Return (values, display name, description) for an array or a name."""
    if isinstance(kernel, str):
        if kernel not in KERNELS:
            one_of(kernel, "kernel", KERNELS)
        entry = KERNELS[kernel]
        return np.array(entry.values), entry.name, entry.description
    weights = as_image(kernel, "kernel")
    for entry in KERNELS.values():
        if entry.values.shape == weights.shape and np.array_equal(
            entry.values, weights
        ):
            return weights, entry.name, entry.description
    return weights, "", ""


def _clipped_view(
    image: np.ndarray, kernel: np.ndarray, result: np.ndarray
) -> np.ndarray:
    """Return the post's view: 0–255 input, divide by the kernel sum, clip.

    `result` is the filter's output on `image` as given; filtering is linear,
    so the output on the 0–255 input is that result times 255.
    """
    scale = 255.0 if image.max() <= 1 else 1.0
    response = result * scale
    total = float(kernel.sum())
    if not np.isclose(total, 0.0):
        response = response / total
    return np.clip(response, 0.0, 255.0)


def show_filter(
    image: npt.ArrayLike,
    kernel: npt.ArrayLike | str,
    *,
    padding: Padding = "same",
    border: str = "zeros",
    stride: int | tuple[int, int] = 1,
    dilation: int | tuple[int, int] = 1,
    flip: bool = False,
    clipped: bool = False,
    title: str | None = None,
) -> tuple[Figure, list[Axes]]:
    """Show an image, a kernel and the filtered image side by side.

    Parameters
    ----------
    image : (H, W) array_like
        The input image.
    kernel : (kh, kw) array_like or str
        The kernel, or the name of one in :data:`convdemo.kernels.KERNELS`.
    padding, border, stride, dilation
        As in :func:`convdemo.ops.correlate2d`.
    flip : bool, optional
        Convolve (flip the kernel) instead of cross-correlating.
    clipped : bool, optional
        Also show the blog post's view: the input on 0–255, the result
        divided by the kernel's sum (when non-zero) and clipped to 0–255,
        which hides every negative response.
    title : str, optional
        A title above the whole figure.

    Returns
    -------
    fig : matplotlib.figure.Figure
    axes : list of Axes
        Input, kernel, output, the output's colourbar and, with
        ``clipped=True``, the clipped view.

    Notes
    -----
    A signed output (one with a negative value, or only zeros) is drawn on
    the diverging colormap with a symmetric scale: red for positive
    responses, blue for negative, white for 0. For images over 4096 pixels
    the scale ends at the 99.5th percentile of the magnitudes (arrows on the
    colourbar mark the values beyond), so that a few extreme pixels do not
    wash out the rest. Its title ends in "signed".

    An output with no negative value (identity, blurs, …) is an image, and is
    drawn like one, in gray. When every value lies inside the input's scale
    (the rule of :func:`draw_image`: 0–1 for an image in [0, 1], 0–255 for
    8-bit values), the output uses that same scale, so the identity's output
    looks exactly like its input; otherwise the scale runs from 0 (black) to
    the output's largest value (white), as for the box blur's sums of nine
    pixels. Its title ends in "≥ 0" and the note under it gives the scale.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> import numpy as np
    >>> image = np.zeros((8, 8))
    >>> image[:, 4:] = 1
    >>> fig, axes = show_filter(image, "vertical", clipped=True)
    >>> [ax.get_title() for ax in axes]  # doctest: +NORMALIZE_WHITESPACE
    ['Input 8×8', "Kernel 'vertical'", 'Output, signed', '',
     'Clipped to 0–255']
    >>> plt.close(fig)
    >>> fig, axes = show_filter(image, "identity")
    >>> axes[2].get_title(), axes[2].images[0].get_cmap().name
    ('Output 8×8, ≥ 0', 'gray')
    >>> plt.close(fig)
    """
    picture = as_image(image, "image")
    weights, name, description = _resolve_kernel(kernel)
    options: dict[str, Any] = {
        "padding": padding,
        "border": border,
        "stride": stride,
        "dilation": dilation,
    }
    compute = convolve2d if flip else correlate2d
    result = compute(picture, weights, **options)
    kh, kw = weights.shape
    side = 1.45 if clipped else 2.05
    cell = min(_MAX_CELL, (0.95 if clipped else 1.3) / max(kh, kw, 3))
    widths = [side, kw * cell, side, 0.12]
    heights = [side, kh * cell, side, side]
    size = 10.0 if clipped else 11.0
    top = _TITLE_BAND + (0.35 if title else 0.0)
    with styled():
        # The kernel's title may be wider than the kernel: it breaks at a
        # space, and the gaps on both sides widen so that it clears the
        # panels next to it.
        kernel_title = _wrap_title(
            f"Kernel '{name}'" if name else f"Kernel {kh}×{kw}",
            kw * cell + 2 * _GAP - 0.3,
            size,
        )
        title_width = max(
            _text_width(line, size, "bold") for line in kernel_title.split("\n")
        )
        gap = max(_GAP, (title_width + 0.56 * size / 72 - kw * cell) / 2 + 0.12)
        gaps = [gap, gap, 0.08]
        if clipped:
            widths.append(side)
            heights.append(side)
            gaps.append(0.6)
        fig, axes, centres = _row_figure(
            widths,
            heights,
            gaps,
            top=top,
            bottom=0.4,
            side=0.12,
            right=0.25 if clipped else 0.5,
        )
        source = draw_image(axes[0], picture, interpolation="screen")
        rows, cols = picture.shape
        _title(axes[0], f"Input {rows}×{cols}", "input", size)
        # A normalised kernel is written as whole numbers and its divisor.
        form = _integer_form(weights)
        _draw_matrix(axes[1], weights if form is None else form[0], role="kernel")
        if form is not None:
            _note(axes[1], f"each ÷ {_format_value(form[1])}")
        _title(axes[1], kernel_title, "kernel", size)
        signed, scale = _output_norm(result, source["image"].norm)
        shown = draw_image(
            axes[2],
            result,
            cmap=DIVERGING if signed else GRAY,
            norm=scale,
            interpolation="screen",
        )
        out_rows, out_cols = result.shape
        kind = "signed" if signed else "≥ 0"
        _title(
            axes[2],
            f"Output, {kind}" if clipped else f"Output {out_rows}×{out_cols}, {kind}",
            "output",
            size,
        )
        black = _format_value(float(scale.vmin or 0.0))
        white = _format_value(float(scale.vmax or 0.0))
        _note(
            axes[2],
            "red > 0, blue < 0" if signed else f"black {black}, white {white}",
        )
        _colorbar(fig, axes[2], axes[3], shown["image"], result)
        _operator(fig, centres[0], "⋆" if not flip else "∗")
        _operator(fig, centres[1], "=")
        if clipped:
            view = _clipped_view(picture, weights, result)
            draw_image(
                axes[4], view, norm=Normalize(0.0, 255.0), interpolation="screen"
            )
            _title(axes[4], "Clipped to 0–255", "output", size)
            _note(
                axes[4],
                "negative values vanish" if signed else "no negative value to lose",
            )
        if title:
            fig.text(
                0.5,
                1 - 0.2 / fig.get_size_inches()[1],
                title,
                ha="center",
                va="center",
                fontsize=12,
                fontweight="bold",
                color=MUTED,
            )
        _fit_figure(fig)
    kernel_text = f"'{name}' " if name else ""
    if signed:
        scale_text = "on a diverging scale, red for positive, blue for negative"
    else:
        scale_text = (
            "with no negative value, drawn in gray like the input, from black "
            f"({black}) to white ({white})"
        )
    alt = (
        f"Input {rows}×{cols} image, kernel {kernel_text}{_matrix_text(weights)}, "
        f"output {out_rows}×{out_cols} {scale_text}"
    )
    if description:
        alt += f"; this kernel {description[0].lower()}{description[1:].rstrip('.')}"
    if clipped:
        alt += "; beside it the post's clipped 0–255 view" + (
            ", where negative values vanish" if signed else ""
        )
    set_alt_text(fig, alt)
    return fig, axes


def _text_width(text: str, size: float, weight: str = "normal") -> float:
    """Return the width in inches of one line of `text`, as Agg draws it.

    Measured at the page's 100 dpi, where hinting makes small text a little
    wider than its outline.
    """
    renderer = RendererAgg(1, 1, _SCREEN_DPI)  # type: ignore[no-untyped-call]
    prop = FontProperties(size=size, weight=weight)
    width, _, _ = renderer.get_text_width_height_descent(  # type: ignore[no-untyped-call]
        text, prop, ismath=False
    )
    return float(width) / _SCREEN_DPI


def _wrap_title(text: str, width: float, size: float) -> str:
    """Break a bold title at spaces into lines no wider than `width` inches.

    A word wider than `width` on its own keeps a line to itself.
    """
    lines: list[str] = []
    for word in text.split(" "):
        joined = f"{lines[-1]} {word}" if lines else word
        if lines and _text_width(joined, size, "bold") <= width:
            lines[-1] = joined
        else:
            lines.append(word)
    return "\n".join(lines)


def _stack_rows(note: str, width: float, size: float) -> str:
    """Write a ``a b / c d`` kernel note one row per line if it is too wide."""
    if _text_width(note, size) <= width or " / " not in note:
        return note
    return note.replace(" / ", "\n")


def _integer_form(weights: np.ndarray) -> tuple[np.ndarray, float] | None:
    """Return ``(integers, divisor)`` when the weights are whole numbers over a
    common divisor (a normalised blur: ``(1 2 1 / 2 4 2 / 1 2 1) / 16``), else None.
    """
    total = float(weights.sum())
    if np.allclose(weights, np.round(weights)) or np.isclose(total, 0.0):
        return None
    # The smallest whole divisor is the least common multiple of the
    # weights' denominators; try it (and 1 / sum) instead of 2, 3, … 1024.
    common = math.lcm(
        *(Fraction(float(v)).limit_denominator(1024).denominator for v in weights.flat)
    )
    for divisor in (1 / total, *([common] if 2 <= common <= 1024 else [])):
        scaled = weights * divisor
        if np.allclose(scaled, np.round(scaled), atol=1e-9):
            return np.round(scaled), float(divisor)
    return None


def _kernel_rows(weights: np.ndarray, limit: int = 36) -> str:
    """Return a kernel as compact rows, e.g. ``1 0 −1 / 1 0 −1 / 1 0 −1``.

    Normalised integer kernels are written as integers over their sum, e.g.
    ``(1 2 1 / 2 4 2 / 1 2 1) / 16``; a kernel too long to write out in
    `limit` characters is named by its shape.
    """

    def rows(values: np.ndarray) -> str:
        return " / ".join(" ".join(_format_value(v) for v in row) for row in values)

    text = rows(weights)
    if (form := _integer_form(weights)) is not None:
        integers, divisor = form
        text = f"({rows(integers)}) / {_format_value(divisor)}"
    if len(text) > limit:
        text = f"{weights.shape[0]}×{weights.shape[1]} weights"
    return text


def show_filters(
    image: npt.ArrayLike,
    kernels: Mapping[str, npt.ArrayLike] | Sequence[str],
    *,
    ncols: int = 3,
    padding: Padding = "same",
    border: str = "zeros",
    show_input: bool = True,
) -> tuple[Figure, np.ndarray]:
    """Show one image through several kernels, as small multiples.

    Parameters
    ----------
    image : (H, W) array_like
        The input image.
    kernels : mapping of name to (kh, kw) array_like, or sequence of str
        The kernels, or names from :data:`convdemo.kernels.KERNELS`.
    ncols : int, optional
        Panels per row.
    padding, border
        As in :func:`convdemo.ops.correlate2d`.
    show_input : bool, optional
        Start with a panel showing the input itself.

    Returns
    -------
    fig : matplotlib.figure.Figure
    axes : (rows, ncols) ndarray of Axes
        Row-major; unused panels are hidden. The shared colourbars come after
        them in ``fig.axes``: the diverging one (titled "signed") if any output
        is signed, then the gray one (titled "≥ 0") if any is not.

    Notes
    -----
    Signed outputs (with a negative value, or only zeros) are drawn on the
    diverging map, each scaled to its own largest magnitude (the 99.5th
    percentile of the magnitudes for images over 4096 pixels, so that a few
    extreme pixels do not wash out the rest), so the panels compare where
    each kernel responds, not how strongly.

    Outputs with no negative value (identity, blurs, …) are drawn in gray
    like the input, by the rule of :func:`show_filter`: on the input's scale
    when they stay inside it (the identity's panel is the input panel again),
    else from 0 (black) to their largest value (white).

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> import numpy as np
    >>> image = np.zeros((8, 8))
    >>> image[2:6, 2:6] = 1
    >>> fig, axes = show_filters(image, ["vertical", "horizontal"], ncols=3)
    >>> [ax.get_title() for ax in axes.ravel()]
    ['Input 8×8', 'Vertical edges (Prewitt x)', 'Horizontal edges (Prewitt y)']
    >>> plt.close(fig)
    >>> fig, axes = show_filters(image, ["identity", "vertical"])
    >>> [ax.images[0].get_cmap().name for ax in axes.ravel()]
    ['gray', 'gray', 'RdBu_r']
    >>> [bar.get_title() for bar in fig.axes[3:]]
    ['signed', '≥ 0']
    >>> plt.close(fig)
    """
    picture = as_image(image, "image")
    columns = positive_int(ncols, "ncols")
    entries: list[tuple[str, np.ndarray, str]] = []
    if isinstance(kernels, Mapping):
        for name, values in kernels.items():
            entries.append((str(name), as_image(values, f"kernels[{name!r}]"), ""))
    elif isinstance(kernels, str):
        raise TypeError(
            f"`kernels` must be a mapping or a sequence of names, got {kernels!r}"
        )
    else:
        for name in kernels:
            weights, key, _ = _resolve_kernel(name)
            entries.append((KERNELS[key].title, weights, key))
    if not entries:
        raise ValueError("`kernels` must name at least one kernel, got none")
    panels = len(entries) + (1 if show_input else 0)
    rows = -(-panels // columns)
    bar_band = 0.75
    size = min(2.2, (_MAX_WIDTH - 0.15 - bar_band) / columns - 0.3)
    width = 0.15 + columns * (size + 0.3) + bar_band
    with styled():
        # Titles break at spaces and kernel notes into one row per line when
        # they are wider than their column; a row grows by the extra lines of
        # its tallest title and note.
        line_width = size + 0.3 - 0.14
        labels = []
        for title, weights, _ in entries:
            title_size = 9 if len(title) <= 26 else 8
            labels.append(
                (
                    _wrap_title(title, line_width - 0.1, title_size),
                    title_size,
                    _stack_rows(_kernel_rows(weights), line_width, 8.5),
                )
            )
        title_extra = [0.0] * rows
        note_extra = [0.0] * rows
        for index, (title, title_size, note) in enumerate(labels):
            r = (index + (1 if show_input else 0)) // columns
            title_extra[r] = max(
                title_extra[r], title.count("\n") * title_size * 1.3 / 72
            )
            note_extra[r] = max(note_extra[r], note.count("\n") * 8.5 * 1.25 / 72)
        row_heights = [size + 0.8 + title_extra[r] + note_extra[r] for r in range(rows)]
        height = sum(row_heights) + 0.1
        # Each row, from the bottom: the note band (0.4 in, more for stacked
        # notes), the panels, the title band (0.4 in, more for long titles).
        bottoms = [
            height - sum(row_heights[: r + 1]) + 0.4 + note_extra[r]
            for r in range(rows)
        ]
        fig = plt.figure(figsize=(width, height))
        grid = np.empty((rows, columns), dtype=object)
        for index in range(rows * columns):
            r, c = divmod(index, columns)
            left = 0.15 + c * (size + 0.3)
            grid[r, c] = fig.add_axes(
                (left / width, bottoms[r] / height, size / width, size / height)
            )
        flat = list(grid.ravel())
        position = 0
        input_norm = _image_norm(picture, np.asarray(image).dtype)
        if show_input:
            draw_image(flat[0], picture, norm=input_norm, interpolation="screen")
            _title(flat[0], f"Input {picture.shape[0]}×{picture.shape[1]}", "input", 9)
            position = 1
        # Per kind of scale: does any panel have values below / above it?
        beyond: dict[bool, list[bool]] = {}
        kinds: dict[bool, list[str]] = {True: [], False: []}
        for (name, weights, _), (title, title_size, note) in zip(
            entries, labels, strict=True
        ):
            ax = flat[position]
            result = correlate2d(picture, weights, padding=padding, border=border)
            signed, scale = _output_norm(result, input_norm)
            draw_image(
                ax,
                result,
                cmap=DIVERGING if signed else GRAY,
                norm=scale,
                interpolation="screen",
            )
            assert scale.vmin is not None
            assert scale.vmax is not None
            flags = beyond.setdefault(signed, [False, False])
            flags[0] |= bool(result.min() < scale.vmin)
            flags[1] |= bool(result.max() > scale.vmax)
            kinds[signed].append(name)
            _title(ax, title, "output", title_size)
            _note(ax, note, 8.5)
            position += 1
        for ax in flat[position:]:
            ax.set_visible(False)
        # One shared colourbar per kind of scale, in units of each panel's
        # own scale: the signed one beside the first row, the gray one below.
        bars = [kind for kind in (True, False) if kind in beyond]
        bar_height = size if rows > 1 or len(bars) == 1 else (size - 0.3) / 2
        for index, signed in enumerate(bars):
            if rows > 1:
                bottom = bottoms[index]
            else:
                bottom = bottoms[0] + (1 - index) * (size - bar_height)
            cax = fig.add_axes(
                (
                    (width - bar_band + 0.15) / width,
                    bottom / height,
                    0.12 / width,
                    bar_height / height,
                )
            )
            _shared_colorbar(fig, cax, signed, beyond[signed])
        _fit_figure(fig)
    names = ", ".join(title for title, _, _ in entries)
    parts = []
    if kinds[True]:
        parts.append(
            f"signed outputs ({', '.join(kinds[True])}) each scaled to its own "
            "largest magnitude, red for positive, blue for negative, white for 0"
        )
    if kinds[False]:
        parts.append(
            f"outputs with no negative value ({', '.join(kinds[False])}) in gray "
            "like the input, black for 0"
        )
    set_alt_text(
        fig,
        f"Input {picture.shape[0]}×{picture.shape[1]} image filtered by "
        f"{len(entries)} kernels ({names}), one panel each; " + "; ".join(parts),
    )
    return fig, grid


def _shared_colorbar(fig: Figure, cax: Axes, signed: bool, beyond: list[bool]) -> Any:
    """Draw the colourbar shared by panels each on its own scale.

    `beyond` says whether any panel has values below or above its scale (an
    arrow marks them).
    """
    extend = {(False, False): "neither", (True, False): "min", (False, True): "max"}
    mappable = ScalarMappable(
        Normalize(-1.0, 1.0) if signed else Normalize(0.0, 1.0),
        DIVERGING if signed else GRAY,
    )
    bar = fig.colorbar(
        mappable, cax=cax, extend=extend.get((beyond[0], beyond[1]), "both")
    )
    bar.outline.set_edgecolor(MUTED)
    bar.outline.set_linewidth(0.6)
    cax.tick_params(labelsize=8, colors=MUTED, length=2)
    if signed:
        bar.set_ticks([-1, 0, 1], labels=["< 0", "0", "> 0"])
    else:
        bar.set_ticks([0, 1], labels=["0", "> 0"])
    cax.set_title("signed" if signed else "≥ 0", color=MUTED, fontsize=8, pad=8)
    return bar


def _pool_display(
    matrix: np.ndarray, steps: Sequence[Step], padding: Any
) -> tuple[np.ndarray, PadSpec]:
    """Pad a feature map with NaN so that every pooling window lies inside it.

    Besides the requested padding, ``ceil_mode`` windows may reach past the
    bottom or right edge; those cells are added as padding too.
    """
    (top, _), (left, _) = _pad_spec(padding)
    rows = matrix.shape[0] + 2 * top
    cols = matrix.shape[1] + 2 * left
    bottom = top + max(0, max(int(step.rows[-1]) for step in steps) + 1 - rows)
    right = left + max(0, max(int(step.cols[-1]) for step in steps) + 1 - cols)
    pads = ((top, bottom), (left, right))
    return np.pad(matrix, pads, constant_values=np.nan), pads


def _numbered(word: str, numbers: Sequence[int]) -> str:
    """Write ``row 4``, ``rows 2 and 5`` or ``rows 1, 3 and 5``."""
    listed = [str(n) for n in numbers]
    if len(listed) == 1:
        return f"{word} {listed[0]}"
    return f"{word}s {', '.join(listed[:-1])} and {listed[-1]}"


def _unread_text(unread: np.ndarray) -> str:
    """Describe for alt text the input rows and columns that no window reads.

    `unread` covers the real cells only (padding removed). Windows read a set
    of rows times a set of columns, so the unread cells are whole rows and
    whole columns.
    """
    rows = [int(r) for r in np.flatnonzero(unread.all(axis=1))]
    cols = [int(c) for c in np.flatnonzero(unread.all(axis=0))]
    parts = [_numbered("row", rows)] if rows else []
    parts += [_numbered("column", cols)] if cols else []
    return (
        f"; input {' and '.join(parts)} (counted from 0) are read by no window, "
        "so they do not affect the output; they are hatched"
    )


def _pick_marker(row: int, col: int) -> Circle:
    """Circle the cell a max or min pooling window picked."""
    return Circle(
        (col, row),
        0.38,
        fill=False,
        edgecolor=WINDOW,
        linewidth=2.5,
        zorder=5,
        gid="pick",
    )


def _checker_fill(role: str, parity: int) -> tuple[float, float, float]:
    """Two tints of a role colour that tell neighbouring groups apart."""
    return blend(ROLES[role], 0.75 if parity else 0.35)


def show_pooling(
    feature_map: npt.ArrayLike,
    size: int | tuple[int, int] = 2,
    *,
    stride: int | tuple[int, int] | None = None,
    mode: str = "max",
    p: float = 2,
    padding: int | tuple[int, int] = 0,
    ceil_mode: bool = False,
) -> tuple[Figure, list[Axes]]:
    """Show a feature map cut into pooling groups and the pooled map.

    Parameters
    ----------
    feature_map : (H, W) array_like
        The map to pool (small: its numbers are written in the cells).
    size, stride, mode, p, padding, ceil_mode
        As in :func:`convdemo.ops.pool2d`.

    Returns
    -------
    fig : matplotlib.figure.Figure
    axes : list of Axes
        The input map and the pooled map.

    Notes
    -----
    When the groups do not overlap (stride = size) they are told apart by
    two alternating tints, and each pooled cell takes the tint of its group.
    For ``'max'`` and ``'min'`` the chosen cell of every group is outlined;
    for the other modes the caption writes out the first group's value.

    Cells that no window reads are hatched: without ``ceil_mode`` a stride
    that does not fit the input drops its last rows or columns (a 5×5 input
    with 2×2 windows and stride 2 never reads row 4 and column 4).

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> import numpy as np
    >>> fig, axes = show_pooling(np.arange(16).reshape(4, 4), 2, mode="max")
    >>> [ax.get_title() for ax in axes]
    ['Input 4×4', 'Output 2×2']
    >>> plt.close(fig)
    """
    matrix = as_image(feature_map, "feature_map")
    options: dict[str, Any] = {
        "stride": stride,
        "mode": mode,
        "p": p,
        "padding": padding,
        "ceil_mode": ceil_mode,
    }
    pooled = pool2d(matrix, size, **options)
    steps = list(pool_windows(matrix, size, **options))
    shown, pads = _pool_display(matrix, steps, padding)
    _check_small(shown.shape, "feature_map")
    size_r, size_c = as_pair(size, "size")
    stride_r, stride_c = as_pair(stride if stride is not None else size, "stride")
    separate = stride_r >= size_r and stride_c >= size_c
    rows, cols = shown.shape
    out_rows, out_cols = pooled.shape
    # Real cells that no window reads: with floor mode a stride that does not
    # fit drops the last rows or columns.
    unread = np.isfinite(shown)
    for step in steps:
        unread[np.ix_(step.rows, step.cols)] = False
    cell = _cell_size(cols + out_cols, 2 * _GAP + 0.2)
    caption = _wrap_caption(f"Output[0, 0] = {_format_pool_step(steps[0], mode, p)}")
    band = _caption_band(caption)
    note = _wrap_notes(["hatched: read by no window"], cols * cell + 0.4)
    with styled():
        fig, axes, centres = _row_figure(
            [cols * cell, out_cols * cell],
            [rows * cell, out_rows * cell],
            [_GAP * 2],
            bottom=band + 0.1 + (_note_height(note) if unread.any() else 0.0),
            min_width=_caption_width(caption),
        )
        source = _draw_matrix(axes[0], shown, role="input", padding=pads)
        target = _draw_matrix(axes[1], pooled, role="output")
        picks: list[tuple[int, int, int, int]] = []
        for step in steps:
            i, j = step.index
            if separate:
                parity = (i + j) % 2
                for r in step.rows:
                    for c in step.cols:
                        if 0 <= r < rows and 0 <= c < cols and np.isfinite(shown[r, c]):
                            k = int(r) * cols + int(c)
                            _set_cell(
                                source["cells"][k],
                                source["texts"][k],
                                _checker_fill("input", parity),
                            )
                k = i * out_cols + j
                _set_cell(
                    target["cells"][k],
                    target["texts"][k],
                    _checker_fill("output", parity),
                )
            if step.pick is not None:
                picks.append(
                    (int(step.rows[step.pick[0]]), int(step.cols[step.pick[1]]), 1, 1)
                )
        for r, c, _, _ in picks:
            axes[0].add_patch(_pick_marker(r, c))
        if unread.any():
            _hatch_unread(axes[0], unread)
            _note(axes[0], note, 8.5).set_gid("note")
        if not separate:
            first = steps[0]
            _draw_highlight(
                axes[0],
                [(int(first.rows[0]), int(first.cols[0]), size_r, size_c)],
                (rows, cols),
            )
        _title(axes[0], f"Input {matrix.shape[0]}×{matrix.shape[1]}", "input")
        _title(axes[1], f"Output {out_rows}×{out_cols}", "output")
        _operator(fig, centres[0], "→")
        fig.text(
            centres[0][0],
            centres[0][1] - 0.3 / fig.get_size_inches()[1],
            f"{mode} {size_r}×{size_c}\nstride {stride_r}",
            ha="center",
            va="top",
            fontsize=9,
            color=MUTED,
        )
        _caption(fig, caption, (band / 2 + 0.05) / fig.get_size_inches()[1])
        _fit_figure(fig)
    marked = "; the chosen cell of each group is outlined" if picks else ""
    if unread.any():
        marked += _unread_text(
            unread[np.isfinite(shown).any(axis=1)][:, np.isfinite(shown).any(axis=0)]
        )
    set_alt_text(
        fig,
        f"{mode.capitalize()} pooling with {size_r}×{size_c} windows and stride "
        f"{stride_r}: input {matrix.shape[0]}×{matrix.shape[1]} {_matrix_text(matrix)} "
        f"becomes output {out_rows}×{out_cols} {_matrix_text(pooled)}{marked}",
    )
    return fig, axes


def show_step(
    image: npt.ArrayLike,
    kernel: npt.ArrayLike,
    row: int,
    col: int,
    *,
    padding: Padding = "valid",
    border: str = "zeros",
    stride: int | tuple[int, int] = 1,
    dilation: int | tuple[int, int] = 1,
) -> tuple[Figure, list[Axes]]:
    """Show how one output cell is computed: window, kernel, products, sum.

    Parameters
    ----------
    image : (H, W) array_like
        A small input (its numbers are written in the cells).
    kernel : (kh, kw) array_like
        The kernel.
    row, col : int
        The output cell to explain.
    padding, border, stride, dilation
        As in :func:`convdemo.ops.correlate2d`.

    Returns
    -------
    fig : matplotlib.figure.Figure
    axes : list of Axes
        Input (padded, window outlined), kernel, products, output (the cell
        outlined).

    Raises
    ------
    ValueError
        If (`row`, `col`) is outside the output.

    See Also
    --------
    format_step : The caption's arithmetic as a string.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> import numpy as np
    >>> image = np.arange(9).reshape(3, 3)
    >>> kernel = np.arange(4).reshape(2, 2)
    >>> fig, axes = show_step(image, kernel, 0, 0)
    >>> [t.get_text() for t in fig.texts if t.get_gid() == "caption"]
    ['Output[0, 0] = 0×0 + 1×1 + 3×2 + 4×3 = 19']
    >>> plt.close(fig)
    """
    picture = as_image(image, "image")
    weights = as_image(kernel, "kernel")
    options: dict[str, Any] = {
        "padding": padding,
        "border": border,
        "stride": stride,
        "dilation": dilation,
    }
    pads = padding_amounts(padding, weights.shape, dilation=dilation)
    _check_small(
        (picture.shape[0] + sum(pads[0]), picture.shape[1] + sum(pads[1])), "image"
    )
    result = correlate2d(picture, weights, **options)
    out_rows, out_cols = result.shape
    row = nonnegative_int(row, "row")
    col = nonnegative_int(col, "col")
    if row >= out_rows:
        raise ValueError(f"`row` must be below the output's {out_rows} rows, got {row}")
    if col >= out_cols:
        raise ValueError(
            f"`col` must be below the output's {out_cols} columns, got {col}"
        )
    step = next(
        s for s in sliding_windows(picture, weights, **options) if s.index == (row, col)
    )
    padded = pad(picture, pads, border=border)
    kh, kw = weights.shape
    rows, cols = padded.shape
    cell = _cell_size(cols + 2 * kw + out_cols, 3 * _GAP)
    text = f"Output[{row}, {col}] = " + _wrap_terms(format_step(step, weights), kw)
    band = _caption_band(text)
    with styled():
        fig, axes, centres = _row_figure(
            [cols * cell, kw * cell, kw * cell, out_cols * cell],
            [rows * cell, kh * cell, kh * cell, out_rows * cell],
            [_GAP, _GAP, _GAP],
            bottom=band + 0.1,
            min_width=_caption_width(text),
        )
        _draw_matrix(
            axes[0],
            padded,
            role="input",
            padding=pads,
            highlight=_window_highlight(step, padded.shape),
        )
        _draw_matrix(axes[1], weights, role="kernel")
        _draw_matrix(
            axes[2], step.products, cmap=DIVERGING, norm=signed_norm(step.products)
        )
        _draw_matrix(axes[3], result, role="output", highlight=[(row, col, 1, 1)])
        _title(axes[0], f"Input {picture.shape[0]}×{picture.shape[1]}", "input")
        _title(axes[1], "Kernel", "kernel")
        _title(axes[2], "Products")
        _title(axes[3], f"Output {out_rows}×{out_cols}", "output")
        _operator(fig, centres[0], "⋆")
        _operator(fig, centres[1], "=")
        _operator(fig, centres[2], "Σ")
        _caption(fig, text, (band / 2 + 0.05) / fig.get_size_inches()[1])
        _fit_figure(fig)
    set_alt_text(
        fig,
        f"One step of the cross-correlation: the {kh}×{kw} window at output cell "
        f"({row}, {col}) is outlined on the input "
        f"{picture.shape[0]}×{picture.shape[1]}, "
        f"multiplied by the kernel {_matrix_text(weights)} cell by cell, and the "
        f"products add up to {_format_value(step.value).replace(_MINUS, '-')}: "
        f"{format_step(step, weights).replace(_MINUS, '-')}",
    )
    return fig, axes


def _axis_formula(n: int, pads: tuple[int, int], k: int, s: int, d: int, o: int) -> str:
    """Write ⌊(n + 2p − d(k−1) − 1)/s⌋ + 1 with the numbers of one axis."""
    top, bottom = pads
    padded = f"2·{top}" if top == bottom else f"{top} + {bottom}"
    return f"⌊({n} + {padded} − {d}·({k}−1) − 1)/{s}⌋ + 1 = {o}"


def show_arithmetic(
    input_size: int | tuple[int, int],
    kernel_size: int | tuple[int, int],
    *,
    padding: Padding = 0,
    stride: int | tuple[int, int] = 1,
    dilation: int | tuple[int, int] = 1,
) -> tuple[Figure, list[Axes]]:
    """Draw how padding, stride and dilation set the output size.

    In the style of Dumoulin & Visin's *convolution arithmetic* figures: the
    input cells with the padding ring dashed, the (dilated) kernel's taps at
    the first position, and the output grid with its first cell outlined.

    Parameters
    ----------
    input_size : int or (int, int)
        The input's height and width.
    kernel_size : int or (int, int)
        The kernel's height and width.
    padding, stride, dilation
        As in :func:`convdemo.ops.output_shape`.

    Returns
    -------
    fig : matplotlib.figure.Figure
    axes : list of Axes
        The padded input and the output.

    Notes
    -----
    Per axis the output has ``⌊(n + 2p − d(k−1) − 1)/s⌋ + 1`` cells. When the
    stride does not fit exactly, the last rows or columns are reached by no
    window: they are hatched.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig, axes = show_arithmetic(5, 3, padding=1, stride=2)
    >>> [t.get_text() for t in fig.texts if t.get_gid() == "caption"][0].split("\\n")
    ['output size = ⌊(n + 2p − d(k−1) − 1)/s⌋ + 1',
     '= ⌊(5 + 2·1 − 1·(3−1) − 1)/2⌋ + 1 = 3']
    >>> plt.close(fig)
    """
    n = as_pair(input_size, "input_size")
    k = as_pair(kernel_size, "kernel_size")
    s = as_pair(stride, "stride")
    d = as_pair(dilation, "dilation")
    pads = padding_amounts(padding, k, dilation=d)
    out = output_shape(n, k, padding=padding, stride=s, dilation=d)
    rows = n[0] + sum(pads[0])
    cols = n[1] + sum(pads[1])
    _check_small((rows, cols), "input_size")
    formulas = [
        _axis_formula(n[a], pads[a], k[a], s[a], d[a], out[a]) for a in range(2)
    ]
    if formulas[0] == formulas[1]:
        lines = ["= " + formulas[0]]
    else:
        lines = ["rows: " + formulas[0], "columns: " + formulas[1]]
    caption = "output size = ⌊(n + 2p − d(k−1) − 1)/s⌋ + 1\n" + "\n".join(lines)
    band = 0.3 + 0.25 * (len(lines) + 1)
    cell = _cell_size(cols + out[1], 2 * _GAP)
    reach = [(out[a] - 1) * s[a] + d[a] * (k[a] - 1) for a in range(2)]
    leftover = np.zeros((rows, cols), dtype=bool)
    leftover[reach[0] + 1 :, :] = True
    leftover[:, reach[1] + 1 :] = True
    notes = ["dashed outline: next window"] if out[1] > 1 else []
    if any(sum(p) for p in pads):
        notes.append("grey dashed cells: padding")
    notes.append("orange: kernel taps")
    if leftover.any():
        notes.append("hatched: reached by no window")
    # Centred under the input panel: at most as wide as the panel and the
    # figure's margin on its left allow.
    note = _wrap_notes(notes, max(2.4, cols * cell + 0.4))
    with styled():
        fig, axes, centres = _row_figure(
            [cols * cell, out[1] * cell],
            [rows * cell, out[0] * cell],
            [2 * _GAP],
            bottom=band + 0.1 + _note_height(note),
            min_width=max(5.0, _caption_width(caption)),
        )
        source = _draw_matrix(
            axes[0], np.zeros((rows, cols)), padding=pads, show_text=False
        )
        taps = np.zeros((rows, cols), dtype=bool)
        taps[np.ix_(range(0, d[0] * k[0], d[0]), range(0, d[1] * k[1], d[1]))] = True
        for r, c in np.argwhere(taps):
            cells = source["cells"][r * cols + c]
            cells.set_facecolor(blend(KERNEL, 0.9))
            cells.set_gid("tap")
        _hatch_unread(axes[0], leftover)
        window = _draw_highlight(
            axes[0],
            [(0, 0, d[0] * (k[0] - 1) + 1, d[1] * (k[1] - 1) + 1)],
            (rows, cols),
        )
        window[0].set_gid("window")
        if out[1] > 1:
            # Where the window lands next: `stride` columns to the right.
            following = _draw_highlight(
                axes[0],
                [(0, s[1], d[0] * (k[0] - 1) + 1, d[1] * (k[1] - 1) + 1)],
                (rows, cols),
            )[0]
            following.set_linestyle((0, (3, 2)))
            following.set_linewidth(1.8)
            following.set_gid("next")
        target = _draw_matrix(
            axes[1],
            np.zeros(out),
            role="output",
            show_text=False,
            highlight=[(0, 0, 1, 1)],
        )
        target["highlights"][0].set_gid("window")
        _title(axes[0], f"Input {n[0]}×{n[1]}", "input")
        _title(axes[1], f"Output {out[0]}×{out[1]}", "output")
        _operator(fig, centres[0], "→")
        fig.text(
            centres[0][0],
            centres[0][1] - 0.3 / fig.get_size_inches()[1],
            f"kernel {k[0]}×{k[1]}\nstride {s[0] if s[0] == s[1] else s}"
            f"\ndilation {d[0] if d[0] == d[1] else d}",
            ha="center",
            va="top",
            fontsize=9,
            color=MUTED,
        )
        _note(axes[0], note, 8.5).set_gid("note")
        _caption(fig, caption, (band / 2 + 0.05) / fig.get_size_inches()[1])
        _fit_figure(fig)
    left_text = (
        f"; {int(leftover.sum())} cells at the bottom or right are reached by no window"
        if leftover.any()
        else ""
    )
    set_alt_text(
        fig,
        f"Convolution arithmetic: input {n[0]}×{n[1]} with padding {pads}, "
        f"kernel {k[0]}×{k[1]}, stride {s}, dilation {d}; the kernel's taps at "
        f"the first position and an output of {out[0]}×{out[1]}{left_text}. "
        + caption.replace("\n", " "),
    )
    return fig, axes


def show_legend() -> tuple[Figure, Axes]:
    """Draw the key to every colour used in the figures.

    Returns
    -------
    fig : matplotlib.figure.Figure
    ax : matplotlib.axes.Axes
        One Axes holding the swatches, in inch coordinates.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = show_legend()
    >>> [t.get_text().split(":")[0] for t in ax.texts if t.get_gid() == "label"][-3:]
    ['Current window', 'Signed values', 'Values ≥ 0']
    >>> plt.close(fig)
    """
    width, height = _MAX_WIDTH, 2.68
    swatch = 0.4
    items = [
        ("input", "4", "Input", "the image: a matrix of pixel values"),
        ("kernel", "−1", "Kernel", "the filter's weights, slid over the input"),
        ("output", "19", "Output", "the result: one number per window"),
        ("padding", "0", "Padding (dashed)", "cells added around the border"),
        ("window", "", "Current window", "where the kernel sits now"),
        ("signed", "", "Signed values", "blue < 0, white = 0, red > 0"),
        ("nonnegative", "", "Values ≥ 0", "black = 0, white = the largest"),
    ]
    with styled():
        fig = plt.figure(figsize=(width, height))
        ax = fig.add_axes((0.0, 0.0, 1.0, 1.0))
        ax.set_xlim(0, width)
        ax.set_ylim(height, 0)
        ax.set_aspect("equal")
        ax.set_axis_off()
        for index, (role, sample, name, meaning) in enumerate(items):
            column, line = divmod(index, 4)
            x = 0.3 + column * 3.95
            y = 0.15 + line * 0.63
            if role in {"signed", "nonnegative"}:
                ax.imshow(
                    np.linspace(-1, 1, 64)[None, :],
                    cmap=DIVERGING if role == "signed" else GRAY,
                    extent=(x - 0.3, x + swatch + 0.3, y + swatch, y),
                    interpolation="bilinear",
                )
                ax.add_patch(
                    Rectangle(
                        (x - 0.3, y),
                        swatch + 0.6,
                        swatch,
                        fill=False,
                        edgecolor=MUTED,
                        linewidth=0.6,
                    )
                )
            else:
                fill = cell_fill("input" if role == "window" else role)
                ax.add_patch(
                    Rectangle(
                        (x, y),
                        swatch,
                        swatch,
                        facecolor=fill,
                        edgecolor=MUTED if role == "padding" else _edge_color(fill),
                        linestyle="--" if role == "padding" else "-",
                        linewidth=1.0,
                    )
                )
                if role == "window":
                    ax.add_patch(
                        Rectangle(
                            (x, y),
                            swatch,
                            swatch,
                            fill=False,
                            edgecolor=WINDOW,
                            linewidth=3.0,
                        )
                    )
                ax.text(
                    x + swatch / 2,
                    y + swatch / 2,
                    sample,
                    ha="center",
                    va="center",
                    fontsize=10,
                    color=text_color_for(fill),
                    gid="cell",
                )
            ax.text(
                x + swatch + 0.5,
                y + 0.02,
                f"{name}:",
                ha="left",
                va="top",
                fontsize=10.5,
                fontweight="bold",
                color=MUTED,
                gid="label",
            )
            ax.text(
                x + swatch + 0.5,
                y + swatch + 0.02,
                meaning,
                ha="left",
                va="bottom",
                fontsize=10,
                color=MUTED,
            )
    set_alt_text(
        fig,
        "Colour key: sky-blue cells are the input, orange cells the kernel, green "
        "cells the output, grey dashed cells padding, and a vermillion outline "
        "marks the current window; signed outputs go from blue (negative) "
        "through white (0) to red (positive), and outputs that are never "
        "negative go from black (0) to white (the largest value)",
    )
    return fig, ax
