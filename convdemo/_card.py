"""The site's link-preview card and favicon, drawn by convdemo itself.

A shared link to the site shows :func:`card_png` (1200 × 630 pixels, the
size that link previews expect): the site's name and description next to
one real correlation, an input ⋆ a kernel = the output, computed by
:func:`convdemo.correlate2d` and coloured as every figure of the site
(input blue, kernel orange, output on the diverging scale, the window
outlined). :func:`favicon_png` is the same kernel as a small square icon.
Both use Matplotlib's own DejaVu Sans, need no network, and give the same
bytes for the same arguments (no time stamp, no software tag).
"""

from __future__ import annotations

import contextlib
import io
import textwrap
from collections.abc import Iterator
from typing import Any

import matplotlib
import numpy as np
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import FancyBboxPatch, Rectangle

from convdemo._artists import cell_text
from convdemo.ops import correlate2d
from convdemo.style import (
    DIVERGING,
    FONT,
    INPUT,
    KERNEL,
    WINDOW,
    signed_norm,
    styled,
)

__all__ = ["CARD_SIZE", "FAVICON_SIZE", "card_png", "draw_card", "favicon_png"]

#: Width and height of the card in pixels (Open Graph's recommended size).
CARD_SIZE = (1200, 630)
#: Side of the favicon in pixels.
FAVICON_SIZE = 48

# The site's header colour (Material's indigo) and the text on it.
_BACKGROUND = "#3F51B5"
_TEXT = "#FFFFFF"
_DPI = 100
# The card's cells: their side in pixels, and the input's light blue.
_CELL = 44.0
_LIGHT_INPUT = "#DCEFFA"

# The worked example: a vertical edge in a small image, the vertical-edge
# kernel, and the correlation's output (computed, not typed).
_IMAGE = np.array([[1.0, 1.0, 1.0, 0.0, 0.0]] * 5)
_KERNEL = np.array([[1.0, 0.0, -1.0]] * 3)


@contextlib.contextmanager
def _own_settings() -> Iterator[None]:
    """Matplotlib's defaults plus convdemo's style, whatever the caller set.

    The site's build runs gallery scripts in the same process, and some set
    ``rcParams``; the card and the favicon must not depend on them.
    """
    with matplotlib.rc_context():
        matplotlib.rcdefaults()
        with styled():
            yield


def _png(fig: Figure) -> bytes:
    buffer = io.BytesIO()
    FigureCanvasAgg(fig)
    fig.savefig(
        buffer,
        format="png",
        dpi=_DPI,
        # The figure's own colours, not `savefig.facecolor`.
        facecolor="auto",
        edgecolor="auto",
        metadata={"Software": None},
    )
    return buffer.getvalue()


def _cells(
    ax: Axes, values: np.ndarray, left: float, top: float, colours: list[list[Any]]
) -> None:
    """Draw a matrix of numbered cells, its top-left corner at (left, top)."""
    rows, cols = values.shape
    for r in range(rows):
        for c in range(cols):
            x, y = left + c * _CELL, top - (r + 1) * _CELL
            fill = colours[r][c]
            ax.add_patch(Rectangle((x, y), _CELL, _CELL, fc=fill, ec=_TEXT, lw=2))
            label = f"{values[r, c]:g}".replace("-", "\u2212")
            centre = (x + _CELL / 2, y + _CELL / 2)
            cell_text(ax, *centre, label, fill, 17, gid=None, family=FONT)


def _operator(ax: Axes, x: float, y: float, symbol: str) -> None:
    ax.text(x, y, symbol, fontsize=30, ha="center", va="center", color=_TEXT)


