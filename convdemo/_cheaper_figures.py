"""Figures of cheaper convolutions: separable kernels and channel groups.

:func:`show_outer_product` draws a rank-1 kernel as a column times a row;
:func:`show_two_passes` draws the two 1-D passes that replace it;
:func:`show_channel_groups` draws which input channels each output channel
reads in a standard, grouped, depthwise and depthwise-separable layer. All
are public through :mod:`convdemo.draw`.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import numpy.typing as npt
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from convdemo._artists import draw_image, draw_matrix
from convdemo._format import format_value
from convdemo._layout import add_operator, operator_note, row_figure, set_title
from convdemo._validate import as_image, positive_int
from convdemo.analysis import conv_cost
from convdemo.ops import correlate2d
from convdemo.style import (
    DIVERGING,
    KERNEL,
    MUTED,
    cell_fill,
    signed_norm,
    styled,
    text_color_for,
)

__all__ = ["show_channel_groups", "show_outer_product", "show_two_passes"]

# Side of one matrix cell in the outer-product figure, inches.
_CELL = 0.42
# Side of an image panel in the two-pass figure, inches, and the gaps.
_IMAGE = 1.7
_IMAGE_GAP = 0.75
# The channel diagrams: panel width and height per channel, inches; the
# height and width of a channel's box in data units (one unit between
# channels, one between columns).
_DIAGRAM_WIDTH = 1.75
_CHANNEL_HEIGHT = 0.27
_SQUARE = 0.62
_SQUARE_WIDTH = 0.36
_TITLE_SIZE = 9.5


def _vector_text(values: np.ndarray) -> str:
    """Write a 1-D kernel as ``[1, 0, −1]``."""
    return "[" + ", ".join(format_value(float(v)) for v in values) + "]"


def show_outer_product(
    column: npt.ArrayLike, row: npt.ArrayLike
) -> tuple[Figure, list[Axes]]:
    """Draw ``column ⊗ row = kernel``: a separable kernel from its two factors.

    Parameters
    ----------
    column : (kh,) array_like
        The column factor, drawn as a kh × 1 matrix.
    row : (kw,) array_like
        The row factor, drawn as a 1 × kw matrix.

    Returns
    -------
    (Figure, list of Axes)
        The figure and its three panels: column, row, their product.

    Examples
    --------
    >>> fig, axes = show_outer_product([1, 1, 1], [1, 0, -1])
    >>> [text.get_text() for text in axes[2].texts[:3]]
    ['1', '0', '−1']
    >>> plt.close(fig)
    """
    down = as_image(np.asarray(column, dtype=float)[:, np.newaxis], "column")
    across = as_image(np.asarray(row, dtype=float)[np.newaxis, :], "row")
    product = down @ across
    kh, kw = product.shape
    with styled():
        fig, axes, gaps = row_figure(
            [_CELL, kw * _CELL, kw * _CELL],
            [kh * _CELL, _CELL, kh * _CELL],
            [0.6, 0.6],
            bottom=0.3,
        )
        draw_matrix(axes[0], down, role="kernel")
        draw_matrix(axes[1], across, role="kernel")
        draw_matrix(axes[2], product, role="kernel")
        set_title(axes[0], "column", "kernel", _TITLE_SIZE)
        set_title(axes[1], "row", "kernel", _TITLE_SIZE)
        set_title(axes[2], "kernel", "kernel", _TITLE_SIZE)
        add_operator(fig, gaps[0], "×")
        add_operator(fig, gaps[1], "=")
        return fig, axes


def show_two_passes(
    image: npt.ArrayLike, column: npt.ArrayLike, row: npt.ArrayLike
) -> tuple[Figure, list[Axes]]:
    """Draw a correlation with ``column ⊗ row`` done as two 1-D passes.

    Panels: the image; after correlating with the column (down each column
    of pixels); after correlating that with the row (along each row), which
    is the correlation with the whole kernel. ``'valid'`` padding.

    Parameters
    ----------
    image : (H, W) array_like
        The input.
    column : (kh,) array_like
        First pass, down the columns.
    row : (kw,) array_like
        Second pass, along the rows.

    Returns
    -------
    (Figure, list of Axes)
        The figure and its three image panels.

    Examples
    --------
    >>> fig, axes = show_two_passes(np.eye(8), [1, 1, 1], [1, 0, -1])
    >>> [ax.images[0].get_array().shape for ax in axes]
    [(8, 8), (6, 8), (6, 6)]
    >>> plt.close(fig)
    """
    picture = as_image(image)
    down = as_image(np.asarray(column, dtype=float)[:, np.newaxis], "column")
    across = as_image(np.asarray(row, dtype=float)[np.newaxis, :], "row")
    first = correlate2d(picture, down, method="direct")
    second = correlate2d(first, across, method="direct")
    with styled():
        fig, axes, gaps = row_figure(
            [_IMAGE] * 3, [_IMAGE] * 3, [_IMAGE_GAP] * 2, bottom=0.55
        )
        draw_image(axes[0], picture, title="input", role="input")
        for ax, values, title in (
            (axes[1], first, "column pass"),
            (axes[2], second, "row pass"),
        ):
            signed = values.min() < 0
            draw_image(
                ax,
                values,
                title=title,
                role="output",
                cmap=DIVERGING if signed else None,
                norm=signed_norm(values) if signed else None,
            )
        add_operator(fig, gaps[0], "→")
        add_operator(fig, gaps[1], "→")
        operator_note(fig, gaps[0], _vector_text(down[:, 0]) + "ᵀ")
        operator_note(fig, gaps[1], _vector_text(across[0]))
        return fig, axes


_KINDS = (
    ("standard", "standard"),
    ("grouped", "grouped, {g} groups"),
    ("depthwise", "depthwise"),
    ("depthwise-separable", "depthwise-separable"),
)


def _channel_squares(ax: Axes, x: float, count: int, role: str) -> None:
    """Draw `count` channel squares in a column at `x`, channel 0 on top."""
    for c in range(count):
        ax.add_patch(
            Rectangle(
                (x - _SQUARE_WIDTH / 2, c - _SQUARE / 2),
                _SQUARE_WIDTH,
                _SQUARE,
                facecolor=cell_fill(role),
                edgecolor=text_color_for(cell_fill(role)),
                linewidth=0.6,
                zorder=3,
            )
        )


def _links(
    ax: Axes,
    x0: float,
    x1: float,
    pairs: list[tuple[int, int]],
    colour: str,
    width: float,
) -> LineCollection:
    """Join channel square `a` at `x0` to square `b` at `x1` for each pair."""
    segments = [
        ((x0 + _SQUARE_WIDTH / 2, a), (x1 - _SQUARE_WIDTH / 2, b)) for a, b in pairs
    ]
    lines = LineCollection(segments, colors=colour, linewidths=width, zorder=2)
    ax.add_collection(lines)
    return lines


def show_channel_groups(
    channels: int = 8,
    filters: int = 8,
    *,
    groups: int = 4,
    kernel_size: int = 3,
) -> tuple[Figure, list[Axes]]:
    """Draw which input channels each output channel reads, for four kinds of layer.

    Each panel has the input channels on the left and the output channels
    on the right; a line is one ``k × k`` kernel, from the channel it reads
    to the map it adds into. The depthwise-separable panel has a middle
    column, the depthwise layer's output, and thinner lines for the 1 × 1
    kernels after it. Under each panel: its weights, from
    :func:`convdemo.analysis.conv_cost` (no biases).

    Parameters
    ----------
    channels : int, optional
        Input channels, `C`.
    filters : int, optional
        Output channels, `F`; depthwise uses `C` (one map per channel).
    groups : int, optional
        Groups of the grouped layer; it must divide `C` and `F`.
    kernel_size : int, optional
        `k`, for the weight counts.

    Returns
    -------
    (Figure, list of Axes)
        The figure and its four panels: standard, grouped, depthwise,
        depthwise-separable.

    Examples
    --------
    >>> fig, axes = show_channel_groups(4, 4, groups=2)
    >>> [len(ax.collections[0].get_segments()) for ax in axes]
    [16, 8, 4, 4]
    >>> plt.close(fig)
    """
    c_count = positive_int(channels, "channels")
    f_count = positive_int(filters, "filters")
    g_count = positive_int(groups, "groups")
    k = positive_int(kernel_size, "kernel_size")
    if c_count % g_count or f_count % g_count:
        raise ValueError(
            f"`groups` must divide both `channels` ({c_count}) and `filters` "
            f"({f_count}), got {g_count}"
        )
    per_in, per_out = c_count // g_count, f_count // g_count
    tall = max(c_count, f_count)
    with styled():
        height = tall * _CHANNEL_HEIGHT + 1.2
        width = 4 * _DIAGRAM_WIDTH + 0.3
        fig, axes = plt.subplots(1, 4, figsize=(width, height))
        fig.subplots_adjust(
            left=0.02,
            right=0.98,
            bottom=0.55 / height,
            top=1 - 0.45 / height,
            wspace=0.12,
        )
        for ax, (kind, label) in zip(axes, _KINDS, strict=True):
            ax.set_xlim(-0.4, 2.4)
            ax.set_ylim(tall - 0.5, -0.5)
            ax.set_axis_off()
            outputs = c_count if kind == "depthwise" else f_count
            right = 2.0
            if kind == "standard":
                pairs = [(c, f) for f in range(f_count) for c in range(c_count)]
            elif kind == "grouped":
                pairs = [
                    (f // per_out * per_in + c, f)
                    for f in range(f_count)
                    for c in range(per_in)
                ]
            else:
                pairs = [(c, c) for c in range(c_count)]
                right = 1.0 if kind == "depthwise-separable" else 2.0
            _links(ax, 0.0, right, pairs, KERNEL, 1.2)
            _channel_squares(ax, 0.0, c_count, "input")
            if kind == "depthwise-separable":
                _channel_squares(ax, 1.0, c_count, "output")
                pointwise = [(c, f) for f in range(f_count) for c in range(c_count)]
                _links(ax, 1.0, 2.0, pointwise, MUTED, 0.6)
            _channel_squares(ax, 2.0, outputs, "output")
            title = label.format(g=g_count)
            set_title(ax, title, None, _TITLE_SIZE)
            cost = conv_cost(
                k,
                c_count,
                outputs,
                1,
                kind=kind,
                groups=g_count if kind == "grouped" else 1,
                bias=False,
            )
            ax.text(
                1.0,
                tall - 0.5 + 0.25,
                f"{cost.parameters:,} weights",
                ha="center",
                va="top",
                fontsize=9,
                color=MUTED,
            )
        return fig, list(axes)
