"""Plain loop references, kept simple on purpose: the tests compare with them.

Each is the textbook double loop (d2l's ``corr2d`` and ``trans_conv``
style), sharing no code with the fast paths it checks except
:func:`convdemo.ops.pad` and the checks of :mod:`convdemo._validate`. The
gradient loops walk the step iterators, :func:`convdemo.ops.sliding_windows`
and :func:`convdemo.pooling.pool_windows`, one window at a time, where the
backward passes of :mod:`convdemo.backward` sum whole arrays per kernel tap.
"""

from __future__ import annotations

import math
from typing import Any, TypeAlias

import numpy as np
import numpy.typing as npt

from convdemo._geometry import Padding, pad
from convdemo._validate import FloatArray, as_pair, nonnegative_pair
from convdemo.ops import sliding_windows
from convdemo.pooling import pool_windows

__all__ = [
    "conv_transpose2d_loop",
    "correlate2d_backward_loop",
    "correlate2d_loop",
    "pool2d_backward_loop",
    "pool2d_loop",
]

# One number for both axes, or one per axis.
Pair: TypeAlias = int | tuple[int, int]


def correlate2d_loop(
    image: npt.ArrayLike,
    kernel: npt.ArrayLike,
    *,
    padding: Padding = "valid",
    border: str = "zeros",
    stride: Pair = 1,
    dilation: Pair = 1,
) -> FloatArray:
    """Cross-correlate with a plain double loop over the output (reference)."""
    X = np.asarray(image, dtype=np.float64)
    K = np.asarray(kernel, dtype=np.float64)
    sr, sc = as_pair(stride, "stride")
    dr, dc = as_pair(dilation, "dilation")
    P = pad(X, padding, border=border, kernel_shape=K.shape, dilation=(dr, dc))
    h = dr * (K.shape[0] - 1) + 1
    w = dc * (K.shape[1] - 1) + 1
    Y = np.zeros(((P.shape[0] - h) // sr + 1, (P.shape[1] - w) // sc + 1))
    for i in range(Y.shape[0]):
        for j in range(Y.shape[1]):
            window = P[i * sr : i * sr + h : dr, j * sc : j * sc + w : dc]
            Y[i, j] = (window * K).sum()
    return Y


def pool2d_loop(
    image: npt.ArrayLike,
    size: Pair = 2,
    *,
    stride: Pair | None = None,
    mode: str = "max",
    p: float = 2,
    padding: Pair = 0,
    ceil_mode: bool = False,
    count_include_pad: bool = False,
) -> FloatArray:
    """Pool with a plain double loop over the output (reference).

    Each window is clipped to the image, so padding never enters a value;
    with `count_include_pad` an average divides by the window's cells within
    the padded input instead (PyTorch's ``AvgPool2d`` formula).
    """
    X = np.asarray(image, dtype=np.float64)
    kh, kw = as_pair(size, "size")
    sr, sc = (kh, kw) if stride is None else as_pair(stride, "stride")
    pr, pc = (padding, padding) if isinstance(padding, int) else padding
    power = 2.0 if mode == "l2" else float(p)

    def count(n: int, k: int, s: int, q: int) -> int:
        if ceil_mode:
            windows = math.ceil((n + 2 * q - k) / s) + 1
            return windows - 1 if (windows - 1) * s >= n + q else windows
        return (n + 2 * q - k) // s + 1

    Y = np.zeros((count(X.shape[0], kh, sr, pr), count(X.shape[1], kw, sc, pc)))
    for i in range(Y.shape[0]):
        for j in range(Y.shape[1]):
            r0, c0 = i * sr - pr, j * sc - pc
            window = X[max(r0, 0) : r0 + kh, max(c0, 0) : c0 + kw]
            if mode == "max":
                Y[i, j] = window.max()
            elif mode == "min":
                Y[i, j] = window.min()
            elif mode == "avg" and count_include_pad:
                rows = min(r0 + kh, X.shape[0] + pr) - r0
                cols = min(c0 + kw, X.shape[1] + pc) - c0
                Y[i, j] = window.sum() / (rows * cols)
            elif mode == "avg":
                Y[i, j] = window.mean()
            else:
                Y[i, j] = (np.abs(window) ** power).sum() ** (1.0 / power)
    return Y


def conv_transpose2d_loop(
    image: npt.ArrayLike,
    kernel: npt.ArrayLike,
    *,
    stride: int | tuple[int, int] = 1,
    padding: int | tuple[int, int] = 0,
    output_padding: int | tuple[int, int] = 0,
    dilation: int | tuple[int, int] = 1,
) -> FloatArray:
    """Transposed convolution with a plain double loop over the input (reference).

    d2l's ``trans_conv``: each input pixel adds the kernel, scaled by its
    value, at its place in a large enough canvas; crop `padding` at the end.
    """
    X = np.asarray(image, dtype=np.float64)
    K = np.asarray(kernel, dtype=np.float64)
    sr, sc = as_pair(stride, "stride")
    dr, dc = as_pair(dilation, "dilation")
    pr, pc = nonnegative_pair(padding, "padding")
    er, ec = nonnegative_pair(output_padding, "output_padding")
    h = dr * (K.shape[0] - 1) + 1
    w = dc * (K.shape[1] - 1) + 1
    Y = np.zeros(((X.shape[0] - 1) * sr + h + er, (X.shape[1] - 1) * sc + w + ec))
    for i in range(X.shape[0]):
        for j in range(X.shape[1]):
            Y[i * sr : i * sr + h : dr, j * sc : j * sc + w : dc] += X[i, j] * K
    return Y[pr : Y.shape[0] - pr, pc : Y.shape[1] - pc]


def correlate2d_backward_loop(
    grad_output: npt.ArrayLike,
    image: npt.ArrayLike,
    kernel: npt.ArrayLike,
    **options: Any,
) -> tuple[FloatArray, FloatArray]:
    """Correlation gradients with a plain loop over the windows (reference).

    Each window sends ``grad · kernel`` back onto the padded cells it read
    and adds ``grad · window`` to the kernel gradient; then each padded cell
    hands its gradient to the image pixel it copies.
    """
    G = np.asarray(grad_output, dtype=np.float64)
    X = np.asarray(image, dtype=np.float64)
    K = np.asarray(kernel, dtype=np.float64)
    border = options.get("border", "zeros")
    padding = options.get("padding", "valid")
    dilation = options.get("dilation", 1)
    # Which pixel each padded cell copies: pad the numbers 1 … H·W (0 = zero).
    numbers = np.arange(1, X.size + 1).reshape(X.shape)
    source = pad(
        numbers, padding, border=border, kernel_shape=K.shape, dilation=dilation
    )
    grad_padded = np.zeros(source.shape)
    grad_kernel = np.zeros(K.shape)
    for step in sliding_windows(X, K, **options):
        i, j = step.position
        grad_padded[np.ix_(step.rows, step.cols)] += G[i, j] * K
        grad_kernel += G[i, j] * step.window
    grad_image = np.zeros(X.size)
    for (r, c), number in np.ndenumerate(source):
        if number > 0:
            grad_image[int(number) - 1] += grad_padded[r, c]
    return grad_image.reshape(X.shape), grad_kernel


def pool2d_backward_loop(
    grad_output: npt.ArrayLike, image: npt.ArrayLike, size: Any = 2, **options: Any
) -> FloatArray:
    """Pooling gradient with a plain loop over the windows (reference).

    Uses :func:`~convdemo.ops.pool_windows`: max/min send the gradient to
    ``step.pick``; avg shares it among the real cells (dividing by the cells
    within the padded input with ``count_include_pad=True``); lp applies the
    derivative of the norm to each real cell.
    """
    G = np.asarray(grad_output, dtype=np.float64)
    X = np.asarray(image, dtype=np.float64)
    options = dict(options)
    include = options.pop("count_include_pad", False)
    mode = options.get("mode", "max")
    power = 2.0 if mode == "l2" else float(options.get("p", 2))
    padding = options.get("padding", 0)
    pr, pc = (padding, padding) if isinstance(padding, int) else padding
    grad = np.zeros(X.shape)
    for step in pool_windows(X, size, **options):
        g = G[step.position]
        # Cells counted by an average: the real ones, or all those within the
        # padded input (rows and columns before X.shape + 2·padding).
        inside = np.outer(
            step.rows < X.shape[0] + 2 * pr, step.cols < X.shape[1] + 2 * pc
        )
        count = inside.sum() if include else step.valid.sum()
        for u, v in zip(*np.nonzero(step.valid), strict=True):
            r, c = step.rows[u] - pr, step.cols[v] - pc
            if mode in ("max", "min"):
                grad[r, c] += g if (u, v) == step.pick else 0.0
            elif mode == "avg":
                grad[r, c] += g / count
            elif step.value > 0 and X[r, c] != 0:
                slope = abs(X[r, c]) ** (power - 1) * np.sign(X[r, c])
                grad[r, c] += g * slope * step.value ** (1 - power)
    return grad
