"""Figures of one filter: input ⋆ kernel = output.

:func:`show_filter` draws the input, the kernel and the output with its
colour bar (and, on request, the blog post's clipped view). Public through
:mod:`convdemo.draw`; :mod:`convdemo._bank_figures` shares the rules of how
an output is drawn.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import numpy.typing as npt
from matplotlib.axes import Axes
from matplotlib.colors import Normalize
from matplotlib.figure import Figure

from convdemo._artists import add_colorbar, draw_image, draw_matrix
from convdemo._format import format_value, kernel_form, matrix_text
from convdemo._layout import (
    GAP,
    MAX_CELL,
    POINTS_PER_INCH,
    add_note,
    add_operator,
    exact_side,
    fit_figure,
    set_title,
    snap_images,
    text_width,
    wrap_title,
)
from convdemo._validate import as_image, one_of
from convdemo.kernels import KERNELS
from convdemo.ops import Padding, clipped_view, convolve2d, correlate2d
from convdemo.style import DIVERGING, GRAY, MUTED, set_alt_text, signed_norm, styled

__all__ = ["show_filter"]

# Images with more pixels than this scale a signed output to the 99.5th
# percentile of its magnitudes, so that a few extreme pixels do not wash out
# the rest.
_ROBUST_ABOVE = 4096
_ROBUST_PERCENTILE = 99.5
# show_filter: the target side of the image panels and the kernel panel's
# largest side, in inches; the title size in points. Image panels get an
# exact size near the target (see _layout.exact_side): 1.5 inches for the
# 300-pixel grid, one 2x pixel per pixel. Two such panels side by side fit a
# phone's 343 CSS pixels, hence two rows: input ⋆ kernel =, then the output.
_SIDE = 1.5
_KERNEL_SIDE = 0.9
_TITLE_SIZE = 10.0
# show_filter: colour bar width and gap, room for its tick labels, the gap
# before the clipped view, the margins and the title and note bands.
_BAR_WIDTH = 0.12
_BAR_GAP = 0.08
_BAR_LABELS = 0.42
_CLIPPED_GAP = 0.45
_MARGIN = 0.08
_TITLE_ROOM = 0.45
_NOTE_ROOM = 0.32
_EQUALS = 0.36


def _resolve_kernel(kernel: npt.ArrayLike | str) -> tuple[np.ndarray, str, str]:
    """Return (values, registry name, description) for an array or a name.

    An array equal to a registered kernel takes that kernel's name; any
    other array has no name and no description.
    """
    if isinstance(kernel, str):
        if kernel not in KERNELS:
            one_of(kernel, "kernel", KERNELS)
        entry = KERNELS[kernel]
        return np.array(entry.values), entry.name, entry.description
    weights = as_image(kernel, "kernel")
    for entry in KERNELS.values():
        if entry.values.shape == weights.shape and np.array_equal(
            entry.values, weights
        ):
            return weights, entry.name, entry.description
    return weights, "", ""


def _output_norm(result: np.ndarray, input_norm: Normalize) -> tuple[bool, Normalize]:
    """Choose how a filter output is drawn: ``(signed, norm)``.

    An output with a negative value (or only zeros) is signed: diverging map,
    symmetric scale (large images ignore their most extreme 0.5 %).
    Otherwise it is drawn in gray like an image: on the input's own scale
    when every value lies inside it (so the identity's output looks exactly
    like its input), else from 0 (black) to its largest value (white).
    """
    low, high = float(result.min()), float(result.max())
    if low < 0 or high == 0:
        robust = result.size > _ROBUST_ABOVE
        return True, signed_norm(
            result, percentile=_ROBUST_PERCENTILE if robust else 100.0
        )
    vmin = float(input_norm.vmin if input_norm.vmin is not None else 0.0)
    vmax = float(input_norm.vmax if input_norm.vmax is not None else 1.0)
    if vmin <= low and high <= vmax:
        return False, Normalize(vmin, vmax)
    return False, Normalize(0.0, high)


def _beyond(values: np.ndarray, norm: Normalize) -> tuple[bool, bool]:
    """Say whether any value lies below and above a norm's range."""
    assert norm.vmin is not None
    assert norm.vmax is not None
    return bool(values.min() < norm.vmin), bool(values.max() > norm.vmax)


