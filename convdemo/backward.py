"""Backward passes: the gradients of correlation, pooling and a convolutional layer.

Training a network by gradient descent needs, for each layer, the gradient of
the loss with respect to the layer's input and weights, given the gradient
with respect to its output (``grad_output``, the same shape as the output).
For the forward functions of :mod:`convdemo.ops`:

* :func:`correlate2d_backward`: for ``out = correlate2d(image, kernel)``, the
  gradient for the image is a transposed convolution of ``grad_output`` with
  the kernel (a full correlation with the kernel turned by a half-turn when
  the stride is 1), and the gradient for the kernel is a correlation of the
  image with ``grad_output``.
* :func:`pool2d_backward`: max and min pooling route each output's gradient
  to the one input cell that won its window; average pooling shares it
  equally among the window's real cells; Lp pooling weighs it by the
  derivative of the norm.
* :func:`conv2d_backward`: the multi-channel layer, with the bias gradient,
  for one image or a stack of them.

All three are vectorised: each is a sum over kernel taps (or window offsets)
of whole-array operations, never a loop over pixels, so they are fast enough
to train a small network on a laptop.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import numpy.typing as npt

from convdemo._finite import largest_magnitude, multilinear, require_finite
from convdemo._stack import (
    Geometry,
    Pooled,
    as_images,
    as_stack,
    correlate_stack,
    correlation_geometry,
    fold_stack,
    kernel_gradient_stack,
    pad_stack,
    pool_backward,
    pool_forward,
    pooling_geometry,
    transpose_stack,
)
from convdemo._validate import (
    FloatArray,
    as_flag,
    as_image,
    check_size,
    positive_number,
)
from convdemo.ops import (
    Padding,
    _overflow,
)
from convdemo.pooling import _reduction, overflow_advice, overflow_message

__all__ = [
    "conv2d_backward",
    "correlate2d_backward",
    "numerical_gradient",
    "pool2d_backward",
]


def _gradient(value: npt.ArrayLike, shape: tuple[int, ...]) -> FloatArray:
    """Validate `grad_output`: finite numbers with the forward output's shape."""
    grad = as_image(value, "grad_output", ndim=None)
    if grad.shape != shape:
        raise ValueError(
            f"`grad_output` must have the shape of the forward output, {shape}, "
            f"got {grad.shape}"
        )
    return grad


# ---------------------------------------------------------------------------
# Correlation and the convolutional layer
# ---------------------------------------------------------------------------


def correlate2d_backward(
    grad_output: npt.ArrayLike,
    image: npt.ArrayLike,
    kernel: npt.ArrayLike,
    *,
    padding: Padding = "valid",
    border: str = "zeros",
    stride: int | tuple[int, int] = 1,
    dilation: int | tuple[int, int] = 1,
) -> tuple[FloatArray, FloatArray]:
    """Return the gradients of a correlation for its image and its kernel.

    For ``out = correlate2d(image, kernel, ...)`` and a loss L whose gradient
    for ``out`` is `grad_output`, return ``(∂L/∂image, ∂L/∂kernel)``.

    Parameters
    ----------
    grad_output : (H', W') array_like
        ∂L/∂out, with the shape of the forward output.
    image : (H, W) array_like
        The forward pass's image.
    kernel : (kh, kw) array_like
        The forward pass's kernel.
    padding, border, stride, dilation
        As in :func:`~convdemo.ops.correlate2d`.

    Returns
    -------
    grad_image : (H, W) ndarray, float64
        ``Σ_{i, j} grad_output[i, j] · kernel[u, v]`` over the outputs whose
        tap ``(u, v)`` reads each pixel.
    grad_kernel : (kh, kw) ndarray, float64
        ``grad_kernel[u, v] = Σ_{i, j} grad_output[i, j] · P[i·s_r + u·d_r,
        j·s_c + v·d_c]`` with ``P`` the padded image.

    Notes
    -----
    The output is linear in the image, ``out = M @ image.ravel()`` with ``M``
    from :func:`~convdemo.linear.conv_matrix`, so ∂L/∂image is
    ``Mᵀ @ grad_output.ravel()``: every output cell sends its gradient back,
    times each weight, to the pixel that weight multiplied. With zero borders
    this is :func:`~convdemo.linear.conv_transpose2d`; with stride 1 and
    ``'valid'`` padding it is the ``'full'`` correlation of ``grad_output``
    with the kernel turned by a half-turn, i.e. the full *convolution*
    ``scipy.signal.convolve2d(grad_output, kernel)``. With another border,
    the gradient that reaches a padded cell is added to the pixel that cell
    copies (``'reflect'``, ``'replicate'``, ``'wrap'``), or lost (``'zeros'``).

    The output is linear in the kernel too: ∂L/∂kernel[u, v] sums the
    gradient times what tap ``(u, v)`` read, a correlation of the padded image
    with ``grad_output`` (spaced by the stride, stepped by the dilation).

    See Also
    --------
    conv2d_backward : the same for many channels and filters.
    convdemo.linear.conv_transpose2d : the image gradient with zero borders.

    Examples
    --------
    With L = Σ out, every output's gradient is 1: a pixel's gradient adds up
    the weights that touch it, and each weight's gradient adds up the pixels
    it touches (0 + 1 + 3 + 4 = 8 for the top-left tap).

    >>> image = np.arange(9).reshape(3, 3)
    >>> kernel = np.arange(4).reshape(2, 2)
    >>> grad_image, grad_kernel = correlate2d_backward(np.ones((2, 2)), image, kernel)
    >>> grad_image
    array([[0., 1., 1.],
           [2., 6., 4.],
           [2., 5., 3.]])
    >>> grad_kernel
    array([[ 8., 12.],
           [20., 24.]])
    """
    array = as_image(image, "image")
    weights = as_image(kernel, "kernel")
    geometry = correlation_geometry(
        array.shape, weights.shape, padding, border, stride, dilation
    )
    grad = _gradient(grad_output, geometry.shape)[np.newaxis, :, :, np.newaxis]
    taps = weights[np.newaxis, :, :, np.newaxis]
    stack = array[np.newaxis, :, :, np.newaxis]
    grad_image, grad_kernel = _layer_gradients(grad, stack, taps, geometry)
    return grad_image[0, :, :, 0], grad_kernel[0, :, :, 0]


