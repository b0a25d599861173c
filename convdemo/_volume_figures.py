"""Volumes in isometric view: a convolutional layer on a multi-channel input.

:func:`draw_volume` draws an (H, W, C) array as a box of cells seen from
above and to the right: the front face holds channel 0, the channels go
back and to the right. :func:`animate_conv2d` slides one filter volume
through an input volume, writes how the channels' sums add up into one
output cell, then adds the other filters' maps to the output volume. Both
are public through :mod:`convdemo.draw`.

Drawing happens in "volume units": one cell is one unit along each axis, and
the isometric directions are

* columns: right and down, ``(cos 30°, −sin 30°)``;
* rows: straight down, ``(0, −1)``;
* channels (depth): right and up, ``(cos 30°, sin 30°)``,

so the front face (the image), the top face (row 0 of every channel) and
the right face (the last column of every channel) are the three visible
ones.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import matplotlib.pyplot as plt
import numpy as np
import numpy.typing as npt
from matplotlib.animation import FuncAnimation
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection, PolyCollection
from matplotlib.figure import Figure
from matplotlib.patches import FancyBboxPatch, Polygon
from matplotlib.text import Text

from convdemo._artists import cell_text
from convdemo._format import check_small, format_value
from convdemo._layout import POINTS_PER_INCH, add_caption, text_width
from convdemo._movie import _build
from convdemo._validate import as_image, positive_number
from convdemo.ops import conv2d
from convdemo.style import (
    _PENDING_FILL,
    MUTED,
    ROLES,
    WINDOW,
    blend,
    cell_fill,
    set_alt_text,
    styled,
    text_color_for,
)

__all__ = ["VolumeArtists", "animate_conv2d", "draw_volume"]

_COS = math.cos(math.radians(30))
_SIN = math.sin(math.radians(30))
# Faces seen at an angle: the top lighter, the right side darker.
_TOP_LIGHT = 0.35
_SIDE_SHADE = 0.82
_EDGE = 0.5
# The silhouette's stroke, in points: wide enough to cover every pixel that
# the cells' fills touch along the edge.
_OUTLINE = 2.2
_WINDOW_LINE = 2.2
# How far inside its cells the window box is drawn, in cells.
_WINDOW_INSET = 0.1
_FONT = 7.5
_LABEL_SIZE = 9.5
# Channel names used in the captions, for 1 to 3 channels.
_CHANNEL_NAMES = ("red", "green", "blue")
# The animation: volume units per inch, the caption band in inches, and the
# most cells a volume may have along an axis.
_UNITS_PER_INCH = 3.3
_CAPTION_BAND = 0.55
# The caption's box, in font sizes: padding, rounding and one line's height.
_CAPTION_PAD = 0.45
_CAPTION_ROUNDING = 0.4
_CAPTION_LINE = 1.25
_MAX_SIDE = 8


def _point(
    origin: tuple[float, float], col: float, row: float, depth: float
) -> tuple[float, float]:
    """Project volume coordinates (column, row, channel) onto the page."""
    x = origin[0] + (col + depth) * _COS
    y = origin[1] + (depth - col) * _SIN - row
    return x, y


class VolumeArtists(NamedTuple):
    """What :func:`draw_volume` drew.

    Attributes
    ----------
    front, top, side : PolyCollection
        The cells of the three visible faces: channel 0 (rows × columns),
        row 0 (columns × channels) and the last column (rows × channels).
    texts : list of Text
        The numbers written on the front face, row by row (empty without
        `numbers`).
    """

    front: PolyCollection
    top: PolyCollection
    side: PolyCollection
    texts: list[Text]


def _shade(fill: tuple[float, float, float], face: str) -> tuple[float, float, float]:
    if face == "top":
        return blend(fill, 1 - _TOP_LIGHT)
    if face == "side":
        return (fill[0] * _SIDE_SHADE, fill[1] * _SIDE_SHADE, fill[2] * _SIDE_SHADE)
    return fill


def draw_volume(
    ax: Axes,
    values: npt.ArrayLike,
    *,
    origin: tuple[float, float] = (0.0, 0.0),
    role: str = "input",
    filled: npt.ArrayLike | None = None,
    numbers: bool = True,
) -> VolumeArtists:
    """Draw an (H, W, C) array as a box of cells in isometric view.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        Where to draw, in volume units (one cell per unit); its limits are
        not changed.
    values : (H, W, C) array_like
        The numbers; the front face shows channel 0.
    origin : (float, float), optional
        Where the front face's top-left corner goes.
    role : {'input', 'kernel', 'output', 'padding', 'window'}, optional
        The role colour of the cells.
    filled : (H, W, C) array_like of bool, optional
        Which cells hold a value yet; the others are drawn pale and without
        a number (an output being computed). All by default.
    numbers : bool, optional
        Write the front face's numbers.

    Returns
    -------
    VolumeArtists
        The three faces and the numbers.

    Examples
    --------
    >>> fig, ax = plt.subplots()
    >>> drawn = draw_volume(ax, np.arange(12).reshape(2, 2, 3))
    >>> [len(face.get_paths()) for face in drawn[:3]]
    [4, 6, 6]
    >>> [text.get_text() for text in drawn.texts]
    ['0', '3', '6', '9']
    >>> plt.close(fig)
    """
    cube = as_image(values, "values", ndim=3)
    done = (
        np.ones(cube.shape, dtype=bool)
        if filled is None
        else np.asarray(filled, dtype=bool)
    )
    if done.shape != cube.shape:
        raise ValueError(
            f"`filled` must have the shape of `values` {cube.shape}, got {done.shape}"
        )
    rows, cols, depth = cube.shape
    fill = cell_fill(role)

    def colour(cell_done: bool, face: str) -> tuple[float, float, float]:
        return _shade(fill if cell_done else _PENDING_FILL, face)

    def corners(cells: list[tuple[float, float, float]]) -> list[tuple[float, float]]:
        return [_point(origin, c, r, d) for c, r, d in cells]

    front = [
        corners([(c, r, 0), (c + 1, r, 0), (c + 1, r + 1, 0), (c, r + 1, 0)])
        for r in range(rows)
        for c in range(cols)
    ]
    top = [
        corners([(c, 0, d), (c + 1, 0, d), (c + 1, 0, d + 1), (c, 0, d + 1)])
        for c in range(cols)
        for d in range(depth)
    ]
    side = [
        corners(
            [(cols, r, d), (cols, r, d + 1), (cols, r + 1, d + 1), (cols, r + 1, d)]
        )
        for r in range(rows)
        for d in range(depth)
    ]
    faces = {
        "front": (
            front,
            [colour(done[r, c, 0], "front") for r in range(rows) for c in range(cols)],
        ),
        "top": (
            top,
            [colour(done[0, c, d], "top") for c in range(cols) for d in range(depth)],
        ),
        "side": (
            side,
            [
                colour(done[r, cols - 1, d], "side")
                for r in range(rows)
                for d in range(depth)
            ],
        ),
    }
    edge = blend(text_color_for(ROLES[role]), 0.45, fill)
    # The silhouette, filled first (so that the seams between cells sit on
    # something opaque) and stroked last (so that its edge pixels do not
    # depend on the cells' fills): a frame of an animation then changes
    # opaque pixels only, which WebP stores cheaply.
    outline = corners(
        [
            (0, 0, 0),
            (0, 0, depth),
            (cols, 0, depth),
            (cols, rows, depth),
            (cols, rows, 0),
            (0, rows, 0),
        ]
    )
    ax.add_patch(Polygon(outline, facecolor=edge, edgecolor="none", zorder=1.9))
    drawn = {}
    for name, (polygons, colours) in faces.items():
        collection = PolyCollection(
            polygons,
            facecolors=colours,
            edgecolors=edge,
            linewidths=_EDGE,
            zorder=2,
        )
        ax.add_collection(collection, autolim=False)
        drawn[name] = collection
    ax.add_patch(
        Polygon(
            outline, facecolor="none", edgecolor=edge, linewidth=_OUTLINE, zorder=2.1
        )
    )
    texts = []
    if numbers:
        for r in range(rows):
            for c in range(cols):
                if not done[r, c, 0]:
                    continue
                x, y = _point(origin, c + 0.5, r + 0.5, 0)
                shade = colour(True, "front")
                label = format_value(cube[r, c, 0])
                texts.append(cell_text(ax, x, y, label, shade, _FONT, "volume-cell"))
    return VolumeArtists(drawn["front"], drawn["top"], drawn["side"], texts)


def _window_box(
    ax: Axes,
    origin: tuple[float, float],
    rows: tuple[int, int],
    cols: tuple[int, int],
    depth: int,
) -> LineCollection:
    """Outline the cells rows × cols × every channel: the filter's place.

    The box is drawn a little inside the cells, so that its lines never
    reach past the volume's silhouette onto the transparent background: an
    animation frame then differs from the previous one in opaque pixels
    only, which WebP stores as a cheap difference.
    """
    (r0, r1), (c0, c1) = rows, cols
    inset = _WINDOW_INSET
    corners = [
        (c, r, d)
        for d in (inset, depth - inset)
        for r in (r0 + inset, r1 - inset)
        for c in (c0 + inset, c1 - inset)
    ]
    edges = [
        (a, b)
        for a in corners
        for b in corners
        if a < b and sum(x != y for x, y in zip(a, b, strict=True)) == 1
    ]
    segments = [(_point(origin, *a), _point(origin, *b)) for a, b in edges]
    box = LineCollection(segments, colors=WINDOW, linewidths=_WINDOW_LINE, zorder=4)
    ax.add_collection(box, autolim=False)
    return box


def _label(ax: Axes, where: tuple[float, float], text: str, colour: str) -> Text:
    return ax.text(
        *where,
        text,
        ha="center",
        va="bottom",
        fontsize=_LABEL_SIZE,
        fontweight="bold",
        color=text_color_for(colour),
        zorder=5,
        bbox={
            "boxstyle": "round,pad=0.28,rounding_size=0.5",
            "facecolor": colour,
            "edgecolor": "none",
        },
    )


def _operator(ax: Axes, where: tuple[float, float], symbol: str) -> Text:
    return ax.text(
        *where,
        symbol,
        ha="center",
        va="center",
        fontsize=24 if symbol == "⋆" else 20,
        color=MUTED,
        gid="operator",
    )


def _extent(shape: tuple[int, int, int]) -> tuple[float, float]:
    """Width and height, in volume units, of a drawn (H, W, C) volume."""
    rows, cols, depth = shape
    return (cols + depth) * _COS, rows + (cols + depth) * _SIN


def _channel_sums(window: np.ndarray, kernel: np.ndarray) -> list[float]:
    """Sum of the products under one window, channel by channel."""
    return [
        float((window[..., c] * kernel[..., c]).sum()) for c in range(kernel.shape[2])
    ]


def _frame_caption(
    frame: int,
    cells: list[tuple[int, int]],
    cube: np.ndarray,
    bank: np.ndarray,
    out: np.ndarray,
) -> str:
    """The caption of one frame: a cell's arithmetic, a new map, or the end."""
    filters, kh, kw, channels = bank.shape
    if frame < len(cells):
        i, j = cells[frame]
        sums = _channel_sums(cube[i : i + kh, j : j + kw], bank[0])
        names = (
            _CHANNEL_NAMES
            if channels <= len(_CHANNEL_NAMES)
            else [f"channel {c + 1}" for c in range(channels)]
        )
        terms = " + ".join(
            f"{name} {format_value(total)}"
            for name, total in zip(names, sums, strict=False)
        )
        return f"filter 1, cell ({i}, {j}): {terms} = {format_value(out[i, j, 0])}"
    current = frame - len(cells) + 1
    if current == filters - 1:
        return (
            f"{filters} filters of {kh} × {kw} × {channels} give {filters} maps: "
            f"an output volume of {out.shape[0]} × {out.shape[1]} × {filters}"
        )
    return (
        f"filter {current + 1} of {filters}: its own weights give map "
        f"{current + 1}, stacked behind"
    )


