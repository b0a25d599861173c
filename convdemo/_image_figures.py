"""Figures of images side by side, each drawn pixel for pixel when it can be.

:func:`show_images` lays out images (feature maps, crops, photographs) in
rows of a few panels. A panel whose image allows it gets an exact size
(:func:`convdemo._layout.exact_side`): the 300-pixel grid takes 1.5 inches,
one pixel of the 2x file per image pixel, so that its ten lines come out
alike instead of in moiré, and two such panels side by side fit a phone's
screen. Larger images (photographs) are averaged down to the screen. Public
through :mod:`convdemo.draw`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
import numpy.typing as npt
from matplotlib.axes import Axes
from matplotlib.colors import Colormap, Normalize
from matplotlib.figure import Figure

from convdemo._artists import add_colorbar, draw_image
from convdemo._layout import (
    add_note,
    exact_side,
    fit_figure,
    set_title,
    snap_images,
    wrap_title,
)
from convdemo._validate import as_image, one_of, positive_int, positive_number
from convdemo.style import ROLES, styled

__all__ = ["show_images"]

# Margins, the gap between panels, the title band above each row (and each
# extra line of a wrapped title) and the note band below it, in inches; the
# title size in points.
_MARGIN = 0.1
_GAP = 0.25
_TITLE_ROOM = 0.42
_TITLE_LINE = 0.19
_NOTE_ROOM = 0.32
_BARE_ROOM = 0.1
_TITLE_SIZE = 10.0
# A colour bar: its gap from the panel, its width, and room for its labels.
_BAR_GAP = 0.06
_BAR_WIDTH = 0.1
_BAR_LABELS = 0.42
# A shared colour bar, under the panels: the band it takes and its length.
_SHARED_ROOM = 0.5
_SHARED_WIDTH = 2.4
_COLORBARS = ("none", "shared", "each")


def _per_panel(value: Any, count: int, name: str) -> list[Any]:
    """Repeat one value for every panel, or check a sequence of `count`."""
    if isinstance(value, str | Normalize | Colormap) or value is None:
        return [value] * count
    values = list(value)
    if len(values) != count:
        raise ValueError(
            f"`{name}` must give one value per image ({count}), got {len(values)}"
        )
    return values


def _panel(shape: tuple[int, ...], side: float) -> tuple[float, float, bool]:
    """Return a panel's (width, height) in inches and whether it is exact."""
    rows, cols = shape[:2]
    longest = max(rows, cols)
    exact = exact_side(longest, side)
    per_pixel = (exact if exact is not None else side) / longest
    return cols * per_pixel, rows * per_pixel, exact is not None