def _layer_gradients(
    grad: FloatArray,
    stack: FloatArray,
    filters: FloatArray,
    geometry: Geometry,
) -> tuple[FloatArray, FloatArray]:
    """Return the gradients of a correlation of stacks for its input and filters.

    `grad` is ``(N, H', W', F)``, `stack` ``(N, H, W, C)`` and `filters`
    ``(F, kh, kw, C)``. Both gradients are sums of products, computed so
    that an overflow in between does not spoil a finite result; one that is
    itself beyond float64 raises a ``ValueError``.
    """
    scattered = multilinear(lambda g, k: transpose_stack(g, k, geometry), grad, filters)
    with np.errstate(over="ignore", invalid="ignore"):
        grad_image = fold_stack(
            scattered, geometry.pads, geometry.border, geometry.input_shape
        )
    padded = pad_stack(stack, geometry.pads, geometry.border)
    grad_kernel = multilinear(
        lambda g, x: kernel_gradient_stack(g, x, geometry), grad, padded
    )

    def describe(target: str, through: str, inputs: FloatArray) -> Callable[[], str]:
        return lambda: (
            f"the gradient for `{target}` of `grad_output` (largest |value| "
            f"{largest_magnitude(grad):.3g}) through `{through}` (largest |value| "
            f"{largest_magnitude(inputs):.3g})"
        )

    require_finite(grad_image, describe("image", "kernel", filters))
    require_finite(grad_kernel, describe("kernel", "image", stack))
    return grad_image, grad_kernel


def _conv_arguments(
    image: npt.ArrayLike,
    kernels: npt.ArrayLike,
    padding: Padding,
    border: str,
    stride: Any,
    dilation: Any,
) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray, Geometry]:
    """Validate a layer's arguments as :func:`~convdemo.ops.conv2d` does.

    Returns the image, its ``(N, H, W, C)`` stack, the kernels, their
    ``(F, kh, kw, C)`` view and the geometry (with the border).
    """
    array = as_images(image)
    stack = as_stack(array)
    weights = as_image(kernels, "kernels", ndim=(3, 4))
    filters = weights if weights.ndim == 4 else weights[np.newaxis]
    if filters.shape[3] != stack.shape[3]:
        raise ValueError(
            f"`kernels` must have {stack.shape[3]} channels (last axis) to match "
            f"`image` of shape {array.shape}, got shape {weights.shape}"
        )
    geometry = _stack_geometry(
        stack, filters, padding, border, stride, dilation, shown=weights
    )
    return array, stack, weights, filters, geometry


