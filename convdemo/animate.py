"""Animate convolution and pooling one window at a time; save GIF or WebP.

Each animation is built from the step iterators of :mod:`convdemo.ops`
(:func:`~convdemo.ops.sliding_windows`, :func:`~convdemo.ops.pool_windows`):
one frame per output cell, in row-major order, then a final frame with every
output cell filled in. The caption of each frame writes out that cell's
arithmetic. :func:`save_animation` (from ``convdemo._movie``, with the
frame timing every builder shares) writes the frames with Pillow alone (no
ffmpeg, no ImageMagick), byte for byte the same for the same input.
"""

from __future__ import annotations

from typing import Any, Unpack

import matplotlib.pyplot as plt
import numpy as np
import numpy.typing as npt
from matplotlib.animation import FuncAnimation
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from convdemo._artists import (
    MatrixArtists,
    draw_matrix,
    image_norm,
    outline_cells,
    set_cell,
    window_outline,
)
from convdemo._format import (
    MINUS,
    check_small,
    format_step,
    format_value,
    matrix_list,
    wrap_terms,
)
from convdemo._layout import (
    GAP,
    add_caption,
    add_operator,
    caption_band,
    caption_row_figure,
    caption_width,
    cell_size,
    label_input_output,
    operator_note,
    set_title,
)
from convdemo._movie import _build, _frame_ms, save_animation
from convdemo._pooling_figures import PoolingMarks, pooling_picture
from convdemo._validate import (
    as_image,
    nonnegative_int,
    positive_int,
)
from convdemo.ops import (
    ConvolutionStep,
    Padding,
    PoolOptions,
    convolve2d,
    correlate2d,
    pad,
    padding_amounts,
    pool2d,
    sliding_windows,
)
from convdemo.style import (
    _PENDING_FILL,
    DIVERGING,
    GRAY,
    cell_fill,
    set_alt_text,
    signed_norm,
    styled,
    text_color_for,
)

__all__ = [
    "animate_correlation",
    "animate_filter_and_pool",
    "animate_pooling",
    "save_animation",
]

# More frames than this make a file too large to be worth embedding.
_MAX_FRAMES = 400


# animate_filter_and_pool: the largest image, the cell size, the gap between
# panels, the margins, the title band and the gap between the two rows.
_HERO_LARGEST = 14
_HERO_CELL = 0.25
_HERO_MARGIN = 0.1
_HERO_TITLE = 0.45
_HERO_ROW_GAP = 0.25
# The sign after each panel but the last: symbol, note and gap (inches).
_HERO_SIGNS = (
    ("⊙", "cell by cell", 0.8),
    ("→", "", 0.5),
    ("Σ →", "sum", 0.8),
    ("→", "max pool", 0.85),
)


def _check_frames(count: int) -> None:
    """Refuse animations with too many output cells."""
    if count > _MAX_FRAMES:
        raise ValueError(
            f"`image` gives {count} output cells, more than the {_MAX_FRAMES} "
            "frames an animation may have; animate a smaller crop"
        )


class _OutputReveal:
    """Fill the output cells in one by one (helper shared by both animations)."""

    def __init__(self, artists: MatrixArtists) -> None:
        self.cells = artists.cells
        self.texts = artists.texts

    def show(self, done: int) -> list[Artist]:
        """Show the first `done` cells (row-major) and blank the others."""
        for index, (cell, text) in enumerate(zip(self.cells, self.texts, strict=True)):
            fill = cell_fill("output") if index < done else _PENDING_FILL
            cell.set_facecolor(fill)
            text.set_color(text_color_for(fill))
            text.set_visible(index < done)
        return [*self.cells, *self.texts]


def _move_window(patches: list[Rectangle], step: ConvolutionStep) -> None:
    """Move the window outline (one box, or one box per dilated tap)."""
    rows = np.asarray(step.rows)
    cols = np.asarray(step.cols)
    if len(patches) == 1:
        patches[0].set_xy((cols[0] - 0.5, rows[0] - 0.5))
        return
    for patch, (r, c) in zip(
        patches, ((r, c) for r in rows for c in cols), strict=True
    ):
        patch.set_xy((c - 0.5, r - 0.5))


