"""Convolution and cross-correlation on 2-D arrays, in pure NumPy.

Every function here validates its arguments first (see
:mod:`convdemo._validate`) and returns float64 arrays:

* sliding a kernel: :func:`correlate2d` (what CNN libraries call
  convolution), :func:`convolve2d` (the kernel flipped), :func:`conv2d` (many
  channels and many filters), with :func:`padding_amounts`, :func:`pad` and
  :func:`output_shape` for the arithmetic of borders, stride and dilation;
* :func:`sliding_windows` replays a correlation one output cell at a time,
  for figures, animations and worked examples;
* :func:`clipped_view`: the blog post's 8-bit view of a filter's output.

Pooling lives in :mod:`convdemo.pooling`, and the padding and shape
arithmetic in ``convdemo._geometry``; their names are importable from here
too. The fast paths are in ``convdemo._correlate`` and the plain loop
references the tests compare with in ``convdemo._reference``.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import Any, NamedTuple, TypeAlias

import numpy as np
import numpy.typing as npt

from convdemo._correlate import Correlation, correlate_padded
from convdemo._finite import (
    all_finite,
    binary_exponent,
    largest_magnitude,
    multilinear,
    overflow_error,
    require_finite,
)
from convdemo._geometry import (
    BORDERS,
    PADDINGS,
    Geometry,
    Padding,
    _pad,
    correlation_geometry,
    output_shape,
    pad,
    padding_amounts,
)
from convdemo._routes import METHODS, correlate_routed
from convdemo._validate import (
    MAX_VALUES,
    FloatArray,
    as_image,
    check_size,
    one_of,
    positive_int,
    positive_number,
)
from convdemo.pooling import (
    POOL_MODES,
    PoolingStep,
    PoolOptions,
    global_pool,
    pool2d,
    pool_output_shape,
    pool_windows,
)

__all__ = [
    "BORDERS",
    "MAX_VALUES",
    "PADDINGS",
    "POOL_MODES",
    "ConvolutionStep",
    "Padding",
    "PoolOptions",
    "PoolingStep",
    "Step",
    "clipped_view",
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

# ---------------------------------------------------------------------------
# Correlation and convolution
# ---------------------------------------------------------------------------


class _Plan(NamedTuple):
    """Validated arguments of a correlation (the kernel as applied)."""

    image: FloatArray
    kernel: FloatArray
    geometry: Geometry


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
    geometry = correlation_geometry(
        (array.shape[0], array.shape[1]),
        (weights.shape[0], weights.shape[1]),
        padding,
        border,
        stride,
        dilation,
    )
    return _Plan(array, weights[::-1, ::-1] if flip else weights, geometry)


def _overflow(image: FloatArray, kernel: FloatArray, name: str = "kernel") -> str:
    """Describe an overflowing correlation: its inputs and their largest values."""
    return (
        f"the correlation of `image` (largest |value| {largest_magnitude(image):.3g}) "
        f"with `{name}` (largest |weight| {largest_magnitude(kernel):.3g})"
    )


def _correlate_plan(plan: _Plan, method: str) -> FloatArray:
    """Correlate a validated plan by `method`; refuse an overflow."""
    geometry = plan.geometry
    padded = _pad(plan.image, geometry.pads, geometry.border)

    def product(image: FloatArray, kernel: FloatArray) -> FloatArray:
        out = np.empty(geometry.shape)
        job = Correlation(image, kernel, geometry.stride, geometry.dilation, out)
        correlate_routed(job, method)
        return out

    return multilinear(
        product,
        padded,
        plan.kernel,
        describe=lambda: _overflow(plan.image, plan.kernel),
    )


def correlate2d(
    image: npt.ArrayLike,
    kernel: npt.ArrayLike,
    *,
    padding: Padding = "valid",
    border: str = "zeros",
    stride: int | tuple[int, int] = 1,
    dilation: int | tuple[int, int] = 1,
    method: str = "auto",
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
    method : {'auto', 'direct', 'separable', 'fft'}, optional
        How to compute it. ``'direct'`` sums the products in the image
        domain; ``'separable'`` correlates with the column, then with the
        row, of a rank-1 kernel (:func:`convdemo.separable.separate`);
        ``'fft'`` multiplies Fourier transforms (the convolution theorem).
        ``'auto'`` (default) takes whichever is faster for this kernel,
        stride and image size, from crossovers measured by
        ``benchmarks/bench_fft.py``. All agree to rounding: about 1e-12 of
        ``max|image| · Σ|kernel|`` for the FFT, less for the others.

    Returns
    -------
    (H', W') ndarray, float64
        Per axis n' = ⌊(n + p_total − d(k − 1) − 1) / s⌋ + 1; see
        :func:`output_shape`.

    Raises
    ------
    ValueError, TypeError
        On invalid arguments, naming the parameter; a ``ValueError`` also
        when the padded image would hold more than :data:`MAX_VALUES` values
        (naming `padding`, `dilation` or `image`), or when an output value is
        beyond the range of float64.

    Notes
    -----
    Small kernels accumulate one shifted slice of the image per tap, in
    cache-sized chunks of rows. Kernels with 16 taps or more are computed as
    a product with a banded (Toeplitz) matrix, so BLAS does the arithmetic.
    Both are exact up to floating-point rounding, and neither builds an
    (H'·W'·kh·kw) array: memory stays within the output, the padded image and
    a bounded chunk. Where a sum of products overflows although its exact
    value is finite (10·1e308 − 10·1e308), it is computed again with the
    image and the kernel divided by powers of two, which changes no digit.
    The direct route accumulates one shifted slice of the image per tap, in
    cache-sized chunks of rows, for small kernels; kernels with 16 taps or
    more are a product with a banded (Toeplitz) matrix, so BLAS does the
    arithmetic. Neither builds an (H'·W'·kh·kw) array: memory stays within
    the output, the padded image and a bounded chunk. The FFT route pads
    first, whatever the border, transforms the padded image and the dilated
    kernel, multiplies, transforms back and keeps every s-th cell: its cost
    does not grow with the kernel, so it wins for large kernels.

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
    return _correlate_plan(plan, one_of(method, "method", METHODS))


def convolve2d(
    image: npt.ArrayLike,
    kernel: npt.ArrayLike,
    *,
    padding: Padding = "valid",
    border: str = "zeros",
    stride: int | tuple[int, int] = 1,
    dilation: int | tuple[int, int] = 1,
    method: str = "auto",
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
    method : {'auto', 'direct', 'separable', 'fft'}, optional
        As in :func:`correlate2d`.

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
    return _correlate_plan(plan, one_of(method, "method", METHODS))


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
    groups: int = 1,
) -> FloatArray:
    """Apply a convolutional layer: F filters over a C-channel image.

    ``out[..., f] = bias[f] + Σ_c correlate2d(image[..., c], kernels[f, ..., c])``,
    the sum running over the channels of filter `f`'s group.

    Parameters
    ----------
    image : (H, W, C), (H, W) or (N, H, W, C) array_like
        The input; a 2-D image is one channel, a 4-D array a stack of N
        images (a mini-batch), computed as one matrix product per kernel tap.
    kernels : (F, kh, kw, C / groups) or (kh, kw, C) array_like
        F filters, each with one (kh, kw) kernel per input channel of its
        group. A 3-D array is a single filter.
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
    groups : int, optional
        Split the channels into this many groups of ``C / groups``, and the
        filters into as many groups of ``F / groups``: filter `f` belongs to
        group ``g = f // (F / groups)`` and sees only the input channels
        ``g · C / groups`` to ``(g + 1) · C / groups − 1``. Both `C` and `F`
        must be multiples of it. Default 1: every filter sees every channel.

    Returns
    -------
    (H', W', F) or (N, H', W', F) ndarray, float64
        H' and W' as in :func:`output_shape`.

    Raises
    ------
    ValueError, TypeError
        As :func:`correlate2d`; the padded image counts its C channels, and
        an output of more than :data:`MAX_VALUES` values names `kernels`.

    Notes
    -----
    Like the layers of CNN libraries this is a cross-correlation: the
    kernels are not flipped.

    Grouped convolution (AlexNet, ResNeXt) divides the weights and the
    multiply-adds by `groups`. Two special cases have names:

    - *depthwise*: ``groups = C``, one (kh, kw) kernel per channel
      (``kernels`` of shape (C · m, kh, kw, 1) for m maps per channel);
    - *depthwise-separable* (Xception, MobileNet): a depthwise layer, then
      a 1 × 1 layer that mixes the channels, ``conv2d(conv2d(x, depthwise,
      groups=C), pointwise)`` with ``pointwise`` of shape (F, 1, 1, C).

    :func:`convdemo.analysis.conv_cost` counts their parameters and
    multiply-adds.

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

    A stack of three such images gives three outputs at once:

    >>> conv2d(np.stack([image] * 3), kernels, bias=[0, 100]).shape
    (3, 2, 2, 2)

    Depthwise, then 1 × 1: each channel keeps its own 2 × 2 sum, then the
    pointwise filter subtracts the second channel's from the first's.

    >>> depthwise = np.ones((2, 2, 2, 1))
    >>> sums = conv2d(image, depthwise, groups=2)
    >>> sums[..., 0], sums[..., 1]
    (array([[40.]]), array([[6.]]))
    >>> conv2d(sums, [[[[1, -1]]]])[..., 0]
    array([[34.]])
    """
    # Imported here: both modules import this one.
    from convdemo._stack import as_images
    from convdemo.backward import _conv2d_stack, _stack_geometry

    array = as_images(image)
    if array.ndim == 2:
        array = array[:, :, np.newaxis]
    weights = as_image(kernels, "kernels", ndim=(3, 4))
    if weights.ndim == 3:
        weights = weights[np.newaxis]
    filters, kh, kw, channels = weights.shape
    group_count = _groups(groups, array.shape[-1], filters)
    if channels * group_count != array.shape[-1]:
        grouped = f" in {group_count} groups" if group_count > 1 else ""
        raise ValueError(
            f"`kernels` must have {array.shape[-1] // group_count} channels (last "
            f"axis) to match `image` of shape {array.shape}{grouped}, got shape "
            f"{weights.shape}"
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
    if array.ndim == 4 and group_count > 1:
        # Grouped layers over a stack: one image at a time.
        return np.stack(
            [
                conv2d(
                    one,
                    weights,
                    bias,
                    padding=padding,
                    border=border,
                    stride=stride,
                    dilation=dilation,
                    groups=group_count,
                )
                for one in array
            ]
        )
    if array.ndim == 4:
        window = _stack_geometry(
            array, weights, padding, border, stride, dilation, shown=weights
        )
        return _conv2d_stack(array, weights, offsets, window)
    geometry = correlation_geometry(
        (array.shape[0], array.shape[1]),
        (kh, kw),
        padding,
        border,
        stride,
        dilation,
        depth=channels,
        kernel_name="kernels",
    )
    check_size((*geometry.shape, filters), "kernels", weights, "an output")
    # Channels first, so each channel is a contiguous 2-D image.
    padded = _pad(array, geometry.pads, geometry.border)
    planes = np.ascontiguousarray(np.moveaxis(padded, 2, 0))

    def product(planes: FloatArray, weights: FloatArray) -> FloatArray:
        out = np.empty((*geometry.shape, filters))
        total = np.empty(geometry.shape)
        for f in range(filters):
            total.fill(0.0)
            # The first input channel of filter f's group.
            first = f // (filters // group_count) * channels
            for c in range(channels):
                job = Correlation(
                    planes[first + c],
                    weights[f, :, :, c],
                    geometry.stride,
                    geometry.dilation,
                    total,
                )
                correlate_padded(job, accumulate=True)
            out[:, :, f] = total
        return out

    def describe() -> str:
        message = _overflow(array, weights, "kernels")
        if bias is None:
            return message
        largest = largest_magnitude(offsets)
        return f"{message} plus `bias` (largest |value| {largest:.3g})"

    out = multilinear(product, planes, weights, describe=describe)
    if bias is None:
        return out
    with np.errstate(over="ignore", invalid="ignore"):
        out += offsets
    return require_finite(out, describe)


def _groups(groups: Any, channels: int, filters: int) -> int:
    """Check `groups` against the channels and the filters of a layer."""
    count = positive_int(groups, "groups")
    if channels % count or filters % count:
        raise ValueError(
            f"`groups` must divide both the image's {channels} channel(s) and "
            f"the {filters} filter(s), got {count}"
        )
    return count


def clipped_view(
    response: npt.ArrayLike, kernel: npt.ArrayLike, *, white: float = 255.0
) -> FloatArray:
    """Return the blog post's view of a filter's output: divided and clipped.

    The post's notebook filters 8-bit images (values 0–255), divides the
    result by the kernel's sum so that a blur keeps the brightness, and
    clips it to 0–255 for display: every negative response becomes black.

    Parameters
    ----------
    response : array_like
        The filter's output, e.g. ``correlate2d(image, kernel)``.
    kernel : (kh, kw) array_like
        The kernel that produced `response`.
    white : float, optional
        The value shown white, where the view is clipped: 255 for an 8-bit
        image, 1 for an image in [0, 1].

    Returns
    -------
    ndarray, float64
        ``clip(response / Σkernel, 0, white)``, with the same shape as
        `response`; a kernel whose weights sum to (about) 0 divides by
        nothing.

    Examples
    --------
    >>> clipped_view([[-10.0, 100.0, 600.0]], [[1, 1]])
    array([[  0.,  50., 255.]])
    >>> clipped_view([[-0.5, 0.25, 2.0]], [[1, -1]], white=1.0)
    array([[0.  , 0.25, 1.  ]])
    """
    values = as_image(response, "response", ndim=None)
    weights = as_image(kernel, "kernel")
    top = positive_number(white, "white")
    # The sum as 2**shift · scaled, so that weights near the largest float
    # cannot overflow it; scaling by a power of two changes no digit.
    shift = binary_exponent(weights)
    scaled = float(np.sum(np.ldexp(weights, -shift)))
    if np.isclose(math.ldexp(scaled, min(shift, 1000)), 0.0):
        return np.clip(values, 0.0, top)
    with np.errstate(over="ignore", under="ignore"):
        # A ratio beyond float64 is beyond `white` too: clipped below.
        view = np.ldexp(values, -shift)
        view /= scaled
    return np.clip(view, 0.0, top, out=view)


# ---------------------------------------------------------------------------
# Step by step
# ---------------------------------------------------------------------------


class ConvolutionStep(NamedTuple):
    """One window of a correlation (or convolution), with everything to draw it.

    Attributes
    ----------
    position : (int, int)
        Output cell ``(row, col)``.
    origin : (int, int)
        Top-left tap of the window, in padded-input coordinates.
    rows, cols : (kh,) and (kw,) ndarray of int
        Padded-input row and column of each tap (dilation included).
    window : (kh, kw) ndarray
        Input values under the taps (padding values included).
    kernel : (kh, kw) ndarray
        The kernel as applied: flipped in both axes for a convolution.
    products : (kh, kw) ndarray
        ``window * kernel``.
    value : float
        The output value at `position`, the sum of `products`.
    valid : (kh, kw) ndarray of bool
        True where the tap reads the image, False where it reads padding.
    flipped : bool
        True for a convolution: `kernel` is the given kernel turned round.

    See Also
    --------
    sliding_windows : the iterator that yields these steps.
    PoolingStep : one window of a pooling.

    Examples
    --------
    >>> step = next(sliding_windows(np.arange(9).reshape(3, 3), [[1, 2]], flip=True))
    >>> step.position, step.kernel, step.products
    ((0, 0), array([[2., 1.]]), array([[0., 1.]]))
    """

    position: tuple[int, int]
    origin: tuple[int, int]
    rows: npt.NDArray[np.intp]
    cols: npt.NDArray[np.intp]
    window: FloatArray
    kernel: FloatArray
    products: FloatArray
    value: float
    valid: npt.NDArray[np.bool_]
    flipped: bool


Step: TypeAlias = ConvolutionStep | PoolingStep
"""One window of a correlation or a pooling, as :func:`sliding_windows` and
:func:`convdemo.pooling.pool_windows` yield them."""


def sliding_windows(
    image: npt.ArrayLike,
    kernel: npt.ArrayLike,
    *,
    padding: Padding = "valid",
    border: str = "zeros",
    stride: int | tuple[int, int] = 1,
    dilation: int | tuple[int, int] = 1,
    flip: bool = False,
) -> Iterator[ConvolutionStep]:
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
        Flip the kernel, as :func:`convolve2d` does. Each step then carries
        the flipped kernel, and its products use it.

    Yields
    ------
    ConvolutionStep
        One per output cell, row by row. ``value`` equals the output of
        :func:`correlate2d` (:func:`convolve2d` with `flip`) at ``position``.

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
    >>> steps[3].position, steps[3].origin
    ((1, 1), (1, 1))
    """
    # Validate now, not at the first ``next()``.
    flipped = bool(flip)
    plan = _plan(image, kernel, padding, border, stride, dilation, flip=flipped)
    return _correlation_steps(plan, flipped)