def _stack_geometry(
    stack: FloatArray,
    filters: FloatArray,
    padding: Padding,
    border: str,
    stride: Any,
    dilation: Any,
    *,
    shown: FloatArray,
) -> Geometry:
    """Check the border and the geometry of `filters` over `stack`.

    Refuses an ``(N, H', W', F)`` output above the size budget, naming
    `kernels` with the shape of `shown` (the kernels as the caller got them).
    """
    geometry = correlation_geometry(
        (stack.shape[1], stack.shape[2]),
        (filters.shape[1], filters.shape[2]),
        padding,
        border,
        stride,
        dilation,
        depth=stack.shape[0] * stack.shape[3],
        kernel_name="kernels",
    )
    outputs = (stack.shape[0], *geometry.shape, filters.shape[0])
    check_size(outputs, "kernels", shown, "an output")
    return geometry


def _conv2d_stack(
    stack: FloatArray,
    filters: FloatArray,
    offsets: FloatArray,
    geometry: Geometry,
) -> FloatArray:
    """Apply :func:`~convdemo.ops.conv2d` to an (N, H, W, C) stack of images.

    The batched path of ``conv2d``, which has checked the stack, the
    ``(F, kh, kw, C)`` filters, the ``(F,)`` offsets (the bias) and the
    geometry with its border (:func:`_stack_geometry`) and calls this for a 4-D
    image: the same values as ``conv2d`` on each image (up to rounding),
    computed as one matrix product per kernel tap for the whole stack, with
    the same refusal of an overflow. Returns ``(N, H', W', F)``.
    """
    padded = pad_stack(stack, geometry.pads, geometry.border)
    out = multilinear(lambda x, k: correlate_stack(x, k, geometry), padded, filters)
    with np.errstate(over="ignore", invalid="ignore"):
        out += offsets
    require_finite(out, lambda: _overflow(stack, filters, "kernels") + " plus `bias`")
    return out