def animate_correlation(
    image: npt.ArrayLike,
    kernel: npt.ArrayLike,
    *,
    padding: Padding = "valid",
    border: str = "zeros",
    stride: int | tuple[int, int] = 1,
    dilation: int | tuple[int, int] = 1,
    flip: bool = False,
    interval: float = 900,
) -> FuncAnimation:
    """Animate a kernel sliding over an image, one output cell per frame.

    Parameters
    ----------
    image : (H, W) array_like
        A small input (its numbers are written in the cells).
    kernel : (kh, kw) array_like
        The kernel.
    padding, border, stride, dilation
        As in :func:`convdemo.ops.correlate2d`.
    flip : bool, optional
        Convolve: the kernel is shown flipped, as it is applied.
    interval : float, optional
        Milliseconds per frame when played, from 10 to 60,000.

    Returns
    -------
    matplotlib.animation.FuncAnimation
        ``H'·W' + 1`` frames, ``(H', W')`` being the output shape: the window
        outlined on the (padded) input, the output filled up to the current
        cell, and a caption such as ``Output[0, 0] = 0×0 + 1×1 + 3×2 + 4×3
        = 19``; the last frame shows the whole output.

    Raises
    ------
    ValueError
        If the output has more than 400 cells, or `interval` is out of range.
    TypeError
        If `interval` is not a number.

    See Also
    --------
    save_animation : Write the animation as GIF or WebP.
    convdemo.draw.show_step : One of these frames as a still figure.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> import numpy as np
    >>> from PIL import Image
    >>> import matplotlib.pyplot as plt
    >>> image = np.arange(9).reshape(3, 3)
    >>> anim = animate_correlation(image, np.arange(4).reshape(2, 2))
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = save_animation(anim, Path(folder) / "steps.gif")
    ...     with Image.open(path) as gif:
    ...         gif.n_frames
    5
    >>> plt.close("all")
    """
    interval = _frame_ms(interval, "interval")
    picture = as_image(image, "image")
    weights = as_image(kernel, "kernel")
    options: dict[str, Any] = {
        "padding": padding,
        "border": border,
        "stride": stride,
        "dilation": dilation,
    }
    result = (convolve2d if flip else correlate2d)(picture, weights, **options)
    _check_frames(result.size)
    steps = list(sliding_windows(picture, weights, flip=flip, **options))
    pads = padding_amounts(padding, weights.shape, dilation=dilation)
    padded = pad(picture, pads, border=border)
    check_small(padded.shape, "image")
    shown_kernel = weights[::-1, ::-1] if flip else weights
    kh, kw = weights.shape
    rows, cols = padded.shape
    out_rows, out_cols = result.shape
    captions = [
        f"Output[{s.position[0]}, {s.position[1]}] = " + wrap_terms(format_step(s), kw)
        for s in steps
    ]
    captions.append(
        f"Output {out_rows}×{out_cols}: one weighted sum per window position"
    )
    cell = cell_size(cols + kw + out_cols, 2 * GAP)
    with styled():
        fig, axes, centres, band = caption_row_figure(
            [cols * cell, kw * cell, out_cols * cell],
            [rows * cell, kh * cell, out_rows * cell],
            captions,
        )
        source = draw_matrix(
            axes[0],
            padded,
            padding=pads,
            highlight=window_outline(steps[0], padded.shape),
        )
        draw_matrix(axes[1], shown_kernel, role="kernel")
        target = draw_matrix(axes[2], result, role="output")
        current = outline_cells(axes[2], [(0, 0, 1, 1)], result.shape)[0]
        set_title(axes[0], f"Input {picture.shape[0]}×{picture.shape[1]}", "input")
        set_title(axes[1], "Kernel, flipped" if flip else "Kernel", "kernel")
        set_title(axes[2], f"Output {out_rows}×{out_cols}", "output")
        add_operator(fig, centres[0], "∗" if flip else "⋆")
        add_operator(fig, centres[1], "=")
        caption = add_caption(fig, captions[0], band)
    window = source.highlights
    reveal = _OutputReveal(target)

    def update(frame: int) -> list[Artist]:
        final = frame >= len(steps)
        for patch in window:
            patch.set_visible(not final)
        current.set_visible(not final)
        if not final:
            step = steps[frame]
            _move_window(window, step)
            current.set_xy((step.position[1] - 0.5, step.position[0] - 0.5))
        caption.set_text(captions[frame])
        return [*window, current, caption, *reveal.show(frame + 1)]

    update(0)
    set_alt_text(
        fig,
        f"Animation: a {kh}×{kw} kernel {matrix_list(shown_kernel)} slides over a "
        f"{picture.shape[0]}×{picture.shape[1]} input"
        + (f" padded to {rows}×{cols}" if (rows, cols) != picture.shape else "")
        + f"; each of the {out_rows * out_cols} frames fills one cell of the "
        f"{out_rows}×{out_cols} output and writes its sum of products",
    )
    return _build(fig, update, len(steps) + 1, interval)


