"""What a kernel does to each frequency: its transfer function.

A correlation slides the same weights over every position, so a pure wave
(a pattern ``exp(2πi(f_r·m + f_c·n))``) comes out as the same wave, only
scaled and shifted by a complex number that depends on the frequency:
the kernel's *transfer function*, or frequency response
(:func:`frequency_response`). A blur keeps low frequencies and damps high
ones (low-pass); an edge filter does the opposite (high-pass).

The same fact, read the other way round, is the convolution theorem:
correlating is multiplying the discrete Fourier transforms, which is how
``correlate2d(..., method="fft")`` computes it (``convdemo._routes``).

:func:`zone_plate` draws the test pattern of the frequency plane: rings
whose frequency grows steadily outwards, so that what a filter or a
subsampling does to each frequency is seen at a glance.

Everything here is pure NumPy.
"""

from __future__ import annotations

from typing import NamedTuple, TypeAlias

import numpy as np
import numpy.typing as npt

from convdemo._validate import FloatArray, as_image, as_shape, positive_int

__all__ = [
    "FFT_MIN_OUTPUT",
    "FFT_MIN_TAPS",
    "FrequencyResponse",
    "frequency_response",
    "zone_plate",
]

ComplexArray: TypeAlias = npt.NDArray[np.complex128]

# The FFT route costs about the same whatever the kernel; the direct one
# grows with the taps and shrinks with the stride. `auto` takes the FFT once
# the taps per output cell, kh·kw / (s_r·s_c), reach FFT_MIN_TAPS, on
# outputs of at least FFT_MIN_OUTPUT cells (below that both take well under
# a millisecond, and the direct route keeps integer results exact).
# Measured with benchmarks/bench_fft.py (best of 9, 'valid', stride 1, on a
# shared 2-core x86-64 machine, numpy 2.4.6, OpenBLAS 0.3.31): FFT time over
# direct time for 4 × 4 / 5 × 5 / 7 × 7 kernels was 0.44 / 0.37 / 0.25 on
# 64 × 64 images, 0.99 / 0.83 / 0.60 on 256 × 256, 1.53 / 0.34 / 0.30 on
# 512 × 512 and 0.52 / 0.56 / 0.33 on 1024 × 1024; 3 × 3 kernels stay
# direct (the FFT took 1.7 to 4.6 times as long). 4 × 4 is the borderline
# (faster by FFT in most runs, up to 1.5 times slower in others); from 5 × 5
# on the FFT was faster in every run, hence 25.
FFT_MIN_TAPS = 25
"""Taps per output pixel from which ``correlate2d(..., method="auto")`` uses the FFT."""
FFT_MIN_OUTPUT = 64 * 64
"""Output pixels below which ``method="auto"`` never uses the FFT."""


class FrequencyResponse(NamedTuple):
    """A kernel's transfer function on a grid of frequencies, zero in the middle.

    Attributes
    ----------
    response : (M, N) ndarray, complex128
        ``response[a, b]`` multiplies the wave of frequency
        ``(row_frequencies[a], col_frequencies[b])``.
    row_frequencies : (M,) ndarray
        Vertical frequencies in cycles per pixel, increasing from −0.5
        (``numpy.fft.fftshift(numpy.fft.fftfreq(M))``).
    col_frequencies : (N,) ndarray
        Horizontal frequencies in cycles per pixel, likewise.

    Examples
    --------
    >>> box = frequency_response(np.ones((1, 3)), (1, 6))
    >>> box.col_frequencies
    array([-0.5       , -0.33333333, -0.16666667,  0.        ,  0.16666667,
            0.33333333])
    >>> box.gain.round(12)
    array([[1., 0., 2., 3., 2., 0.]])
    """

    response: ComplexArray
    row_frequencies: FloatArray
    col_frequencies: FloatArray

    @property
    def gain(self) -> FloatArray:
        """``|response|``: how much each frequency is amplified (1 keeps it)."""
        gain: FloatArray = np.abs(self.response)
        return gain


