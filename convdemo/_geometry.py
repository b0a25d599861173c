"""Borders, padding and output shapes: where the windows of a correlation sit.

The arithmetic shared by every sliding computation of the library: how much
border a named padding adds (:func:`padding_amounts`), what the border holds
(:func:`pad`), how large the output is (:func:`output_shape`), and the
validated geometry that :mod:`convdemo.ops` and the stacked layers of
``convdemo._stack`` place their windows with. Pure NumPy; the public names
are re-exported by :mod:`convdemo.ops`.
"""

from __future__ import annotations

from typing import Any, NamedTuple, TypeAlias

import numpy as np
import numpy.typing as npt

from convdemo._validate import (
    FloatArray,
    as_image,
    as_pair,
    as_shape,
    check_padded,
    nonnegative_int,
    one_of,
)

__all__ = [
    "BORDERS",
    "PADDINGS",
    "Padding",
    "output_shape",
    "pad",
    "padding_amounts",
]

Padding: TypeAlias = (
    str | int | tuple[int, int] | tuple[tuple[int, int], tuple[int, int]]
)
"""A padding: a name, one amount, (rows, cols) or ((top, bottom), (left, right))."""

Pads: TypeAlias = tuple[tuple[int, int], tuple[int, int]]

PADDINGS = ("valid", "same", "full")
"""The named paddings accepted by :func:`padding_amounts`."""

BORDERS = ("zeros", "reflect", "replicate", "wrap")
"""How :func:`pad` fills the border."""

# numpy.pad's name for each border.
_NUMPY_PAD_MODES = {
    "zeros": "constant",
    "reflect": "reflect",
    "replicate": "edge",
    "wrap": "wrap",
}


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

    Raises
    ------
    ValueError
        If the padded image would hold more than :data:`MAX_VALUES` values,
        naming `padding` (or `dilation`, when it widens a named padding).

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
    _check_padded((array.shape[0], array.shape[1]), pads, padding, dilation)
    return np.pad(array, pads, mode=_NUMPY_PAD_MODES[border])  # type: ignore[call-overload,no-any-return]


def _check_padded(
    size: tuple[int, int],
    pads: Pads,
    padding: Padding,
    dilation: Any,
    depth: int = 1,
) -> None:
    """Refuse a padded input larger than :data:`MAX_VALUES`, naming its cause.

    That is `dilation` when it widened a named padding, else `padding` (or
    `image`, when the input alone is too large).
    """
    if isinstance(padding, str) and as_pair(dilation, "dilation") != (1, 1):
        check_padded(size, pads, "dilation", dilation, depth)
    else:
        check_padded(size, pads, "padding", padding, depth)


def _pad(array: FloatArray, pads: Pads, border: str) -> FloatArray:
    """Pad the first two axes of a validated array; no copy when nothing is added."""
    if pads == ((0, 0), (0, 0)):
        return array
    widths = [*pads] + [(0, 0)] * (array.ndim - 2)
    return np.pad(array, widths, mode=_NUMPY_PAD_MODES[border])  # type: ignore[call-overload,no-any-return]


def _output_shape(
    input_shape: tuple[int, int],
    kernel_shape: tuple[int, int],
    pads: Pads,
    stride: tuple[int, int],
    dilation: tuple[int, int],
    kernel_name: str = "kernel",
) -> tuple[int, int]:
    """Compute the output shape from validated arguments.

    `kernel_name` is the caller's name for the kernel, used in the message.
    """
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
            f"`{kernel_name}` of shape {kernel_shape} with dilation {dilation} spans "
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
    size = as_shape(input_shape, "input_shape")
    kernel = as_shape(kernel_shape, "kernel_shape")
    strides = as_pair(stride, "stride")
    dilations = as_pair(dilation, "dilation")
    pads = padding_amounts(padding, kernel, dilation=dilations)
    return _output_shape(size, kernel, pads, strides, dilations, "kernel_shape")


class Geometry(NamedTuple):
    """Validated sizes of a correlation: where each kernel tap reads.

    `border` is how a correlation fills the padding; a pooling's geometry
    keeps the default, its padded cells never counting.
    """

    input_shape: tuple[int, int]
    kernel_shape: tuple[int, int]
    pads: Pads
    stride: tuple[int, int]
    dilation: tuple[int, int]
    shape: tuple[int, int]
    border: str = "zeros"

    @property
    def padded_shape(self) -> tuple[int, int]:
        """``(H + top + bottom, W + left + right)``."""
        (top, bottom), (left, right) = self.pads
        h, w = self.input_shape
        return h + top + bottom, w + left + right


def correlation_geometry(
    input_shape: tuple[int, int],
    kernel_shape: Any,
    padding: Padding,
    border: str,
    stride: Any,
    dilation: Any,
    depth: int | None = 1,
    kernel_name: str = "kernel",
) -> Geometry:
    """Validate border, padding, stride and dilation for an input and a kernel shape.

    `depth` images (channels, stacked images) are padded at once: the padded
    stack must fit within :data:`~convdemo.ops.MAX_VALUES`. None: nothing is
    padded, the caller checks its own arrays. `kernel_name` is the caller's
    name for the kernel (or its shape), used in messages.
    """
    border = one_of(border, "border", BORDERS)
    kernel = as_pair(kernel_shape, "kernel_shape")
    strides = as_pair(stride, "stride")
    dilations = as_pair(dilation, "dilation")
    pads = padding_amounts(padding, kernel, dilation=dilations)
    size = as_shape(input_shape, "input_shape")
    shape = _output_shape(size, kernel, pads, strides, dilations, kernel_name)
    if depth is not None:
        _check_padded(size, pads, padding, dilations, depth)
    return Geometry(size, kernel, pads, strides, dilations, shape, border)