def animate_pooling(
    feature_map: npt.ArrayLike,
    size: int | tuple[int, int] = 2,
    *,
    interval: float = 900,
    **options: Unpack[PoolOptions],
) -> FuncAnimation:
    """Animate pooling one window at a time.

    Parameters
    ----------
    feature_map : (H, W) array_like
        A small map (its numbers are written in the cells).
    size : int or (int, int), optional
        The window size.
    interval : float, optional
        Milliseconds per frame when played, from 10 to 60,000.
    **options
        `stride`, `mode`, `p`, `padding` and `ceil_mode`, as in
        :func:`convdemo.pooling.pool2d`.

    Returns
    -------
    matplotlib.animation.FuncAnimation
        One frame per pooled cell plus a final frame. The window is outlined;
        for ``'max'`` and ``'min'`` the chosen cell is circled; the caption
        writes out the window's value, e.g. ``max(0, 1, 4, 5) = 5`` or
        ``(0 + 1 + 4 + 5) / 4 = 2.5``.

    Raises
    ------
    ValueError
        If the output has more than 400 cells, or `interval` is out of range.
    TypeError
        If `interval` is not a number.

    Examples
    --------
    Four 2 × 2 windows give four frames and the final one; the first
    frame's caption writes out the first average:

    >>> import tempfile
    >>> from pathlib import Path
    >>> import numpy as np
    >>> from PIL import Image
    >>> import matplotlib.pyplot as plt
    >>> anim = animate_pooling(np.arange(16).reshape(4, 4), 2, mode="avg")
    >>> [t.get_text() for t in plt.gcf().texts if t.get_gid() == "caption"]
    ['Output[0, 0] = (0 + 1 + 4 + 5) / 4 = 2.5']
    >>> with tempfile.TemporaryDirectory() as folder, Image.open(
    ...     save_animation(anim, Path(folder) / "pool.webp")
    ... ) as webp:
    ...     webp.n_frames
    5
    >>> plt.close("all")
    """
    interval = _frame_ms(interval, "interval")
    # Refuse a map too large to write out before computing its windows.
    matrix = as_image(feature_map, "feature_map")
    check_small(matrix.shape, "feature_map")
    picture = pooling_picture(matrix, size, options, _check_frames)
    check_small(picture.shown.shape, "feature_map")
    matrix, pooled, steps, shown, pads = picture[:5]
    (size_r, size_c), mode = picture.size, picture.mode
    rows, cols = shown.shape
    out_rows, out_cols = pooled.shape
    captions = [
        f"Output[{s.position[0]}, {s.position[1]}] = {format_step(s)}" for s in steps
    ]
    captions.append(f"Output {out_rows}×{out_cols}: the {mode} of every window")
    cell = cell_size(cols + out_cols, 2 * GAP + 0.3)
    with styled():
        fig, axes, centres, band = caption_row_figure(
            [cols * cell, out_cols * cell],
            [rows * cell, out_rows * cell],
            captions,
            gap=2 * GAP,
        )
        source = draw_matrix(
            axes[0],
            shown,
            padding=pads,
            highlight=[(int(steps[0].rows[0]), int(steps[0].cols[0]), size_r, size_c)],
        )
        target = draw_matrix(axes[1], pooled, role="output")
        marks = PoolingMarks(source.highlights[0], axes[0], axes[1], pooled.shape)
        label_input_output(
            fig,
            axes,
            centres[0],
            (matrix.shape, pooled.shape),
            f"{mode} {size_r}×{size_c}",
        )
        caption = add_caption(fig, captions[0], band)
    reveal = _OutputReveal(target)

    def update(frame: int) -> list[Artist]:
        moved = marks.move(steps[frame] if frame < len(steps) else None)
        caption.set_text(captions[frame])
        return [*moved, caption, *reveal.show(frame + 1)]

    update(0)
    set_alt_text(
        fig,
        f"Animation of {mode} pooling: a {size_r}×{size_c} window moves over a "
        f"{matrix.shape[0]}×{matrix.shape[1]} feature map; each of the "
        f"{out_rows * out_cols} frames fills one cell of the {out_rows}×{out_cols} "
        "output and writes how it was computed",
    )
    return _build(fig, update, len(steps) + 1, interval)