def show_filter(
    image: npt.ArrayLike,
    kernel: npt.ArrayLike | str,
    *,
    padding: Padding = "same",
    border: str = "zeros",
    stride: int | tuple[int, int] = 1,
    dilation: int | tuple[int, int] = 1,
    flip: bool = False,
    clipped: bool = False,
    title: str | None = None,
) -> tuple[Figure, list[Axes]]:
    """Show an image, a kernel and the filtered image side by side.

    Parameters
    ----------
    image : (H, W) array_like
        The input image.
    kernel : (kh, kw) array_like or str
        The kernel, or the name of one in :data:`convdemo.kernels.KERNELS`.
    padding, border, stride, dilation
        As in :func:`convdemo.ops.correlate2d`.
    flip : bool, optional
        Convolve (flip the kernel) instead of cross-correlating.
    clipped : bool, optional
        Also show the blog post's view: the input on 0–255, the result
        divided by the kernel's sum (when non-zero) and clipped to 0–255,
        which hides every negative response.
    title : str, optional
        A title above the whole figure.

    Returns
    -------
    fig : matplotlib.figure.Figure
    axes : list of Axes
        Input, kernel, output, the output's colourbar and, with
        ``clipped=True``, the clipped view.

    Notes
    -----
    A signed output (one with a negative value, or only zeros) is drawn on
    the diverging colormap with a symmetric scale: red for positive
    responses, blue for negative, white for 0. For images over 4096 pixels
    the scale ends at the 99.5th percentile of the magnitudes (arrows on the
    colourbar mark the values beyond), so that a few extreme pixels do not
    wash out the rest. Its title ends in "signed".

    An output with no negative value (identity, blurs, …) is an image, and is
    drawn like one, in gray. When every value lies inside the input's scale
    (the rule of :func:`draw_image`: 0–1 for an image in [0, 1], 0–255 for
    8-bit values), the output uses that same scale, so the identity's output
    looks exactly like its input; otherwise the scale runs from 0 (black) to
    the output's largest value (white), as for the box blur's sums of nine
    pixels. Its title ends in "≥ 0" and the note under it gives the scale.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> import numpy as np
    >>> image = np.zeros((8, 8))
    >>> image[:, 4:] = 1
    >>> fig, axes = show_filter(image, "vertical", clipped=True)
    >>> [ax.get_title() for ax in axes]  # doctest: +NORMALIZE_WHITESPACE
    ['Input 8×8', "Kernel 'vertical'", 'Output 8×8, signed', '',
     'Clipped to 0–255']
    >>> plt.close(fig)
    >>> fig, axes = show_filter(image, "identity")
    >>> axes[2].get_title(), axes[2].images[0].get_cmap().name
    ('Output 8×8, ≥ 0', 'gray')
    >>> plt.close(fig)
    """
    picture = as_image(image, "image")
    weights, name, description = _resolve_kernel(kernel)
    compute = convolve2d if flip else correlate2d
    result = compute(
        picture,
        weights,
        padding=padding,
        border=border,
        stride=stride,
        dilation=dilation,
    )
    size = _TITLE_SIZE
    with styled():
        fig, axes, centres, kernel_title = _filter_layout(
            (picture.shape, result.shape),
            weights,
            name,
            clipped=clipped,
            title=bool(title),
        )
        source = draw_image(
            axes[0], picture, interpolation=_sampling(picture.shape, _SIDE)
        )
        set_title(
            axes[0], f"Input {picture.shape[0]}×{picture.shape[1]}", "input", size
        )
        _kernel_panel(axes[1], weights, kernel_title, size)
        input_norm = source.image.norm
        assert isinstance(input_norm, Normalize)
        signed, scale = _output_panel(
            axes[2], axes[3], result, input_norm, clipped=clipped
        )
        add_operator(fig, centres[0], "⋆" if not flip else "∗")
        add_operator(fig, centres[1], "=")
        if clipped:
            _clipped_panel(axes[4], picture, weights, result, signed)
        if title:
            fig.text(
                0.5,
                1 - 0.2 / fig.get_size_inches()[1],
                title,
                ha="center",
                va="center",
                fontsize=12,
                fontweight="bold",
                color=MUTED,
            )
        fit_figure(fig)
        snap_images(fig)
    set_alt_text(
        fig,
        _filter_alt(picture.shape, weights, name, description, result, scale, signed)
        + (
            "; beside it the post's clipped 0–255 view"
            + (", where negative values vanish" if signed else "")
            if clipped
            else ""
        ),
    )
    return fig, axes


