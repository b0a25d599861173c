"""The fast paths of :func:`convdemo.ops.correlate2d`, on validated arrays.

:func:`correlate_padded` picks one of two exact methods: small kernels add
one shifted, strided slice of the image per tap; kernels with many taps
become a product with a banded (Toeplitz) matrix, so that BLAS does the
arithmetic. Neither builds an (H'·W'·kh·kw) array. Callers validate and pad
first (see ``convdemo.ops``); nothing here checks its arguments.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from convdemo._validate import FloatArray

__all__ = ["BLAS_WORK", "Correlation", "correlate_padded"]


# Kernels with at least this many taps use the block Toeplitz matrix product;
# smaller ones accumulate shifted slices.
_MATMUL_MIN_TAPS = 16
# Output columns per block of the Toeplitz product.
_MATMUL_BLOCK = 32
# Elements of work buffer per row chunk: small enough to stay in cache (shifted
# slices) or to bound the temporary copies (matrix product).
_SLICE_CHUNK = 1 << 16
_MATMUL_CHUNK = 1 << 20
# The most multiply-adds of a matrix product that OpenBLAS runs on a single
# thread (here and in convdemo._stack).
BLAS_WORK = 1 << 18


class Correlation(NamedTuple):
    """One correlation to compute: the arrays and steps every route takes.

    `padded` is the image with its padding already added; the result, of the
    output's shape, is written into `out`.
    """

    padded: FloatArray
    kernel: FloatArray
    stride: tuple[int, int]
    dilation: tuple[int, int]
    out: FloatArray


def _correlate_slices(job: Correlation, *, accumulate: bool) -> None:
    """Write (or add) the correlation into ``job.out``, one kernel tap at a time.

    Each tap multiplies a shifted, strided slice of `padded` by its weight.
    The work goes in chunks of output rows small enough to stay in cache;
    memory use is the output plus one chunk.
    """
    padded, kernel, (sr, sc), (dr, dc), out = job
    oh, ow = out.shape
    rows_per_chunk = max(1, _SLICE_CHUNK // ow)
    buffer = np.empty((min(rows_per_chunk, oh), ow))
    taps = [(u, v) for u, v in np.ndindex(kernel.shape) if kernel[u, v] != 0.0]
    if not taps and not accumulate:
        out.fill(0.0)
    for r0 in range(0, oh, rows_per_chunk):
        r1 = min(oh, r0 + rows_per_chunk)
        target = out[r0:r1]
        scratch = buffer[: r1 - r0]
        for number, (u, v) in enumerate(taps):
            top = r0 * sr + u * dr
            view = padded[
                top : top + (r1 - r0 - 1) * sr + 1 : sr,
                v * dc : v * dc + (ow - 1) * sc + 1 : sc,
            ]
            if number == 0 and not accumulate:
                np.multiply(view, kernel[u, v], out=target)
            else:
                np.multiply(view, kernel[u, v], out=scratch)
                target += scratch


def _correlate_matmul(job: Correlation, *, accumulate: bool) -> None:
    """Write (or add) the correlation into ``job.out``: a Toeplitz matrix product.

    Each block of ``B`` neighbouring outputs in a row reads a strip of
    ``(kh, (B − 1)·sc + d(kw − 1) + 1)`` input cells; flattening the strip
    turns the block into one row-by-matrix product with a banded matrix that
    holds the kernel once per output. BLAS then does the arithmetic. Only a
    chunk of strips is copied at a time, and columns left over after the last
    full block go through :func:`_correlate_slices`.
    """
    padded, kernel, (sr, sc), (dr, dc), out = job
    oh, ow = out.shape
    kh, kw = kernel.shape
    block = _MATMUL_BLOCK
    blocks = ow // block
    span_h = dr * (kh - 1) + 1
    strip = (block - 1) * sc + dc * (kw - 1) + 1
    if blocks:
        toeplitz = np.zeros((kh, strip, block))
        columns = np.arange(kw) * dc
        for b in range(block):
            toeplitz[:, b * sc + columns, b] = kernel
        matrix = toeplitz.reshape(kh * strip, block)
        # Copied strips per chunk: at most _MATMUL_CHUNK elements, and no
        # more than the output holds, so small images stay small in memory.
        budget = min(_MATMUL_CHUNK, max(out.size, 1 << 12))
        rows_per_chunk = max(1, budget // (blocks * kh * strip))
        for r0 in range(0, oh, rows_per_chunk):
            r1 = min(oh, r0 + rows_per_chunk)
            rows = padded[r0 * sr : (r1 - 1) * sr + span_h]
            windows = sliding_window_view(rows, (span_h, strip))
            windows = windows[::sr, : blocks * block * sc : block * sc, ::dr, :]
            strips = windows.reshape((r1 - r0) * blocks, kh * strip)
            product = _small_products(strips, matrix).reshape(r1 - r0, blocks * block)
            if accumulate:
                out[r0:r1, : blocks * block] += product
            else:
                out[r0:r1, : blocks * block] = product
    if blocks * block < ow:
        rest = job._replace(
            padded=padded[:, blocks * block * sc :], out=out[:, blocks * block :]
        )
        _correlate_slices(rest, accumulate=accumulate)


def _small_products(strips: FloatArray, matrix: FloatArray) -> FloatArray:
    """Return ``strips @ matrix``, computed as a stack of small products.

    Each product in the stack stays below the size at which OpenBLAS starts
    extra threads (m·n·k ≤ ``BLAS_WORK``, 2¹⁸). On a busy machine, threads
    that wait for a free core slow a product down many times over; one
    thread per product keeps the time predictable, and NumPy loops over the
    stack in C.
    """
    count, inner = strips.shape
    batch = max(1, BLAS_WORK // (inner * matrix.shape[1]))
    whole = count - count % batch
    product = np.empty((count, matrix.shape[1]))
    if whole:
        np.matmul(
            strips[:whole].reshape(-1, batch, inner),
            matrix,
            out=product[:whole].reshape(-1, batch, matrix.shape[1]),
        )
    if whole < count:
        np.matmul(strips[whole:], matrix, out=product[whole:])
    return product


def correlate_padded(job: Correlation, *, accumulate: bool = False) -> None:
    """Write the correlation of an already padded image into ``job.out``.

    With `accumulate`, add it to what ``job.out`` holds instead.
    """
    if job.kernel.size >= _MATMUL_MIN_TAPS and job.out.shape[1] >= _MATMUL_BLOCK:
        _correlate_matmul(job, accumulate=accumulate)
    else:
        _correlate_slices(job, accumulate=accumulate)