def frequency_response(
    kernel: npt.ArrayLike, shape: tuple[int, int]
) -> FrequencyResponse:
    """Return the transfer function of correlating with `kernel`, centred.

    Parameters
    ----------
    kernel : (kh, kw) array_like
        The filter weights, as given to :func:`convdemo.ops.correlate2d`.
    shape : (int, int)
        ``(M, N)``, the grid of frequencies: multiples of 1/M and 1/N cycles
        per pixel. Each side must be at least the kernel's.

    Returns
    -------
    FrequencyResponse
        ``response[a, b] = Σ_{u, v} kernel[u, v] ·
        exp(2πi (f_a (u − c_r) + f_b (v − c_c)))`` with ``(c_r, c_c) =
        ((kh − 1) // 2, (kw − 1) // 2)``, the kernel's centre as
        ``padding='same'`` places it, and the frequencies in increasing
        order with 0 at index ``(M // 2, N // 2)``.

    Raises
    ------
    ValueError
        If `shape` is smaller than the kernel along an axis.

    Notes
    -----
    For every frequency on the grid,
    ``correlate2d(wave, kernel, padding='same', border='wrap') ==
    response · wave``: an M × N image that repeats periodically holds only
    these frequencies, and each comes out multiplied by its value here. The
    grid is ``numpy.fft.fftshift`` of ``conj(numpy.fft.fft2(k))``, where
    ``k`` is the kernel laid on an M × N array of zeros with its centre on
    cell (0, 0) (wrapping round): correlation is convolution with the kernel
    turned round, which conjugates the transform of a real kernel. The gain
    ``|response|`` is the same for :func:`~convdemo.ops.convolve2d`.

    A symmetric kernel (box blur, Gaussian, Laplacian) has a real response;
    an antisymmetric one (Prewitt, Sobel) an imaginary one. Along an axis of
    length ``k`` of ones, the gain at frequency ``f`` is
    ``|sin(πkf) / sin(πf)|``, ``k`` at ``f = 0``.

    See Also
    --------
    numpy.fft.fft2 : the transform used.
    convdemo.ops.correlate2d : ``method='fft'`` multiplies transforms too.

    Examples
    --------
    The 3 × 3 box blur keeps the mean (9 × it, unnormalised) and removes the
    waves of period 3 pixels entirely; the vertical-edge filter ignores the
    mean and keeps horizontal detail:

    >>> blur = frequency_response(np.ones((3, 3)), (6, 6))
    >>> blur.gain[3].round(12)
    array([3., 0., 6., 9., 6., 0.])
    >>> vertical = [[1, 0, -1]] * 3
    >>> edges = frequency_response(vertical, (6, 6))
    >>> edges.gain[3].round(3)
    array([0.   , 5.196, 5.196, 0.   , 5.196, 5.196])
    """
    weights = as_image(kernel, "kernel")
    rows, cols = as_shape(shape, "shape")
    kh, kw = weights.shape
    if rows < kh or cols < kw:
        raise ValueError(
            f"`shape` must be at least the kernel's shape {weights.shape} on "
            f"each axis, got {(rows, cols)}"
        )
    placed = np.zeros((rows, cols))
    # Tap (u, v) sits at offset (u − c_r, v − c_c) from the centre, wrapped.
    offsets_r = (np.arange(kh) - (kh - 1) // 2) % rows
    offsets_c = (np.arange(kw) - (kw - 1) // 2) % cols
    placed[np.ix_(offsets_r, offsets_c)] = weights
    response: ComplexArray = np.fft.fftshift(np.conj(np.fft.fft2(placed)))
    return FrequencyResponse(
        response,
        np.fft.fftshift(np.fft.fftfreq(rows)),
        np.fft.fftshift(np.fft.fftfreq(cols)),
    )


def zone_plate(size: int = 256) -> FloatArray:
    """Return a zone plate: rings whose frequency grows linearly outwards.

    Parameters
    ----------
    size : int, optional
        Side of the square image, in pixels (at least 2).

    Returns
    -------
    (size, size) ndarray, float64
        ``(1 + cos(π r² / size)) / 2`` with `r` the distance in pixels from
        the centre ``((size − 1) / 2, (size − 1) / 2)``, inside the circle
        ``r ≤ size / 2``; 0.5 (flat grey) outside it, where the rings would
        be finer than the pixels. Values in [0, 1], white at the centre.

    Notes
    -----
    The phase ``π r² / size`` changes by ``2π r / size`` per pixel at
    radius `r`, so the local frequency there is ``r / size`` cycles per
    pixel, pointing away from the centre: 0 at the centre, 1/4 halfway to
    the middle of an edge and 1/2, the finest the pixel grid holds, on the
    circle that touches the edges. Keeping every second pixel can only hold
    up to 1/4; the rings beyond fold back as false rings (aliasing).

    Examples
    --------
    >>> plate = zone_plate(8)
    >>> plate.shape, float(plate.max()) <= 1.0, float(plate.min()) >= 0.0
    ((8, 8), True, True)
    >>> bool(np.allclose(plate, plate.T) and np.allclose(plate, plate[::-1]))
    True
    >>> float(plate[0, 0])  # a corner, outside the circle
    0.5
    """
    side = _validate_size(size)
    centre = (side - 1) / 2
    rows, cols = np.indices((side, side)) - centre
    squared = rows**2 + cols**2
    rings = (1.0 + np.cos(np.pi * squared / side)) / 2.0
    plate: FloatArray = np.where(squared <= (side / 2) ** 2, rings, 0.5)
    return plate


def _validate_size(size: object) -> int:
    """Check a zone plate's side: an integer of at least 2."""
    side = positive_int(size, "size")
    if side < 2:
        raise ValueError(f"`size` must be at least 2, got {side}")
    return side
