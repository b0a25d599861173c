"""Figures in the frequency domain: spectra, gains, and filtering as a product.

:func:`draw_spectrum` and :func:`draw_gain` draw one panel each, with the
frequencies on the axes (cycles per pixel, 0 in the middle);
:func:`show_frequency_responses` draws the gains of several kernels and
:func:`show_filtering` the convolution theorem at work: spectrum × gain =
spectrum of the result. All are public through :mod:`convdemo.draw`.

Everything non-negative is drawn in gray, black for 0 and white for the
largest value, as everywhere on the site. Spectra are drawn on a log scale:
their values span many powers of ten.
"""

from __future__ import annotations

from collections.abc import Mapping

import matplotlib.pyplot as plt
import numpy as np
import numpy.typing as npt
from matplotlib.axes import Axes
from matplotlib.colors import Normalize
from matplotlib.figure import Figure
from matplotlib.image import AxesImage

from convdemo._artists import ImageArtists, draw_image
from convdemo._layout import SCREEN_DPI, add_operator, set_title
from convdemo._validate import as_image, positive_number
from convdemo.frequency import frequency_response
from convdemo.ops import correlate2d
from convdemo.style import DIVERGING, GRAY, MUTED, signed_norm, styled

__all__ = ["draw_gain", "draw_spectrum", "show_filtering", "show_frequency_responses"]

# Frequencies written on the axes, in cycles per pixel.
_TICKS = (-0.5, 0.0, 0.5)
_TICK_LABELS = ("−½", "0", "½")
# Panel side and gaps of the figures, in inches.
_PANEL = 1.35
_GAP = 0.42
_ROW_GAP = 0.75
_TITLE_SIZE = 9.5
_GRAIN = 64


def _extent(rows: int, cols: int) -> tuple[float, float, float, float]:
    """Return imshow's extent for an (rows, cols) grid of centred frequencies."""
    row_f = np.fft.fftshift(np.fft.fftfreq(rows))
    col_f = np.fft.fftshift(np.fft.fftfreq(cols))
    return (
        col_f[0] - 0.5 / cols,
        col_f[-1] + 0.5 / cols,
        row_f[-1] + 0.5 / rows,
        row_f[0] - 0.5 / rows,
    )


def _frequency_frame(ax: Axes, *, labels: bool) -> None:
    """Put ticks at −½, 0 and ½ cycles per pixel; axis names if `labels`."""
    ax.set_xticks(_TICKS, _TICK_LABELS)
    ax.set_yticks(_TICKS, _TICK_LABELS)
    ax.tick_params(length=2, labelsize=8, colors=MUTED, pad=1)
    for spine in ax.spines.values():
        spine.set_color(MUTED)
        spine.set_linewidth(0.8)
    if labels:
        ax.set_xlabel("across (cycles/pixel)", fontsize=8, labelpad=1)
        ax.set_ylabel("down", fontsize=8, labelpad=0)