def animate_filter_and_pool(
    image: npt.ArrayLike,
    kernel: npt.ArrayLike,
    *,
    size: int = 2,
    sweep: int = 0,
    interval: float = 800,
) -> FuncAnimation:
    """Animate a filter sweeping an image, its whole output, then pooling.

    The story of the site in one loop: the kernel slides along one row of
    the image, each window times the kernel giving products whose sum fills
    one output cell; the other rows of the output follow, one per frame;
    then max pooling keeps the largest value of each block.

    Parameters
    ----------
    image : (H, W) array_like
        A small image (its numbers are written in the cells), at most
        14 × 14.
    kernel : (kh, kw) array_like
        The kernel.
    size : int, optional
        The pooling window and stride.
    sweep : int, optional
        The output row the kernel is shown sweeping, one cell per frame.
    interval : float, optional
        Milliseconds per frame when played.

    Returns
    -------
    matplotlib.animation.FuncAnimation
        ``W' + (H' − 1) + H'' + 1`` frames for an output of ``(H', W')`` and a
        pooled map of ``H''`` rows: the sweep, the other output rows, the
        pooled rows, and a last frame with everything.

    Raises
    ------
    ValueError
        If the image is larger than 14 × 14, `sweep` is not an output row, or
        the output is smaller than one pooling window.

    Examples
    --------
    An 8 × 8 crossing of the grid gives a 6 × 6 output and a 3 × 3 pooled
    map: 6 + 5 + 3 + 1 frames.

    >>> import tempfile
    >>> from pathlib import Path
    >>> import matplotlib.pyplot as plt
    >>> from PIL import Image
    >>> from convdemo.images import grid_image
    >>> from convdemo.kernels import get_kernel
    >>> crossing = grid_image()[26:34, 26:34]
    >>> anim = animate_filter_and_pool(crossing, get_kernel("vertical"))
    >>> [t.get_text() for t in plt.gcf().texts if t.get_gid() == "caption"]
    ['Output[0, 0] = 1 + 1 + 1 − 1 − 1 − 1 = 0']
    >>> with tempfile.TemporaryDirectory() as folder, Image.open(
    ...     save_animation(anim, Path(folder) / "hero.webp")
    ... ) as webp:
    ...     webp.n_frames
    15
    >>> plt.close("all")
    """
    picture = as_image(image, "image")
    weights = as_image(kernel, "kernel")
    check_small(picture.shape, "image", _HERO_LARGEST)
    window = positive_int(size, "size")
    result = correlate2d(picture, weights)
    out_rows, out_cols = result.shape
    sweep = nonnegative_int(sweep, "sweep")
    if sweep >= out_rows:
        raise ValueError(f"`sweep` must be an output row below {out_rows}, got {sweep}")
    if min(result.shape) < window:
        raise ValueError(f"`size` {window} is larger than the output {result.shape}")
    pooled = pool2d(result, window)
    steps = [s for s in sliding_windows(picture, weights) if s.position[0] == sweep]
    others = [r for r in range(out_rows) if r != sweep]
    scale = signed_norm(result)
    kh, kw = weights.shape
    captions = [
        f"Output[{sweep}, {s.position[1]}] = {_sum_text(s.products)}" for s in steps
    ]
    captions += [f"Every window the same way: output row {r}" for r in others]
    captions += [
        f"Max pooling, {window} × {window}: each block keeps its largest value"
    ] * pooled.shape[0]
    captions.append("Filter, then pool: the edges survive at half the size")
    with styled():
        fig, axes, signs, band = _hero_layout(
            picture.shape, weights.shape, result.shape, pooled.shape, captions
        )
        source = draw_matrix(
            axes[0],
            picture,
            cmap=GRAY,
            norm=image_norm(picture),
            highlight=window_outline(steps[0], picture.shape),
            title=f"Input {picture.shape[0]}×{picture.shape[1]}",
        )
        draw_matrix(axes[1], weights, role="kernel", title="Kernel")
        products = draw_matrix(axes[2], steps[0].products, cmap=DIVERGING, norm=scale)
        set_title(axes[2], "Products")
        target = draw_matrix(
            axes[3], result, role="output", title=f"Output {out_rows}×{out_cols}"
        )
        smaller = draw_matrix(
            axes[4],
            pooled,
            role="output",
            title=f"Pooled {pooled.shape[0]}×{pooled.shape[1]}",
        )
        block = outline_cells(axes[3], [(0, 0, window, out_cols)], result.shape)[0]
        for where, symbol, note in signs:
            add_operator(fig, where, symbol)
            if note:
                operator_note(fig, where, note)
        caption = add_caption(fig, captions[0], band)
    frame_cells = _SignedReveal(target, result, scale)
    pooled_cells = _SignedReveal(smaller, pooled, scale)

    def update(frame: int) -> list[Artist]:
        swept = min(frame + 1, len(steps))
        rows_done = max(0, frame - len(steps) + 1)
        pooled_done = max(0, frame - len(steps) - len(others) + 1)
        shown = np.zeros(result.shape, dtype=bool)
        shown[sweep, :swept] = True
        shown[others[:rows_done], :] = True
        frame_cells.show(shown)
        done = np.zeros(pooled.shape, dtype=bool)
        done[:pooled_done] = True
        pooled_cells.show(done)
        sweeping = frame < len(steps)
        for patch in source.highlights:
            patch.set_visible(sweeping)
        if sweeping:
            step = steps[frame]
            _move_window(source.highlights, step)
            for cell, text, value in zip(
                products.cells, products.texts, step.products.ravel(), strict=True
            ):
                set_cell(cell, text, plt.get_cmap(DIVERGING)(scale(value)))
                text.set_text(format_value(value))
        pooling = 0 < pooled_done <= pooled.shape[0] and frame < len(captions) - 1
        block.set_visible(pooling)
        if pooling:
            block.set_xy((-0.5, (pooled_done - 1) * window - 0.5))
        caption.set_text(captions[frame])
        return [
            *source.highlights,
            *products.cells,
            *products.texts,
            block,
            caption,
            *frame_cells.artists,
            *pooled_cells.artists,
        ]

    update(0)
    set_alt_text(
        fig,
        f"Animation: a {kh}×{kw} kernel {matrix_list(weights)} sweeps row "
        f"{sweep} of a {picture.shape[0]}×{picture.shape[1]} image, the products "
        "of each window shown and their sum filling one output cell; the other "
        f"rows of the {out_rows}×{out_cols} output follow, then {window}×{window} "
        f"max pooling fills the {pooled.shape[0]}×{pooled.shape[1]} pooled map",
    )
    return _build(fig, update, len(captions), interval)


