"""Artists: functions that draw on an Axes and return what they drew.

In the style of Matplotlib's heatmap example: :func:`draw_matrix`,
:func:`draw_image` and :func:`draw_crop` (public through
:mod:`convdemo.draw`) take an Axes first and return a named tuple of the
artists they made, so that a caller (a test, an animation) can find and
change them. The smaller pieces the figure builders share (outlined windows,
hatched cells, a circled pick, colour bars) live here too. Everything is
drawn in image coordinates: the cell in row ``r`` and column ``c`` is
centred on ``(x, y) = (c, r)``, row 0 at the top.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import matplotlib.image as mimage
import matplotlib.pyplot as plt
import numpy as np
import numpy.typing as npt
from matplotlib.axes import Axes
from matplotlib.cm import ScalarMappable
from matplotlib.collections import LineCollection
from matplotlib.colorbar import Colorbar
from matplotlib.colors import Colormap, Normalize
from matplotlib.image import AxesImage
from matplotlib.patches import Circle, Rectangle
from matplotlib.text import Text

from convdemo._format import MINUS, format_value
from convdemo._layout import POINTS_PER_INCH, SCREEN_DPI, exact_scale, set_title
from convdemo._validate import as_image, as_pair, nonnegative_int, one_of
from convdemo.ops import ConvolutionStep, PoolingStep, padding_amounts
from convdemo.style import (
    GRAY,
    MUTED,
    ROLES,
    WINDOW,
    blend,
    cell_fill,
    styled,
    text_color_for,
)

__all__ = [
    "Highlight",
    "ImageArtists",
    "MatrixArtists",
    "PadSpec",
    "add_colorbar",
    "as_matrix",
    "cell_text",
    "checker_fill",
    "circle_cell",
    "draw_crop",
    "draw_image",
    "draw_matrix",
    "edge_color",
    "hatch_cells",
    "image_norm",
    "outline_cells",
    "pad_spec",
    "set_cell",
    "window_outline",
]

PadSpec = tuple[tuple[int, int], tuple[int, int]]
#: Boxes ``(row, col, height, width)`` to outline, or a boolean mask of cells.
Highlight = Any

_INTERPOLATIONS = ("screen", *sorted(mimage.interpolations_names))
# Line widths, in points: a cell's border, the window outline, a pick circle,
# the pixel grid of a small image, a colour bar's outline, an image's frame.
_CELL_LINE = 1.0
_WINDOW_LINE = 3.0
_PICK_LINE = 2.5
_GRID_LINE = 0.6
_BAR_LINE = 0.6
_FRAME_LINE = 0.8
# Radius of the circle around a picked cell, in cells.
_PICK_RADIUS = 0.38
# Cell label sizes, in points: the range of the automatic size, and the
# smallest size of the index labels.
_MIN_FONT = 4.0
_MAX_FONT = 13.0
_MIN_INDEX_FONT = 7.0
# Automatic label size: a label is at most this share of a cell's height,
# and its characters, each about 0.62 of the size wide, fill at most 0.86 of
# the cell's width.
_FONT_BY_HEIGHT = 0.42
_FONT_BY_WIDTH = 0.86
_GLYPH_WIDTH = 0.62
# Below this many screen pixels per image pixel, draw_image smooths.
_NEAREST_FROM = 0.95
# Share of the role colour in a darker cell border.
_EDGE_SHADE = 0.6
# Tint shares of the two alternating fills of neighbouring pooling groups.
_CHECKER_TINTS = (0.35, 0.75)


class MatrixArtists(NamedTuple):
    """What :func:`draw_matrix` drew.

    Attributes
    ----------
    cells : list of Rectangle
        The ``H·W`` cell rectangles in row-major order.
    texts : list of Text
        Their labels in the same order (empty when the numbers are not
        written).
    highlights : list of Rectangle
        The outlines of the highlighted boxes or cells.
    padding : list of Rectangle
        The padding cells, also in `cells`.
    indices : list of Text
        The row and column index labels.
    """

    cells: list[Rectangle]
    texts: list[Text]
    highlights: list[Rectangle]
    padding: list[Rectangle]
    indices: list[Text]


class ImageArtists(NamedTuple):
    """What :func:`draw_image` drew.

    Attributes
    ----------
    image : AxesImage
        The image.
    grid : LineCollection or None
        The lines between pixels, with ``pixel_grid=True``.
    title : Text or None
        The title, when one was given.
    """

    image: AxesImage
    grid: LineCollection | None
    title: Text | None


def pad_spec(padding: Any) -> PadSpec:
    """Return ``p``, ``(pr, pc)`` or ``((t, b), (l, r))`` as the last form."""
    return padding_amounts(padding)


def as_matrix(values: npt.ArrayLike, name: str) -> np.ndarray:
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


def edge_color(fill: Any) -> tuple[float, float, float]:
    """Return a darker shade of a fill for the cell border."""
    return blend(fill, _EDGE_SHADE, "black")


def _auto_fontsize(ax: Axes, extent: tuple[float, float], longest: int) -> float:
    """Pick a font size that fits `longest` characters inside one cell."""
    fig = ax.get_figure(root=True)
    assert fig is not None
    width_in, height_in = fig.get_size_inches()
    box = ax.get_position()
    cell_points = POINTS_PER_INCH * min(
        box.width * width_in / extent[0], box.height * height_in / extent[1]
    )
    by_height = _FONT_BY_HEIGHT * cell_points
    by_width = _FONT_BY_WIDTH * cell_points / (_GLYPH_WIDTH * max(longest, 1))
    return float(np.clip(min(by_height, by_width), _MIN_FONT, _MAX_FONT))


def set_cell(cell: Rectangle, text: Text | None, fill: Any) -> None:
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


def draw_matrix(
    ax: Axes,
    values: npt.ArrayLike,
    *,
    role: str = "input",
    fmt: str | None = None,
    highlight: Highlight = None,
    padding: Any = ((0, 0), (0, 0)),
    indices: bool = False,
    cmap: str | Colormap | None = None,
    norm: Normalize | None = None,
    fontsize: float | None = None,
    index_origin: tuple[int, int] = (0, 0),
    show_text: bool = True,
    title: str | None = None,
) -> MatrixArtists:
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
    index_origin : (int, int), optional
        The indices of the first real cell, with `indices`: a crop of a
        larger image counts from its corner.
    show_text : bool, optional
        Write the numbers; False leaves the cells blank.
    title : str, optional
        A title on a rounded box in the colour of `role`.

    Returns
    -------
    MatrixArtists
        ``cells``: the ``H·W`` cell rectangles in row-major order; ``texts``:
        their ``H·W`` labels in the same order; ``highlights``: the outline
        rectangles; ``padding``: the padding cells; ``indices``: the index
        labels.

    Notes
    -----
    Each label is black or white, whichever contrasts more with its cell's
    fill, so the contrast is at least 4.5:1 whatever the colormap. Negative
    numbers are written with the minus sign (−), also with a custom `fmt`.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> import numpy as np
    >>> fig, ax = plt.subplots()
    >>> artists = draw_matrix(ax, np.arange(6).reshape(2, 3), highlight=[(0, 1, 2, 2)])
    >>> [text.get_text() for text in artists.texts]
    ['0', '1', '2', '3', '4', '5']
    >>> artists.highlights[0].get_xy()
    (0.5, -0.5)
    >>> plt.close(fig)
    """
    with styled():
        matrix = as_matrix(values, "values")
        if role not in ROLES:
            one_of(role, "role", ROLES)
        pads = pad_spec(padding)
        (top, bottom), (left, right) = pads
        rows, cols = matrix.shape
        if top + bottom >= rows or left + right >= cols:
            raise ValueError(
                f"`padding` {padding!r} leaves no real cells in a matrix of shape "
                f"{matrix.shape}"
            )
        fills = _cell_fills(matrix, role, pads, cmap, norm)
        extent = _matrix_limits(ax, (rows, cols), indices)
        labels = [
            [
                (
                    fmt.format(v).replace("-", MINUS)
                    if fmt is not None
                    else format_value(v)
                )
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
                fill, is_pad = fills[r][c]
                cell = _add_cell(ax, r, c, fill, MUTED if is_pad else None, role)
                cells.append(cell)
                if is_pad:
                    padded.append(cell)
                if show_text:
                    texts.append(cell_text(ax, c, r, labels[r][c], fill, fontsize))
        highlights = outline_cells(ax, highlight, (rows, cols))
        index_texts = (
            _index_labels(ax, (rows, cols), pads, index_origin, fontsize)
            if indices
            else []
        )
        if title is not None:
            set_title(ax, title, role)
        return MatrixArtists(cells, texts, highlights, padded, index_texts)


def _cell_fills(
    matrix: np.ndarray,
    role: str,
    pads: PadSpec,
    cmap: str | Colormap | None,
    norm: Normalize | None,
) -> list[list[tuple[Any, bool]]]:
    """Return each cell's fill and whether it is padding, row by row.

    Padding is grey; with a colormap a cell takes its value's colour (on
    `norm`, the data range by default), else the role's tint.
    """
    (top, bottom), (left, right) = pads
    rows, cols = matrix.shape
    colormap = plt.get_cmap(cmap) if cmap is not None else None
    if colormap is not None and norm is None:
        finite = matrix[np.isfinite(matrix)]
        low = float(finite.min()) if finite.size else 0.0
        high = float(finite.max()) if finite.size else 1.0
        norm = Normalize(low, high) if high > low else Normalize(low - 1, high + 1)
    fills: list[list[tuple[Any, bool]]] = []
    for r in range(rows):
        fills.append([])
        for c in range(cols):
            is_pad = r < top or r >= rows - bottom or c < left or c >= cols - right
            value = matrix[r, c]
            if is_pad:
                fill: Any = cell_fill("padding")
            elif colormap is not None and norm is not None and np.isfinite(value):
                fill = colormap(norm(value))
            else:
                fill = cell_fill(role)
            fills[r].append((fill, is_pad))
    return fills


def _add_cell(
    ax: Axes, row: int, col: int, fill: Any, pad_edge: str | None, role: str
) -> Rectangle:
    """Add one cell; a padding cell (`pad_edge` given) is dashed in that colour."""
    cell = Rectangle(
        (col - 0.5, row - 0.5),
        1.0,
        1.0,
        facecolor=fill,
        edgecolor=pad_edge if pad_edge is not None else edge_color(cell_fill(role)),
        linewidth=_CELL_LINE,
        linestyle="--" if pad_edge is not None else "-",
        zorder=1,
        clip_on=False,
    )
    ax.add_patch(cell)
    return cell


def cell_text(
    ax: Axes,
    x: float,
    y: float,
    label: str,
    fill: Any,
    fontsize: float,
    gid: str | None = "cell",
    **style: Any,
) -> Text:
    """Write a cell's label centred at (x, y), in black or white on its `fill`.

    Whichever of the two reads better on the fill; `style` adds text
    properties (a font family, say).
    """
    return ax.text(
        x,
        y,
        label,
        ha="center",
        va="center",
        fontsize=fontsize,
        color=text_color_for(fill),
        zorder=3,
        gid=gid,
        **style,
    )


def _index_labels(
    ax: Axes,
    shape: tuple[int, int],
    pads: PadSpec,
    origin: tuple[int, int],
    fontsize: float,
) -> list[Text]:
    """Write row indices on the left and column indices on top, real cells only."""
    (top, bottom), (left, right) = pads
    rows, cols = shape
    size = max(0.8 * fontsize, _MIN_INDEX_FONT)
    # (x, y, label) of every index: the rows' at x = −1, the columns' at y = −1.
    places: list[tuple[float, float, int]] = [
        (-1.0, r, r - top + origin[0]) for r in range(top, rows - bottom)
    ]
    places += [(c, -1.0, c - left + origin[1]) for c in range(left, cols - right)]
    return [
        ax.text(x, y, str(label), ha="center", va="center", fontsize=size, color=MUTED)
        for x, y, label in places
    ]


def outline_cells(
    ax: Axes, highlight: Highlight, shape: tuple[int, int]
) -> list[Rectangle]:
    """Outline boxes ``(row, col, height, width)`` or the cells of a mask.

    The outlines are in the window colour; `shape` is the matrix's, which a
    mask must have.
    """
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
            linewidth=_WINDOW_LINE,
            zorder=4,
            clip_on=False,
        )
        ax.add_patch(patch)
        patches.append(patch)
    return patches


def image_norm(image: np.ndarray, dtype: Any = None) -> Normalize:
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


def _screen_pixels(ax: Axes, shape: tuple[int, ...]) -> float:
    """Return how many screen pixels (1/100 inch) one image pixel covers."""
    fig = ax.get_figure(root=True)
    assert fig is not None
    width_in, height_in = fig.get_size_inches()
    box = ax.get_position(original=True)
    inches = min(box.width * width_in / shape[1], box.height * height_in / shape[0])
    return float(inches * SCREEN_DPI)


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


def _exact(ax: Axes, shape: tuple[int, ...]) -> bool:
    """Say whether an image of `shape` fills `ax` at an exact scale."""
    fig = ax.get_figure(root=True)
    assert fig is not None
    width_in, height_in = fig.get_size_inches()
    box = ax.get_position(original=True)
    rows, cols = shape[:2]
    # The image keeps its aspect: the narrower side of the box decides.
    inches = min(box.width * width_in / cols, box.height * height_in / rows)
    return exact_scale(inches * cols, cols) is not None


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
) -> ImageArtists:
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
        pixel (1/100 inch) of the Axes, or when the Axes has an exact size
        for it (see :func:`convdemo._layout.exact_side`: one or an even
        number of 2x pixels per image pixel), else ``'antialiased'``.
        ``'screen'`` first averages the image down to about one pixel per
        screen pixel (area averaging), then draws it with ``'nearest'``: a
        photograph saved at 2× (dpi 200) then holds 2×2 blocks instead of
        finely resampled pixels, and its PNG is several times smaller. Use
        it for photographs only: a regular pattern such as the grid,
        averaged down to a size that is not a whole fraction of it, shows
        moiré (lines alternately dark and pale); draw it in an Axes of
        exact size with ``'nearest'`` instead.

    Returns
    -------
    ImageArtists
        ``image``: the :class:`~matplotlib.image.AxesImage` (with
        ``'screen'``, its array is the averaged image, spread over the same
        pixel coordinates); ``grid``: the grid's
        :class:`~matplotlib.collections.LineCollection` or None; ``title``:
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
    >>> artists.image.get_array().shape, len(artists.grid.get_segments())
    ((4, 4), 10)
    >>> artists.image.get_interpolation()
    'nearest'
    >>> relu = draw_image(ax, np.array([[0.0, 2.5]])).image
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
        pixels = _screen_pixels(ax, picture.shape)
        exact = _exact(ax, picture.shape)
        scale = norm if norm is not None else image_norm(picture, dtype)
        if interpolation == "screen":
            shown_values = _reduce_to_screen(picture, pixels)
            method = "nearest"
        else:
            shown_values = picture
            method = interpolation or (
                "nearest" if exact or pixels >= _NEAREST_FROM else "antialiased"
            )
        shown = _show_pixels(ax, shown_values, picture.shape, cmap, scale, method)
        _frame(ax)
        grid = _pixel_grid(ax, picture.shape) if pixel_grid else None
        title_text = set_title(ax, title, role) if title is not None else None
        return ImageArtists(shown, grid, title_text)


