"""Convolution, cross-correlation and pooling on 2-D arrays, in pure NumPy.

Every function here validates its arguments first (see
:mod:`convdemo._validate`) and returns float64 arrays. Two families:

* sliding a kernel: :func:`correlate2d` (what CNN libraries call
  convolution), :func:`convolve2d` (the kernel flipped), :func:`conv2d` (many
  channels and many filters), with :func:`padding_amounts`, :func:`pad` and
  :func:`output_shape` for the arithmetic of borders, stride and dilation;
* pooling: :func:`pool2d`, :func:`global_pool` and :func:`pool_output_shape`.

:func:`sliding_windows` and :func:`pool_windows` replay the same computations
one output cell at a time, for figures, animations and worked examples.
Each fast path has a plain double-loop twin (``_correlate2d_loop``,
``_pool2d_loop``) that the tests use as the reference.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import Any, NamedTuple, TypeAlias

import numpy as np
import numpy.typing as npt
from numpy.lib.stride_tricks import sliding_window_view

from convdemo._validate import (
    as_image,
    as_pair,
    nonnegative_int,
    one_of,
    positive_number,
)

__all__ = [
    "BORDERS",
    "PADDINGS",
    "POOL_MODES",
    "Padding",
    "Step",
    "conv2d",
    "convolve2d",
    "correlate2d",
    "global_pool",
    "output_shape",
    "pad",
    "padding_amounts",
    "pool2d",
    "pool_output_shape",
    "pool_windows",
    "relu",
    "sliding_windows",
]

FloatArray: TypeAlias = npt.NDArray[np.float64]
Padding: TypeAlias = (
    str | int | tuple[int, int] | tuple[tuple[int, int], tuple[int, int]]
)
"""A padding: a name, one amount, (rows, cols) or ((top, bottom), (left, right))."""

Pads: TypeAlias = tuple[tuple[int, int], tuple[int, int]]

PADDINGS = ("valid", "same", "full")
"""The named paddings accepted by :func:`padding_amounts`."""

BORDERS = ("zeros", "reflect", "replicate", "wrap")
"""How :func:`pad` fills the border."""

POOL_MODES = ("max", "avg", "min", "l2", "lp")
"""The reductions :func:`pool2d` applies to each window."""

# numpy.pad's name for each border.
_NUMPY_PAD_MODES = {
    "zeros": "constant",
    "reflect": "reflect",
    "replicate": "edge",
    "wrap": "wrap",
}

# Fast-path tuning. Kernels with at least this many taps use the block
# Toeplitz matrix product; smaller ones accumulate shifted slices.
_MATMUL_MIN_TAPS = 16
# Output columns per block of the Toeplitz product.
_MATMUL_BLOCK = 32
# Elements of work buffer per row chunk: small enough to stay in cache (shifted
# slices) or to bound the temporary copies (matrix product).
_SLICE_CHUNK = 1 << 16
_MATMUL_CHUNK = 1 << 20
# Multiply-adds per matrix product that OpenBLAS runs on a single thread.
_SINGLE_THREAD_WORK = 1 << 18


# ---------------------------------------------------------------------------
# Padding and shape arithmetic
# ---------------------------------------------------------------------------


def _padding_error(padding: Any) -> ValueError:
    """Return the error for a padding that has none of the accepted forms."""
    return ValueError(
        "`padding` must be one of 'valid', 'same', 'full', a non-negative int, "
        f"a pair (rows, cols) or ((top, bottom), (left, right)), got {padding!r}"
    )


def padding_amounts(
    padding: Padding,
    kernel_shape: int | tuple[int, int] = (1, 1),
    *,
    dilation: int | tuple[int, int] = 1,
) -> Pads:
    """Return how many rows and columns to add on each side of the image.

    Parameters
    ----------
    padding : {'valid', 'same', 'full'} or int or (int, int) or ((int, int), (int, int))
        ``'valid'`` adds nothing. ``'same'`` adds d(k − 1) cells per axis in
        total, half before and the rest (the extra cell of an even kernel)
        after, so that a stride-1 output has the input's shape. ``'full'``
        adds d(k − 1) on every side, so every overlap of kernel and image
        counts. An int ``p`` adds ``p`` on every side; ``(pr, pc)`` adds
        ``pr`` rows above and below and ``pc`` columns left and right;
        ``((top, bottom), (left, right))`` gives each side.
    kernel_shape : int or (int, int), optional
        ``(kh, kw)``; only used by the named paddings.
    dilation : int or (int, int), optional
        Spacing between kernel taps; the kernel spans d(k − 1) + 1 cells.

    Returns
    -------
    ((int, int), (int, int))
        ``((top, bottom), (left, right))``.

    Notes
    -----
    ``'same'`` puts the extra cell of an even kernel at the bottom and right,
    as TensorFlow does. With stride s the output then has ⌈n / s⌉ cells per
    axis; TensorFlow's ``'same'`` also gives ⌈n / s⌉ cells but pads only as
    much as the last window needs, so for s > 1 its windows can sit one cell
    further up or left than here.

    Examples
    --------
    >>> padding_amounts("same", (3, 3))
    ((1, 1), (1, 1))
    >>> padding_amounts("same", (2, 4))
    ((0, 1), (1, 2))
    >>> padding_amounts("full", (3, 3), dilation=2)
    ((4, 4), (4, 4))
    >>> padding_amounts((1, 2))
    ((1, 1), (2, 2))
    """
    value: Any = padding  # checked below, whatever its type
    kh, kw = as_pair(kernel_shape, "kernel_shape")
    dr, dc = as_pair(dilation, "dilation")
    if isinstance(value, str):
        name = one_of(value, "padding", PADDINGS)
        span_r, span_c = dr * (kh - 1), dc * (kw - 1)
        if name == "valid":
            return (0, 0), (0, 0)
        if name == "full":
            return (span_r, span_r), (span_c, span_c)
        return (span_r // 2, span_r - span_r // 2), (span_c // 2, span_c - span_c // 2)
    if isinstance(value, tuple | list) and len(value) == 2:
        first, second = value
        if isinstance(first, tuple | list) and isinstance(second, tuple | list):
            if len(first) != 2 or len(second) != 2:
                raise _padding_error(value)
            top, bottom = (nonnegative_int(n, "padding") for n in first)
            left, right = (nonnegative_int(n, "padding") for n in second)
            return (top, bottom), (left, right)
        rows = nonnegative_int(first, "padding")
        cols = nonnegative_int(second, "padding")
        return (rows, rows), (cols, cols)
    if isinstance(value, tuple | list):
        raise _padding_error(value)
    if isinstance(value, bool | np.bool_ | float | complex):
        raise _padding_error(value)
    try:
        amount = nonnegative_int(value, "padding")
    except TypeError:
        raise _padding_error(value) from None
    return (amount, amount), (amount, amount)


def pad(
    image: npt.ArrayLike,
    padding: Padding,
    *,
    border: str = "zeros",
    kernel_shape: int | tuple[int, int] = (1, 1),
    dilation: int | tuple[int, int] = 1,
) -> FloatArray:
    """Add a border around a 2-D image.

    Parameters
    ----------
    image : (H, W) array_like
        The image.
    padding : str or int or (int, int) or ((int, int), (int, int))
        How much to add; see :func:`padding_amounts`.
    border : {'zeros', 'reflect', 'replicate', 'wrap'}, optional
        What the new cells hold. ``'zeros'``: 0. ``'reflect'``: the image
        mirrored about its edge pixel, which is not repeated
        (``d c b | a b c d | c b a``). ``'replicate'``: copies of the edge
        pixel (``a a a | a b c d | d d d``). ``'wrap'``: the image repeated
        periodically (``b c d | a b c d | a b c``).
    kernel_shape : int or (int, int), optional
        ``(kh, kw)``, used by the named paddings.
    dilation : int or (int, int), optional
        Kernel dilation, used by the named paddings.

    Returns
    -------
    (H + top + bottom, W + left + right) ndarray, float64
        A new array.

    Notes
    -----
    The borders are ``numpy.pad``'s modes ``'constant'``, ``'reflect'``,
    ``'edge'`` and ``'wrap'``, and ``scipy.ndimage``'s ``'constant'``,
    ``'mirror'``, ``'nearest'`` and ``'grid-wrap'``. ``'reflect'`` is not
    ``scipy.signal``'s ``boundary='symm'``, which repeats the edge pixel
    (``c b a | a b c``). A border wider than the image keeps reflecting or
    wrapping.

    See Also
    --------
    padding_amounts : the amounts added on each side.

    Examples
    --------
    >>> pad([[1, 2, 3]], (0, 2), border="reflect")
    array([[3., 2., 1., 2., 3., 2., 1.]])
    >>> pad([[1, 2, 3]], (0, 2), border="replicate")
    array([[1., 1., 1., 2., 3., 3., 3.]])
    >>> pad([[1, 2], [3, 4]], 1)
    array([[0., 0., 0., 0.],
           [0., 1., 2., 0.],
           [0., 3., 4., 0.],
           [0., 0., 0., 0.]])
    """
    array = as_image(image, "image")
    border = one_of(border, "border", BORDERS)
    pads = padding_amounts(padding, kernel_shape, dilation=dilation)
    return np.pad(array, pads, mode=_NUMPY_PAD_MODES[border])  # type: ignore[call-overload,no-any-return]


def _pad(array: FloatArray, pads: Pads, border: str) -> FloatArray:
    """Pad the first two axes of a validated array; no copy when nothing is added."""
    if pads == ((0, 0), (0, 0)):
        return array
    widths = [*pads] + [(0, 0)] * (array.ndim - 2)
    return np.pad(array, widths, mode=_NUMPY_PAD_MODES[border])  # type: ignore[call-overload,no-any-return]


def _shape_pair(shape: Any, name: str) -> tuple[int, int]:
    """Validate a 2-D shape given as a pair of positive ints."""
    if isinstance(shape, np.ndarray) or not isinstance(shape, tuple | list):
        raise TypeError(f"`{name}` must be a pair (rows, cols), got {shape!r}")
    if len(shape) != 2:
        raise ValueError(f"`{name}` must be a pair (rows, cols), got {shape!r}")
    return as_pair(tuple(shape), name)


def _output_shape(
    input_shape: tuple[int, int],
    kernel_shape: tuple[int, int],
    pads: Pads,
    stride: tuple[int, int],
    dilation: tuple[int, int],
) -> tuple[int, int]:
    """Compute the output shape from validated arguments."""
    padded = (
        input_shape[0] + pads[0][0] + pads[0][1],
        input_shape[1] + pads[1][0] + pads[1][1],
    )
    span = (
        dilation[0] * (kernel_shape[0] - 1) + 1,
        dilation[1] * (kernel_shape[1] - 1) + 1,
    )
    if span[0] > padded[0] or span[1] > padded[1]:
        raise ValueError(
            f"`kernel` of shape {kernel_shape} with dilation {dilation} spans "
            f"{span} cells, more than the padded input of shape {padded}"
        )
    return (
        (padded[0] - span[0]) // stride[0] + 1,
        (padded[1] - span[1]) // stride[1] + 1,
    )


def output_shape(
    input_shape: tuple[int, int],
    kernel_shape: tuple[int, int],
    *,
    padding: Padding = "valid",
    stride: int | tuple[int, int] = 1,
    dilation: int | tuple[int, int] = 1,
) -> tuple[int, int]:
    """Return the shape of a correlation's output, without computing it.

    Parameters
    ----------
    input_shape : (int, int)
        ``(H, W)``.
    kernel_shape : (int, int)
        ``(kh, kw)``.
    padding : str or int or (int, int) or ((int, int), (int, int)), optional
        See :func:`padding_amounts`.
    stride : int or (int, int), optional
        Step between windows, in cells.
    dilation : int or (int, int), optional
        Spacing between kernel taps.

    Returns
    -------
    (int, int)
        Per axis ⌊(n + p_total − d(k − 1) − 1) / s⌋ + 1.

    Raises
    ------
    ValueError
        If the dilated kernel, d(k − 1) + 1 cells, is larger than the padded
        input.

    See Also
    --------
    correlate2d, convolve2d : return arrays of this shape.

    Examples
    --------
    >>> output_shape((5, 5), (3, 3))
    (3, 3)
    >>> output_shape((5, 5), (3, 3), padding="same", stride=2)
    (3, 3)
    >>> output_shape((7, 7), (3, 3), dilation=2)
    (3, 3)
    """
    size = _shape_pair(input_shape, "input_shape")
    kernel = _shape_pair(kernel_shape, "kernel_shape")
    strides = as_pair(stride, "stride")
    dilations = as_pair(dilation, "dilation")
    pads = padding_amounts(padding, kernel, dilation=dilations)
    return _output_shape(size, kernel, pads, strides, dilations)


# ---------------------------------------------------------------------------
# Correlation and convolution
# ---------------------------------------------------------------------------


class _Plan(NamedTuple):
    """Validated arguments of a correlation."""

    image: FloatArray
    kernel: FloatArray
    pads: Pads
    border: str
    stride: tuple[int, int]
    dilation: tuple[int, int]
    shape: tuple[int, int]


def _plan(
    image: npt.ArrayLike,
    kernel: npt.ArrayLike,
    padding: Padding,
    border: str,
    stride: int | tuple[int, int],
    dilation: int | tuple[int, int],
    *,
    flip: bool,
) -> _Plan:
    """Validate the arguments shared by the correlation functions."""
    array = as_image(image, "image")
    weights = as_image(kernel, "kernel")
    border = one_of(border, "border", BORDERS)
    strides = as_pair(stride, "stride")
    dilations = as_pair(dilation, "dilation")
    kernel_shape = (weights.shape[0], weights.shape[1])
    pads = padding_amounts(padding, kernel_shape, dilation=dilations)
    shape = _output_shape(
        (array.shape[0], array.shape[1]), kernel_shape, pads, strides, dilations
    )
    if flip:
        weights = weights[::-1, ::-1]
    return _Plan(array, weights, pads, border, strides, dilations, shape)


def _correlate_slices(
    padded: FloatArray,
    kernel: FloatArray,
    stride: tuple[int, int],
    dilation: tuple[int, int],
    out: FloatArray,
    *,
    accumulate: bool,
) -> None:
    """Write (or add) the correlation into `out`, one kernel tap at a time.

    Each tap multiplies a shifted, strided slice of `padded` by its weight.
    The work goes in chunks of output rows small enough to stay in cache;
    memory use is `out` plus one chunk.
    """
    oh, ow = out.shape
    (sr, sc), (dr, dc) = stride, dilation
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


def _correlate_matmul(
    padded: FloatArray,
    kernel: FloatArray,
    stride: tuple[int, int],
    dilation: tuple[int, int],
    out: FloatArray,
    *,
    accumulate: bool,
) -> None:
    """Write (or add) the correlation into `out` as a product with a Toeplitz matrix.

    Each block of ``B`` neighbouring outputs in a row reads a strip of
    ``(kh, (B − 1)·sc + d(kw − 1) + 1)`` input cells; flattening the strip
    turns the block into one row-by-matrix product with a banded matrix that
    holds the kernel once per output. BLAS then does the arithmetic. Only a
    chunk of strips is copied at a time, and columns left over after the last
    full block go through :func:`_correlate_slices`.
    """
    oh, ow = out.shape
    kh, kw = kernel.shape
    (sr, sc), (dr, dc) = stride, dilation
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
        _correlate_slices(
            padded[:, blocks * block * sc :],
            kernel,
            stride,
            dilation,
            out[:, blocks * block :],
            accumulate=accumulate,
        )


def _small_products(strips: FloatArray, matrix: FloatArray) -> FloatArray:
    """Return ``strips @ matrix``, computed as a stack of small products.

    Each product in the stack stays below the size at which OpenBLAS starts
    extra threads (m·n·k ≤ 65536·4). On a busy machine, threads that wait
    for a free core slow a product down many times over; one thread per
    product keeps the time predictable, and NumPy loops over the stack in C.
    """
    count, inner = strips.shape
    batch = max(1, _SINGLE_THREAD_WORK // (inner * matrix.shape[1]))
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


def _correlate_padded(
    padded: FloatArray,
    kernel: FloatArray,
    stride: tuple[int, int],
    dilation: tuple[int, int],
    out: FloatArray,
    *,
    accumulate: bool = False,
) -> None:
    """Write the correlation of an already padded image into `out`.

    With `accumulate`, add it to what `out` holds instead.
    """
    if kernel.size >= _MATMUL_MIN_TAPS and out.shape[1] >= _MATMUL_BLOCK:
        _correlate_matmul(padded, kernel, stride, dilation, out, accumulate=accumulate)
    else:
        _correlate_slices(padded, kernel, stride, dilation, out, accumulate=accumulate)


def correlate2d(
    image: npt.ArrayLike,
    kernel: npt.ArrayLike,
    *,
    padding: Padding = "valid",
    border: str = "zeros",
    stride: int | tuple[int, int] = 1,
    dilation: int | tuple[int, int] = 1,
) -> FloatArray:
    """Slide `kernel` over `image` and sum the products under each window.

    ``out[i, j] = Σ_{u, v} kernel[u, v] · P[i·s_r + u·d_r, j·s_c + v·d_c]``,
    where ``P`` is the padded image. This cross-correlation is what CNN
    libraries call a convolution.

    Parameters
    ----------
    image : (H, W) array_like
        The image: real numbers, finite.
    kernel : (kh, kw) array_like
        The filter weights.
    padding : str or int or (int, int) or ((int, int), (int, int)), optional
        ``'valid'`` (default), ``'same'``, ``'full'`` or explicit amounts;
        see :func:`padding_amounts`. For an even kernel ``'same'`` puts the
        extra cell at the bottom/right, as TensorFlow does.
    border : {'zeros', 'reflect', 'replicate', 'wrap'}, optional
        What the padding holds; see :func:`pad`.
    stride : int or (int, int), optional
        Step between windows, in cells.
    dilation : int or (int, int), optional
        Spacing between kernel taps (1 = adjacent).

    Returns
    -------
    (H', W') ndarray, float64
        Per axis n' = ⌊(n + p_total − d(k − 1) − 1) / s⌋ + 1; see
        :func:`output_shape`.

    Raises
    ------
    ValueError, TypeError
        On invalid arguments, naming the parameter.

    Notes
    -----
    Small kernels accumulate one shifted slice of the image per tap, in
    cache-sized chunks of rows. Kernels with 16 taps or more are computed as
    a product with a banded (Toeplitz) matrix, so BLAS does the arithmetic.
    Both are exact up to floating-point rounding, and neither builds an
    (H'·W'·kh·kw) array: memory stays within the output, the padded image and
    a bounded chunk.

    See Also
    --------
    convolve2d : the same with the kernel flipped.
    output_shape : the output shape, without computing it.
    sliding_windows : the same computation, one step at a time.
    scipy.signal.correlate2d : the same result for ``'valid'``, ``'same'`` and
        ``'full'`` with ``boundary='fill'`` (``'zeros'``) or ``'wrap'``.

    Examples
    --------
    The worked example from *Dive into Deep Learning*, where
    0×0 + 1×1 + 3×2 + 4×3 = 19:

    >>> image = np.arange(9).reshape(3, 3)
    >>> kernel = np.arange(4).reshape(2, 2)
    >>> correlate2d(image, kernel)
    array([[19., 25.],
           [37., 43.]])

    A vertical-edge kernel on a step from 0 to 1 responds only at the step:

    >>> step = np.array([[0, 0, 1, 1]] * 3)
    >>> correlate2d(step, [[-1, 1]])
    array([[0., 1., 0.],
           [0., 1., 0.],
           [0., 1., 0.]])
    >>> correlate2d(np.ones((4, 4)), np.ones((3, 3)), padding="same")
    array([[4., 6., 6., 4.],
           [6., 9., 9., 6.],
           [6., 9., 9., 6.],
           [4., 6., 6., 4.]])
    """
    plan = _plan(image, kernel, padding, border, stride, dilation, flip=False)
    padded = _pad(plan.image, plan.pads, plan.border)
    out = np.empty(plan.shape)
    _correlate_padded(padded, plan.kernel, plan.stride, plan.dilation, out)
    return out


def convolve2d(
    image: npt.ArrayLike,
    kernel: npt.ArrayLike,
    *,
    padding: Padding = "valid",
    border: str = "zeros",
    stride: int | tuple[int, int] = 1,
    dilation: int | tuple[int, int] = 1,
) -> FloatArray:
    """Convolve `image` with `kernel`: correlate with the kernel flipped.

    ``out[i, j] = Σ_{u, v} K[kh − 1 − u, kw − 1 − v] · P[i·s_r + u·d_r, j·s_c + v·d_c]``
    with ``K`` the kernel and ``P`` the padded image.

    Parameters
    ----------
    image : (H, W) array_like
        The image.
    kernel : (kh, kw) array_like
        The filter weights, flipped in both axes before sliding.
    padding : str or int or (int, int) or ((int, int), (int, int)), optional
        As in :func:`correlate2d` (the same padding, including the extra
        bottom/right cell of ``'same'`` with an even kernel).
    border : {'zeros', 'reflect', 'replicate', 'wrap'}, optional
        What the padding holds; see :func:`pad`.
    stride : int or (int, int), optional
        Step between windows.
    dilation : int or (int, int), optional
        Spacing between kernel taps.

    Returns
    -------
    (H', W') ndarray, float64
        Same shape as :func:`correlate2d`'s output.

    Notes
    -----
    Flipping is what makes convolution the mathematician's operation: it is
    commutative and associative (blurring twice is one blur with the
    convolved kernel) and it becomes a product under the Fourier transform.
    A CNN *learns* its kernels, so a flip only relabels the learned weights:
    the network would learn the flipped kernel instead. Libraries therefore
    compute the simpler cross-correlation (:func:`correlate2d`) and keep the
    name convolution. For symmetric kernels (box blur, Gaussian, Laplacian)
    the two agree.

    With ``'same'`` and an even kernel this output differs from
    ``scipy.signal.convolve2d(..., mode='same')`` by one cell of shift,
    because the padding rule here is shared with :func:`correlate2d`.

    See Also
    --------
    correlate2d : the unflipped version.
    scipy.signal.convolve2d : the same for ``'valid'`` and ``'full'``.

    Examples
    --------
    >>> image = np.arange(9).reshape(3, 3)
    >>> kernel = np.arange(4).reshape(2, 2)
    >>> convolve2d(image, kernel)
    array([[ 5., 11.],
           [23., 29.]])
    >>> correlate2d(image, kernel[::-1, ::-1])
    array([[ 5., 11.],
           [23., 29.]])
    """
    plan = _plan(image, kernel, padding, border, stride, dilation, flip=True)
    padded = _pad(plan.image, plan.pads, plan.border)
    out = np.empty(plan.shape)
    _correlate_padded(padded, plan.kernel, plan.stride, plan.dilation, out)
    return out


def relu(x: npt.ArrayLike) -> FloatArray:
    """Keep positive values and replace negative ones with 0.

    Parameters
    ----------
    x : array_like
        Real, finite values of any shape.

    Returns
    -------
    ndarray, float64
        ``max(x, 0)``, same shape as `x`.

    Examples
    --------
    >>> relu([[-2, -1], [0, 3]])
    array([[0., 0.],
           [0., 3.]])
    """
    values = as_image(x, "x", ndim=None)
    # np.asarray keeps a 0-d input an array rather than a NumPy scalar.
    return np.asarray(np.maximum(values, 0.0))


def conv2d(
    image: npt.ArrayLike,
    kernels: npt.ArrayLike,
    bias: npt.ArrayLike | None = None,
    *,
    padding: Padding = "valid",
    border: str = "zeros",
    stride: int | tuple[int, int] = 1,
    dilation: int | tuple[int, int] = 1,
) -> FloatArray:
    """Apply a convolutional layer: F filters over a C-channel image.

    ``out[..., f] = bias[f] + Σ_c correlate2d(image[..., c], kernels[f, ..., c])``.

    Parameters
    ----------
    image : (H, W, C) or (H, W) array_like
        The input; a 2-D image is one channel.
    kernels : (F, kh, kw, C) or (kh, kw, C) array_like
        F filters, each with one (kh, kw) kernel per input channel. A 3-D
        array is a single filter.
    bias : (F,) array_like, optional
        Added to each filter's output. Default: no bias.
    padding : str or int or (int, int) or ((int, int), (int, int)), optional
        See :func:`padding_amounts`.
    border : {'zeros', 'reflect', 'replicate', 'wrap'}, optional
        See :func:`pad`.
    stride : int or (int, int), optional
        Step between windows.
    dilation : int or (int, int), optional
        Spacing between kernel taps.

    Returns
    -------
    (H', W', F) ndarray, float64
        H' and W' as in :func:`output_shape`.

    Notes
    -----
    Like the layers of CNN libraries this is a cross-correlation: the
    kernels are not flipped.

    See Also
    --------
    correlate2d : one channel, one filter.

    Examples
    --------
    Two channels, two filters: the first adds the channels, the second
    subtracts them.

    >>> image = np.stack([np.full((2, 2), 10), np.arange(4).reshape(2, 2)], axis=-1)
    >>> kernels = np.zeros((2, 1, 1, 2))
    >>> kernels[0, 0, 0] = [1, 1]
    >>> kernels[1, 0, 0] = [1, -1]
    >>> out = conv2d(image, kernels, bias=[0, 100])
    >>> out.shape
    (2, 2, 2)
    >>> out[..., 0]
    array([[10., 11.],
           [12., 13.]])
    >>> out[..., 1]
    array([[110., 109.],
           [108., 107.]])
    """
    array = as_image(image, "image", ndim=(2, 3))
    if array.ndim == 2:
        array = array[:, :, np.newaxis]
    weights = as_image(kernels, "kernels", ndim=(3, 4))
    if weights.ndim == 3:
        weights = weights[np.newaxis]
    filters, kh, kw, channels = weights.shape
    if channels != array.shape[2]:
        raise ValueError(
            f"`kernels` must have {array.shape[2]} channels (last axis) to match "
            f"`image` of shape {array.shape}, got shape {weights.shape}"
        )
    if bias is None:
        offsets = np.zeros(filters)
    else:
        offsets = as_image(bias, "bias", ndim=1)
        if offsets.shape != (filters,):
            raise ValueError(
                f"`bias` must have shape ({filters},), one value per filter, "
                f"got shape {offsets.shape}"
            )
    border = one_of(border, "border", BORDERS)
    strides = as_pair(stride, "stride")
    dilations = as_pair(dilation, "dilation")
    pads = padding_amounts(padding, (kh, kw), dilation=dilations)
    shape = _output_shape(
        (array.shape[0], array.shape[1]), (kh, kw), pads, strides, dilations
    )
    # Channels first, so each channel is a contiguous 2-D image.
    planes = np.ascontiguousarray(np.moveaxis(_pad(array, pads, border), 2, 0))
    out = np.empty((*shape, filters))
    total = np.empty(shape)
    for f in range(filters):
        total.fill(offsets[f])
        for c in range(channels):
            _correlate_padded(
                planes[c],
                weights[f, :, :, c],
                strides,
                dilations,
                total,
                accumulate=True,
            )
        out[:, :, f] = total
    return out


# ---------------------------------------------------------------------------
# Pooling
# ---------------------------------------------------------------------------


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
    shape = _shape_pair(input_shape, "input_shape")
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
    image : (H, W) array_like
        The feature map.
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
    (H', W') ndarray, float64
        Shape from :func:`pool_output_shape`.

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
    """
    plan = _pool_plan(image, size, stride, mode, p, padding, ceil_mode)
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