def _panel_size(shape: tuple[int, ...], target: float) -> tuple[float, float]:
    """Return (width, height) in inches of an image panel near `target`.

    At an exact scale when the image allows one (see
    :func:`convdemo._layout.exact_side`), else scaled to `target` on its
    longer side (a photograph, averaged down to the screen).
    """
    rows, cols = shape[:2]
    longest = max(rows, cols)
    side = exact_side(longest, target)
    per_pixel = (side if side is not None else target) / longest
    return cols * per_pixel, rows * per_pixel


def _sampling(shape: tuple[int, ...], target: float) -> str:
    """Return how draw_image samples an image in a panel of `_panel_size`."""
    return "nearest" if exact_side(max(shape[:2]), target) is not None else "screen"


def _filter_layout(
    shapes: tuple[tuple[int, ...], tuple[int, ...]],
    weights: np.ndarray,
    name: str,
    *,
    clipped: bool,
    title: bool,
) -> tuple[Figure, list[Axes], list[tuple[float, float]], str]:
    """Lay out show_filter's panels; return them, the sign places, the kernel title.

    Two rows, as an equation wraps: input ⋆ kernel =, then the output, its
    colour bar and, with `clipped`, the clipped view. `shapes` are the
    input's and the output's. The kernel's title may be wider than the
    kernel: it breaks at a space, and the gap before the kernel widens so
    that it clears the input. Call inside the style (text is measured).
    """
    kh, kw = weights.shape[:2]
    (in_w, in_h), (out_w, out_h) = (_panel_size(shape, _SIDE) for shape in shapes)
    cell = min(MAX_CELL, _KERNEL_SIDE / max(kh, kw, 3))
    kernel_title = wrap_title(
        f"Kernel '{name}'" if name else f"Kernel {kh}×{kw}",
        max(kw * cell + GAP, 1.1),
        _TITLE_SIZE,
    )
    title_width = max(
        text_width(line, _TITLE_SIZE, "bold") for line in kernel_title.split("\n")
    )
    title_lines = kernel_title.count("\n") + 1
    gap = max(GAP, (title_width + 0.3 - kw * cell) / 2 + 0.1)
    first = [in_w, gap, kw * cell, _EQUALS]
    second = [out_w, _BAR_GAP, _BAR_WIDTH, _BAR_LABELS]
    if clipped:
        second += [_CLIPPED_GAP, out_w]
    top_band = _TITLE_ROOM + (0.35 if title else 0.0)
    kernel_room = (title_lines - 1) * _TITLE_SIZE * 1.3 / POINTS_PER_INCH
    row_1 = max(in_h, kh * cell + kernel_room)
    # Room under the first row for the kernel's "each ÷ 16" note.
    below_1 = _NOTE_ROOM if kernel_form(weights) is not None else 0.15
    content = max(sum(first), sum(second))
    width = 2 * _MARGIN + content
    height = top_band + row_1 + below_1 + _TITLE_ROOM + out_h + _NOTE_ROOM
    fig = plt.figure(figsize=(width, height))

    def add(x: float, top: float, w: float, h: float) -> Axes:
        return fig.add_axes((x / width, 1 - (top + h) / height, w / width, h / height))

    # Each row is centred in the figure.
    middle_1 = top_band + row_1 / 2
    x = _MARGIN + (content - sum(first)) / 2
    axes = [add(x, middle_1 - in_h / 2, in_w, in_h)]
    x += in_w + gap
    kernel_top = middle_1 - kh * cell / 2 + kernel_room / 2
    axes.append(add(x, kernel_top, kw * cell, kh * cell))
    star = (x - gap / 2, middle_1)
    equals = (x + kw * cell + _EQUALS / 2, middle_1)
    top_2 = top_band + row_1 + below_1 + _TITLE_ROOM
    x = _MARGIN + (content - sum(second)) / 2
    axes.append(add(x, top_2, out_w, out_h))
    x += out_w + _BAR_GAP
    axes.append(add(x, top_2, _BAR_WIDTH, out_h))
    if clipped:
        x += _BAR_WIDTH + _BAR_LABELS + _CLIPPED_GAP
        axes.append(add(x, top_2, out_w, out_h))
    centres = [(cx / width, 1 - cy / height) for cx, cy in (star, equals)]
    return fig, axes, centres, kernel_title


