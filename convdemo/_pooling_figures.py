"""The pooling figure: a feature map cut into windows, and the pooled map.

:func:`show_pooling` is public through :mod:`convdemo.draw`;
:func:`pool_display` (the map padded so that every window lies inside it)
is shared with the pooling animation, and :class:`PoolingMarks` (the
window, its output cell and its pick, moved frame by frame) with the
animations of pooling and of its gradient.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, NamedTuple, Unpack

import numpy as np
import numpy.typing as npt
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from convdemo._artists import (
    MatrixArtists,
    PadSpec,
    checker_fill,
    circle_cell,
    draw_matrix,
    hatch_cells,
    outline_cells,
    pad_spec,
    set_cell,
)
from convdemo._format import check_small, format_step, matrix_text, unread_text
from convdemo._layout import (
    GAP,
    NOTE_SIZE,
    add_caption,
    add_note,
    caption_band,
    caption_width,
    cell_size,
    fit_figure,
    label_input_output,
    note_height,
    row_figure,
    wrap_caption,
    wrap_notes,
)
from convdemo._validate import as_image, as_pair
from convdemo.analysis import coverage
from convdemo.pooling import PoolingStep, PoolOptions, pool2d, pool_windows
from convdemo.style import set_alt_text, styled

__all__ = [
    "PoolingMarks",
    "PoolingPicture",
    "pool_display",
    "pooling_picture",
    "show_pooling",
]


class PoolingPicture(NamedTuple):
    """What a pooling figure or animation shows, validated and computed."""

    matrix: np.ndarray
    pooled: np.ndarray
    steps: list[PoolingStep]
    shown: np.ndarray
    pads: PadSpec
    size: tuple[int, int]
    stride: tuple[int, int]
    mode: str


class PoolingMarks:
    """The marks a pooling animation moves: window, output cell and pick.

    `window` outlines the first window on the input `source`; the output
    cell is outlined on `target`, whose matrix has `shape`, and the pick (the
    cell a max or min pooling keeps) is circled on `source`.
    """

    def __init__(
        self, window: Rectangle, source: Axes, target: Axes, shape: tuple[int, int]
    ) -> None:
        self.window = window
        self.current = outline_cells(target, [(0, 0, 1, 1)], shape)[0]
        self.pick = circle_cell(0, 0)
        source.add_patch(self.pick)

    def move(self, step: PoolingStep | None) -> list[Artist]:
        """Mark `step`'s window, output cell and pick; None hides the marks."""
        self.window.set_visible(step is not None)
        self.current.set_visible(step is not None)
        self.pick.set_visible(step is not None and step.pick is not None)
        if step is not None:
            self.window.set_xy((step.cols[0] - 0.5, step.rows[0] - 0.5))
            self.current.set_xy((step.position[1] - 0.5, step.position[0] - 0.5))
            if step.pick is not None:
                self.pick.center = (
                    float(step.cols[step.pick[1]]),
                    float(step.rows[step.pick[0]]),
                )
        return [self.window, self.current, self.pick]


def pooling_picture(
    feature_map: npt.ArrayLike,
    size: int | tuple[int, int],
    options: PoolOptions,
    check_outputs: Callable[[int], None] | None = None,
) -> PoolingPicture:
    """Pool a feature map; return it, the output, the steps and the padded map.

    `check_outputs` sees the number of output cells before the steps are
    computed (an animation refuses too many frames). The padded map
    (:func:`pool_display`) is not checked for size: the caller refuses what
    it cannot draw.
    """
    matrix = as_image(feature_map, "feature_map")
    pooled = pool2d(matrix, size, **options)
    if check_outputs is not None:
        check_outputs(pooled.size)
    steps = list(pool_windows(matrix, size, **options))
    shown, pads = pool_display(matrix, steps, options.get("padding", 0))
    stride = options.get("stride")
    return PoolingPicture(
        matrix,
        pooled,
        steps,
        shown,
        pads,
        as_pair(size, "size"),
        as_pair(size if stride is None else stride, "stride"),
        steps[0].mode,
    )


def pool_display(
    matrix: np.ndarray, steps: Sequence[PoolingStep], padding: Any
) -> tuple[np.ndarray, PadSpec]:
    """Pad a feature map with NaN so that every pooling window lies inside it.

    Besides the requested padding, ``ceil_mode`` windows may reach past the
    bottom or right edge; those cells are added as padding too.
    """
    (top, _), (left, _) = pad_spec(padding)
    rows = matrix.shape[0] + 2 * top
    cols = matrix.shape[1] + 2 * left
    bottom = top + max(0, max(int(step.rows[-1]) for step in steps) + 1 - rows)
    right = left + max(0, max(int(step.cols[-1]) for step in steps) + 1 - cols)
    pads = ((top, bottom), (left, right))
    return np.pad(matrix, pads, constant_values=np.nan), pads


