"""Pooling: summarise each window of a feature map by one number.

:func:`pool2d` pools small windows, :func:`global_pool` a whole map, and
:func:`pool_output_shape` gives the output shape without computing it.
:func:`pool_windows` replays :func:`pool2d` one output cell at a time, for
figures, animations and worked examples. Every function validates its
arguments first (see :mod:`convdemo._validate`) and returns float64 values.
The plain double-loop reference the tests compare with is
``convdemo._reference.pool2d_loop``.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from typing import Any, NamedTuple, TypedDict

import numpy as np
import numpy.typing as npt

from convdemo._finite import (
    all_finite,
    binary_exponent,
    largest_magnitude,
    overflow_error,
    require_finite,
)
from convdemo._validate import (
    FloatArray,
    as_flag,
    as_image,
    as_pair,
    as_shape,
    check_padded,
    nonnegative_pair,
    one_of,
    positive_number,
)

__all__ = [
    "POOL_MODES",
    "PoolOptions",
    "PoolingStep",
    "global_pool",
    "pool2d",
    "pool_output_shape",
    "pool_windows",
]


POOL_MODES = ("max", "avg", "min", "l2", "lp")
"""The reductions :func:`pool2d` applies to each window."""


class PoolOptions(TypedDict, total=False):
    """The keyword options of :func:`pool2d`, for functions that pass them on.

    ``stride``, ``mode``, ``p``, ``padding`` and ``ceil_mode``, with the
    meanings and defaults of :func:`pool2d`.
    """

    stride: int | tuple[int, int] | None
    mode: str
    p: float
    padding: int | tuple[int, int]
    ceil_mode: bool


class _PoolPlan(NamedTuple):
    """Validated arguments of a pooling."""

    image: FloatArray
    size: tuple[int, int]
    stride: tuple[int, int]
    mode: str
    p: float
    padding: tuple[int, int]
    shape: tuple[int, int]
    count_include_pad: bool


def _pool_axis(n: int, k: int, s: int, pad_: int, ceil_mode: bool) -> int:
    """Return the number of pooling windows along one axis (PyTorch's rule)."""
    if k > n + 2 * pad_:
        raise ValueError(
            f"`size` {k} is larger than the padded input ({n} + 2·{pad_} cells)"
        )
    span = n + 2 * pad_ - k
    count = (-(-span // s) if ceil_mode else span // s) + 1
    # In ceil mode the last window must start inside the image or its left
    # padding, never in the right padding alone.
    if ceil_mode and (count - 1) * s >= n + pad_:
        count -= 1
    return count


def _pool_arguments(
    shape: tuple[int, int],
    size: int | tuple[int, int],
    stride: int | tuple[int, int] | None,
    padding: int | tuple[int, int],
    ceil_mode: bool,
) -> tuple[tuple[int, int], tuple[int, int], tuple[int, int], tuple[int, int]]:
    """Validate size, stride and padding; return them with the output shape."""
    sizes = as_pair(size, "size")
    strides = sizes if stride is None else as_pair(stride, "stride")
    pads = nonnegative_pair(padding, "padding")
    if pads[0] > sizes[0] // 2 or pads[1] > sizes[1] // 2:
        raise ValueError(
            f"`padding` must be at most half the pool size ({sizes[0] // 2}, "
            f"{sizes[1] // 2}) for `size` {sizes}, got {pads}"
        )
    ceil = as_flag(ceil_mode, "ceil_mode")
    out = (
        _pool_axis(shape[0], sizes[0], strides[0], pads[0], ceil),
        _pool_axis(shape[1], sizes[1], strides[1], pads[1], ceil),
    )
    return sizes, strides, pads, out


def _reduction(mode: Any, p: Any) -> tuple[str, float]:
    """Validate a pooling's `mode` and `p`; return them, with ``p = 2`` for ``'l2'``."""
    mode = one_of(mode, "mode", POOL_MODES)
    power = positive_number(p, "p")
    return mode, 2.0 if mode == "l2" else power


def extent(
    shape: tuple[int, int],
    size: tuple[int, int],
    stride: tuple[int, int],
    padding: tuple[int, int],
    out: tuple[int, int],
) -> tuple[tuple[int, int], tuple[int, int]]:
    """Return the cells the windows need around the input.

    ``((top, bottom), (left, right))``: the padding on top and left; at the
    bottom and right, enough for the last window (``ceil_mode`` can reach
    past the padding).
    """
    bottom = max(0, (out[0] - 1) * stride[0] + size[0] - shape[0] - padding[0])
    right = max(0, (out[1] - 1) * stride[1] + size[1] - shape[1] - padding[1])
    return (padding[0], bottom), (padding[1], right)


def _pool_plan(
    image: npt.ArrayLike,
    size: int | tuple[int, int],
    stride: int | tuple[int, int] | None,
    mode: str,
    p: float,
    padding: int | tuple[int, int],
    ceil_mode: bool,
    count_include_pad: bool = False,
) -> _PoolPlan:
    """Validate the arguments shared by the pooling functions."""
    array = as_image(image, "image")
    mode, power = _reduction(mode, p)
    include = as_flag(count_include_pad, "count_include_pad")
    shape = (array.shape[0], array.shape[1])
    sizes, strides, pads, out = _pool_arguments(shape, size, stride, padding, ceil_mode)
    check_padded(shape, extent(shape, sizes, strides, pads, out), "padding", padding)
    return _PoolPlan(array, sizes, strides, mode, power, pads, out, include)


def pool_output_shape(
    input_shape: tuple[int, int],
    size: int | tuple[int, int] = 2,
    *,
    stride: int | tuple[int, int] | None = None,
    padding: int | tuple[int, int] = 0,
    ceil_mode: bool = False,
) -> tuple[int, int]:
    """Return the shape of a pooling's output, without computing it.

    Parameters
    ----------
    input_shape : (int, int)
        ``(H, W)``.
    size : int or (int, int), optional
        Window size.
    stride : int or (int, int), optional
        Step between windows; defaults to `size` (windows that tile).
    padding : int or (int, int), optional
        Cells added on both sides of each axis, at most ``size // 2``.
    ceil_mode : bool, optional
        Round the number of windows up instead of down.

    Returns
    -------
    (int, int)
        Per axis ⌊(n + 2p − k) / s⌋ + 1, or with `ceil_mode`
        ⌈(n + 2p − k) / s⌉ + 1 minus one if the last window would start in
        the bottom/right padding (PyTorch's rule).

    Examples
    --------
    >>> pool_output_shape((4, 4))
    (2, 2)
    >>> pool_output_shape((5, 5))
    (2, 2)
    >>> pool_output_shape((5, 5), ceil_mode=True)
    (3, 3)
    >>> pool_output_shape((5, 5), 3, stride=1, padding=1)
    (5, 5)
    """
    shape = as_shape(input_shape, "input_shape")
    return _pool_arguments(shape, size, stride, padding, ceil_mode)[3]


def window_cells(
    n: int, k: int, s: int, pad_: int, count: int, count_include_pad: bool
) -> FloatArray:
    """Return how many cells each window counts along one axis, for ``'avg'``.

    The real cells, or with `count_include_pad` the cells of the padded
    input, ``[−pad_, n + pad_)``: never the part of a ``ceil_mode`` window
    past the padding (PyTorch's rule).
    """
    starts = np.arange(count) * s - pad_
    low, high = (-pad_, n + pad_) if count_include_pad else (0, n)
    stops = np.minimum(starts + k, high)
    return (stops - np.maximum(starts, low)).astype(np.float64)


def _power_scale(peak: FloatArray, p: float) -> FloatArray:
    """Return, per window, the m of m·(Σ (|x|/m)ᵖ)^(1/p); `peak` is max |x|.

    No (|x|/m)ᵖ overflows and the largest is at least 1, so their sum never
    underflows to 0. For p ≤ 500, m is the largest power of two not above
    `peak`: the ratios stay below 2, dividing by m is exact, and the result
    is the plain formula's, bit for bit, wherever that one neither overflows
    nor underflows. For a larger p, m is `peak` itself. A window of zeros
    gets m = 1.
    """
    scale = np.where(peak > 0, peak, 1.0)
    if p <= 500:
        scale = np.ldexp(1.0, np.frexp(scale)[1] - 1)
    return np.asarray(scale, dtype=np.float64)


def reduce_windows(
    values: FloatArray,
    taps: Sequence[tuple[Any, ...]],
    mode: str,
    p: float,
    cells: FloatArray | None = None,
) -> FloatArray:
    """Pool an already padded array with one pass per window offset.

    Parameters
    ----------
    values : ndarray
        The input, padded with ``-inf`` (``'max'``), ``inf`` (``'min'``) or
        0 (the other modes), so padded cells never count.
    taps : sequence of index tuples
        For each offset within the window, the index of `values` that gives
        that offset of every window: all these views have the output's shape.
    mode : str
        One of :data:`POOL_MODES`.
    p : float
        The exponent of ``'lp'`` (2 for ``'l2'``).
    cells : ndarray, optional
        ``'avg'`` only: the number of cells each window counts, broadcast to
        the output.

    Returns
    -------
    ndarray
        The pooled values. ``'avg'`` is always finite; ``'lp'`` is infinite
        where its exact value is beyond float64.

    Notes
    -----
    ``'avg'`` sums the views as they are; where a sum overflows, it sums them
    again divided by a power of two, m·mean(x/m). ``'lp'`` computes
    (Σ |x|ᵖ)^(1/p) as it is; where the sum overflows, or falls below the
    smallest normal float although the window holds a nonzero value (10ᵖ and
    0.001ᵖ with p = 400), it computes m·(Σ (|x|/m)ᵖ)^(1/p) instead, with m
    per window (:func:`_power_scale`): the norm itself is near the largest
    |x|. Where neither happens, the two agree to rounding, so the plain form
    is kept and ordinary poolings are unchanged, bit for bit.
    """
    if mode in ("max", "min"):
        reduce = np.maximum if mode == "max" else np.minimum
        out = np.array(values[taps[0]])
        for index in taps[1:]:
            reduce(out, values[index], out=out)
        return out
    if mode == "avg":
        assert cells is not None
        out = np.array(values[taps[0]])
        with np.errstate(over="ignore", invalid="ignore"):
            for index in taps[1:]:
                out += values[index]
        out /= cells
        if not all_finite(out):
            shift = binary_exponent(values)
            scaled = reduce_windows(np.ldexp(values, -shift), taps, mode, p, cells)
            broken = ~np.isfinite(out)
            out[broken] = np.ldexp(scaled[broken], shift)
        return out
    powers = np.abs(values)
    with np.errstate(over="ignore", under="ignore", invalid="ignore"):
        if p == 2.0:
            np.multiply(powers, powers, out=powers)
        elif p != 1.0:
            np.power(powers, p, out=powers)
        out = np.array(powers[taps[0]])
        for index in taps[1:]:
            out += powers[index]
    del powers
    broken = ~np.isfinite(out)
    faint = out < np.finfo(np.float64).tiny
    if faint.any():
        # A sum of zero or near it: exact only if the window is all zeros.
        peak = reduce_windows(np.abs(values), taps, "max", p)
        broken |= faint & (peak > 0)
    if broken.any():
        out[broken] = _scaled_norms(np.abs(values), taps, p)[broken]
        out[~broken] = _root(out[~broken], p)
        return out
    return _root(out, p)


def _root(sums: FloatArray, p: float) -> FloatArray:
    """Return ``sums ** (1/p)`` in place (infinite where that overflows)."""
    with np.errstate(over="ignore"):
        if p == 2.0:
            np.sqrt(sums, out=sums)
        elif p != 1.0:
            np.power(sums, 1.0 / p, out=sums)
    return sums


def _scaled_norms(
    magnitude: FloatArray, taps: Sequence[tuple[Any, ...]], p: float
) -> FloatArray:
    """Return m·(Σ (|x|/m)ᵖ)^(1/p) per window, m from :func:`_power_scale`."""
    scale = _power_scale(reduce_windows(magnitude, taps, "max", p), p)
    out = np.zeros_like(scale)
    ratio = np.empty_like(scale)
    with np.errstate(under="ignore"):
        for index in taps:
            np.divide(magnitude[index], scale, out=ratio)
            if p == 2.0:
                np.multiply(ratio, ratio, out=ratio)
            elif p != 1.0:
                np.power(ratio, p, out=ratio)
            out += ratio
    _root(out, p)
    with np.errstate(over="ignore"):
        out *= scale
    return out


def overflow_message(image: FloatArray, mode: str, p: float) -> str:
    """Name what overflowed in a pooling: the mode, `p` and `image`'s largest value."""
    exponent = f" with `p` = {p:g}" if mode == "lp" else ""
    return (
        f"{mode!r} pooling{exponent} of `image` (largest |value| "
        f"{largest_magnitude(image):.3g})"
    )


def overflow_advice(mode: str, p: float) -> str:
    """Say what avoids an overflowing pooling: a larger `p`, or smaller values."""
    if mode == "lp" and p < 1:
        # n equal cells x have the norm n^(1/p)·x: 4^1000 for p = 0.001.
        return (
            f"with p < 1 the norm grows as n^(1/p) = n^{1 / p:.3g} for n equal "
            "cells: use a larger `p`"
        )
    return "scale the inputs down"


def pool2d(
    image: npt.ArrayLike,
    size: int | tuple[int, int] = 2,
    *,
    stride: int | tuple[int, int] | None = None,
    mode: str = "max",
    p: float = 2,
    padding: int | tuple[int, int] = 0,
    ceil_mode: bool = False,
    count_include_pad: bool = False,
) -> FloatArray:
    """Summarise each window of a 2-D image by one number.

    Parameters
    ----------
    image : (H, W), (H, W, C) or (N, H, W, C) array_like
        The feature map; with C channels (of N images, a mini-batch), each
        channel is pooled on its own.
    size : int or (int, int), optional
        Window size ``(kh, kw)``.
    stride : int or (int, int), optional
        Step between windows; defaults to `size`, so windows tile the image.
        A smaller stride makes windows overlap.
    mode : {'max', 'avg', 'min', 'l2', 'lp'}, optional
        ``'max'``/``'min'``: the largest/smallest value. ``'avg'``: the mean.
        ``'lp'``: the p-norm (Σ |x|ᵖ)^(1/p); ``'l2'`` is ``'lp'`` with p = 2.
    p : float, optional
        The exponent of ``'lp'``, > 0.
    padding : int or (int, int), optional
        Cells added on both sides of each axis, at most ``size // 2``.
    ceil_mode : bool, optional
        Keep a last, partial window when the stride does not fit exactly.
    count_include_pad : bool, optional
        ``'avg'`` only: divide by the number of cells of the window within
        the padded input, padded cells (zeros) included, as PyTorch's
        ``AvgPool2d`` does by default, instead of by the number of real
        cells (False, the default, as TensorFlow).

    Returns
    -------
    ndarray, float64
        The shape of `image` with (H, W) replaced by (H', W') from
        :func:`pool_output_shape`.

    Raises
    ------
    ValueError, TypeError
        On invalid arguments, naming the parameter; also a ``ValueError``
        if the padded input would hold more than
        :data:`~convdemo.ops.MAX_VALUES` values, or if an ``'lp'`` result
        is beyond the range of float64.

    Notes
    -----
    Padded cells (and, with `ceil_mode`, the cells of a partial window that
    fall outside) are not values: they never win ``'max'`` or ``'min'``, and
    they are left out of ``'l2'`` and ``'lp'``. ``'avg'`` divides by the
    number of real cells in the window (PyTorch's
    ``count_include_pad=False``, TensorFlow's only rule), so a border of
    zeros does not darken the edge; with `count_include_pad` the padded
    cells count as zeros, but the cells of a ``ceil_mode`` window beyond the
    padding still do not. ``'lp'`` is a norm, not a mean, as in PyTorch's
    ``LPPool2d``: it runs from the sum of |x| (p = 1) towards the largest
    |x| (p → ∞) and can exceed the maximum.

    Each mode is computed with one strided pass per window offset, e.g.
    ``np.maximum`` of the kh·kw shifted views for ``'max'``. ``'lp'`` is
    computed as m·(Σ (|x|/m)ᵖ)^(1/p), with m a power of two near the
    window's largest |x|, so a large p neither overflows nor underflows
    (p = 400 on a window of 10s gives 10.03, not inf); ``'avg'`` as
    m·mean(x/m) where the plain sum would overflow (the average of 1e308s
    is 1e308).

    See Also
    --------
    pool_windows : the same computation, one window at a time.
    global_pool : one window covering the whole image.

    Examples
    --------
    >>> x = np.array([[1, 2, 5, 6],
    ...               [3, 4, 7, 8],
    ...               [0, 0, 1, 0],
    ...               [0, 9, 0, 0]])
    >>> pool2d(x)
    array([[4., 8.],
           [9., 1.]])
    >>> pool2d(x, mode="avg")
    array([[2.5 , 6.5 ],
           [2.25, 0.25]])
    >>> pool2d(np.arange(9).reshape(3, 3), size=2, stride=1)
    array([[4., 5.],
           [7., 8.]])

    Padding in an average: the corner window of 1…9 holds 1, 2, 4 and 5,
    whose mean is 3; counting its five padded zeros (PyTorch's default)
    gives 12 / 9 = 1.33.

    >>> grid = np.arange(1, 10).reshape(3, 3)
    >>> pool2d(grid, 3, stride=2, padding=1, mode="avg")
    array([[3., 4.],
           [6., 7.]])
    >>> pool2d(grid, 3, stride=2, padding=1, mode="avg", count_include_pad=True)
    array([[1.33333333, 1.77777778],
           [2.66666667, 3.11111111]])

    Channels, and a stack of maps, are pooled one map at a time:

    >>> pool2d(np.stack([x, -x], axis=-1))[..., 1]
    array([[-1., -5.],
           [ 0.,  0.]])
    >>> pool2d(np.zeros((5, 4, 4, 3))).shape
    (5, 2, 2, 3)
    """
    # Imported here: both modules import this one.
    from convdemo._stack import as_images
    from convdemo.backward import _pool2d_stack, _pooled

    array = as_images(image)
    if array.ndim > 2:
        return _pool2d_stack(
            *_pooled(
                array, size, stride, mode, p, padding, ceil_mode, count_include_pad
            )
        )
    plan = _pool_plan(
        array, size, stride, mode, p, padding, ceil_mode, count_include_pad
    )
    return _pool_fast(plan)


def _pool_fast(plan: _PoolPlan) -> FloatArray:
    """Pool with one strided pass per window offset."""
    (h, w), (kh, kw), (sr, sc) = plan.image.shape, plan.size, plan.stride
    (pr, pc), (oh, ow) = plan.padding, plan.shape
    widths = extent((h, w), plan.size, plan.stride, plan.padding, plan.shape)
    fill = {"max": -np.inf, "min": np.inf}.get(plan.mode, 0.0)
    values = plan.image
    if widths != ((0, 0), (0, 0)):
        values = np.pad(values, widths, constant_values=fill)
    taps = [
        (slice(u, u + (oh - 1) * sr + 1, sr), slice(v, v + (ow - 1) * sc + 1, sc))
        for u in range(kh)
        for v in range(kw)
    ]
    cells = None
    if plan.mode == "avg":
        include = plan.count_include_pad
        cells = np.multiply.outer(
            window_cells(h, kh, sr, pr, oh, include),
            window_cells(w, kw, sc, pc, ow, include),
        )
    out = reduce_windows(values, taps, plan.mode, plan.p, cells)
    return require_finite(
        out,
        lambda: overflow_message(plan.image, plan.mode, plan.p),
        overflow_advice(plan.mode, plan.p),
    )


def global_pool(
    image: npt.ArrayLike, mode: str = "avg", *, p: float = 2
) -> float | FloatArray:
    """Pool a whole image (or each channel) to a single number.

    Parameters
    ----------
    image : (H, W) or (H, W, C) array_like
        The feature map, or C feature maps stacked on the last axis.
    mode : {'max', 'avg', 'min', 'l2', 'lp'}, optional
        As in :func:`pool2d`.
    p : float, optional
        The exponent of ``'lp'``, > 0.

    Returns
    -------
    float or (C,) ndarray
        A float for a 2-D image, one value per channel for a 3-D one.

    See Also
    --------
    pool2d : pooling over small windows.

    Examples
    --------
    >>> x = np.array([[1, 2], [3, 4]])
    >>> global_pool(x)
    2.5
    >>> global_pool(x, "max")
    4.0
    >>> global_pool(np.stack([x, 10 * x], axis=-1), "l2")
    array([ 5.47722558, 54.77225575])
    """
    array = as_image(image, "image", ndim=(2, 3))
    mode, power = _reduction(mode, p)
    # One window per channel: the pixels along the first axis, the channels
    # along the second.
    channels = array.reshape(array.shape[0] * array.shape[1], -1)
    if mode in ("max", "min"):
        result = channels.max(axis=0) if mode == "max" else channels.min(axis=0)
    elif mode == "avg":
        with np.errstate(over="ignore", invalid="ignore"):
            result = channels.mean(axis=0)
        if not all_finite(result):
            # m·mean(x/m), with m a power of two: see reduce_windows.
            shift = binary_exponent(channels)
            result = np.ldexp(np.ldexp(channels, -shift).mean(axis=0), shift)
    else:
        # As reduce_windows: the plain norm where its sum is exact enough,
        # else m·(Σ (|x|/m)ᵖ)^(1/p).
        magnitude = np.abs(channels)
        with np.errstate(over="ignore", under="ignore"):
            sums = (magnitude**power).sum(axis=0)
        peak = magnitude.max(axis=0)
        broken = ~np.isfinite(sums) | ((sums < np.finfo(np.float64).tiny) & (peak > 0))
        result = _root(sums, power)
        if broken.any():
            scale = _power_scale(peak, power)
            with np.errstate(over="ignore", under="ignore"):
                scaled = ((magnitude / scale) ** power).sum(axis=0)
                result[broken] = (_root(scaled, power) * scale)[broken]
    require_finite(
        result,
        lambda: overflow_message(array, mode, power),
        overflow_advice(mode, power),
    )
    if array.ndim == 2:
        return float(result[0])
    return np.asarray(result, dtype=np.float64)


class PoolingStep(NamedTuple):
    """One window of a pooling, with everything to draw and explain it.

    Attributes
    ----------
    position : (int, int)
        Output cell ``(row, col)``.
    origin : (int, int)
        Top-left cell of the window, in padded-input coordinates.
    rows, cols : (kh,) and (kw,) ndarray of int
        Padded-input row and column of each cell of the window.
    window : (kh, kw) ndarray
        Input values in the window, 0 where a cell is padding.
    pooled : (kh, kw) ndarray
        The values the window pools: `window` with NaN in padded cells.
    value : float
        The output value at `position`.
    valid : (kh, kw) ndarray of bool
        True where the cell is in the image, False where it is padding.
    pick : (int, int) or None
        ``'max'`` and ``'min'``: position inside the window of the chosen
        cell (the first in row-major order on ties). None otherwise.
    mode : str
        The pooling mode, one of :data:`POOL_MODES`.
    p : float
        The exponent of ``'lp'`` (2 for ``'l2'``).

    See Also
    --------
    pool_windows : the iterator that yields these steps.
    convdemo.ops.ConvolutionStep : one window of a correlation.

    Examples
    --------
    >>> step = next(pool_windows([[1, 5], [3, 2]]))
    >>> step.position, step.pick, step.value
    ((0, 0), (0, 1), 5.0)
    >>> step.window
    array([[1., 5.],
           [3., 2.]])
    """

    position: tuple[int, int]
    origin: tuple[int, int]
    rows: npt.NDArray[np.intp]
    cols: npt.NDArray[np.intp]
    window: FloatArray
    pooled: FloatArray
    value: float
    valid: npt.NDArray[np.bool_]
    pick: tuple[int, int] | None
    mode: str
    p: float


def _reduce_window(values: FloatArray, mode: str, p: float) -> float:
    """Pool the real values of one window (a 1-D array), as :func:`pool2d` does."""
    taps = [(slice(cell, cell + 1),) for cell in range(values.size)]
    cells = np.array(float(values.size))
    return float(reduce_windows(values, taps, mode, p, cells)[0])


def pool_windows(
    image: npt.ArrayLike,
    size: int | tuple[int, int] = 2,
    *,
    stride: int | tuple[int, int] | None = None,
    mode: str = "max",
    p: float = 2,
    padding: int | tuple[int, int] = 0,
    ceil_mode: bool = False,
) -> Iterator[PoolingStep]:
    """Yield every window of a pooling, in output order.

    Parameters
    ----------
    image : (H, W) array_like
        The feature map.
    size, stride, mode, p, padding, ceil_mode
        As in :func:`pool2d`. An ``'avg'`` step divides by its real cells,
        :func:`pool2d`'s default rule (``count_include_pad=False``).

    Yields
    ------
    PoolingStep
        One per output cell, row by row. ``window`` shows 0 in padded cells,
        ``pooled`` shows NaN there, ``value`` equals :func:`pool2d`'s output
        and, for ``'max'`` and ``'min'``, ``pick`` is the winning cell.

    Examples
    --------
    >>> x = np.array([[1, 2, 5, 6],
    ...               [3, 4, 7, 8],
    ...               [0, 0, 1, 0],
    ...               [0, 9, 0, 0]])
    >>> steps = list(pool_windows(x))
    >>> [step.value for step in steps]
    [4.0, 8.0, 9.0, 1.0]
    >>> steps[2].window
    array([[0., 0.],
           [0., 9.]])
    >>> steps[2].pick
    (1, 1)
    """
    # Validate now, not at the first ``next()``.
    plan = _pool_plan(image, size, stride, mode, p, padding, ceil_mode)
    return _pool_steps(plan)


def _pool_steps(plan: _PoolPlan) -> Iterator[PoolingStep]:
    """Yield the steps of a validated pooling."""
    h, w = plan.image.shape
    (kh, kw), (sr, sc), (pr, pc) = plan.size, plan.stride, plan.padding
    for i in range(plan.shape[0]):
        rows = i * sr + np.arange(kh)
        real_rows = (rows >= pr) & (rows < pr + h)
        for j in range(plan.shape[1]):
            cols = j * sc + np.arange(kw)
            real_cols = (cols >= pc) & (cols < pc + w)
            valid = np.outer(real_rows, real_cols)
            window = np.zeros((kh, kw))
            window[np.ix_(real_rows, real_cols)] = plan.image[
                np.ix_(rows[real_rows] - pr, cols[real_cols] - pc)
            ]
            pooled = np.where(valid, window, np.nan)
            value = _reduce_window(window[valid], plan.mode, plan.p)
            if not math.isfinite(value):
                raise overflow_error(
                    overflow_message(plan.image, plan.mode, plan.p),
                    overflow_advice(plan.mode, plan.p),
                )
            pick: tuple[int, int] | None = None
            if plan.mode in ("max", "min"):
                chosen = np.nanargmax if plan.mode == "max" else np.nanargmin
                r, c = np.unravel_index(int(chosen(pooled)), (kh, kw))
                pick = (int(r), int(c))
            yield PoolingStep(
                position=(i, j),
                origin=(int(rows[0]), int(cols[0])),
                rows=rows,
                cols=cols,
                window=window,
                pooled=pooled,
                value=value,
                valid=valid,
                pick=pick,
                mode=plan.mode,
                p=plan.p,
            )