def show_images(
    images: Sequence[npt.ArrayLike],
    titles: Sequence[str],
    *,
    roles: str | Sequence[str | None] | None = None,
    cmap: str | Colormap | Sequence[str | Colormap | None] | None = None,
    norm: Normalize | Sequence[Normalize | None] | None = None,
    notes: Sequence[str] | None = None,
    ncols: int = 2,
    side: float = 1.5,
    colorbar: str = "none",
) -> tuple[Figure, list[Axes]]:
    """Show images in rows of `ncols` panels, pixel for pixel where possible.

    Parameters
    ----------
    images : sequence of (H, W) or (H, W, 3) array_like
        The images, in reading order.
    titles : sequence of str
        One title per image, on a box in its role's colour.
    roles : str or sequence of str or None, optional
        The role of each image (``'input'``, ``'output'``, …), or one role
        for all; None gives a neutral title box.
    cmap : colormap or sequence of them, optional
        For gray images: one for all, or one per image (gray by default).
    norm : Normalize or sequence of them, optional
        Value scaling: one for all, or one per image (None: the rule of
        :func:`draw_image`).
    notes : sequence of str, optional
        A short note under each image.
    ncols : int, optional
        Panels per row. Two panels of the 300-pixel grid (1.5 inches each)
        fit a phone's screen.
    side : float, optional
        The target size of a panel's longer side, in inches. A panel gets
        the exact size nearest to it (see Notes).
    colorbar : {'none', 'shared', 'each'}, optional
        No colour bar, one horizontal bar under all the panels (for the
        panels given a `norm`, which must share it and their `cmap`; an
        image left with None, say the input, keeps its own gray scale), or
        one beside each panel.

    Returns
    -------
    fig : matplotlib.figure.Figure
    axes : list of Axes
        One per image, in order. Colour bars come after them in ``fig.axes``.

    Raises
    ------
    ValueError
        If the numbers of images and titles (or roles, maps, norms, notes)
        differ, `colorbar` is not one of the choices, or a shared colour bar
        is asked for panels that do not share one norm.

    Notes
    -----
    An image that allows it (at most about twice the panel's pixels) is
    drawn at an exact scale with nearest sampling: every image pixel covers
    one pixel of the 2x file (1.5 inches for 300 pixels) or an even number
    of them, and :func:`convdemo._layout.snap_images` puts it on whole
    pixels. A regular pattern then keeps every repeat alike in both files.
    Larger images are averaged down to the screen (``interpolation='screen'``).

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> from convdemo.images import grid_image
    >>> fig, axes = show_images([grid_image(), grid_image()[:150, :150]], ["A", "B"])
    >>> inches = fig.get_size_inches()[0]
    >>> [float(round(ax.get_position().width * inches, 3)) for ax in axes]
    [1.5, 1.5]
    >>> axes[0].images[0].get_interpolation()
    'nearest'
    >>> plt.close(fig)
    """
    pictures = [
        as_image(image, f"images[{i}]", ndim=(2, 3)) for i, image in enumerate(images)
    ]
    count = len(pictures)
    if count == 0:
        raise ValueError("`images` must hold at least one image, got none")
    title_list = _per_panel(titles, count, "titles")
    role_list = _per_panel(roles, count, "roles")
    for role in role_list:
        if role is not None:
            one_of(role, "roles", ROLES)
    cmaps = _per_panel(cmap, count, "cmap")
    norms = _per_panel(norm, count, "norm")
    note_list = _per_panel(notes, count, "notes") if notes is not None else None
    columns = min(positive_int(ncols, "ncols"), count)
    target = positive_number(side, "side")
    bars = one_of(colorbar, "colorbar", _COLORBARS)
    # A shared bar shows the one norm (and colormap) of the panels given one.
    scaled = [i for i, n in enumerate(norms) if n is not None]
    if bars == "shared" and not (
        scaled
        and all(norms[i] is norms[scaled[0]] for i in scaled)
        and all(cmaps[i] == cmaps[scaled[0]] for i in scaled)
    ):
        raise ValueError(
            "`colorbar='shared'` needs the images given a `norm` to share one "
            "`norm` and one `cmap`"
        )
    sizes = [_panel(picture.shape, target) for picture in pictures]
    rows = -(-count // columns)
    bar_room = _BAR_GAP + _BAR_WIDTH + _BAR_LABELS
    widths = [
        max(sizes[i][0] for i in range(c, count, columns)) for c in range(columns)
    ]
    heights = [
        max(sizes[i][1] for i in range(r * columns, min(count, (r + 1) * columns)))
        for r in range(rows)
    ]
    slot = [w + (bar_room if bars == "each" else 0.0) for w in widths]
    below = _NOTE_ROOM if note_list is not None else _BARE_ROOM
    width = 2 * _MARGIN + sum(slot) + _GAP * (columns - 1)
    # A shared colour bar lies under the panels, so it costs no width.
    under = _SHARED_ROOM if bars == "shared" else 0.0
    with styled():
        # Titles break at spaces to fit their column (text is measured).
        wrapped = [
            wrap_title(title, slot[i % columns] + _GAP - 0.15, _TITLE_SIZE)
            for i, title in enumerate(title_list)
        ]
        bands = [
            _TITLE_ROOM
            + _TITLE_LINE
            * max(t.count("\n") for t in wrapped[r * columns : (r + 1) * columns])
            for r in range(rows)
        ]
        height = under + sum(
            band + h + below for band, h in zip(bands, heights, strict=True)
        )
        fig = plt.figure(figsize=(width, height))
        axes: list[Axes] = []
        for index, picture in enumerate(pictures):
            r, c = divmod(index, columns)
            panel_w, panel_h, exact = sizes[index]
            left = _MARGIN + sum(slot[:c]) + _GAP * c + (widths[c] - panel_w) / 2
            top = sum(
                b + h + below for b, h in zip(bands[:r], heights[:r], strict=True)
            )
            top += bands[r] + (heights[r] - panel_h) / 2
            ax = fig.add_axes(
                (
                    left / width,
                    1 - (top + panel_h) / height,
                    panel_w / width,
                    panel_h / height,
                )
            )
            shown = draw_image(
                ax,
                picture,
                cmap=cmaps[index],
                norm=norms[index],
                interpolation="nearest" if exact else "screen",
            )
            set_title(ax, wrapped[index], role_list[index], _TITLE_SIZE)
            if note_list is not None:
                add_note(ax, note_list[index])
            if bars == "each":
                _bar_beside(fig, shown.image, [picture], left + panel_w, top, panel_h)
            axes.append(ax)
        if bars == "shared":
            bar_width = min(_SHARED_WIDTH, width - 2 * _MARGIN)
            cax = fig.add_axes(
                (
                    (width - bar_width) / 2 / width,
                    (under - _BAR_WIDTH - 0.06) / height,
                    bar_width / width,
                    _BAR_WIDTH / height,
                )
            )
            first = scaled[0]
            _colorbar(
                cax,
                axes[first].images[0],
                [pictures[i] for i in scaled],
                "horizontal",
            )
        fit_figure(fig)
        snap_images(fig)
    return fig, axes


def _bar_beside(
    fig: Figure,
    mappable: Any,
    pictures: list[np.ndarray],
    right: float,
    top: float,
    height: float,
) -> None:
    """Add a colour bar `height` inches tall just right of `right` (inches)."""
    width, fig_height = (float(v) for v in fig.get_size_inches())
    cax = fig.add_axes(
        (
            (right + _BAR_GAP) / width,
            1 - (top + height) / fig_height,
            _BAR_WIDTH / width,
            height / fig_height,
        )
    )
    _colorbar(cax, mappable, pictures, "vertical")


def _colorbar(
    cax: Axes, mappable: Any, pictures: list[np.ndarray], orientation: str
) -> None:
    """Draw the bar; arrows mark values of `pictures` beyond its scale."""
    scale = mappable.norm
    low = min(float(np.nanmin(picture)) for picture in pictures)
    high = max(float(np.nanmax(picture)) for picture in pictures)
    add_colorbar(
        cax,
        mappable,
        below=scale.vmin is not None and low < scale.vmin,
        above=scale.vmax is not None and high > scale.vmax,
        orientation=orientation,
    )