# ---------------------------------------------------------------------------
# Step by step
# ---------------------------------------------------------------------------


class Step(NamedTuple):
    """One window of a correlation or a pooling, with everything to draw it.

    Attributes
    ----------
    index : (int, int)
        Output cell ``(row, col)``.
    origin : (int, int)
        Top-left tap of the window, in padded-input coordinates.
    rows, cols : (kh,) and (kw,) ndarray of int
        Padded-input row and column of each tap (dilation included).
    window : (kh, kw) ndarray
        Input values under the taps (for pooling, 0 where a tap is padding).
    products : (kh, kw) ndarray
        Correlation: ``window * kernel``. Pooling: the values used, with NaN
        for padded cells.
    value : float
        The output value at `index`.
    valid : (kh, kw) ndarray of bool
        True where the tap reads the image, False where it reads padding.
    pick : (int, int) or None
        Max/min pooling: position inside the window of the chosen cell (the
        first in row-major order on ties). None otherwise.

    See Also
    --------
    sliding_windows, pool_windows : the iterators that yield steps.

    Examples
    --------
    >>> step = next(pool_windows([[1, 5], [3, 2]]))
    >>> step.index, step.pick, step.value
    ((0, 0), (0, 1), 5.0)
    >>> step.window
    array([[1., 5.],
           [3., 2.]])
    """

    index: tuple[int, int]  # type: ignore[assignment]
    origin: tuple[int, int]
    rows: npt.NDArray[np.intp]
    cols: npt.NDArray[np.intp]
    window: FloatArray
    products: FloatArray
    value: float
    valid: npt.NDArray[np.bool_]
    pick: tuple[int, int] | None


