"""Figures of convolution as a matrix, and of a gradient flowing back.

:func:`show_conv_matrix` draws the matrix ``M`` of a correlation (or its
transpose) with every entry written, :func:`show_im2col` the im2col view of
the same product, and :func:`animate_pool_gradient` the backward pass of max
pooling one window at a time. All three are public through
:mod:`convdemo.draw`.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt
from matplotlib.animation import FuncAnimation
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from convdemo._artists import draw_matrix, set_cell
from convdemo._format import MAX_CELLS, check_small, format_value, matrix_list
from convdemo._layout import (
    GAP,
    add_caption,
    add_operator,
    caption_band,
    caption_row_figure,
    caption_width,
    cell_size,
    fit_figure,
    row_figure,
    set_title,
)
from convdemo._pooling_figures import PoolingMarks
from convdemo._validate import as_image, as_shape
from convdemo.linear import conv_matrix, im2col
from convdemo.ops import Padding, correlate2d, pool_windows
from convdemo.pooling import pool2d
from convdemo.style import MUTED, blend, cell_fill, set_alt_text, styled

__all__ = ["animate_pool_gradient", "show_conv_matrix", "show_im2col"]

# The fill of a matrix entry that is 0: a faint grey, so that the kernel's
# weights stand out in their role colour.
_ZERO_FILL = blend(MUTED, 0.12)
# The widest matrix written out, in columns (a 5 × 5 image has 25 pixels).
_MAX_COLUMNS = 2 * MAX_CELLS
# Milliseconds per frame of the gradient animation.
_INTERVAL = 1400


def _column(values: np.ndarray) -> np.ndarray:
    """Return a flattened array as one column."""
    return values.reshape(-1, 1)


def _fade(drawn: Any, faded: np.ndarray) -> None:
    """Give the cells of a drawn matrix where `faded` is True the zero fill."""
    for index in np.flatnonzero(faded):
        set_cell(drawn.cells[index], drawn.texts[index], _ZERO_FILL)


def _product_figure(
    panels: list[tuple[np.ndarray, str, str]],
    operators: list[str],
    caption: str,
    faded: np.ndarray | None = None,
) -> tuple[Figure, list[Axes]]:
    """Draw matrices side by side with operator signs and a caption.

    Each panel is ``(values, role, title)``; the first one's cells where
    `faded` is True get the zero fill. The cell size fits every column on
    the page.
    """
    columns = sum(values.shape[1] for values, _, _ in panels)
    cell = cell_size(columns, GAP * len(operators))
    band = caption_band(caption)
    with styled():
        fig, axes, centres = row_figure(
            [values.shape[1] * cell for values, _, _ in panels],
            [values.shape[0] * cell for values, _, _ in panels],
            [GAP] * len(operators),
            bottom=band + 0.1,
            min_width=caption_width(caption),
        )
        for index, (ax, (values, role, title)) in enumerate(
            zip(axes, panels, strict=True)
        ):
            drawn = draw_matrix(ax, values, role=role, fontsize=_font(cell))
            if index == 0 and faded is not None:
                _fade(drawn, faded)
            set_title(ax, title, role, size=10)
        for centre, symbol in zip(centres, operators, strict=True):
            add_operator(fig, centre, symbol)
        add_caption(fig, caption, band)
        fit_figure(fig)
    return fig, axes


def _font(cell: float) -> float:
    """Return a font size (points) for numbers of up to three characters."""
    return float(min(10.0, max(6.0, cell * 72 * 0.42)))


def show_conv_matrix(
    input_shape: tuple[int, int],
    kernel: npt.ArrayLike,
    image: npt.ArrayLike | None = None,
    *,
    transpose: bool = False,
    padding: Padding = "valid",
    stride: int | tuple[int, int] = 1,
    dilation: int | tuple[int, int] = 1,
) -> tuple[Figure, list[Axes]]:
    """Show the matrix of a correlation, with every entry written.

    Parameters
    ----------
    input_shape : (int, int)
        The shape of the images the matrix applies to.
    kernel : (kh, kw) array_like
        The kernel; its weights are drawn in the kernel colour, the zeros
        faded.
    image : array_like, optional
        With ``transpose=False``: an image of `input_shape`, drawn as a
        column after the matrix, and the output as a column after it
        (``M · x = y``). With ``transpose=True``: an output gradient of the
        output's shape, and ``Mᵀ · y`` after it.
    transpose : bool, optional
        Draw ``Mᵀ``, the matrix of the transposed convolution.
    padding, stride, dilation
        As in :func:`~convdemo.ops.correlate2d` (zero borders).

    Returns
    -------
    fig : matplotlib.figure.Figure
    axes : list of Axes
        The matrix, then the vector and the result when `image` is given.

    Raises
    ------
    ValueError
        If the matrix has more than 48 columns or rows, or `image` has the
        wrong shape, naming the parameter.

    See Also
    --------
    convdemo.linear.conv_matrix : the matrix drawn.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> import numpy as np
    >>> fig, axes = show_conv_matrix((3, 3), [[0, 1], [2, 3]], np.arange(9))
    >>> len(axes), [t.get_text() for t in axes[0].texts][:4]
    (3, ['0', '1', '0', '2'])
    >>> [t.get_text() for t in axes[2].texts]
    ['19', '25', '37', '43']
    >>> plt.close(fig)
    """
    shape = as_shape(input_shape, "input_shape")
    weights = as_image(kernel, "kernel")
    options: dict[str, Any] = {"padding": padding, "stride": stride}
    options["dilation"] = dilation
    matrix = conv_matrix(shape, weights, **options)
    check_small(matrix.shape, "input_shape", _MAX_COLUMNS)
    # Where a tap lands, whatever its weight (a weight can be 0 too).
    taps = conv_matrix(shape, np.ones_like(weights), **options) != 0
    shown, faded = (matrix.T, ~taps.T) if transpose else (matrix, ~taps)
    name = "Mᵀ" if transpose else "M"
    rows, cols = shown.shape
    panels = [(shown, "kernel", f"{name}: {rows} × {cols}")]
    words = "transposed " if transpose else ""
    caption = (
        f"The {rows} × {cols} matrix of the {words}correlation with the "
        f"{weights.shape[0]} × {weights.shape[1]} kernel {matrix_list(weights)}"
    )
    if image is not None:
        vector = as_image(image, "image", ndim=None).ravel()
        if vector.size != cols:
            raise ValueError(
                f"`image` must have {cols} values to multiply the {rows} × {cols} "
                f"matrix, got shape {np.shape(image)}"
            )
        result = shown @ vector
        roles = ("output", "input") if transpose else ("input", "output")
        panels += [
            (_column(vector), roles[0], "y" if transpose else "x"),
            (_column(result), roles[1], f"{name} · {'y' if transpose else 'x'}"),
        ]
        caption = (
            f"{name} · {'y' if transpose else 'x'}: each row of {name} times the "
            "column, summed, is one cell of the result"
        )
    operators = ["·", "="][: len(panels) - 1]
    fig, axes = _product_figure(panels, operators, caption, faded)
    weights_text = matrix_list(weights)
    set_alt_text(
        fig,
        f"The {rows} by {cols} matrix {name} of the {words}correlation of a "
        f"{shape[0]} by {shape[1]} image with the kernel {weights_text}: "
        + ("each column" if transpose else "each row")
        + " holds the kernel's weights at the pixels one window covers, every "
        "other entry is 0"
        + (
            f"; times the column {matrix_list(panels[1][0])} it gives "
            f"{matrix_list(panels[2][0])}"
            if image is not None
            else ""
        ),
    )
    return fig, axes


def show_im2col(
    image: npt.ArrayLike,
    kernel: npt.ArrayLike,
    *,
    padding: Padding = "valid",
    stride: int | tuple[int, int] = 1,
    dilation: int | tuple[int, int] = 1,
) -> tuple[Figure, list[Axes]]:
    """Show the im2col view: one window per row, times the kernel as a column.

    Parameters
    ----------
    image : (H, W) array_like
        A small image (its numbers are written out).
    kernel : (kh, kw) array_like
        The kernel.
    padding, stride, dilation
        As in :func:`~convdemo.ops.correlate2d` (zero borders).

    Returns
    -------
    fig : matplotlib.figure.Figure
    axes : list of Axes
        The windows matrix, the kernel column and the output column.

    See Also
    --------
    convdemo.linear.im2col : the matrix drawn.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> import numpy as np
    >>> fig, axes = show_im2col(np.arange(9).reshape(3, 3), [[0, 1], [2, 3]])
    >>> [t.get_text() for t in axes[0].texts][:4]
    ['0', '1', '3', '4']
    >>> plt.close(fig)
    """
    picture = as_image(image, "image")
    weights = as_image(kernel, "kernel")
    options: dict[str, Any] = {"padding": padding, "stride": stride}
    options["dilation"] = dilation
    windows = im2col(picture, weights.shape, **options)
    check_small(windows.shape, "image", _MAX_COLUMNS)
    output = correlate2d(picture, weights, **options)
    rows, cols = windows.shape
    panels = [
        (windows, "input", f"Windows: {rows} × {cols}"),
        (_column(weights), "kernel", "Kernel"),
        (_column(output), "output", "Output"),
    ]
    caption = (
        "Row i holds the pixels under window i; times the flattened kernel "
        "it gives output cell i"
    )
    fig, axes = _product_figure(panels, ["·", "="], caption)
    set_alt_text(
        fig,
        f"The im2col matrix of a {picture.shape[0]} by {picture.shape[1]} image: "
        f"{rows} rows, one per window, each holding the {cols} pixels under it "
        f"({matrix_list(windows)}), times the "
        f"kernel as a column {matrix_list(weights)}, equals the output "
        f"{matrix_list(output)}",
    )
    return fig, axes


def animate_pool_gradient(
    feature_map: npt.ArrayLike,
    grad_output: npt.ArrayLike,
    size: int = 2,
) -> FuncAnimation:
    """Animate the backward pass of max pooling, one window per frame.

    Parameters
    ----------
    feature_map : (H, W) array_like
        The map that was pooled (its numbers are written out).
    grad_output : (H', W') array_like
        ∂L/∂y, one number per pooled cell.
    size : int, optional
        The windows are `size` × `size`, with stride `size`.

    Returns
    -------
    matplotlib.animation.FuncAnimation
        One frame per window, then a final frame: the window outlined on the
        map and its winner circled, its cell of ∂L/∂y outlined, and the
        winner's cell of ∂L/∂x filled with that gradient while the window's
        other cells get 0.

    See Also
    --------
    convdemo.backward.pool2d_backward : the gradient drawn.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> import matplotlib.pyplot as plt
    >>> import numpy as np
    >>> from PIL import Image
    >>> from convdemo.animate import save_animation
    >>> anim = animate_pool_gradient(np.arange(16).reshape(4, 4), [[1, 2], [3, 4]])
    >>> [t.get_text() for t in plt.gcf().texts if t.get_gid() == "caption"]
    ['Window (0, 0): the maximum, 5, takes the whole gradient: ∂L/∂x[1, 1] = 1']
    >>> with tempfile.TemporaryDirectory() as folder, Image.open(
    ...     save_animation(anim, Path(folder) / "gradient.webp")
    ... ) as webp:
    ...     webp.n_frames
    5
    >>> plt.close("all")
    """
    from convdemo._movie import _build
    from convdemo.backward import pool2d_backward

    matrix = as_image(feature_map, "feature_map")
    check_small(matrix.shape, "feature_map")
    pooled = pool2d(matrix, size)
    grad = as_image(grad_output, "grad_output")
    if grad.shape != pooled.shape:
        raise ValueError(
            f"`grad_output` must have the pooled shape {pooled.shape}, "
            f"got shape {grad.shape}"
        )
    result = pool2d_backward(grad, matrix, size)
    steps = list(pool_windows(matrix, size))
    captions = []
    for step in steps:
        assert step.pick is not None
        r, c = int(step.rows[step.pick[0]]), int(step.cols[step.pick[1]])
        i, j = step.position
        captions.append(
            f"Window ({i}, {j}): the maximum, {format_value(step.value)}, takes "
            f"the whole gradient: ∂L/∂x[{r}, {c}] = {format_value(grad[i, j])}"
        )
    captions.append(
        "Each gradient went back to its window's winner; every other cell gets 0"
    )
    rows, cols = matrix.shape
    out_rows, out_cols = grad.shape
    cell = cell_size(2 * cols + out_cols, 2 * GAP)
    with styled():
        fig, axes, centres, band = caption_row_figure(
            [cols * cell, out_cols * cell, cols * cell],
            [rows * cell, out_rows * cell, rows * cell],
            captions,
        )
        source = draw_matrix(axes[0], matrix, highlight=[(0, 0, size, size)])
        draw_matrix(axes[1], grad, role="output")
        target = draw_matrix(axes[2], result, role="input")
        marks = PoolingMarks(source.highlights[0], axes[0], axes[1], grad.shape)
        set_title(axes[0], f"Feature map x {rows}×{cols}", "input", size=10)
        set_title(axes[1], "∂L/∂y", "output", size=10)
        set_title(axes[2], "∂L/∂x", "input", size=10)
        add_operator(fig, centres[1], "→")
        caption = add_caption(fig, captions[0], band)
    # Which window (frame) each cell of ∂L/∂x belongs to; -1: none reads it.
    owner = np.full(matrix.shape, -1)
    for index, step in enumerate(steps):
        owner[np.ix_(step.rows, step.cols)] = index

    def update(frame: int) -> list[Artist]:
        moved = marks.move(steps[frame] if frame < len(steps) else None)
        for index, (cell_patch, text) in enumerate(
            zip(target.cells, target.texts, strict=True)
        ):
            done = owner.flat[index] <= frame
            value = result.flat[index]
            received = done and value != 0
            set_cell(cell_patch, text, cell_fill("input") if received else _ZERO_FILL)
            text.set_visible(bool(done))
        caption.set_text(captions[frame])
        return [*moved, caption, *target.cells, *target.texts]

    update(0)
    set_alt_text(
        fig,
        f"Animation of the backward pass of {size}×{size} max pooling on the "
        f"feature map {matrix_list(matrix)}: each frame takes one window, circles "
        "its maximum and copies that window's gradient from ∂L/∂y into the "
        f"maximum's cell of ∂L/∂x; the others get 0. The result is "
        f"{matrix_list(result)}",
    )
    return _build(fig, update, len(steps) + 1, _INTERVAL)