def _kernel_panel(ax: Axes, weights: np.ndarray, title: str, size: float) -> None:
    """Draw the kernel; a normalised one as whole numbers and its divisor."""
    form = kernel_form(weights)
    draw_matrix(ax, weights if form is None else form[0], role="kernel")
    if form is not None:
        add_note(ax, f"each ÷ {format_value(form[1])}")
    set_title(ax, title, "kernel", size)


def _output_panel(
    ax: Axes, cax: Axes, result: np.ndarray, input_norm: Normalize, *, clipped: bool
) -> tuple[bool, Normalize]:
    """Draw the output, its title, its scale note and its colour bar."""
    signed, scale = _output_norm(result, input_norm)
    shown = draw_image(
        ax,
        result,
        cmap=DIVERGING if signed else GRAY,
        norm=scale,
        interpolation=_sampling(result.shape, _SIDE),
    )
    out_rows, out_cols = result.shape
    kind = "signed" if signed else "≥ 0"
    set_title(ax, f"Output {out_rows}×{out_cols}, {kind}", "output", _TITLE_SIZE)
    black, white = _scale_ends(scale)
    add_note(ax, "red > 0, blue < 0" if signed else f"black {black}, white {white}")
    below, above = _beyond(result, scale)
    add_colorbar(cax, shown.image, below=below, above=above)
    return signed, scale


def _scale_ends(scale: Normalize) -> tuple[str, str]:
    """Return the values a gray scale draws as black and as white."""
    return format_value(float(scale.vmin or 0.0)), format_value(
        float(scale.vmax or 0.0)
    )


def _clipped_panel(
    ax: Axes, picture: np.ndarray, weights: np.ndarray, result: np.ndarray, signed: bool
) -> None:
    """Draw the post's clipped view: the output on 0–255, divided and clipped."""
    # Filtering is linear: on the input's 0–255 version the output is 255
    # times the output on an image in [0, 1].
    scale = 255.0 if picture.max() <= 1 else 1.0
    view = clipped_view(result * scale, weights)
    draw_image(
        ax,
        view,
        norm=Normalize(0.0, 255.0),
        interpolation=_sampling(view.shape, _SIDE),
    )
    set_title(ax, "Clipped to 0–255", "output", _TITLE_SIZE)
    add_note(ax, "negative values vanish" if signed else "no negative value to lose")


def _filter_alt(
    shape: tuple[int, ...],
    weights: np.ndarray,
    name: str,
    description: str,
    result: np.ndarray,
    scale: Normalize,
    signed: bool,
) -> str:
    """Describe show_filter's input, kernel and output for alt text."""
    kernel_text = f"'{name}' " if name else ""
    if signed:
        scale_text = "on a diverging scale, red for positive, blue for negative"
    else:
        black, white = _scale_ends(scale)
        scale_text = (
            "with no negative value, drawn in gray like the input, from black "
            f"({black}) to white ({white})"
        )
    alt = (
        f"Input {shape[0]}×{shape[1]} image, kernel {kernel_text}"
        f"{matrix_text(weights)}, output {result.shape[0]}×{result.shape[1]} "
        f"{scale_text}"
    )
    if description:
        alt += f"; this kernel {description[0].lower()}{description[1:].rstrip('.')}"
    return alt