def sliding_windows(
    image: npt.ArrayLike,
    kernel: npt.ArrayLike,
    *,
    padding: Padding = "valid",
    border: str = "zeros",
    stride: int | tuple[int, int] = 1,
    dilation: int | tuple[int, int] = 1,
    flip: bool = False,
) -> Iterator[Step]:
    """Yield every window of a correlation (or convolution), in output order.

    Parameters
    ----------
    image : (H, W) array_like
        The image.
    kernel : (kh, kw) array_like
        The filter weights.
    padding, border, stride, dilation
        As in :func:`correlate2d`.
    flip : bool, optional
        Flip the kernel, as :func:`convolve2d` does. The products then use
        the flipped kernel.

    Yields
    ------
    Step
        One per output cell, row by row. ``value`` equals the output of
        :func:`correlate2d` (:func:`convolve2d` with `flip`) at ``index``.

    Examples
    --------
    >>> steps = list(sliding_windows(np.arange(9).reshape(3, 3),
    ...                              np.arange(4).reshape(2, 2)))
    >>> len(steps)
    4
    >>> first = steps[0]
    >>> first.window
    array([[0., 1.],
           [3., 4.]])
    >>> first.products
    array([[ 0.,  1.],
           [ 6., 12.]])
    >>> first.value
    19.0
    >>> steps[3].index, steps[3].origin
    ((1, 1), (1, 1))
    """
    # Validate now, not at the first ``next()``.
    plan = _plan(image, kernel, padding, border, stride, dilation, flip=bool(flip))
    return _correlation_steps(plan)