def draw_card(title: str, description: str) -> Figure:
    """Draw the link-preview card: the title, the description and a correlation.

    Parameters
    ----------
    title : str
        The site's name, written large.
    description : str
        One or two sentences, wrapped under the title.

    Returns
    -------
    matplotlib.figure.Figure
        A figure of :data:`CARD_SIZE` pixels at 100 dpi, not attached to
        pyplot.

    Examples
    --------
    >>> fig = draw_card("convdemo", "Convolution, drawn.")
    >>> [round(v) for v in fig.get_size_inches() * fig.dpi]
    [1200, 630]
    """
    width, height = CARD_SIZE
    fig = Figure(figsize=(width / _DPI, height / _DPI), dpi=_DPI)
    fig.patch.set_facecolor(_BACKGROUND)
    ax = fig.add_axes((0.0, 0.0, 1.0, 1.0))
    ax.set_xlim(0, width)
    ax.set_ylim(0, height)
    ax.set_axis_off()
    ax.text(70, 470, title, fontsize=66, weight="bold", family=FONT, color=_TEXT)
    ax.text(
        72,
        420,
        "\n".join(textwrap.wrap(description, 27)),
        va="top",
        fontsize=24,
        family=FONT,
        color=_TEXT,
        linespacing=1.45,
    )
    output = correlate2d(_IMAGE, _KERNEL)
    cmap = matplotlib.colormaps[DIVERGING]
    norm = signed_norm(output)
    top, left = 410.0, 560.0
    _cells(ax, _IMAGE, left, top, [[_LIGHT_INPUT] * 5] * 5)
    window = (left, top - 3 * _CELL)
    ax.add_patch(Rectangle(window, 3 * _CELL, 3 * _CELL, fill=False, ec=WINDOW, lw=5))
    middle = top - 2.5 * _CELL
    _operator(ax, left + 5 * _CELL + 22, middle, "\u22c6")
    kernel_left = left + 5 * _CELL + 44
    _cells(ax, _KERNEL, kernel_left, top - _CELL, [[KERNEL] * 3] * 3)
    _operator(ax, kernel_left + 3 * _CELL + 22, middle, "=")
    output_left = kernel_left + 3 * _CELL + 44
    colours = [[cmap(norm(v)) for v in row] for row in output]
    _cells(ax, output, output_left, top - _CELL, colours)
    first = (output_left, top - 2 * _CELL)
    ax.add_patch(Rectangle(first, _CELL, _CELL, fill=False, ec=WINDOW, lw=5))
    ax.text(
        left,
        top - 5 * _CELL - 34,
        "input \u22c6 kernel = output, each cell computed",
        fontsize=17,
        family=FONT,
        color=_TEXT,
        va="top",
    )
    return fig


def card_png(title: str, description: str) -> bytes:
    """Return the card of :func:`draw_card` as PNG bytes.

    Examples
    --------
    >>> data = card_png("convdemo", "Convolution, drawn.")
    >>> data[:8] == b"\\x89PNG\\r\\n\\x1a\\n"
    True
    >>> data == card_png("convdemo", "Convolution, drawn.")
    True
    """
    with _own_settings():
        return _png(draw_card(title, description))


def favicon_png(size: int = FAVICON_SIZE) -> bytes:
    """Return the favicon: a 3 × 3 kernel on the site's colour, as PNG bytes.

    Parameters
    ----------
    size : int
        The side in pixels.

    Examples
    --------
    >>> from PIL import Image
    >>> Image.open(io.BytesIO(favicon_png(48))).size
    (48, 48)
    """
    with _own_settings():
        return _png(_draw_favicon(size))


def _draw_favicon(size: int) -> Figure:
    fig = Figure(figsize=(size / _DPI, size / _DPI), dpi=_DPI)
    fig.patch.set_alpha(0.0)
    ax = fig.add_axes((0.0, 0.0, 1.0, 1.0))
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.set_axis_off()
    ax.add_patch(
        FancyBboxPatch(
            (0.02, 0.02),
            0.96,
            0.96,
            boxstyle="round,pad=0,rounding_size=0.18",
            facecolor=_BACKGROUND,
            edgecolor="none",
        )
    )
    cell, gap, start = 0.22, 0.04, 0.14
    for r in range(3):
        for c in range(3):
            colour = KERNEL if c == 0 else (_TEXT if c == 1 else INPUT)
            ax.add_patch(
                Rectangle(
                    (start + c * (cell + gap), start + r * (cell + gap)),
                    cell,
                    cell,
                    facecolor=colour,
                    edgecolor="none",
                )
            )
    return fig
