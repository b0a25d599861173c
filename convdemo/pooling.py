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

from collections.abc import Iterator
from typing import Any, NamedTuple, TypeAlias, TypedDict

import numpy as np
import numpy.typing as npt

from convdemo._validate import (
    as_image,
    as_pair,
    as_shape,
    nonnegative_int,
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

FloatArray: TypeAlias = npt.NDArray[np.float64]

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
    value: Any = padding  # checked below, whatever its type
    if isinstance(value, tuple | list) and len(value) == 2:
        pads = (
            nonnegative_int(value[0], "padding"),
            nonnegative_int(value[1], "padding"),
        )
    elif isinstance(value, tuple | list):
        raise ValueError(
            "`padding` must be a non-negative int or a pair (rows, cols), "
            f"got {value!r}"
        )
    else:
        amount = nonnegative_int(value, "padding")
        pads = (amount, amount)
    if pads[0] > sizes[0] // 2 or pads[1] > sizes[1] // 2:
        raise ValueError(
            f"`padding` must be at most half the pool size ({sizes[0] // 2}, "
            f"{sizes[1] // 2}) for `size` {sizes}, got {pads}"
        )
    if not isinstance(ceil_mode, bool | np.bool_):
        raise TypeError(f"`ceil_mode` must be True or False, got {ceil_mode!r}")
    out = (
        _pool_axis(shape[0], sizes[0], strides[0], pads[0], bool(ceil_mode)),
        _pool_axis(shape[1], sizes[1], strides[1], pads[1], bool(ceil_mode)),
    )
    return sizes, strides, pads, out


def _pool_plan(
    image: npt.ArrayLike,
    size: int | tuple[int, int],
    stride: int | tuple[int, int] | None,
    mode: str,
    p: float,
    padding: int | tuple[int, int],
    ceil_mode: bool,
) -> _PoolPlan:
    """Validate the arguments shared by the pooling functions."""
    array = as_image(image, "image")
    mode = one_of(mode, "mode", POOL_MODES)
    power = positive_number(p, "p")
    if mode == "l2":
        power = 2.0
    sizes, strides, pads, out = _pool_arguments(
        (array.shape[0], array.shape[1]), size, stride, padding, ceil_mode
    )
    return _PoolPlan(array, sizes, strides, mode, power, pads, out)


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


def _covered(n: int, k: int, s: int, pad_: int, count: int) -> FloatArray:
    """Return how many real cells each window covers along one axis."""
    starts = np.arange(count) * s - pad_
    stops = np.minimum(starts + k, n)
    return (stops - np.maximum(starts, 0)).astype(np.float64)


def pool2d(
    image: npt.ArrayLike,
    size: int | tuple[int, int] = 2,
    *,
    stride: int | tuple[int, int] | None = None,
    mode: str = "max",
    p: float = 2,
    padding: int | tuple[int, int] = 0,
    ceil_mode: bool = False,
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

    Returns
    -------
    ndarray, float64
        The shape of `image` with (H, W) replaced by (H', W') from
        :func:`pool_output_shape`.

    Notes
    -----
    Padded cells (and, with `ceil_mode`, the cells of a partial window that
    fall outside) are not values: they never win ``'max'`` or ``'min'``, and
    they are left out of ``'avg'``, ``'l2'`` and ``'lp'``. ``'avg'`` divides
    by the number of real cells in the window (PyTorch's
    ``count_include_pad=False``), so a border of zeros does not darken the
    edge. ``'lp'`` is a norm, not a mean, as in PyTorch's ``LPPool2d``.

    Each mode is computed with one strided pass per window offset, e.g.
    ``np.maximum`` of the kh·kw shifted views for ``'max'``.

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

    Channels, and a stack of maps, are pooled one map at a time:

    >>> pool2d(np.stack([x, -x], axis=-1))[..., 1]
    array([[-1., -5.],
           [ 0.,  0.]])
    >>> pool2d(np.zeros((5, 4, 4, 3))).shape
    (5, 2, 2, 3)
    """
    # Imported here: both modules import this one.
    from convdemo._stack import as_images
    from convdemo.backward import _pool2d_stack

    array = as_images(image)
    if array.ndim > 2:
        options: dict[str, Any] = {"mode": mode, "p": p, "padding": padding}
        return _pool2d_stack(array, size, stride=stride, ceil_mode=ceil_mode, **options)
    plan = _pool_plan(array, size, stride, mode, p, padding, ceil_mode)
    return _pool_fast(plan)


def _pool_fast(plan: _PoolPlan) -> FloatArray:
    """Pool with one strided pass per window offset."""
    (h, w), (kh, kw), (sr, sc) = plan.image.shape, plan.size, plan.stride
    (pr, pc), (oh, ow) = plan.padding, plan.shape
    # Rows and columns needed: the padding on top/left, and enough at the
    # bottom/right for the last window (ceil mode can reach past the padding).
    bottom = max(0, (oh - 1) * sr + kh - h - pr)
    right = max(0, (ow - 1) * sc + kw - w - pc)
    if plan.mode in ("max", "min"):
        fill = -np.inf if plan.mode == "max" else np.inf
        values = plan.image
    elif plan.mode == "avg":
        fill = 0.0
        values = plan.image
    else:
        fill = 0.0
        values = np.abs(plan.image)
        if plan.p == 2.0:
            np.multiply(values, values, out=values)
        elif plan.p != 1.0:
            np.power(values, plan.p, out=values)
    widths = ((pr, bottom), (pc, right))
    if widths != ((0, 0), (0, 0)):
        values = np.pad(values, widths, constant_values=fill)
    reduce = {"max": np.maximum, "min": np.minimum}.get(plan.mode, np.add)
    out = np.empty((oh, ow))
    first = True
    for u in range(kh):
        for v in range(kw):
            view = values[
                u : u + (oh - 1) * sr + 1 : sr, v : v + (ow - 1) * sc + 1 : sc
            ]
            if first:
                out[...] = view
                first = False
            else:
                reduce(out, view, out=out)
    if plan.mode == "avg":
        out /= _covered(h, kh, sr, pr, oh)[:, np.newaxis]
        out /= _covered(w, kw, sc, pc, ow)[np.newaxis, :]
    elif plan.mode in ("l2", "lp"):
        if plan.p == 2.0:
            np.sqrt(out, out=out)
        elif plan.p != 1.0:
            np.power(out, 1.0 / plan.p, out=out)
    return out


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
    mode = one_of(mode, "mode", POOL_MODES)
    power = positive_number(p, "p")
    if mode == "l2":
        power = 2.0
    axes = (0, 1)
    result: FloatArray
    if mode == "max":
        result = array.max(axis=axes)
    elif mode == "min":
        result = array.min(axis=axes)
    elif mode == "avg":
        result = array.mean(axis=axes)
    else:
        result = (np.abs(array) ** power).sum(axis=axes) ** (1.0 / power)
    if array.ndim == 2:
        return float(result)
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
    """Pool the real values of one window (a 1-D or 2-D array)."""
    if mode == "max":
        return float(values.max())
    if mode == "min":
        return float(values.min())
    if mode == "avg":
        return float(values.mean())
    return float((np.abs(values) ** p).sum() ** (1.0 / p))


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
        As in :func:`pool2d`.

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