def conv2d_backward(
    grad_output: npt.ArrayLike,
    image: npt.ArrayLike,
    kernels: npt.ArrayLike,
    *,
    padding: Padding = "valid",
    border: str = "zeros",
    stride: int | tuple[int, int] = 1,
    dilation: int | tuple[int, int] = 1,
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Return the gradients of a convolutional layer for its input, kernels and bias.

    For ``out = conv2d(image, kernels, bias, ...)`` and a loss L whose
    gradient for ``out`` is `grad_output`, return ``(∂L/∂image,
    ∂L/∂kernels, ∂L/∂bias)``. A stack of images (a mini-batch) is one call:
    the kernel and bias gradients are then summed over the stack.

    Parameters
    ----------
    grad_output : (H', W', F) or (N, H', W', F) array_like
        ∂L/∂out, the shape of :func:`~convdemo.ops.conv2d`'s output; with a
        leading N for a stack of N images.
    image : (H, W), (H, W, C) or (N, H, W, C) array_like
        The forward pass's input: an image (one channel if 2-D) or a stack
        of N images.
    kernels : (F, kh, kw, C) or (kh, kw, C) array_like
        The forward pass's filters, as in :func:`~convdemo.ops.conv2d`.
    padding, border, stride, dilation
        As in :func:`~convdemo.ops.conv2d`.

    Returns
    -------
    grad_image : ndarray, float64
        The shape of `image`.
    grad_kernels : ndarray, float64
        The shape of `kernels`.
    grad_bias : (F,) ndarray, float64
        ``grad_output`` summed over everything but the filter axis: the bias
        is added to every output cell of its filter.

    Notes
    -----
    Channel c of filter f is an ordinary correlation, and the layer adds
    them up, so each gradient is a sum of :func:`correlate2d_backward`'s:
    ``grad_image[..., c] = Σ_f`` (transposed correlation of
    ``grad_output[..., f]`` with ``kernels[f, ..., c]``), and
    ``grad_kernels[f, ..., c]`` correlates ``image[..., c]`` with
    ``grad_output[..., f]``. Here each is computed for all filters, channels
    and images at once: for each kernel tap, one matrix product between the
    ``(N·H'·W', F)`` gradient and the ``(F, C)`` weights of that tap, or the
    ``(N·H'·W', C)`` pixels that tap read.

    See Also
    --------
    correlate2d_backward : one channel and one filter.
    pool2d_backward : the gradient of the pooling that usually follows.

    Examples
    --------
    The layer of :func:`~convdemo.ops.conv2d`'s example: two channels, a
    filter that adds them and one that subtracts them.

    >>> image = np.stack([np.full((2, 2), 10), np.arange(4).reshape(2, 2)], axis=-1)
    >>> kernels = np.zeros((2, 1, 1, 2))
    >>> kernels[0, 0, 0] = [1, 1]
    >>> kernels[1, 0, 0] = [1, -1]

    With L = Σ out[..., 0] (the first filter only), each channel's pixels get
    the weight 1, and the first filter's weights get the sum of each channel.

    >>> grad_output = np.zeros((2, 2, 2))
    >>> grad_output[..., 0] = 1
    >>> grad_image, grad_kernels, grad_bias = conv2d_backward(
    ...     grad_output, image, kernels
    ... )
    >>> grad_image[..., 0]
    array([[1., 1.],
           [1., 1.]])
    >>> grad_kernels[:, 0, 0]
    array([[40.,  6.],
           [ 0.,  0.]])
    >>> grad_bias
    array([4., 0.])
    """
    array, stack, weights, filters, geometry = _conv_arguments(
        image, kernels, padding, border, stride, dilation
    )
    count = filters.shape[0]
    if array.ndim == 4:
        expected: tuple[int, ...] = (stack.shape[0], *geometry.shape, count)
    else:
        expected = (*geometry.shape, count)
    grad = _gradient(grad_output, expected).reshape(
        stack.shape[0], *geometry.shape, count
    )
    grad_image, grad_kernels = _layer_gradients(grad, stack, filters, geometry)
    with np.errstate(over="ignore"):
        grad_bias = grad.sum(axis=(0, 1, 2))
    require_finite(grad_bias, "the gradient for `bias`, the sum of `grad_output`,")
    return (
        grad_image.reshape(array.shape),
        grad_kernels.reshape(weights.shape),
        grad_bias,
    )


# ---------------------------------------------------------------------------
# Pooling
# ---------------------------------------------------------------------------


def _pooled(
    image: npt.ArrayLike,
    size: Any,
    stride: Any,
    mode: str,
    p: float,
    padding: Any,
    ceil_mode: Any,
    count_include_pad: Any,
) -> tuple[FloatArray, Pooled]:
    """Validate a pooling of an image or a stack and compute it."""
    array = as_images(image)
    mode, power = _reduction(mode, p)
    include = as_flag(count_include_pad, "count_include_pad")
    stack = as_stack(array)
    geometry = pooling_geometry(
        (stack.shape[1], stack.shape[2]),
        size,
        stride,
        padding,
        ceil_mode,
        depth=stack.shape[0] * stack.shape[3],
    )
    pooled = pool_forward(stack, geometry, mode, power, include)
    require_finite(
        pooled.out,
        lambda: overflow_message(array, mode, power),
        overflow_advice(mode, power),
    )
    return array, pooled


def _pool2d_stack(array: FloatArray, pooled: Pooled) -> FloatArray:
    """Return the result of :func:`_pooled` in the layout of its input `array`.

    With :func:`_pooled`, the same pooling as :func:`~convdemo.ops.pool2d`
    (same arguments, checks and values), for an (H, W) image, every channel
    of an (H, W, C) image, or every channel of every image of an
    (N, H, W, C) stack, in one pass per window offset: the input's shape
    with (H, W) replaced by (H', W').
    """
    if array.ndim == 2:
        return pooled.out[0, :, :, 0]
    return pooled.out if array.ndim == 4 else pooled.out[0]


def pool2d_backward(
    grad_output: npt.ArrayLike,
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
    """Return the gradient of a pooling for its input.

    For ``out = pool2d(image, size, ...)`` and a loss L whose gradient for
    ``out`` is `grad_output`, return ∂L/∂image.

    Parameters
    ----------
    grad_output : array_like
        ∂L/∂out: (H', W') for an (H, W) image, (H', W', C) or
        (N, H', W', C) for a channel stack, with (H', W') from
        :func:`~convdemo.ops.pool_output_shape`.
    image : (H, W), (H, W, C) or (N, H, W, C) array_like
        The forward pass's feature map; with channels, each channel (of each
        image) is pooled on its own.
    size, stride, mode, p, padding, ceil_mode, count_include_pad
        As in :func:`~convdemo.ops.pool2d`.

    Returns
    -------
    ndarray, float64
        The shape of `image`.

    Raises
    ------
    ValueError, TypeError
        As :func:`~convdemo.ops.pool2d`, and a ``ValueError`` if
        `grad_output` has the wrong shape or a gradient is beyond the range
        of float64.

    Notes
    -----
    * ``'max'`` and ``'min'``: each output copies one cell, so its whole
      gradient goes to that cell and the others get nothing. On a tie the
      chosen cell is the first in row-major order in the window, the rule of
      :func:`~convdemo.ops.pool_windows` (``Step.pick``); the derivative
      does not exist there, and this choice is one valid subgradient.
      Overlapping windows that pick the same cell add their gradients.
    * ``'avg'``: each real cell of a window gets ``grad / count``, with
      ``count`` the divisor of the forward pass: the number of real cells
      (padded cells and the outside part of a ``ceil_mode`` window do not
      count), or with `count_include_pad` the number of cells within the
      padded input. Padded cells take their share, but it is dropped.
    * ``'lp'`` and ``'l2'``: with ``y = (Σ |x|ᵖ)^(1/p)`` over the window's
      real cells, ``∂y/∂x = sign(x)·(|x| / y)^(p−1)``, computed in that form
      so that a large p does not overflow (|x| / y ≤ 1). Conventions where
      that derivative is undefined: a cell with x = 0 gets 0 (the true
      derivative for p > 1), and a window with y = 0 passes 0 (a subgradient
      of the norm at the origin).

    Padded cells receive nothing: they are not part of the input.

    See Also
    --------
    convdemo.ops.pool_windows : which cell each max or min window picks.
    conv2d_backward : the gradient of the layer before the pooling.

    Examples
    --------
    The post's 2 × 2 max pooling: each output's gradient goes back to the
    cell that held the window's maximum (4, 8, 9 and 1 here).

    >>> x = np.array([[1, 2, 5, 6],
    ...               [3, 4, 7, 8],
    ...               [0, 0, 1, 0],
    ...               [0, 9, 0, 0]])
    >>> grad_output = np.array([[10, 20], [30, 40]])
    >>> pool2d_backward(grad_output, x)
    array([[ 0.,  0.,  0.,  0.],
           [ 0., 10.,  0., 20.],
           [ 0.,  0., 40.,  0.],
           [ 0., 30.,  0.,  0.]])

    Average pooling shares each gradient among the four cells of its window:

    >>> pool2d_backward(grad_output, x, mode="avg")
    array([[ 2.5,  2.5,  5. ,  5. ],
           [ 2.5,  2.5,  5. ,  5. ],
           [ 7.5,  7.5, 10. , 10. ],
           [ 7.5,  7.5, 10. , 10. ]])
    """
    array, pooled = _pooled(
        image, size, stride, mode, p, padding, ceil_mode, count_include_pad
    )
    shape = pooled.geometry.shape
    if array.ndim == 2:
        expected: tuple[int, ...] = shape
    else:
        expected = (*array.shape[:-3], *shape, array.shape[-1])
    grad = _gradient(grad_output, expected).reshape(pooled.out.shape)
    with np.errstate(over="ignore", invalid="ignore"):
        result = pool_backward(pooled, grad).reshape(array.shape)
    return require_finite(
        result,
        lambda: (
            "the gradient of "
            f"{overflow_message(array, pooled.mode, pooled.p)} for `grad_output`"
        ),
    )


def numerical_gradient(
    loss: Callable[[FloatArray], float],
    x: npt.ArrayLike,
    *,
    eps: float = 1e-6,
) -> FloatArray:
    """Estimate the gradient of `loss` at `x` by central finite differences.

    Parameters
    ----------
    loss : callable
        Takes an array of `x`'s shape and returns a number.
    x : array_like
        Where to take the gradient.
    eps : float, optional
        The nudge ε given to each entry in turn.

    Returns
    -------
    ndarray, float64
        The shape of `x`: ``(loss(x + ε·e_i) − loss(x − ε·e_i)) / 2ε`` for
        each entry i. Two calls of `loss` per entry.

    Notes
    -----
    The error of a central difference is of order ε² times the third
    derivative, plus the rounding of `loss` divided by ε: with ε = 10⁻⁶ and
    losses of order 1, about 10⁻¹⁰. It is the independent check of every
    backward function here, as long as no nudge crosses a kink (a tie in
    max pooling, a ReLU input at 0).

    Examples
    --------
    >>> numerical_gradient(lambda v: float(np.sum(v**2)), [1.0, -2.0, 3.0])
    array([ 2., -4.,  6.])
    """
    at = np.array(as_image(x, "x", ndim=None), dtype=np.float64)
    step = positive_number(eps, "eps")
    out = np.zeros_like(at)
    for index in np.ndindex(at.shape):
        saved = at[index]
        at[index] = saved + step
        above = float(loss(at))
        at[index] = saved - step
        below = float(loss(at))
        at[index] = saved
        out[index] = (above - below) / (2 * step)
    return out
