"""Where a receptive field sits: a stack of layers drawn along one axis.

:func:`draw_receptive_field` draws each layer's cells as a row, the input at
the bottom, every cell placed over the centre of its own receptive field
(Distill's picture), with each layer's padding as dashed cells; one output
of the top layer is joined to its field on the input, whose centre is
marked. Public through :mod:`convdemo.draw`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple

from matplotlib.axes import Axes
from matplotlib.patches import Polygon, Rectangle
from matplotlib.text import Text

from convdemo._layout import NOTE_SIZE
from convdemo._validate import nonnegative_int, positive_int
from convdemo.analysis import ReceptiveField, receptive_field
from convdemo.ops import output_shape
from convdemo.style import (
    MUTED,
    PADDING,
    WINDOW,
    blend,
    cell_fill,
    styled,
    text_color_for,
)

__all__ = ["FieldArtists", "draw_receptive_field"]

# Vertical distance between two rows, and a cell's height, in input pixels.
_ROW_STEP = 2.2
_CELL_HEIGHT = 0.8
# A cell is drawn this share of its spacing wide, so neighbours stay apart.
_CELL_SHARE = 0.86
_LABEL_SIZE = 9


class FieldArtists(NamedTuple):
    """What :func:`draw_receptive_field` drew.

    Attributes
    ----------
    cells : list of list of Rectangle
        The cells of each row, the input first, padding not included.
    padding : list of Rectangle
        The dashed padding cells, every layer's.
    field : Rectangle
        The outline of the chosen output's field on the input row.
    cone : Polygon
        The shaded area joining that output to its field.
    centre : Text
        The marker under the field's centre.
    """

    cells: list[list[Rectangle]]
    padding: list[Rectangle]
    field: Rectangle
    cone: Polygon
    centre: Text


def _cell(x: float, y: float, width: float, role: str) -> Rectangle:
    fill = cell_fill(role)
    return Rectangle(
        (x - width / 2, y - _CELL_HEIGHT / 2),
        width,
        _CELL_HEIGHT,
        facecolor=fill,
        edgecolor=text_color_for(fill),
        linewidth=0.6,
        zorder=3,
    )


def _padding_cell(x: float, y: float, width: float) -> Rectangle:
    return Rectangle(
        (x - width / 2, y - _CELL_HEIGHT / 2),
        width,
        _CELL_HEIGHT,
        facecolor=blend(PADDING, 0.5),
        edgecolor=MUTED,
        linewidth=0.7,
        linestyle=(0, (2, 1.5)),
        zorder=3,
    )


def draw_receptive_field(
    ax: Axes,
    layers: Sequence[tuple[int, int] | tuple[int, int, int]],
    input_length: int,
    *,
    padding: Any = None,
    output: int = 0,
    names: Sequence[str] | None = None,
) -> FieldArtists:
    """Draw a stack of layers along one axis and one output's receptive field.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        Where to draw, in input pixels (x) and rows (y); the limits are set.
    layers : sequence of (kernel, stride) or (kernel, stride, dilation)
        As for :func:`convdemo.analysis.receptive_field`.
    input_length : int
        Input pixels along the axis.
    padding : optional
        Each layer's padding, as for :func:`convdemo.analysis.receptive_field`.
    output : int, optional
        Which cell of the top layer to join to its field.
    names : sequence of str, optional
        A label for each layer, written left of its row.

    Returns
    -------
    FieldArtists
        The cells, the padding cells, the field's outline, the shaded cone
        and the centre marker.

    Raises
    ------
    ValueError
        If the layers do not fit the input, or the top layer has no cell
        `output`.

    Notes
    -----
    Cell `f` of layer `l` is drawn over the centre of its field,
    ``centre_l + f · jump_l`` (see :class:`convdemo.analysis.ReceptiveField`),
    and about ``jump_l`` pixels wide: the rows show how strides spread the
    cells and how padding shifts them.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> drawn = draw_receptive_field(ax, [(3, 1), (3, 2)], 8, padding="same")
    >>> [len(row) for row in drawn.cells], len(drawn.padding)
    ([8, 8, 4], 4)
    >>> drawn.field.get_x() + 0.5, drawn.field.get_width()
    (-2.0, 5)
    >>> plt.close(fig)
    """
    length = positive_int(input_length, "input_length")
    target = nonnegative_int(output, "output")
    rows: list[ReceptiveField] = receptive_field(layers, padding=padding)
    counts = [length]
    for row in rows:
        counts.append(
            output_shape(
                (1, counts[-1]),
                (1, row.kernel),
                padding=((0, 0), row.padding),
                stride=(1, row.stride),
                dilation=(1, row.dilation),
            )[1]
        )
    if target >= counts[-1]:
        raise ValueError(
            f"`output` must be a cell of the top layer (0 to {counts[-1] - 1}), "
            f"got {target}"
        )
    labels = ["input", *(names or [f"layer {row.layer}" for row in rows])]
    if len(labels) != len(rows) + 1:
        raise ValueError(
            f"`names` must have one label per layer ({len(rows)}), "
            f"got {len(labels) - 1}"
        )
    # Centre and spacing of each row's cells, in input pixels.
    centres = [0.0, *(row.centre for row in rows)]
    spacings = [1, *(row.jump for row in rows)]
    with styled():
        cells: list[list[Rectangle]] = []
        pads: list[Rectangle] = []
        for level, (count, centre, spacing) in enumerate(
            zip(counts, centres, spacings, strict=True)
        ):
            y = level * _ROW_STEP
            role = "input" if level == 0 else "output"
            width = _CELL_SHARE * min(spacing, 3)
            row_cells = [
                _cell(centre + f * spacing, y, width, role) for f in range(count)
            ]
            for patch in row_cells:
                ax.add_patch(patch)
            cells.append(row_cells)
            before, after = rows[level].padding if level < len(rows) else (0, 0)
            if level < len(rows):
                for k in range(1, before + 1):
                    pads.append(_padding_cell(centre - k * spacing, y, width))
                for k in range(after):
                    pads.append(_padding_cell(centre + (count + k) * spacing, y, width))
        for patch in pads:
            ax.add_patch(patch)
        top = rows[-1]
        first, last = top.span(target)
        field = Rectangle(
            (first - 0.5, -_CELL_HEIGHT / 2 - 0.12),
            last - first + 1,
            _CELL_HEIGHT + 0.24,
            fill=False,
            edgecolor=WINDOW,
            linewidth=2.0,
            zorder=5,
        )
        ax.add_patch(field)
        x_top = top.centre + target * top.jump
        y_top = len(rows) * _ROW_STEP
        top_width = _CELL_SHARE * min(top.jump, 3)
        cone = Polygon(
            [
                (x_top - top_width / 2, y_top - _CELL_HEIGHT / 2),
                (x_top + top_width / 2, y_top - _CELL_HEIGHT / 2),
                (last + 0.5, _CELL_HEIGHT / 2 + 0.12),
                (first - 0.5, _CELL_HEIGHT / 2 + 0.12),
            ],
            facecolor=blend(WINDOW, 0.18),
            edgecolor="none",
            zorder=1,
        )
        ax.add_patch(cone)
        cells[-1][target].set_edgecolor(WINDOW)
        cells[-1][target].set_linewidth(2.0)
        centre_mark = ax.text(
            (first + last) / 2,
            -_CELL_HEIGHT / 2 - 0.25,
            "▲",
            ha="center",
            va="top",
            fontsize=9,
            color=WINDOW,
            zorder=5,
        )
        ax.text(
            (first + last) / 2,
            -_CELL_HEIGHT / 2 - 1.0,
            f"pixels {first} to {last}, centre {(first + last) / 2:g}".replace(
                "-", "−"
            ),
            ha="center",
            va="top",
            fontsize=NOTE_SIZE,
            color=MUTED,
        )
        lows = [p.get_x() for p in pads] + [row[0].get_x() for row in cells]
        lows.append(field.get_x())
        for level, label in enumerate(labels):
            ax.text(
                min(lows) - 0.4,
                level * _ROW_STEP,
                label,
                ha="right",
                va="center",
                fontsize=_LABEL_SIZE,
                color=MUTED,
            )
        highs = [p.get_x() + p.get_width() for p in pads] + [
            row[-1].get_x() + row[-1].get_width() for row in cells
        ]
        ax.set_xlim(min(lows) - 4.6, max(highs) + 0.5)
        ax.set_ylim(-2.0, y_top + 0.8)
        ax.set_aspect("equal")
        ax.set_axis_off()
        return FieldArtists(cells, pads, field, cone, centre_mark)
