"""Plain loop references, kept simple on purpose: the tests compare with them.

Each is the textbook double loop over the output (d2l's ``corr2d`` style),
sharing no code with the fast paths it checks except :func:`convdemo.ops.pad`
and the pair check of :mod:`convdemo._validate`.
"""

from __future__ import annotations

import math
from typing import TypeAlias

import numpy as np
import numpy.typing as npt

from convdemo._geometry import Padding, pad
from convdemo._validate import as_pair

__all__ = ["correlate2d_loop", "pool2d_loop"]

FloatArray: TypeAlias = npt.NDArray[np.float64]
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
