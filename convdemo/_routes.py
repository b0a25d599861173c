"""The routes of :func:`convdemo.ops.correlate2d`: direct, two 1-D passes, FFT.

All three compute the same correlation of an already padded image; callers
validate and pad first (see ``convdemo.ops``).

* direct: the 2-D sum of :func:`convdemo._correlate.correlate_padded`;
* separable: for a rank-1 kernel ``column ⊗ row``, a pass with the column,
  then a pass with the row (:func:`correlate_separable`);
* fft: multiply the Fourier transforms (:func:`correlate_fft`).

``method="auto"`` picks with :func:`choose_method`, from the crossovers
measured by ``benchmarks/bench_fft.py`` (which reprints them on the machine
at hand): :data:`convdemo.frequency.FFT_MIN_TAPS` and
:data:`convdemo.separable.SEPARABLE_MIN_TAPS` with their neighbours.
"""

from __future__ import annotations

import numpy as np

from convdemo._correlate import Correlation, correlate_padded
from convdemo._validate import FloatArray
from convdemo.frequency import FFT_MIN_OUTPUT, FFT_MIN_TAPS
from convdemo.separable import SEPARABLE_MAX_TAPS, SEPARABLE_MIN_TAPS, separate

__all__ = [
    "METHODS",
    "SEPARABLE_TOL",
    "choose_method",
    "correlate_fft",
    "correlate_routed",
    "correlate_separable",
]


METHODS = ("auto", "direct", "separable", "fft")
"""The values of ``method=`` in :func:`convdemo.ops.correlate2d`."""

# The rank-1 test of the two-pass route: the second singular value at most
# this much of the first. Tighter than separate()'s default, so that the
# factors reproduce the kernel, and the two passes the 2-D sum, to rounding.
SEPARABLE_TOL = 1e-14

# Elements of one band's transform in the FFT route: bounds its memory.
_FFT_BAND = 1 << 15


def _fast_length(n: int) -> int:
    """Return the smallest m ≥ n whose only prime factors are 2, 3 and 5."""
    m = n
    while True:
        rest = m
        for prime in (2, 3, 5):
            while rest % prime == 0:
                rest //= prime
        if rest == 1:
            return m
        m += 1


def correlate_fft(job: Correlation) -> None:
    """Write the correlation of ``job.padded`` into ``job.out``, by FFT.

    The kernel is dilated (zeros between its taps) and transformed once;
    the image goes through in bands of rows (overlap-save): each band is
    transformed, multiplied by the kernel's transform, conjugated
    (correlation, not convolution), and transformed back. A band of L rows
    gives L − e + 1 valid rows for a kernel spanning e rows, since the
    circular correlation wraps round only past them; consecutive bands
    overlap by e − 1 rows. The stride then keeps every s-th row and column.
    Memory stays within the output and two band-sized transforms.
    """
    padded, kernel, (sr, sc), (dr, dc), out = job
    kh, kw = kernel.shape
    span = dr * (kh - 1) + 1
    dilated = np.zeros((span, dc * (kw - 1) + 1))
    dilated[::dr, ::dc] = kernel
    rows, width = padded.shape
    oh, ow = out.shape
    wanted = (oh - 1) * sr + 1  # stride-1 rows from the first to the last kept
    band_width = _fast_length(width)
    band_rows = max(2 * span, span - 1 + sr, _FFT_BAND // band_width)
    if band_rows >= rows:
        band_rows, step = _fast_length(rows), wanted
    else:
        band_rows = _fast_length(band_rows)
        step = (band_rows - span + 1) // sr * sr
    size = (band_rows, band_width)
    transform = np.fft.rfft2(dilated, s=size)
    np.conjugate(transform, out=transform)
    for first in range(0, wanted, step):
        band = np.fft.rfft2(padded[first : first + band_rows], s=size)
        band *= transform
        full = np.fft.irfft2(band, s=size)
        last = min(first + step, wanted)
        out[first // sr : (last - 1) // sr + 1] = full[
            : last - first : sr, : (ow - 1) * sc + 1 : sc
        ]


def correlate_separable(job: Correlation, column: FloatArray, row: FloatArray) -> None:
    """Write the correlation with ``column ⊗ row`` into ``job.out``, in two passes.

    ``job.kernel`` is their product. The column pass runs down every column
    of ``job.padded``, keeping only the output rows (its stride is the row
    stride); the row pass runs along the result. Each is a one-dimensional
    kernel for the direct route.
    """
    padded, _, (sr, sc), (dr, dc), out = job
    between = np.empty((out.shape[0], padded.shape[1]))
    correlate_padded(
        Correlation(padded, column[:, np.newaxis], (sr, 1), (dr, 1), between)
    )
    correlate_padded(Correlation(between, row[np.newaxis, :], (1, sc), (1, dc), out))


def choose_method(
    kernel: FloatArray, output_shape: tuple[int, int], stride: tuple[int, int]
) -> str:
    """Return the route `auto` takes: 'fft', 'separable' or 'direct'."""
    kh, kw = kernel.shape
    if (
        kh * kw >= SEPARABLE_MIN_TAPS
        and kh + kw <= SEPARABLE_MAX_TAPS
        and min(kh, kw) > 1
        and separate(kernel, tol=SEPARABLE_TOL) is not None
    ):
        return "separable"
    per_cell = kh * kw / (stride[0] * stride[1])
    if per_cell >= FFT_MIN_TAPS and output_shape[0] * output_shape[1] >= FFT_MIN_OUTPUT:
        return "fft"
    return "direct"


def correlate_routed(job: Correlation, method: str) -> None:
    """Write the correlation into ``job.out`` by `method` (one of :data:`METHODS`).

    'separable' with a kernel that is not rank 1 raises ``ValueError``.
    """
    kernel, out = job.kernel, job.out
    if method == "auto":
        method = choose_method(kernel, (out.shape[0], out.shape[1]), job.stride)
    if method == "fft":
        correlate_fft(job)
    elif method == "separable":
        factors = separate(kernel, tol=SEPARABLE_TOL)
        if factors is None:
            raise ValueError(
                "`method` 'separable' needs a kernel of rank 1 (a column times "
                f"a row), got a kernel of shape {kernel.shape} that is not"
            )
        correlate_separable(job, *factors)
    else:
        correlate_padded(job)