def _correlation_steps(plan: _Plan, flipped: bool) -> Iterator[ConvolutionStep]:
    """Yield the steps of a validated correlation."""
    geometry = plan.geometry
    padded = _pad(plan.image, geometry.pads, geometry.border)
    (top, _), (left, _) = geometry.pads
    h, w = plan.image.shape
    kh, kw = plan.kernel.shape
    (sr, sc), (dr, dc) = geometry.stride, geometry.dilation
    # One read-only copy of the kernel as applied, shared by every step.
    kernel = plan.kernel.copy()
    kernel.setflags(write=False)
    for i in range(geometry.shape[0]):
        rows = i * sr + np.arange(kh) * dr
        real_rows = (rows >= top) & (rows < top + h)
        for j in range(geometry.shape[1]):
            cols = j * sc + np.arange(kw) * dc
            real_cols = (cols >= left) & (cols < left + w)
            window = padded[np.ix_(rows, cols)]
            with np.errstate(over="ignore", invalid="ignore"):
                products = window * kernel
                value = float(products.sum())
            if not (math.isfinite(value) and all_finite(products)):
                raise overflow_error(_overflow(plan.image, kernel))
            yield ConvolutionStep(
                position=(i, j),
                origin=(int(rows[0]), int(cols[0])),
                rows=rows,
                cols=cols,
                window=window,
                kernel=kernel,
                products=products,
                value=value,
                valid=np.outer(real_rows, real_cols),
                flipped=flipped,
            )