def _sum_text(products: np.ndarray) -> str:
    """Write the non-zero products as a sum, largest first: ``1 + 1 − 0.2 = 1.8``."""
    terms = sorted((float(v) for v in products.ravel() if v != 0), reverse=True)
    if not terms:
        return "0"
    text = format_value(terms[0])
    for value in terms[1:]:
        text += f" {MINUS if value < 0 else '+'} {format_value(abs(value))}"
    return f"{text} = {format_value(float(products.sum()))}"


class _SignedReveal:
    """Show chosen cells of a matrix in their diverging colour, blank the rest."""

    def __init__(self, artists: MatrixArtists, values: np.ndarray, scale: Any) -> None:
        self.cells, self.texts = artists.cells, artists.texts
        colormap = plt.get_cmap(DIVERGING)
        self.fills = [colormap(scale(v)) for v in values.ravel()]
        self.artists: list[Artist] = [*self.cells, *self.texts]

    def show(self, mask: np.ndarray) -> None:
        """Fill the cells where `mask` is True; blank the others."""
        for cell, text, fill, on in zip(
            self.cells, self.texts, self.fills, mask.ravel(), strict=True
        ):
            set_cell(cell, text, fill if on else _PENDING_FILL)
            text.set_visible(bool(on))


_Sign = tuple[tuple[float, float], str, str]


