"""Figures of one convolution step and of the convolution arithmetic.

:func:`show_step` spells out how one output cell is computed (window,
kernel, products, sum); :func:`show_arithmetic` draws how padding, stride and
dilation set the output size, in the style of Dumoulin & Visin's
*convolution arithmetic*. Both are public through :mod:`convdemo.draw`.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from convdemo._artists import draw_matrix, hatch_cells, outline_cells, window_outline
from convdemo._format import (
    MINUS,
    axis_formula,
    check_small,
    format_step,
    format_value,
    matrix_text,
    wrap_terms,
)
from convdemo._layout import (
    GAP,
    NOTE_SIZE,
    add_caption,
    add_note,
    add_operator,
    caption_band,
    caption_width,
    cell_size,
    fit_figure,
    label_input_output,
    note_height,
    operator_note,
    row_figure,
    set_title,
    wrap_notes,
)
from convdemo._validate import as_image, as_pair, nonnegative_int
from convdemo.analysis import coverage
from convdemo.ops import (
    Padding,
    correlate2d,
    output_shape,
    pad,
    padding_amounts,
    sliding_windows,
)
from convdemo.style import DIVERGING, KERNEL, blend, set_alt_text, signed_norm, styled

__all__ = ["show_arithmetic", "show_step"]

# Share of the kernel colour in the fill of a kernel tap.
_TAP_TINT = 0.9
# The outline of the next window: dashes (on, off, in points) and width.
_NEXT_DASHES = (0, (3, 2))
_NEXT_LINE = 1.8
# What the signs between show_step's panels say: window ⊙ kernel → products
# → Σ → output cell.
_STEP_NOTES = ("cell by cell", "", "sum")
# The gaps that hold those signs, in inches.
_STEP_GAPS = (0.75, 0.55, 0.95)
# The general formula, the first line of show_arithmetic's caption.
_FORMULA = "output size = ⌊(n + 2p − d(k−1) − 1)/s⌋ + 1"


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

    The signs between the panels read window ⊙ kernel → products → Σ →
    output cell: the window under the kernel times the kernel, cell by cell
    (⊙), gives the products, whose sum is the outlined output cell.

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
    pads = padding_amounts(padding, weights.shape, dilation=dilation)
    check_small(
        (picture.shape[0] + sum(pads[0]), picture.shape[1] + sum(pads[1])), "image"
    )
    options: dict[str, Any] = {
        "padding": padding,
        "border": border,
        "stride": stride,
        "dilation": dilation,
    }
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
        s
        for s in sliding_windows(picture, weights, **options)
        if s.position == (row, col)
    )
    padded = pad(picture, pads, border=border)
    kh, kw = weights.shape
    rows, cols = padded.shape
    cell = cell_size(cols + 2 * kw + out_cols, sum(_STEP_GAPS))
    text = f"Output[{row}, {col}] = " + wrap_terms(format_step(step), kw)
    band = caption_band(text)
    with styled():
        fig, axes, centres = row_figure(
            [cols * cell, kw * cell, kw * cell, out_cols * cell],
            [rows * cell, kh * cell, kh * cell, out_rows * cell],
            list(_STEP_GAPS),
            bottom=band + 0.1,
            min_width=caption_width(text),
        )
        draw_matrix(
            axes[0],
            padded,
            role="input",
            padding=pads,
            highlight=window_outline(step, padded.shape),
        )
        draw_matrix(axes[1], weights, role="kernel")
        draw_matrix(
            axes[2], step.products, cmap=DIVERGING, norm=signed_norm(step.products)
        )
        draw_matrix(axes[3], result, role="output", highlight=[(row, col, 1, 1)])
        set_title(axes[0], f"Input {picture.shape[0]}×{picture.shape[1]}", "input")
        set_title(axes[1], "Kernel", "kernel")
        set_title(axes[2], "Products")
        set_title(axes[3], f"Output {out_rows}×{out_cols}", "output")
        # The window times the kernel, cell by cell, gives the products; their
        # sum is one output cell (the whole output is input ⋆ kernel).
        for centre, symbol, note in zip(
            centres, ("⊙", "→", "Σ →"), _STEP_NOTES, strict=True
        ):
            add_operator(fig, centre, symbol)
            if note:
                operator_note(fig, centre, note)
        add_caption(fig, text, band)
        fit_figure(fig)
    set_alt_text(
        fig,
        f"One step of the cross-correlation: the {kh}×{kw} window at output cell "
        f"({row}, {col}) is outlined on the input "
        f"{picture.shape[0]}×{picture.shape[1]}, "
        f"multiplied by the kernel {matrix_text(weights)} cell by cell, and the "
        f"products add up to {format_value(step.value).replace(MINUS, '-')}: "
        f"{format_step(step).replace(MINUS, '-')}",
    )
    return fig, axes


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
    check_small((rows, cols), "input_size")
    caption = _arithmetic_caption(n, pads, k, s, d, out)
    band = 0.3 + 0.25 * (caption.count("\n") + 1)
    cell = cell_size(cols + out[1], 2 * GAP)
    # Cells that no window (its whole span, taps or not) reaches.
    span = (d[0] * (k[0] - 1) + 1, d[1] * (k[1] - 1) + 1)
    leftover = coverage(n, span, padding=pads, stride=s) == 0
    notes = ["dashed outline: next window"] if out[1] > 1 else []
    if any(sum(p) for p in pads):
        notes.append("grey dashed cells: padding")
    notes.append("orange: kernel taps")
    if leftover.any():
        notes.append("hatched: reached by no window")
    # Centred under the input panel: at most as wide as the panel and the
    # figure's margin on its left allow.
    note = wrap_notes(notes, max(2.4, cols * cell + 0.4))
    with styled():
        fig, axes, centres = row_figure(
            [cols * cell, out[1] * cell],
            [rows * cell, out[0] * cell],
            [2 * GAP],
            bottom=band + 0.1 + note_height(note),
            min_width=max(5.0, caption_width(caption)),
        )
        _arithmetic_input(axes[0], (rows, cols), pads, k, s, d, leftover, out)
        target = draw_matrix(
            axes[1],
            np.zeros(out),
            role="output",
            show_text=False,
            highlight=[(0, 0, 1, 1)],
        )
        target.highlights[0].set_gid("window")
        label_input_output(
            fig,
            axes,
            centres[0],
            (n, out),
            f"kernel {k[0]}×{k[1]}\nstride {s[0] if s[0] == s[1] else s}"
            f"\ndilation {d[0] if d[0] == d[1] else d}",
        )
        add_note(axes[0], note, NOTE_SIZE).set_gid("note")
        add_caption(fig, caption, band)
        fit_figure(fig)
    set_alt_text(
        fig,
        f"Convolution arithmetic: input {n[0]}×{n[1]} with padding {pads}, "
        f"kernel {k[0]}×{k[1]}, stride {s}, dilation {d}; the kernel's taps at "
        f"the first position and an output of {out[0]}×{out[1]}"
        f"{_leftover_text(leftover)}. " + caption.replace("\n", " "),
    )
    return fig, axes


def _arithmetic_caption(
    n: tuple[int, int],
    pads: tuple[tuple[int, int], tuple[int, int]],
    k: tuple[int, int],
    s: tuple[int, int],
    d: tuple[int, int],
    out: tuple[int, int],
) -> str:
    """Write the output-size formula, then its numbers (per axis if they differ)."""
    formulas = [axis_formula(n[a], pads[a], k[a], s[a], d[a], out[a]) for a in range(2)]
    if formulas[0] == formulas[1]:
        lines = ["= " + formulas[0]]
    else:
        lines = ["rows: " + formulas[0], "columns: " + formulas[1]]
    return _FORMULA + "\n" + "\n".join(lines)


def _arithmetic_input(
    ax: Axes,
    shape: tuple[int, int],
    pads: tuple[tuple[int, int], tuple[int, int]],
    k: tuple[int, int],
    s: tuple[int, int],
    d: tuple[int, int],
    leftover: np.ndarray,
    out: tuple[int, int],
) -> None:
    """Draw the padded input: the first window's taps, the window, the next one."""
    cols = shape[1]
    source = draw_matrix(ax, np.zeros(shape), padding=pads, show_text=False)
    taps = np.zeros(shape, dtype=bool)
    taps[np.ix_(range(0, d[0] * k[0], d[0]), range(0, d[1] * k[1], d[1]))] = True
    for r, c in np.argwhere(taps):
        cell = source.cells[r * cols + c]
        cell.set_facecolor(blend(KERNEL, _TAP_TINT))
        cell.set_gid("tap")
    hatch_cells(ax, leftover)
    span = (d[0] * (k[0] - 1) + 1, d[1] * (k[1] - 1) + 1)
    window = outline_cells(ax, [(0, 0, *span)], shape)
    window[0].set_gid("window")
    if out[1] > 1:
        # Where the window lands next: `stride` columns to the right.
        following = outline_cells(ax, [(0, s[1], *span)], shape)[0]
        following.set_linestyle(_NEXT_DASHES)
        following.set_linewidth(_NEXT_LINE)
        following.set_gid("next")


def _leftover_text(leftover: np.ndarray) -> str:
    """Say for alt text how many cells no window reaches, and where."""
    if not leftover.any():
        return ""
    where = " at the bottom or right" if _tail_only(leftover) else ""
    return f"; {int(leftover.sum())} cells{where} are reached by no window"


def _tail_only(leftover: np.ndarray) -> bool:
    """Say whether the unreached rows and columns all come after the reached."""
    for axis in (1, 0):
        unreached = np.asarray(leftover.all(axis=axis))
        reached = np.flatnonzero(~unreached)
        if reached.size and unreached[: reached.max()].any():
            return False
    return True
