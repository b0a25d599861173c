"""A bank of filters: one image through many kernels, as small multiples.

:func:`show_filters` (public through :mod:`convdemo.draw`) draws one panel
per kernel, the kernel itself as a small matrix under it. How a panel is
drawn depends on what its output is:

* a kernel whose weights add up to 1 (identity, the Gaussian blurs, sharpen,
  emboss, the post's all-edges filter) keeps the brightness of flat areas:
  its output is an image, drawn in gray on the input's own scale, clipped
  there (a sharpened photo looks like a photo, not a red negative);
* any other output with no negative value (the box blur's sums) is drawn in
  gray from 0 to its largest value;
* the rest (edge detectors) are signed: the diverging map, each panel scaled
  to its own largest magnitude.

Image panels get an exact size when the image allows one (the 300-pixel
grid: 1.5 inches, one pixel of the 2x file per pixel), so regular patterns
draw without moiré.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np
import numpy.typing as npt
from matplotlib.axes import Axes
from matplotlib.cm import ScalarMappable
from matplotlib.colors import Normalize
from matplotlib.figure import Figure

from convdemo._artists import add_colorbar, draw_image, draw_matrix, image_norm
from convdemo._filter_figures import (
    _beyond,
    _output_norm,
    _panel_size,
    _resolve_kernel,
    _sampling,
)
from convdemo._format import format_value, kernel_form
from convdemo._layout import (
    MAX_WIDTH,
    fit_figure,
    set_title,
    snap_images,
    text_width,
    wrap_title,
)
from convdemo._validate import as_image, positive_int, positive_number
from convdemo.kernels import KERNELS
from convdemo.ops import Padding, correlate2d
from convdemo.style import DIVERGING, GRAY, MUTED, set_alt_text, signed_norm, styled

__all__ = ["show_filters"]

# The largest panel, the gap between panels and the margins, in inches.
_SIDE = 1.5
_GAP = 0.22
_MARGIN = 0.1
# The title above a panel: size in points, band and extra line, in inches.
_TITLE_SIZE = 8.5
_TITLE_ROOM = 0.36
_TITLE_LINE = 0.16
# The kernel's matrix under a panel: largest cell, gap above it, room below.
_KERNEL_CELL = 0.19
_KERNEL_GAP = 0.1
_KERNEL_ROOM = 0.22
# The colour bars under the panels: band, length, thickness, gap between.
_BAR_BAND = 0.75
_BAR_LENGTH = 1.3
_BAR_WIDTH = 0.1
_BAR_GAP = 0.5
# Signed panels with more pixels than this end their scale at this
# percentile of the magnitudes (arrows on the colour bar mark the rest).
_ROBUST_ABOVE = 1000
_ROBUST_PERCENTILE = 99.0
# The two kinds of panel, as the colour bars and the alt text name them.
_SIGNED, _GRAY = "signed", "gray"


def _wrap(title: str, width: float) -> str:
    """Break a title to `width` inches, a parenthesis on a line of its own."""
    if text_width(title, _TITLE_SIZE, "bold") <= width or " (" not in title:
        return wrap_title(title, width, _TITLE_SIZE)
    name, rest = title.split(" (", 1)
    return "\n".join(
        wrap_title(part, width, _TITLE_SIZE) for part in (name, f"({rest}")
    )


def _bank_norm(
    result: np.ndarray, weights: np.ndarray, input_norm: Normalize
) -> tuple[str, Normalize]:
    """Return a panel's kind and scale (see the module's docstring)."""
    if np.isclose(weights.sum(), 1.0):
        return _GRAY, Normalize(input_norm.vmin, input_norm.vmax)
    signed, scale = _output_norm(result, input_norm)
    if signed and result.size > _ROBUST_ABOVE:
        # A few glints would wash out a small crop of a photo: saturate them.
        scale = signed_norm(result, percentile=_ROBUST_PERCENTILE)
    return (_SIGNED if signed else _GRAY), scale


def show_filters(
    image: npt.ArrayLike,
    kernels: Mapping[str, npt.ArrayLike] | Sequence[str],
    *,
    ncols: int = 3,
    padding: Padding = "same",
    border: str = "zeros",
    show_input: bool = True,
    side: float | None = None,
) -> tuple[Figure, np.ndarray]:
    """Show one image through several kernels, as small multiples.

    Parameters
    ----------
    image : (H, W) array_like
        The input image.
    kernels : mapping of name to (kh, kw) array_like, or sequence of str
        The kernels, or names from :data:`convdemo.kernels.KERNELS`.
    ncols : int, optional
        Panels per row.
    padding, border
        As in :func:`convdemo.ops.correlate2d`.
    show_input : bool, optional
        Start with a panel showing the input itself.
    side : float, optional
        Target size of a panel's longer side, in inches; by default the
        largest that lets `ncols` panels fit a page, at most 1.5. A panel
        gets the exact size nearest to it when the image allows one.

    Returns
    -------
    fig : matplotlib.figure.Figure
    axes : (rows, ncols) ndarray of Axes
        Row-major; unused panels are hidden. In ``fig.axes`` they come
        first, then the colour bars (titled "signed" and "gray", for the
        kinds of panel present), then each kernel's small matrix.

    Notes
    -----
    A kernel whose weights add up to 1 keeps the brightness of flat areas,
    so its output is drawn as an image: gray, on the input's scale, values
    beyond it clipped (arrows on the gray colour bar say so). Other outputs
    with no negative value are gray from 0 (black) to their largest value
    (white). Signed outputs (with a negative value, or only zeros) are drawn
    on the diverging map, each scaled to its own largest magnitude (the
    99th percentile of the magnitudes for images over 1000 pixels), so the
    panels compare where each kernel responds, not how strongly.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> import numpy as np
    >>> image = np.zeros((8, 8))
    >>> image[2:6, 2:6] = 1
    >>> fig, axes = show_filters(image, ["vertical", "sharpen"], ncols=3)
    >>> [ax.get_title().replace("\\n", " ") for ax in axes.ravel()]
    ['Input 8×8', 'Vertical edges (Prewitt x)', 'Sharpen']
    >>> [ax.images[0].get_cmap().name for ax in axes.ravel()]
    ['gray', 'RdBu_r', 'gray']
    >>> [bar.get_title() for bar in fig.axes[3:5]]
    ['signed', 'gray']
    >>> plt.close(fig)
    """
    picture = as_image(image, "image")
    columns = positive_int(ncols, "ncols")
    entries = _bank_entries(kernels)
    count = len(entries) + (1 if show_input else 0)
    rows = -(-count // columns)
    target = (
        min(_SIDE, (MAX_WIDTH - 2 * _MARGIN) / columns - _GAP)
        if side is None
        else positive_number(side, "side")
    )
    panel_w, panel_h = _panel_size(picture.shape, target)
    sampling = _sampling(picture.shape, target)
    input_norm = image_norm(picture, np.asarray(image).dtype)
    with styled():
        titles = [
            f"Input {picture.shape[0]}×{picture.shape[1]}",
            *(title for title, _, _ in entries),
        ][(0 if show_input else 1) :]
        wrapped = [_wrap(t, panel_w + _GAP - 0.1) for t in titles]
        # The tallest kernel of each row (the input's panel has none).
        heights = [0] * (1 if show_input else 0) + [w.shape[0] for _, w, _ in entries]
        kernel_h = [
            max(heights[r * columns : (r + 1) * columns]) * _KERNEL_CELL
            for r in range(rows)
        ]
        layout = _Layout(rows, columns, panel_w, panel_h, kernel_h, wrapped)
        fig, grid = layout.figure()
        flat = list(grid.ravel())
        if show_input:
            draw_image(flat[0], picture, norm=input_norm, interpolation=sampling)
            set_title(flat[0], wrapped[0], "input", _TITLE_SIZE)
        panels = flat[1:] if show_input else flat
        # Per kind of panel: the kernels' titles, and whether any value lies
        # below / above its scale.
        kinds: dict[str, list[str]] = {_SIGNED: [], _GRAY: []}
        beyond: dict[str, list[bool]] = {}
        labels = wrapped[1:] if show_input else wrapped
        for ax, (title, weights, _), label in zip(
            panels, entries, labels, strict=False
        ):
            result = correlate2d(picture, weights, padding=padding, border=border)
            kind, scale = _bank_norm(result, weights, input_norm)
            draw_image(
                ax,
                result,
                cmap=DIVERGING if kind == _SIGNED else GRAY,
                norm=scale,
                interpolation=sampling,
            )
            below, above = _beyond(result, scale)
            flags = beyond.setdefault(kind, [False, False])
            flags[0] |= below
            flags[1] |= above
            kinds[kind].append(title)
            set_title(ax, label, "output", _TITLE_SIZE)
        for ax in panels[len(entries) :]:
            ax.set_visible(False)
        layout.colorbars(fig, beyond)
        for ax, (_, weights, _) in zip(panels, entries, strict=False):
            layout.kernel(fig, ax, weights)
        fit_figure(fig)
        snap_images(fig)
    set_alt_text(fig, _bank_alt(picture.shape, entries, kinds))
    return fig, grid


class _Layout:
    """Where the panels, their kernels and the colour bars of a bank go."""

    def __init__(
        self,
        rows: int,
        columns: int,
        panel_w: float,
        panel_h: float,
        kernel_h: list[float],
        titles: list[str],
    ) -> None:
        self.rows, self.columns = rows, columns
        self.panel_w, self.panel_h = panel_w, panel_h
        self.bands = [
            _TITLE_ROOM
            + _TITLE_LINE
            * max(t.count("\n") for t in titles[r * columns : (r + 1) * columns])
            for r in range(rows)
        ]
        self.row_heights = [
            band + panel_h + _KERNEL_GAP + kernel + _KERNEL_ROOM
            for band, kernel in zip(self.bands, kernel_h, strict=True)
        ]
        self.width = max(
            2 * _MARGIN + columns * panel_w + (columns - 1) * _GAP,
            2 * _MARGIN + 2 * _BAR_LENGTH + _BAR_GAP,
        )
        self.height = sum(self.row_heights) + _BAR_BAND

    def figure(self) -> tuple[Figure, np.ndarray]:
        """Make the figure and its grid of image panels."""
        fig = plt.figure(figsize=(self.width, self.height))
        grid = np.empty((self.rows, self.columns), dtype=object)
        content = self.columns * self.panel_w + (self.columns - 1) * _GAP
        left_edge = (self.width - content) / 2
        for index in range(self.rows * self.columns):
            r, c = divmod(index, self.columns)
            left = left_edge + c * (self.panel_w + _GAP)
            top = sum(self.row_heights[:r]) + self.bands[r]
            grid[r, c] = fig.add_axes(self._rect(left, top, self.panel_w, self.panel_h))
        return fig, grid

    def _rect(
        self, left: float, top: float, width: float, height: float
    ) -> tuple[float, float, float, float]:
        """Turn inches from the top left into a figure-fraction rectangle."""
        return (
            left / self.width,
            1 - (top + height) / self.height,
            width / self.width,
            height / self.height,
        )

    def kernel(self, fig: Figure, ax: Axes, weights: np.ndarray) -> None:
        """Draw a kernel as a small matrix under its panel (whole weights ÷ n)."""
        box = ax.get_position()
        kh, kw = weights.shape
        cell = _KERNEL_CELL
        centre = (box.x0 + box.x1) / 2 * self.width
        top = (1 - box.y0) * self.height + _KERNEL_GAP
        kax = fig.add_axes(
            self._rect(centre - kw * cell / 2, top, kw * cell, kh * cell)
        )
        form = kernel_form(weights)
        draw_matrix(kax, weights if form is None else form[0], role="kernel")
        if form is not None:
            kax.text(
                kw - 0.3,
                (kh - 1) / 2,
                f"÷ {format_value(form[1])}",
                ha="left",
                va="center",
                fontsize=8,
                color=MUTED,
            )

    def colorbars(self, fig: Figure, beyond: dict[str, list[bool]]) -> None:
        """Add one horizontal bar per kind of panel, side by side at the bottom."""
        kinds = [kind for kind in (_SIGNED, _GRAY) if kind in beyond]
        total = len(kinds) * _BAR_LENGTH + (len(kinds) - 1) * _BAR_GAP
        left = (self.width - total) / 2
        top = self.height - _BAR_BAND + 0.3
        for kind in kinds:
            cax = fig.add_axes(self._rect(left, top, _BAR_LENGTH, _BAR_WIDTH))
            signed = kind == _SIGNED
            mappable = ScalarMappable(
                Normalize(-1.0, 1.0) if signed else Normalize(0.0, 1.0),
                DIVERGING if signed else GRAY,
            )
            bar = add_colorbar(
                cax,
                mappable,
                below=beyond[kind][0],
                above=beyond[kind][1],
                orientation="horizontal",
            )
            if signed:
                bar.set_ticks([-1, 0, 1], labels=["< 0", "0", "> 0"])
            else:
                bar.set_ticks([0, 1], labels=["black", "white"])
            cax.set_title(kind, color=MUTED, fontsize=8, pad=4)
            left += _BAR_LENGTH + _BAR_GAP


def _bank_entries(
    kernels: Mapping[str, npt.ArrayLike] | Sequence[str],
) -> list[tuple[str, np.ndarray, str]]:
    """Return ``(title, weights, registry name)`` for each kernel of a bank."""
    entries: list[tuple[str, np.ndarray, str]] = []
    if isinstance(kernels, Mapping):
        for name, values in kernels.items():
            entries.append((str(name), as_image(values, f"kernels[{name!r}]"), ""))
    elif isinstance(kernels, str):
        raise TypeError(
            f"`kernels` must be a mapping or a sequence of names, got {kernels!r}"
        )
    else:
        for name in kernels:
            weights, key, _ = _resolve_kernel(name)
            entries.append((KERNELS[key].title, weights, key))
    if not entries:
        raise ValueError("`kernels` must name at least one kernel, got none")
    return entries


def _bank_alt(
    shape: tuple[int, ...],
    entries: list[tuple[str, np.ndarray, str]],
    kinds: dict[str, list[str]],
) -> str:
    """Describe the bank for alt text: the kernels and how each kind is drawn."""
    names = ", ".join(title for title, _, _ in entries)
    parts = []
    if kinds[_SIGNED]:
        parts.append(
            f"signed outputs ({', '.join(kinds[_SIGNED])}) each scaled to its own "
            "largest magnitude, red for positive, blue for negative, white for 0"
        )
    if kinds[_GRAY]:
        parts.append(
            f"outputs drawn in gray like an image ({', '.join(kinds[_GRAY])}), "
            "on the input's scale when the kernel's weights add up to 1, else "
            "from black at 0"
        )
    return (
        f"Input {shape[0]}×{shape[1]} image filtered by {len(entries)} kernels "
        f"({names}), one panel each with its kernel's numbers under it; "
        + "; ".join(parts)
    )