def _steady_caption(fig: Figure, captions: list[str]) -> Text:
    """Return a caption text on a box sized once, for the longest of `captions`.

    The caption keeps the look of :func:`convdemo._layout.add_caption`, but
    its box is a separate patch that never changes size: from frame to
    frame only the opaque inside of the box changes.
    """
    caption = add_caption(fig, "", _CAPTION_BAND)
    style = caption.get_bbox_patch()
    assert style is not None
    caption.set_bbox(None)
    points = float(caption.get_fontsize())
    size = points / POINTS_PER_INCH
    pad = _CAPTION_PAD * size
    width = max(text_width(text, points) for text in captions)
    width += 2 * pad
    height = _CAPTION_LINE * size + 2 * pad
    x, y = caption.get_position()
    fig_width, fig_height = fig.get_size_inches()
    fig.patches.append(
        FancyBboxPatch(
            (x * fig_width - width / 2, y * fig_height - height / 2),
            width,
            height,
            boxstyle=f"round,pad=0,rounding_size={_CAPTION_ROUNDING * size}",
            facecolor=style.get_facecolor(),
            edgecolor=style.get_edgecolor(),
            linewidth=style.get_linewidth(),
            transform=fig.dpi_scale_trans,
            figure=fig,
            zorder=caption.get_zorder() - 0.5,
        )
    )
    return caption


