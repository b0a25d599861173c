"""Figures of one matrix, and the colour key of every figure.

:func:`show_matrix` and :func:`show_legend` are public through
:mod:`convdemo.draw`.
"""

from __future__ import annotations

from typing import Any

import matplotlib.pyplot as plt
import numpy as np
import numpy.typing as npt
from matplotlib.axes import Axes
from matplotlib.colors import Colormap, Normalize
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from convdemo._artists import Highlight, as_matrix, cell_text, draw_matrix, edge_color
from convdemo._format import check_small, matrix_text
from convdemo._layout import MAX_WIDTH, cell_size, fit_figure, row_figure, set_title
from convdemo._validate import one_of
from convdemo.style import (
    DIVERGING,
    GRAY,
    MUTED,
    ROLES,
    WINDOW,
    cell_fill,
    set_alt_text,
    styled,
)

__all__ = ["show_legend", "show_matrix"]

# The colour key: its height, a swatch's side, the swatches' columns and
# rows (x of each column, y of the first row and the step between rows), all
# in inches; the sizes of its texts in points.
_KEY_HEIGHT = 2.68
_SWATCH = 0.4
_KEY_X = 0.3
_KEY_COLUMN = 3.95
_KEY_Y = 0.15
_KEY_ROW = 0.63
_KEY_ROWS = 4
_KEY_SAMPLE_SIZE = 10
_KEY_NAME_SIZE = 10.5
_KEY_TEXT_SIZE = 10
# Each entry: role (or colormap), sample number, name, meaning.
_KEY = (
    ("input", "4", "Input", "the image: a matrix of pixel values"),
    ("kernel", "−1", "Kernel", "the filter's weights, slid over the input"),
    ("output", "19", "Output", "the result: one number per window"),
    ("padding", "0", "Padding (dashed)", "cells added around the border"),
    ("window", "", "Current window", "where the kernel sits now"),
    ("signed", "", "Signed values", "blue < 0, white = 0, red > 0"),
    ("nonnegative", "", "Values ≥ 0", "black = 0, white = the largest"),
)
_KEY_ALT = (
    "Colour key: sky-blue cells are the input, orange cells the kernel, green "
    "cells the output, grey dashed cells padding, and a vermillion outline "
    "marks the current window; signed outputs go from blue (negative) "
    "through white (0) to red (positive), and outputs that are never "
    "negative go from black (0) to white (the largest value)"
)
# show_matrix: the largest number of cells written out in the alt text.
_ALT_CELLS = 64


def show_matrix(
    values: npt.ArrayLike,
    *,
    role: str = "input",
    title: str | None = None,
    fmt: str | None = None,
    highlight: Highlight = None,
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
    matrix = as_matrix(values, "values")
    if role not in ROLES:
        one_of(role, "role", ROLES)
    check_small(matrix.shape, "values")
    rows, cols = matrix.shape
    extra = 1 if indices else 0
    # The side margins are 0.25 inch, 0.1 more than cell_size allows for.
    cell = cell_size(cols + extra, 0.2)
    with styled():
        fig, (ax,), _ = row_figure(
            [(cols + extra) * cell], [(rows + extra) * cell], [], side=0.25
        )
        draw_matrix(
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
        set_title(ax, label, role)
        fit_figure(fig)
    shown = matrix_text(matrix) if matrix.size <= _ALT_CELLS else "of numbers"
    set_alt_text(fig, f"{role.capitalize()} {rows}×{cols} matrix {shown}")
    return fig, ax


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
    width, height = MAX_WIDTH, _KEY_HEIGHT
    with styled():
        fig = plt.figure(figsize=(width, height))
        ax = fig.add_axes((0.0, 0.0, 1.0, 1.0))
        ax.set_xlim(0, width)
        ax.set_ylim(height, 0)
        ax.set_aspect("equal")
        ax.set_axis_off()
        for index, (role, sample, name, meaning) in enumerate(_KEY):
            column, line = divmod(index, _KEY_ROWS)
            x = _KEY_X + column * _KEY_COLUMN
            y = _KEY_Y + line * _KEY_ROW
            if role in {"signed", "nonnegative"}:
                _colormap_swatch(ax, x, y, DIVERGING if role == "signed" else GRAY)
            else:
                _role_swatch(ax, x, y, role, sample)
            _key_text(ax, x, y, name, meaning)
    set_alt_text(fig, _KEY_ALT)
    return fig, ax


def _colormap_swatch(ax: Axes, x: float, y: float, cmap: str) -> None:
    """Draw a colormap from −1 to 1 as a framed strip wider than a swatch."""
    ax.imshow(
        np.linspace(-1, 1, 64)[None, :],
        cmap=cmap,
        extent=(x - 0.3, x + _SWATCH + 0.3, y + _SWATCH, y),
        interpolation="bilinear",
    )
    ax.add_patch(
        Rectangle(
            (x - 0.3, y),
            _SWATCH + 0.6,
            _SWATCH,
            fill=False,
            edgecolor=MUTED,
            linewidth=0.6,
        )
    )


def _role_swatch(ax: Axes, x: float, y: float, role: str, sample: str) -> None:
    """Draw one cell of a role, with a sample number (the window: outlined)."""
    fill = cell_fill("input" if role == "window" else role)
    ax.add_patch(
        Rectangle(
            (x, y),
            _SWATCH,
            _SWATCH,
            facecolor=fill,
            edgecolor=MUTED if role == "padding" else edge_color(fill),
            linestyle="--" if role == "padding" else "-",
            linewidth=1.0,
        )
    )
    if role == "window":
        ax.add_patch(
            Rectangle(
                (x, y),
                _SWATCH,
                _SWATCH,
                fill=False,
                edgecolor=WINDOW,
                linewidth=3.0,
            )
        )
    cell_text(ax, x + _SWATCH / 2, y + _SWATCH / 2, sample, fill, _KEY_SAMPLE_SIZE)


def _key_text(ax: Axes, x: float, y: float, name: str, meaning: str) -> None:
    """Write an entry's name in bold and its meaning below, right of the swatch."""
    ax.text(
        x + _SWATCH + 0.5,
        y + 0.02,
        f"{name}:",
        ha="left",
        va="top",
        fontsize=_KEY_NAME_SIZE,
        fontweight="bold",
        color=MUTED,
        gid="label",
    )
    ax.text(
        x + _SWATCH + 0.5,
        y + _SWATCH + 0.02,
        meaning,
        ha="left",
        va="bottom",
        fontsize=_KEY_TEXT_SIZE,
        color=MUTED,
    )