def _show_pixels(
    ax: Axes,
    values: np.ndarray,
    shape: tuple[int, ...],
    cmap: str | Colormap | None,
    scale: Normalize,
    method: str,
) -> AxesImage:
    """Show `values` over the pixel coordinates of an image of `shape`."""
    rows, cols = shape[:2]
    extent = (-0.5, cols - 0.5, rows - 0.5, -0.5)
    if values.ndim == 2:
        return ax.imshow(
            values,
            cmap=cmap if cmap is not None else GRAY,
            norm=scale,
            interpolation=method,
            extent=extent,
        )
    # imshow ignores a norm for RGB data: scale the channels here.
    low = float(scale.vmin if scale.vmin is not None else 0.0)
    high = float(scale.vmax if scale.vmax is not None else 1.0)
    return ax.imshow(
        np.clip((values - low) / (high - low), 0.0, 1.0),
        interpolation=method,
        extent=extent,
    )


def _frame(ax: Axes) -> None:
    """Hide the ticks and draw a thin muted frame around an image."""
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_color(MUTED)
        spine.set_linewidth(_FRAME_LINE)
        # Just outside the image, so that it covers none of its pixels.
        spine.set_position(("outward", _FRAME_LINE / 2))


def _pixel_grid(ax: Axes, shape: tuple[int, ...]) -> LineCollection:
    """Draw lines between the pixels of an image of `shape`."""
    rows, cols = shape[:2]
    segments = [((-0.5, r - 0.5), (cols - 0.5, r - 0.5)) for r in range(rows + 1)]
    segments += [((c - 0.5, -0.5), (c - 0.5, rows - 0.5)) for c in range(cols + 1)]
    grid = LineCollection(segments, colors=MUTED, linewidths=_GRID_LINE, zorder=2)
    ax.add_collection(grid, autolim=False)
    return grid


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
) -> MatrixArtists:
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
    MatrixArtists
        As :func:`draw_matrix`, for a matrix of shape
        ``(len(rows), len(cols))``.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> import numpy as np
    >>> fig, ax = plt.subplots()
    >>> image = np.arange(100).reshape(10, 10)
    >>> artists = draw_crop(ax, image, (2, 4), (5, 8))
    >>> [text.get_text() for text in artists.texts]
    ['25', '26', '27', '35', '36', '37']
    >>> [text.get_text() for text in artists.indices]
    ['2', '3', '5', '6', '7']
    >>> plt.close(fig)
    """
    picture = as_image(image, "image")
    row_range = _as_range(rows, "rows", picture.shape[0])
    col_range = _as_range(cols, "cols", picture.shape[1])
    crop = picture[row_range.start : row_range.stop, col_range.start : col_range.stop]
    return draw_matrix(
        ax,
        crop,
        fmt=fmt,
        cmap=GRAY,
        norm=image_norm(picture, np.asarray(image).dtype),
        indices=indices,
        index_origin=(row_range.start, col_range.start),
    )


def hatch_cells(ax: Axes, mask: np.ndarray) -> list[Rectangle]:
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


def circle_cell(row: int, col: int) -> Circle:
    """Return a circle around a cell: the one a max or min pooling picked."""
    return Circle(
        (col, row),
        _PICK_RADIUS,
        fill=False,
        edgecolor=WINDOW,
        linewidth=_PICK_LINE,
        zorder=5,
        gid="pick",
    )


def window_outline(
    step: ConvolutionStep | PoolingStep, shape: tuple[int, int]
) -> Highlight:
    """Outline a step's window: one box, or each tap when the kernel is dilated."""
    rows = np.asarray(step.rows)
    cols = np.asarray(step.cols)
    if np.all(np.diff(rows) == 1) and np.all(np.diff(cols) == 1):
        return [(int(rows[0]), int(cols[0]), len(rows), len(cols))]
    mask = np.zeros(shape, dtype=bool)
    mask[np.ix_(rows, cols)] = True
    return mask


def checker_fill(role: str, parity: int) -> tuple[float, float, float]:
    """Return one of two tints of a role colour that tell neighbours apart."""
    return blend(ROLES[role], _CHECKER_TINTS[1] if parity else _CHECKER_TINTS[0])


def add_colorbar(
    cax: Axes,
    mappable: ScalarMappable,
    *,
    below: bool,
    above: bool,
    orientation: str = "vertical",
) -> Colorbar:
    """Draw a colour bar in `cax` with muted ticks and outline.

    An arrow at an end marks values beyond the scale: `below` its lowest
    colour, `above` its highest. `orientation` is ``'vertical'`` or
    ``'horizontal'`` (ticks below the bar).
    """
    extend = {(False, False): "neither", (True, False): "min", (False, True): "max"}
    fig = cax.get_figure(root=True)
    assert fig is not None
    bar = fig.colorbar(
        mappable,
        cax=cax,
        extend=extend.get((below, above), "both"),
        orientation=one_of(orientation, "orientation", ("vertical", "horizontal")),
    )
    bar.outline.set_edgecolor(MUTED)
    bar.outline.set_linewidth(_BAR_LINE)
    cax.tick_params(labelsize=8, colors=MUTED, length=2)
    return bar