def _hero_layout(
    shape: tuple[int, ...],
    kernel_shape: tuple[int, ...],
    out_shape: tuple[int, ...],
    pooled_shape: tuple[int, ...],
    captions: list[str],
) -> tuple[Figure, list[Axes], list[_Sign], float]:
    """Lay out two rows: input ⊙ kernel → products Σ →, then output → pooled.

    Returns the figure, the five axes, each sign's place (figure fraction),
    symbol and note, and the caption band's height in inches.
    """
    cell = _HERO_CELL
    band = max(caption_band(text) for text in captions)
    kernel = (kernel_shape[0], kernel_shape[1])
    last: tuple[str, str, float] = ("", "", 0.0)
    rows = [
        [
            ((shape[0], shape[1]), _HERO_SIGNS[0]),
            (kernel, _HERO_SIGNS[1]),
            (kernel, _HERO_SIGNS[2]),
        ],
        [
            ((out_shape[0], out_shape[1]), _HERO_SIGNS[3]),
            ((pooled_shape[0], pooled_shape[1]), last),
        ],
    ]
    widths = [sum(c * cell + gap for (_, c), (_, _, gap) in row) for row in rows]
    heights = [max(r for (r, _), _ in row) * cell for row in rows]
    width = max(
        2 * _HERO_MARGIN + max(widths), *(caption_width(text) for text in captions)
    )
    tops = [_HERO_TITLE, 2 * _HERO_TITLE + heights[0] + _HERO_ROW_GAP]
    height = tops[1] + heights[1] + band + 0.2
    fig = plt.figure(figsize=(width, height))
    axes: list[Axes] = []
    signs: list[_Sign] = []
    for row, top, row_width, row_height in zip(
        rows, tops, widths, heights, strict=True
    ):
        middle = top + row_height / 2
        x = (width - row_width) / 2
        for (panel_rows, panel_cols), (symbol, note, gap) in row:
            h = panel_rows * cell
            axes.append(
                fig.add_axes(
                    (
                        x / width,
                        1 - (middle + h / 2) / height,
                        panel_cols * cell / width,
                        h / height,
                    )
                )
            )
            x += panel_cols * cell + gap
            if symbol:
                signs.append(
                    (((x - gap / 2) / width, 1 - middle / height), symbol, note)
                )
    return fig, axes, signs, band
