"""Figure layout: panel sizes in inches, text measuring, titles, captions.

The figure builders place their panels with :func:`row_figure` (panels left
to right, sizes in inches, operator signs in the gaps), measure text as Agg
draws it (:func:`text_width`), wrap titles, notes and captions to the page
width, and finally :func:`fit_figure` moves or grows the layout so that
every text lies inside the figure. Figures are laid out at 100 dpi: a figure
7.5 inches wide is 750 CSS pixels, the width of a documentation page.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from typing import Any

import matplotlib.pyplot as plt
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import RendererAgg
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.text import Text
from matplotlib.transforms import Bbox

from convdemo.style import MUTED, ROLES, text_color_for

__all__ = [
    "FINE_DPI",
    "GAP",
    "MAX_CELL",
    "MAX_WIDTH",
    "NOTE_SIZE",
    "POINTS_PER_INCH",
    "SCREEN_DPI",
    "TITLE_BAND",
    "add_caption",
    "add_note",
    "add_operator",
    "caption_band",
    "caption_row_figure",
    "caption_width",
    "cell_size",
    "drawn_texts",
    "exact_scale",
    "exact_side",
    "fit_figure",
    "label_input_output",
    "note_height",
    "operator_note",
    "row_figure",
    "set_title",
    "snap_images",
    "stack_rows",
    "text_extents",
    "text_width",
    "wrap_caption",
    "wrap_notes",
    "wrap_title",
]

#: Widest figure, in inches: 750 pixels at 100 dpi, a documentation page.
MAX_WIDTH = 7.5
#: Largest matrix cell, in inches: big enough for "−128" at 11 pt.
MAX_CELL = 0.42
#: Gap between panels that holds an operator sign, in inches.
GAP = 0.5
#: Title band above the panels, in inches.
TITLE_BAND = 0.5
#: One CSS pixel of the documentation page: figures are laid out at 100 dpi
#: (7.5 inches = 750 px), whatever dpi they are saved at.
SCREEN_DPI = 100.0
#: Pixels per inch of the 2x files, the finest the site publishes; the 1x
#: files are their 2 × 2 averages (:mod:`convdemo.publish`).
FINE_DPI = 2 * SCREEN_DPI
#: Points per inch: font sizes and line widths are in points.
POINTS_PER_INCH = 72
#: Font size of a note under a panel, in points.
NOTE_SIZE = 8.5

# Fills and text colours of the boxed texts.
_NEUTRAL = "#D9D9D9"
_CAPTION_FILL = "#F2F2F2"
_CAPTION_TEXT = "#1A1A1A"
# Font sizes, in points: a caption, an operator sign (the star of a
# correlation is drawn larger: its glyph is small).
_CAPTION_SIZE = 10.5
_OPERATOR_SIZE = 22
_STAR_SIZE = 32
# Font size of the note under an operator sign, in points.
_OPERATOR_NOTE_SIZE = 9
# Average width of a character, as a share of the font size, for estimates.
_CHAR_WIDTH = 0.6
# Line height of a note, as a multiple of its font size.
_NOTE_LEADING = 1.25
# Margin kept around the figure's content by fit_figure, in inches.
_FIT_MARGIN = 0.06
# An image panel within this share of an exact scale is snapped to it.
_EXACT_TOLERANCE = 0.01
# How much larger than its target exact_side lets a panel grow.
_EXACT_GROWTH = 1.1


def set_title(ax: Axes, text: str, role: str | None = None, size: float = 11) -> Text:
    """Put a title on a rounded box in the role colour (neutral grey if None)."""
    fill = ROLES[role] if role is not None else _NEUTRAL
    return ax.set_title(
        text,
        color=text_color_for(fill),
        fontsize=size,
        fontweight="bold",
        pad=9,
        bbox={
            "boxstyle": "round,pad=0.28,rounding_size=0.5",
            "facecolor": fill,
            "edgecolor": "none",
        },
    )


def add_note(ax: Axes, text: str, size: float = 9) -> Text:
    """Write a short note under an axes, in the muted colour."""
    return ax.text(
        0.5,
        -0.04,
        text,
        transform=ax.transAxes,
        ha="center",
        va="top",
        fontsize=size,
        color=MUTED,
    )


def row_figure(
    widths: Sequence[float],
    heights: Sequence[float],
    gaps: Sequence[float],
    *,
    top: float = TITLE_BAND,
    bottom: float = 0.2,
    side: float = 0.15,
    right: float | None = None,
    min_width: float = 0.0,
) -> tuple[Figure, list[Axes], list[tuple[float, float]]]:
    """Place panels left to right, centred vertically; sizes in inches.

    Returns the figure, the axes and the centre of each gap (figure
    fraction), where an operator sign goes.
    """
    right = side if right is None else right
    content = side + sum(widths) + sum(gaps) + right
    # Centre narrow content in a figure of at least `min_width`.
    extra = max(0.0, min_width - content) / 2
    side += extra
    total_width = content + 2 * extra
    band = max(heights)
    total_height = top + band + bottom
    fig = plt.figure(figsize=(total_width, total_height))
    axes: list[Axes] = []
    centres: list[tuple[float, float]] = []
    x = side
    middle = (bottom + band / 2) / total_height
    for index, (width, height) in enumerate(zip(widths, heights, strict=True)):
        y = bottom + (band - height) / 2
        rect = (
            x / total_width,
            y / total_height,
            width / total_width,
            height / total_height,
        )
        axes.append(fig.add_axes(rect))
        x += width
        if index < len(gaps):
            centres.append(((x + gaps[index] / 2) / total_width, middle))
            x += gaps[index]
    return fig, axes, centres


def add_operator(fig: Figure, where: tuple[float, float], symbol: str) -> Text:
    """Write an operator sign (⋆, =, →) between two panels."""
    return fig.text(
        where[0],
        where[1],
        symbol,
        ha="center",
        va="center",
        fontsize=_STAR_SIZE if symbol == "⋆" else _OPERATOR_SIZE,
        color=MUTED,
        gid="operator",
    )


def label_input_output(
    fig: Figure,
    axes: Sequence[Axes],
    where: tuple[float, float],
    shapes: tuple[tuple[int, ...], tuple[int, ...]],
    operation: str,
) -> None:
    """Title an input panel and its output panel, with `operation` under an arrow.

    `axes` starts with the two panels, `where` is the gap between them and
    `shapes` are the input's and the output's ``(rows, columns)``.
    """
    (rows, cols, *_), (out_rows, out_cols, *_) = shapes
    set_title(axes[0], f"Input {rows}×{cols}", "input")
    set_title(axes[1], f"Output {out_rows}×{out_cols}", "output")
    add_operator(fig, where, "→")
    operator_note(fig, where, operation)


def operator_note(fig: Figure, where: tuple[float, float], text: str) -> Text:
    """Write a short note under an operator sign: the kernel, the mode, …"""
    return fig.text(
        where[0],
        where[1] - 0.3 / fig.get_size_inches()[1],
        text,
        ha="center",
        va="top",
        fontsize=_OPERATOR_NOTE_SIZE,
        color=MUTED,
    )


def add_caption(fig: Figure, text: str, band: float) -> Text:
    """Write a caption on an opaque rounded box (readable on any page).

    The caption is centred in the band, `band` inches high, that the panels
    left at the bottom (:func:`row_figure` with ``bottom=band + 0.1``).
    """
    return fig.text(
        0.5,
        (band / 2 + 0.05) / fig.get_size_inches()[1],
        text,
        ha="center",
        va="center",
        fontsize=_CAPTION_SIZE,
        color=_CAPTION_TEXT,
        gid="caption",
        linespacing=1.5,
        bbox={
            "boxstyle": "round,pad=0.45,rounding_size=0.4",
            "facecolor": _CAPTION_FILL,
            "edgecolor": MUTED,
            "linewidth": 0.8,
        },
    )


def drawn_texts(fig: Figure) -> list[Text]:
    """Return the texts a draw shows: visible, non-empty, not on a hidden axis."""
    found: list[Artist] = []
    for child in fig.get_children():
        if not isinstance(child, Axes):
            found += child.findobj(Text)
            continue
        if not child.get_visible():
            continue
        # Tick and axis labels of an Axes whose axis is off are not drawn; not
        # visiting them also spares creating their ticks.
        hidden = () if child.axison else (child.xaxis, child.yaxis)
        for part in child.get_children():
            if part not in hidden:
                found += part.findobj(Text)
    return [
        text
        for text in found
        if isinstance(text, Text) and text.get_visible() and text.get_text().strip()
    ]


def text_extents(fig: Figure) -> list[Any]:
    """Return the display boxes of every drawn text, rounded boxes included."""
    # Texts are laid out by a draw; the images are hidden meanwhile: resampling
    # a photograph is most of a draw's cost and moves no text.
    images = [
        image for ax in fig.axes for image in ax.get_images() if image.get_visible()
    ]
    for image in images:
        image.set_visible(False)
    try:
        fig.draw_without_rendering()
    finally:
        for image in images:
            image.set_visible(True)
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    boxes = []
    for text in drawn_texts(fig):
        boxes.append(text.get_window_extent(renderer))
        patch = text.get_bbox_patch()
        if patch is not None:
            boxes.append(patch.get_window_extent(renderer))
    return boxes


def fit_figure(fig: Figure, margin: float = _FIT_MARGIN) -> None:
    """Move or grow a figure's layout so that every text lies inside it.

    Titles wider than their panel (a 1×1 output), notes wider than the
    figure's side margin: everything is measured as drawn, then the panels and
    figure texts are shifted together when the content fits, or the figure
    grows by the overflow when it does not. Sizes in inches stay the same.
    """
    width, height = (float(v) for v in fig.get_size_inches())
    boxes = text_extents(fig)
    boxes += [ax.get_window_extent() for ax in fig.axes if ax.get_visible()]
    union = Bbox.union(boxes).transformed(fig.dpi_scale_trans.inverted())

    def place(low: float, high: float, size: float) -> tuple[float, float]:
        low, high = low - margin, high + margin
        if high - low > size:
            return high - low, -low
        return size, (-low if low < 0 else (size - high if high > size else 0.0))

    new_width, dx = place(union.x0, union.x1, width)
    new_height, dy = place(union.y0, union.y1, height)
    if (new_width, new_height, dx, dy) == (width, height, 0.0, 0.0):
        return
    fig.set_size_inches(new_width, new_height)
    for ax in fig.axes:
        box = ax.get_position(original=True)
        ax.set_position(
            (
                (box.x0 * width + dx) / new_width,
                (box.y0 * height + dy) / new_height,
                box.width * width / new_width,
                box.height * height / new_height,
            )
        )
    for text in fig.texts:
        x, y = text.get_position()
        text.set_position(
            ((x * width + dx) / new_width, (y * height + dy) / new_height)
        )


def wrap_notes(notes: Sequence[str], width: float, size: float = NOTE_SIZE) -> str:
    """Join notes with `` · ``, breaking lines so none is wider than `width` in."""
    per_line = max(12, int(width * POINTS_PER_INCH / (_CHAR_WIDTH * size)))
    lines: list[str] = []
    for note in notes:
        if lines and len(lines[-1]) + 3 + len(note) <= per_line:
            lines[-1] += " · " + note
        else:
            lines.append(note)
    return "\n".join(lines)


def note_height(text: str, size: float = NOTE_SIZE) -> float:
    """Return the height (inches) of a note of this many lines, with a gap."""
    return 0.12 + (text.count("\n") + 1) * size * _NOTE_LEADING / POINTS_PER_INCH


def cell_size(total_cells: float, fixed: float = 0.0) -> float:
    """Return the cell size (inches) that fits everything in the page width."""
    available = MAX_WIDTH - 0.3 - fixed
    return float(min(MAX_CELL, available / total_cells))


def caption_width(text: str, size: float = _CAPTION_SIZE) -> float:
    """Return the figure width (inches) a caption needs, at most a page."""
    longest = max(len(line) for line in text.split("\n"))
    return float(min(MAX_WIDTH, longest * size * _CHAR_WIDTH / POINTS_PER_INCH + 0.6))


def caption_band(text: str) -> float:
    """Return the height (inches) a caption of this many lines needs."""
    return 0.3 + 0.24 * (text.count("\n") + 1)


def wrap_caption(text: str, size: float = _CAPTION_SIZE) -> str:
    """Break a long caption after ``+`` or ``,`` so it fits the page width."""
    per_line = int((MAX_WIDTH - 0.8) * POINTS_PER_INCH / (_CHAR_WIDTH * size))
    lines: list[str] = []
    for token in re.split(r"(?<=[+,]) ", text):
        if lines and len(lines[-1]) + 1 + len(token) <= per_line:
            lines[-1] += " " + token
        else:
            lines.append(token)
    return "\n".join(lines)


def text_width(text: str, size: float, weight: str = "normal") -> float:
    """Return the width in inches of one line of `text`, as Agg draws it.

    Measured at the page's 100 dpi, where hinting makes small text a little
    wider than its outline.
    """
    renderer = RendererAgg(1, 1, SCREEN_DPI)  # type: ignore[no-untyped-call]
    prop = FontProperties(size=size, weight=weight)
    width, _, _ = renderer.get_text_width_height_descent(  # type: ignore[no-untyped-call]
        text, prop, ismath=False
    )
    return float(width) / SCREEN_DPI


def wrap_title(text: str, width: float, size: float) -> str:
    """Break a bold title at spaces into lines no wider than `width` inches.

    A word wider than `width` on its own keeps a line to itself.
    """
    lines: list[str] = []
    for word in text.split(" "):
        joined = f"{lines[-1]} {word}" if lines else word
        if lines and text_width(joined, size, "bold") <= width:
            lines[-1] = joined
        else:
            lines.append(word)
    return "\n".join(lines)


def stack_rows(note: str, width: float, size: float) -> str:
    """Write a ``a b / c d`` kernel note one row per line if it is too wide."""
    if text_width(note, size) <= width or " / " not in note:
        return note
    return note.replace(" / ", "\n")


def caption_row_figure(
    widths: list[float],
    heights: list[float],
    captions: list[str],
    *,
    gap: float = GAP,
) -> tuple[Figure, list[Axes], list[tuple[float, float]], float]:
    """Lay out panels with operator gaps and room below for every caption.

    For an animation, whose caption changes from frame to frame: the band
    and the width fit the tallest and the widest caption. Returns the figure,
    the axes, the gap centres and the caption band's height.
    """
    band = max(caption_band(text) for text in captions)
    width = max(4.0, *(caption_width(text) for text in captions))
    gaps = [gap] * (len(widths) - 1)
    fig, axes, centres = row_figure(
        widths, heights, gaps, bottom=band + 0.1, min_width=width
    )
    return fig, axes, centres, band


def exact_side(pixels: int, target: float) -> float | None:
    """Return the panel size (inches) that draws `pixels` at an exact scale.

    The scale is one at which every image pixel covers whole pixels of both
    published files: one pixel of the 2x file (an image larger than the
    panel at 1x, 2 × 2 averaged there, with no moiré) or an even number of
    them (whole 1x pixels); the largest such scale that makes the panel at
    most 10 % larger than `target`. None when even one 2x pixel per image
    pixel would be larger than that: such images (photographs) are averaged
    down to the screen instead.
    """
    fine = target * FINE_DPI / pixels
    if fine * _EXACT_GROWTH < 1:
        return None
    # The largest scale of 1 or an even number that grows the panel by at
    # most _EXACT_GROWTH.
    even = 2 * math.floor(fine * _EXACT_GROWTH / 2)
    scale = max(1, even)
    return pixels * scale / FINE_DPI


def exact_scale(width: float, pixels: int) -> int | None:
    """Return the whole 2x pixels per image pixel of a panel, or None.

    `width` is the panel's width in inches and `pixels` the image's columns.
    """
    fine = width * FINE_DPI / pixels
    whole = round(fine)
    if whole < 1 or abs(fine - whole) > _EXACT_TOLERANCE * whole:
        return None
    if whole > 1 and whole % 2:
        return None
    return int(whole)


def _snap(start: float, parity: int) -> int:
    """Return the 2x pixel nearest to `start` (in 2x pixels) with this parity."""
    low = math.floor(start)
    candidates = [c for c in (low - 1, low, low + 1, low + 2) if c % 2 == parity]
    return min(candidates, key=lambda c: (abs(c - start), c))


def snap_images(fig: Figure) -> None:
    """Put every exactly scaled image on whole pixels of the published files.

    Call last, after :func:`fit_figure`. The figure is grown to whole 1x
    pixels; every Axes whose image draws at an exact scale (see
    :func:`exact_scale`) gets exactly ``columns × scale`` by ``rows ×
    scale`` 2x pixels, its top-left corner on a 2x pixel: an odd one for a
    scale of 1, so that each 2 × 2 block of the 1x file averages the pixel
    pairs (1, 2), (3, 4), … of the image (the ±2.4 stripes of the grid's
    edge maps stay whole), an even one otherwise (whole 1x pixels). The
    same image then gives the same pixels wherever it sits.
    """
    width, height = (float(v) for v in fig.get_size_inches())
    new_width = math.ceil(width * SCREEN_DPI - 1e-6) / SCREEN_DPI
    new_height = math.ceil(height * SCREEN_DPI - 1e-6) / SCREEN_DPI
    # Where each Axes draws (an image keeps its aspect inside its box).
    boxes = []
    for ax in fig.axes:
        ax.apply_aspect()
        boxes.append((ax, ax.get_position(original=False)))
    texts = [(text, text.get_position()) for text in fig.texts]
    fig.set_size_inches(new_width, new_height)
    for ax, box in boxes:
        # Keep every Axes where it was, in inches from the top left.
        ax.set_position(
            (
                box.x0 * width / new_width,
                1 - (1 - box.y0) * height / new_height,
                box.width * width / new_width,
                box.height * height / new_height,
            )
        )
    for text, (x, y) in texts:
        text.set_position((x * width / new_width, 1 - (1 - y) * height / new_height))
    fine_width, fine_height = new_width * FINE_DPI, new_height * FINE_DPI
    for ax, box in boxes:
        images = ax.get_images()
        if len(images) != 1:
            continue
        extent = images[0].get_extent()
        cols = round(abs(extent[1] - extent[0]))
        rows = round(abs(extent[3] - extent[2]))
        scale = exact_scale(box.width * width, cols)
        if scale is None or exact_scale(box.height * height, rows) != scale:
            continue
        parity = 1 if scale == 1 else 0
        left = _snap(box.x0 * width * FINE_DPI, parity)
        top = _snap((1 - box.y1) * height * FINE_DPI, parity)
        ax.set_position(
            (
                left / fine_width,
                1 - (top + rows * scale) / fine_height,
                cols * scale / fine_width,
                rows * scale / fine_height,
            )
        )