def show_pooling(
    feature_map: npt.ArrayLike,
    size: int | tuple[int, int] = 2,
    **options: Unpack[PoolOptions],
) -> tuple[Figure, list[Axes]]:
    """Show a feature map cut into pooling groups and the pooled map.

    Parameters
    ----------
    feature_map : (H, W) array_like
        The map to pool (small: its numbers are written in the cells).
    size : int or (int, int), optional
        The window size.
    **options
        `stride`, `mode`, `p`, `padding` and `ceil_mode`, as in
        :func:`convdemo.pooling.pool2d` (see
        :class:`~convdemo.pooling.PoolOptions`).

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
    # Refuse a map too large to write out before computing its windows.
    matrix = as_image(feature_map, "feature_map")
    check_small(matrix.shape, "feature_map")
    picture = pooling_picture(matrix, size, options)
    check_small(picture.shown.shape, "feature_map")
    matrix, pooled, steps, shown, pads = picture[:5]
    (size_r, size_c), (stride_r, stride_c), mode = picture[5:]
    unread = _unread(
        shown,
        pads,
        (size_r, size_c),
        (stride_r, stride_c),
        options.get("ceil_mode", False),
    )
    rows, cols = shown.shape
    out_rows, out_cols = pooled.shape
    cell = cell_size(cols + out_cols, 2 * GAP + 0.2)
    caption = wrap_caption(f"Output[0, 0] = {format_step(steps[0])}")
    band = caption_band(caption)
    note = wrap_notes(["hatched: read by no window"], cols * cell + 0.4)
    with styled():
        fig, axes, centres = row_figure(
            [cols * cell, out_cols * cell],
            [rows * cell, out_rows * cell],
            [GAP * 2],
            bottom=band + 0.1 + (note_height(note) if unread.any() else 0.0),
            min_width=caption_width(caption),
        )
        source = draw_matrix(axes[0], shown, role="input", padding=pads)
        target = draw_matrix(axes[1], pooled, role="output")
        separate = stride_r >= size_r and stride_c >= size_c
        if separate:
            _checker_groups(source, target, steps, shown, out_cols)
        picks = [
            (int(step.rows[step.pick[0]]), int(step.cols[step.pick[1]]))
            for step in steps
            if step.pick is not None
        ]
        for r, c in picks:
            axes[0].add_patch(circle_cell(r, c))
        if unread.any():
            hatch_cells(axes[0], unread)
            add_note(axes[0], note, NOTE_SIZE).set_gid("note")
        if not separate:
            first = steps[0]
            outline_cells(
                axes[0],
                [(int(first.rows[0]), int(first.cols[0]), size_r, size_c)],
                (rows, cols),
            )
        label_input_output(
            fig,
            axes,
            centres[0],
            (matrix.shape, pooled.shape),
            f"{mode} {size_r}×{size_c}\nstride {stride_r}",
        )
        add_caption(fig, caption, band)
        fit_figure(fig)
    marked = "; the chosen cell of each group is outlined" if picks else ""
    if unread.any():
        real = np.isfinite(shown)
        marked += unread_text(unread[real.any(axis=1)][:, real.any(axis=0)])
    set_alt_text(
        fig,
        f"{mode.capitalize()} pooling with {size_r}×{size_c} windows and stride "
        f"{stride_r}: input {matrix.shape[0]}×{matrix.shape[1]} {matrix_text(matrix)} "
        f"becomes output {out_rows}×{out_cols} {matrix_text(pooled)}{marked}",
    )
    return fig, axes


def _unread(
    shown: np.ndarray,
    pads: PadSpec,
    size: tuple[int, int],
    stride: tuple[int, int],
    ceil_mode: bool,
) -> np.ndarray:
    """Return the real cells of the displayed map that no window reads.

    Without ``ceil_mode`` a stride that does not fit drops the last rows or
    columns; a stride larger than the window skips the rows between windows.
    """
    (top, _), (left, _) = pads
    rows = shown.shape[0] - pads[0][0] - pads[0][1]
    cols = shown.shape[1] - pads[1][0] - pads[1][1]
    counts = coverage(
        (rows, cols), size, padding=(top, left), stride=stride, ceil_mode=ceil_mode
    )
    unread = np.zeros(shown.shape, dtype=bool)
    unread[: counts.shape[0], : counts.shape[1]] = counts == 0
    unread &= np.isfinite(shown)
    return unread


def _checker_groups(
    source: MatrixArtists,
    target: MatrixArtists,
    steps: Sequence[PoolingStep],
    shown: np.ndarray,
    out_cols: int,
) -> None:
    """Tint non-overlapping groups in two alternating shades, and their outputs."""
    cols = shown.shape[1]
    for step in steps:
        i, j = step.position
        parity = (i + j) % 2
        for r in step.rows:
            for c in step.cols:
                if (
                    0 <= r < shown.shape[0]
                    and 0 <= c < cols
                    and np.isfinite(shown[r, c])
                ):
                    k = int(r) * cols + int(c)
                    set_cell(
                        source.cells[k], source.texts[k], checker_fill("input", parity)
                    )
        k = i * out_cols + j
        set_cell(target.cells[k], target.texts[k], checker_fill("output", parity))