def _correlation_steps(plan: _Plan) -> Iterator[Step]:
    """Yield the steps of a validated correlation."""
    padded = _pad(plan.image, plan.pads, plan.border)
    (top, _), (left, _) = plan.pads
    h, w = plan.image.shape
    kh, kw = plan.kernel.shape
    (sr, sc), (dr, dc) = plan.stride, plan.dilation
    for i in range(plan.shape[0]):
        rows = i * sr + np.arange(kh) * dr
        real_rows = (rows >= top) & (rows < top + h)
        for j in range(plan.shape[1]):
            cols = j * sc + np.arange(kw) * dc
            real_cols = (cols >= left) & (cols < left + w)
            window = padded[np.ix_(rows, cols)]
            products = window * plan.kernel
            yield Step(
                index=(i, j),
                origin=(int(rows[0]), int(cols[0])),
                rows=rows,
                cols=cols,
                window=window,
                products=products,
                value=float(products.sum()),
                valid=np.outer(real_rows, real_cols),
                pick=None,
            )


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
) -> Iterator[Step]:
    """Yield every window of a pooling, in output order.

    Parameters
    ----------
    image : (H, W) array_like
        The feature map.
    size, stride, mode, p, padding, ceil_mode
        As in :func:`pool2d`.

    Yields
    ------
    Step
        One per output cell, row by row. ``window`` shows 0 in padded cells,
        ``products`` shows NaN there, ``value`` equals :func:`pool2d`'s output
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


def _pool_steps(plan: _PoolPlan) -> Iterator[Step]:
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
            products = np.where(valid, window, np.nan)
            value = _reduce_window(window[valid], plan.mode, plan.p)
            pick: tuple[int, int] | None = None
            if plan.mode in ("max", "min"):
                chosen = np.nanargmax if plan.mode == "max" else np.nanargmin
                r, c = np.unravel_index(int(chosen(products)), (kh, kw))
                pick = (int(r), int(c))
            yield Step(
                index=(i, j),
                origin=(int(rows[0]), int(cols[0])),
                rows=rows,
                cols=cols,
                window=window,
                products=products,
                value=value,
                valid=valid,
                pick=pick,
            )


# ---------------------------------------------------------------------------
# Plain references, kept simple on purpose: the tests compare against them.
# ---------------------------------------------------------------------------


def _correlate2d_loop(
    image: npt.ArrayLike,
    kernel: npt.ArrayLike,
    *,
    padding: Padding = "valid",
    border: str = "zeros",
    stride: int | tuple[int, int] = 1,
    dilation: int | tuple[int, int] = 1,
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


def _pool2d_loop(
    image: npt.ArrayLike,
    size: int | tuple[int, int] = 2,
    *,
    stride: int | tuple[int, int] | None = None,
    mode: str = "max",
    p: float = 2,
    padding: int | tuple[int, int] = 0,
    ceil_mode: bool = False,
) -> FloatArray:
    """Pool with a plain double loop over the output (reference).

    Each window is clipped to the image, so padding never enters a value.
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
            Y[i, j] = _reduce_window(window, mode, power)
    return Y