def animate_conv2d(
    image: npt.ArrayLike,
    kernels: npt.ArrayLike,
    *,
    interval: float = 900.0,
) -> FuncAnimation:
    """Animate a layer of filters on a multi-channel input, in isometric view.

    The first filter volume slides through the input volume, one frame per
    output cell; each caption adds up the channels' sums of products into
    that cell. Then each further filter adds its whole map to the output
    volume, one frame each; the last frame shows the finished volume.

    Parameters
    ----------
    image : (H, W, C) array_like
        The input volume ('valid' padding, stride 1); small numbers read
        best.
    kernels : (F, kh, kw, C) array_like
        F filter volumes, no bias.
    interval : float, optional
        Milliseconds per frame.

    Returns
    -------
    matplotlib.animation.FuncAnimation
        ``H' · W' + F − 1`` frames; the figure has alt text (name it with
        :func:`convdemo.style.set_alt_text` before publishing).

    Raises
    ------
    ValueError
        If the channels do not match, the kernel does not fit, or a volume
        has more than 8 cells along an axis (the numbers would not fit).

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> from PIL import Image
    >>> from convdemo.animate import save_animation
    >>> image = np.arange(18).reshape(3, 3, 2) % 4
    >>> anim = animate_conv2d(image, np.ones((3, 2, 2, 2)))
    >>> with tempfile.TemporaryDirectory() as folder, Image.open(
    ...     save_animation(anim, Path(folder) / "layer.webp")
    ... ) as saved:
    ...     saved.n_frames  # 4 output cells, then 2 more filters
    6
    >>> plt.close("all")
    """
    cube = as_image(image, "image", ndim=3)
    bank = as_image(kernels, "kernels", ndim=4)
    pause = positive_number(interval, "interval")
    check_small(cube.shape, "image", _MAX_SIDE)
    check_small(bank.shape[1:], "kernels", _MAX_SIDE)
    check_small(bank.shape[:1], "kernels", _MAX_SIDE)
    out = conv2d(cube, bank)  # validates the channels and the sizes
    filters, kh, kw, channels = bank.shape
    oh, ow = out.shape[:2]
    cells = [(i, j) for i in range(oh) for j in range(ow)]
    frames = len(cells) + filters - 1
    shapes = [cube.shape, (kh, kw, channels), out.shape]
    sizes = [_extent(shape) for shape in shapes]
    gap, margin, label_band = 1.7, 0.3, 1.3
    lefts = [margin]
    for width, _ in sizes[:-1]:
        lefts.append(lefts[-1] + width + gap)
    total = lefts[-1] + sizes[-1][0] + margin
    tallest = max(height for _, height in sizes)
    middle = tallest / 2
    origins = [
        (left, middle + height / 2 - shape[2] * _SIN)
        for left, (_, height), shape in zip(lefts, sizes, shapes, strict=True)
    ]
    with styled():
        height_in = (tallest + label_band) / _UNITS_PER_INCH + _CAPTION_BAND
        fig = plt.figure(figsize=(total / _UNITS_PER_INCH, height_in))
        band = _CAPTION_BAND / height_in
        ax = fig.add_axes((0.0, band, 1.0, 1.0 - band))
        captions = [
            _frame_caption(frame, cells, cube, bank, out) for frame in range(frames)
        ]
        caption = _steady_caption(fig, captions)

        def update(frame: int) -> list[Artist]:
            ax.clear()
            ax.set_xlim(0.0, total)
            ax.set_ylim(-0.1, tallest + label_band)
            ax.set_aspect("equal")
            ax.set_axis_off()
            sliding = frame < len(cells)
            current = 0 if sliding else frame - len(cells) + 1
            done = np.zeros(out.shape, dtype=bool)
            if sliding:
                done[..., 0].flat[: frame + 1] = True
            else:
                done[..., : current + 1] = True
            draw_volume(ax, cube, origin=origins[0], role="input")
            draw_volume(ax, bank[current], origin=origins[1], role="kernel")
            draw_volume(
                ax,
                np.where(done, out, 0.0),
                origin=origins[2],
                role="output",
                filled=done,
            )
            if sliding:
                i, j = cells[frame]
                _window_box(ax, origins[0], (i, i + kh), (j, j + kw), channels)
                _window_box(ax, origins[2], (i, i + 1), (j, j + 1), 1)
            caption.set_text(captions[frame])
            labels = (
                f"input {cube.shape[0]} × {cube.shape[1]} × {channels}",
                f"filter {current + 1} of {filters}",
                f"output {oh} × {ow} × {filters}",
            )
            for left, (width, _), text, role in zip(
                lefts, sizes, labels, ("input", "kernel", "output"), strict=True
            ):
                _label(ax, (left + width / 2, tallest + 0.35), text, ROLES[role])
            for index, symbol in ((1, "⋆"), (2, "=")):
                _operator(ax, (lefts[index] - gap / 2, middle), symbol)
            return [caption]

        update(0)
        set_alt_text(
            fig,
            f"Animation: a {kh} by {kw} by {channels} filter volume slides through "
            f"a {cube.shape[0]} by {cube.shape[1]} by {channels} input volume, "
            f"filling a {oh} by {ow} output map cell by cell; then "
            f"{filters - 1} more filters add their maps behind it, into a {oh} by "
            f"{ow} by {filters} output volume",
        )
        return _build(fig, update, frames, pause)