def _show(ax: Axes, values: np.ndarray, norm: Normalize) -> AxesImage:
    """Show a centred frequency grid, keeping the peaks of a large one.

    A grid with more cells than the panel has screen pixels (two per pixel,
    for hi-dpi screens) is reduced by taking the largest value of each block
    of cells: a single bright frequency stays visible, where averaging or
    resampling would wash it out.
    """
    rows, cols = values.shape
    left, _, _, top = _extent(rows, cols)
    fig = ax.get_figure(root=True)
    assert fig is not None
    width, height = fig.get_size_inches()
    box = ax.get_position(original=True)
    pixels = (2 * SCREEN_DPI * box.height * height, 2 * SCREEN_DPI * box.width * width)
    block = (max(1, int(rows // pixels[0])), max(1, int(cols // pixels[1])))
    shown = values
    if block != (1, 1):
        tall, wide = -(-rows // block[0]), -(-cols // block[1])
        padded = np.full((tall * block[0], wide * block[1]), values.min())
        padded[:rows, :cols] = values
        shown = padded.reshape(tall, block[0], wide, block[1]).max(axis=(1, 3))
        rows, cols = tall * block[0], wide * block[1]
    return ax.imshow(
        shown,
        cmap=GRAY,
        norm=norm,
        interpolation="nearest",
        extent=(left, left + cols / values.shape[1], top + rows / values.shape[0], top),
    )


def _frequency_panel(
    ax: Axes,
    values: np.ndarray,
    norm: Normalize,
    *,
    labels: bool,
    title: str | None,
    role: str | None,
) -> ImageArtists:
    """Show a frequency grid (:func:`_show`) in its frame, under `title` if any."""
    shown = _show(ax, values, norm)
    _frequency_frame(ax, labels=labels)
    text = set_title(ax, title, role, _TITLE_SIZE) if title is not None else None
    return ImageArtists(shown, None, text)


def _log_amplitude(spectrum: np.ndarray, decades: float) -> np.ndarray:
    """Return log10 |spectrum| / max, clipped at −decades (0 where all is 0)."""
    amplitude = np.abs(spectrum)
    largest = float(amplitude.max())
    if largest == 0.0:
        return np.full(amplitude.shape, -decades)
    with np.errstate(divide="ignore"):
        shown: np.ndarray = np.maximum(np.log10(amplitude / largest), -decades)
    return shown


def draw_spectrum(
    ax: Axes,
    image: npt.ArrayLike,
    *,
    title: str | None = None,
    role: str | None = None,
    decades: float = 4.0,
    labels: bool = False,
) -> ImageArtists:
    """Draw an image's amplitude spectrum, centred, on a log scale.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        Where to draw.
    image : (H, W) array_like
        The image. Its discrete Fourier transform has H × W frequencies.
    title : str, optional
        Title on a rounded box in the colour of `role`.
    role : {'input', 'kernel', 'output', 'padding', 'window'}, optional
        Role of the title box; neutral grey if omitted.
    decades : float, optional
        How many powers of ten below the largest amplitude are shown;
        anything weaker is black.
    labels : bool, optional
        Name the two frequency axes.

    Returns
    -------
    ImageArtists
        The image (its array is ``log10(|F| / max|F|)``, clipped at
        ``−decades``), no grid, and the title.

    Notes
    -----
    The centre is frequency 0, the image's mean; a pattern that repeats
    every `p` pixels across gives two bright points at ±1/p on the
    horizontal axis.

    Examples
    --------
    >>> fig, ax = plt.subplots()
    >>> stripes = np.tile([0.0, 0.0, 1.0, 1.0], (8, 2))
    >>> shown = draw_spectrum(ax, stripes).image.get_array()
    >>> frequencies = np.fft.fftshift(np.fft.fftfreq(8))
    >>> [float(f) for f in frequencies[shown[4] > -4]]  # along the middle row
    [-0.25, 0.0, 0.25]
    >>> plt.close(fig)
    """
    picture = as_image(image)
    limit = positive_number(decades, "decades")
    with styled():
        values = _log_amplitude(np.fft.fftshift(np.fft.fft2(picture)), limit)
        return _frequency_panel(
            ax, values, Normalize(-limit, 0.0), labels=labels, title=title, role=role
        )


def draw_gain(
    ax: Axes,
    kernel: npt.ArrayLike,
    shape: tuple[int, int] = (_GRAIN, _GRAIN),
    *,
    title: str | None = None,
    role: str | None = "kernel",
    norm: Normalize | None = None,
    labels: bool = False,
) -> ImageArtists:
    """Draw a kernel's gain, ``|frequency_response|``, over the frequency plane.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        Where to draw.
    kernel : (kh, kw) array_like
        The filter weights.
    shape : (int, int), optional
        The grid of frequencies (see :func:`convdemo.frequency.frequency_response`).
    title : str, optional
        Title on a rounded box in the colour of `role`.
    role : str or None, optional
        Role of the title box, the kernel's by default.
    norm : matplotlib.colors.Normalize, optional
        Gain-to-gray scaling; by default from 0 (black) to the largest gain
        (white).
    labels : bool, optional
        Name the two frequency axes.

    Returns
    -------
    ImageArtists
        The image of the gain, no grid, and the title.

    Examples
    --------
    >>> fig, ax = plt.subplots()
    >>> shown = draw_gain(ax, np.ones((3, 3)), (6, 6)).image
    >>> float(shown.norm.vmax), float(shown.get_array()[3, 3])
    (9.0, 9.0)
    >>> plt.close(fig)
    """
    gain = frequency_response(kernel, shape).gain
    with styled():
        scale = norm if norm is not None else Normalize(0.0, float(gain.max()) or 1.0)
        return _frequency_panel(ax, gain, scale, labels=labels, title=title, role=role)


def _gain_note(ax: Axes, gain: np.ndarray) -> None:
    """Write the gain's range under a panel."""
    top = float(gain.max())
    words = f"{top:.3g}".replace("-", "−")
    ax.text(
        0.5,
        -0.13,
        f"gain 0 (black) to {words}",
        transform=ax.transAxes,
        ha="center",
        va="top",
        fontsize=8,
        color=MUTED,
    )


def _kernel_items(
    kernels: Mapping[str, npt.ArrayLike],
) -> list[tuple[str, npt.ArrayLike]]:
    """Return the named kernels as a list; refuse an empty mapping."""
    items = list(kernels.items())
    if not items:
        raise ValueError("`kernels` must name at least one kernel, got none")
    return items


def _panel_grid(
    rows: int, cols: int, corner: tuple[float, float], margins: tuple[float, float]
) -> tuple[Figure, np.ndarray]:
    """Make a grid of square panels, spaced by the module's gaps.

    `corner` is the room left of and below the panels, `margins` the whole
    extra width and height, in inches; above and to the right, the title's
    and a tick label's room.
    """
    width = cols * _PANEL + (cols - 1) * _GAP + margins[0]
    height = rows * _PANEL + (rows - 1) * _ROW_GAP + margins[1]
    fig, grid = plt.subplots(rows, cols, figsize=(width, height), squeeze=False)
    fig.subplots_adjust(
        left=corner[0] / width,
        right=1 - 0.25 / width,
        bottom=corner[1] / height,
        top=1 - 0.5 / height,
        wspace=_GAP / _PANEL,
        hspace=_ROW_GAP / _PANEL,
    )
    return fig, grid


def show_frequency_responses(
    kernels: Mapping[str, npt.ArrayLike],
    shape: tuple[int, int] = (_GRAIN, _GRAIN),
    *,
    columns: int = 3,
) -> tuple[Figure, np.ndarray]:
    """Draw the gain of each kernel over the frequency plane, small multiples.

    Parameters
    ----------
    kernels : mapping of str to (kh, kw) array_like
        Title → kernel, in the order to draw.
    shape : (int, int), optional
        The grid of frequencies.
    columns : int, optional
        Panels per row.

    Returns
    -------
    (Figure, ndarray of Axes)
        The figure and its axes, one per kernel (unused cells removed).

    Examples
    --------
    >>> fig, axes = show_frequency_responses({"box": np.ones((3, 3)),
    ...                                       "edge": [[1, 0, -1]]})
    >>> [ax.get_title() for ax in axes.flat]
    ['box', 'edge']
    >>> plt.close(fig)
    """
    items = _kernel_items(kernels)
    count = len(items)
    ncols = min(columns, count)
    nrows = -(-count // ncols)
    with styled():
        fig, grid = _panel_grid(nrows, ncols, (0.45, 0.75), (0.9, 1.25))
        for index, ax in enumerate(grid.flat):
            if index >= count:
                ax.remove()
                continue
            name, kernel = items[index]
            artists = draw_gain(ax, kernel, shape, title=name, labels=False)
            _gain_note(ax, np.asarray(artists.image.get_array()))
        fig.supxlabel(
            "frequency across, cycles per pixel (down: the same, vertically)",
            fontsize=8.5,
            color=MUTED,
            y=0.12 / fig.get_figheight(),
        )
        used = np.array(list(grid.flat)[:count], dtype=object)
        return fig, used


def show_filtering(
    image: npt.ArrayLike,
    kernels: Mapping[str, npt.ArrayLike],
    *,
    decades: float = 4.0,
) -> tuple[Figure, np.ndarray]:
    """Draw filtering as a product of spectra, one row per kernel.

    Each row: the image's spectrum × the kernel's gain = the spectrum of the
    result → the result, computed by the FFT route of
    :func:`convdemo.ops.correlate2d` (``padding='same'``, ``border='wrap'``,
    which is exactly the product of transforms).

    Parameters
    ----------
    image : (H, W) array_like
        The image.
    kernels : mapping of str to (kh, kw) array_like
        Title → kernel, one row each.
    decades : float, optional
        Powers of ten shown in the spectra.

    Returns
    -------
    (Figure, (rows, 4) ndarray of Axes)
        Per row: image spectrum, gain, result spectrum, result.

    Examples
    --------
    >>> fig, axes = show_filtering(np.eye(16), {"box": np.ones((3, 3))})
    >>> axes.shape
    (1, 4)
    >>> plt.close(fig)
    """
    picture = as_image(image)
    items = _kernel_items(kernels)
    limit = positive_number(decades, "decades")
    rows = len(items)
    with styled():
        fig, grid = _panel_grid(rows, 4, (0.55, 0.45), (0.8, 0.95))
        spectrum = np.fft.fftshift(np.fft.fft2(picture))
        for row, (name, kernel) in enumerate(items):
            response = frequency_response(kernel, picture.shape).response
            axes = grid[row]
            draw_spectrum(
                axes[0], picture, title="image spectrum", role="input", decades=limit
            )
            draw_gain(axes[1], kernel, picture.shape, title=f"{name}: gain")
            product = _log_amplitude(spectrum * response, limit)
            _frequency_panel(
                axes[2],
                product,
                Normalize(-limit, 0.0),
                labels=False,
                title="product",
                role="output",
            )
            result = correlate2d(
                picture, kernel, padding="same", border="wrap", method="fft"
            )
            signed = bool(result.min() < 0)
            draw_image(
                axes[3],
                result,
                title="result",
                role="output",
                interpolation="screen",
                cmap=DIVERGING if signed else None,
                norm=signed_norm(result, percentile=99.5) if signed else None,
            )
            axes[3].title.set_fontsize(_TITLE_SIZE)
            for ax in axes[1:3]:
                ax.tick_params(labelleft=False)
            for gap, symbol in enumerate(("×", "=", "→")):
                left = axes[gap].get_position()
                right = axes[gap + 1].get_position()
                middle = ((left.x1 + right.x0) / 2, (left.y0 + left.y1) / 2)
                add_operator(fig, middle, symbol)
        return fig, grid
