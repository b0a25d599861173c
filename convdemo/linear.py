"""Convolution as a linear map: its matrix, the im2col view, and its transpose.

For a fixed kernel, :func:`~convdemo.ops.correlate2d` is linear in the
image: each output cell is a weighted sum of input pixels. Three ways to see
that map, each computed exactly:

* :func:`conv_matrix` writes it as a dense matrix ``M`` (the Toeplitz view):
  ``M @ image.ravel()`` is the flattened output, for every padding, border,
  stride and dilation.
* :func:`im2col` copies every window into a row of a matrix, so that the
  output is one matrix product with the flattened kernel (the im2col / GEMM
  view, how CNN libraries compute a layer).
* :func:`conv_transpose2d` applies ``Mᵀ`` without building it: the
  transposed convolution of upsampling layers, and the backward pass of a
  correlation (:mod:`convdemo.backward`).

The arithmetic shared with :mod:`convdemo.backward` lives in
:mod:`convdemo._stack`.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
from numpy.lib.stride_tricks import sliding_window_view

from convdemo._finite import largest_magnitude, multilinear, require_finite
from convdemo._stack import (
    Geometry,
    as_images,
    as_stack,
    correlation_geometry,
    pad_stack,
    source_indices,
    transpose_stack,
)
from convdemo._validate import (
    FloatArray,
    as_image,
    as_pair,
    check_size,
    nonnegative_int,
    nonnegative_pair,
)
from convdemo.ops import Padding, _overflow

__all__ = ["checkerboard_contrast", "conv_matrix", "conv_transpose2d", "im2col"]


# conv_matrix refuses matrices with more entries than this: 2²² float64
# entries are 32 MiB, e.g. a 45 × 45 image with 'same' padding (2025 × 2025).
_MAX_MATRIX_ENTRIES = 1 << 22


def conv_matrix(
    input_shape: tuple[int, int],
    kernel: npt.ArrayLike,
    *,
    padding: Padding = "valid",
    border: str = "zeros",
    stride: int | tuple[int, int] = 1,
    dilation: int | tuple[int, int] = 1,
) -> FloatArray:
    """Return the matrix of a correlation: ``M @ image.ravel()`` is the output.

    Parameters
    ----------
    input_shape : (int, int)
        ``(H, W)``, the shape of the images the matrix applies to.
    kernel : (kh, kw) array_like
        The filter weights.
    padding : str or int or (int, int) or ((int, int), (int, int)), optional
        See :func:`~convdemo.ops.padding_amounts`.
    border : {'zeros', 'reflect', 'replicate', 'wrap'}, optional
        What the padding holds; see :func:`~convdemo.ops.pad`.
    stride : int or (int, int), optional
        Step between windows.
    dilation : int or (int, int), optional
        Spacing between kernel taps.

    Returns
    -------
    (H'·W', H·W) ndarray, float64
        Row ``i·W' + j`` holds the weight of each input pixel in output cell
        ``(i, j)``, with ``(H', W')`` from :func:`~convdemo.ops.output_shape`,
        so that ``M @ image.ravel() == correlate2d(image, kernel,
        ...).ravel()``.

    Raises
    ------
    ValueError
        If the matrix would hold more than 2²² = 4,194,304 entries (32 MiB),
        naming `input_shape`; or on any argument that
        :func:`~convdemo.ops.correlate2d` rejects.

    Notes
    -----
    With zero borders each row holds the kernel's weights once, laid out
    along the input pixels its window covers: a banded, doubly block Toeplitz
    matrix, mostly zeros. Every other border is linear too: a padded cell is
    a copy of an image pixel, so its tap adds its weight onto that pixel's
    column. Near the edge a row can then hold several weights added in one
    entry (a ``'reflect'`` or ``'wrap'`` window that reads one pixel twice).
    Stride keeps every s-th row of the stride-1 matrix; dilation spreads each
    row's weights apart.

    The matrix is dense and grows as the square of the image, which is why
    libraries never build it: :func:`im2col` keeps the same product with a
    matrix as large as the windows.

    See Also
    --------
    im2col : the same product, one row per window.
    conv_transpose2d : ``Mᵀ`` applied without building ``M``.

    Examples
    --------
    The 2 × 2 kernel of *Dive into Deep Learning* on a 3 × 3 image: four
    outputs, nine pixels, each row the kernel laid out along one window.

    >>> kernel = np.arange(4).reshape(2, 2)
    >>> M = conv_matrix((3, 3), kernel)
    >>> M
    array([[0., 1., 0., 2., 3., 0., 0., 0., 0.],
           [0., 0., 1., 0., 2., 3., 0., 0., 0.],
           [0., 0., 0., 0., 1., 0., 2., 3., 0.],
           [0., 0., 0., 0., 0., 1., 0., 2., 3.]])
    >>> (M @ np.arange(9)).reshape(2, 2)
    array([[19., 25.],
           [37., 43.]])

    With ``'replicate'`` borders the padded cells fold back onto the edge
    pixels:

    >>> conv_matrix((1, 3), [[1, 10, 100]], padding="same", border="replicate")
    array([[ 11., 100.,   0.],
           [  1.,  10., 100.],
           [  0.,   1., 110.]])
    """
    weights = as_image(kernel, "kernel")
    # Only the matrix is built, checked below: depth=None.
    geometry = correlation_geometry(
        input_shape, weights.shape, padding, border, stride, dilation, depth=None
    )
    (h, w), (oh, ow) = geometry.input_shape, geometry.shape
    entries = oh * ow * h * w
    if entries > _MAX_MATRIX_ENTRIES:
        # Blame the padding if it adds most of the rows (one per output cell).
        padded = geometry.padded_shape
        cause = (
            f"`padding` {padding!r}"
            if padded[0] * padded[1] > 2 * h * w
            else f"`input_shape` {(h, w)}"
        )
        raise ValueError(
            f"{cause} gives a matrix of {oh * ow:,} × {h * w:,} = "
            f"{entries:,} entries, more than the {_MAX_MATRIX_ENTRIES:,} (32 MiB) "
            "that `conv_matrix` builds; use `correlate2d` or `im2col` instead"
        )
    (kh, kw), (sr, sc), (dr, dc) = weights.shape, geometry.stride, geometry.dilation
    (top, bottom), (left, right) = geometry.pads
    # Image row (column) read by each output row (column) and tap, -1 for zeros.
    rows = source_indices(h, top, bottom, geometry.border)[
        np.arange(oh)[:, np.newaxis] * sr + np.arange(kh) * dr
    ]
    cols = source_indices(w, left, right, geometry.border)[
        np.arange(ow)[:, np.newaxis] * sc + np.arange(kw) * dc
    ]
    # Axes (output row, output column, tap row, tap column).
    rows, cols = rows[:, np.newaxis, :, np.newaxis], cols[np.newaxis, :, np.newaxis, :]
    pixel = rows * w + cols
    reads = (rows >= 0) & (cols >= 0)
    output = np.arange(oh * ow).reshape(oh, ow, 1, 1)
    entry = np.broadcast_to(output * (h * w), reads.shape) + pixel
    positions = entry[reads]

    def matrix_of(kernel: FloatArray) -> FloatArray:
        taps = np.broadcast_to(kernel, reads.shape)[reads]
        return np.asarray(
            np.bincount(positions, weights=taps, minlength=entries), dtype=np.float64
        )

    # Weights that read the same pixel add up: that sum could overflow.
    matrix = multilinear(matrix_of, weights)
    largest = largest_magnitude(weights)
    require_finite(matrix, f"the matrix of `kernel` (largest |weight| {largest:.3g})")
    return np.asarray(matrix, dtype=np.float64).reshape(oh * ow, h * w)


def im2col(
    image: npt.ArrayLike,
    kernel_shape: int | tuple[int, int],
    *,
    padding: Padding = "valid",
    border: str = "zeros",
    stride: int | tuple[int, int] = 1,
    dilation: int | tuple[int, int] = 1,
) -> FloatArray:
    """Copy every window of a correlation into one row of a matrix.

    Parameters
    ----------
    image : (H, W), (H, W, C) or (N, H, W, C) array_like
        One image, one image with C channels, or a stack of N of them.
    kernel_shape : int or (int, int)
        ``(kh, kw)``.
    padding, border, stride, dilation
        As in :func:`~convdemo.ops.correlate2d`.

    Returns
    -------
    (N·H'·W', kh·kw·C) ndarray, float64
        One row per window, in output order (image, row, column); each row is
        the window flattened in the order of ``kernel.ravel()`` for a
        ``(kh, kw)`` kernel, or of ``kernels[f].ravel()`` for the
        ``(F, kh, kw, C)`` kernels of :func:`~convdemo.ops.conv2d`. N = C = 1
        for a 2-D image. ``(H', W')`` as in :func:`~convdemo.ops.output_shape`.

    Raises
    ------
    ValueError, TypeError
        As :func:`~convdemo.ops.correlate2d`; a ``ValueError`` also if the
        matrix would hold more than :data:`~convdemo.ops.MAX_VALUES` values,
        naming `kernel_shape`.

    Notes
    -----
    This is the im2col / GEMM view of a convolution: with the windows as
    rows, ``im2col(image, kernel.shape) @ kernel.ravel()`` is the flattened
    output of :func:`~convdemo.ops.correlate2d`, and a whole layer of F
    filters is one general matrix-matrix product (GEMM),
    ``im2col(image, (kh, kw)) @ kernels.reshape(F, -1).T``, which is how
    CNN libraries long computed convolutions on CPUs and GPUs: one large,
    cache-friendly product instead of many small sums.

    The price is memory: every pixel is copied once per window that reads
    it, about kh·kw times with stride 1, so the matrix is kh·kw·C times the
    size of the output of one filter. :func:`conv_matrix` holds the same
    numbers with one column per pixel instead, and grows as the square of
    the image.

    See Also
    --------
    conv_matrix : the matrix that multiplies the flattened image instead.
    convdemo.ops.sliding_windows : the same windows, one step at a time.

    Examples
    --------
    >>> image = np.arange(9).reshape(3, 3)
    >>> columns = im2col(image, (2, 2))
    >>> columns
    array([[0., 1., 3., 4.],
           [1., 2., 4., 5.],
           [3., 4., 6., 7.],
           [4., 5., 7., 8.]])
    >>> (columns @ np.arange(4)).reshape(2, 2)
    array([[19., 25.],
           [37., 43.]])
    """
    stack = as_stack(as_images(image))
    count, channels = stack.shape[0], stack.shape[3]
    geometry = correlation_geometry(
        stack.shape[1:3],
        kernel_shape,
        padding,
        border,
        stride,
        dilation,
        count * channels,
        kernel_name="kernel_shape",
    )
    windows = count * geometry.shape[0] * geometry.shape[1]
    taps = geometry.kernel_shape[0] * geometry.kernel_shape[1] * channels
    check_size((windows, taps), "kernel_shape", kernel_shape, "a matrix of windows")
    (kh, kw), (sr, sc), (dr, dc) = (
        geometry.kernel_shape,
        geometry.stride,
        geometry.dilation,
    )
    (oh, ow), channels = geometry.shape, stack.shape[3]
    padded = pad_stack(stack, geometry.pads, geometry.border)
    span = (dr * (kh - 1) + 1, dc * (kw - 1) + 1)
    # (N, rows, cols, C, span rows, span cols) -> (N, H', W', kh, kw, C).
    windows = sliding_window_view(padded, span, axis=(1, 2))
    windows = windows[:, : (oh - 1) * sr + 1 : sr, : (ow - 1) * sc + 1 : sc]
    windows = windows[..., ::dr, ::dc].transpose(0, 1, 2, 4, 5, 3)
    # One copy, always: never a view of the caller's array.
    return np.array(windows, order="C").reshape(-1, kh * kw * channels)


def _check_canvas(
    image: FloatArray,
    kernel: FloatArray,
    stride: tuple[int, int],
    dilation: tuple[int, int],
    extra: tuple[int, int],
) -> None:
    """Refuse a transposed convolution whose stamps cover more than MAX_VALUES cells.

    The canvas, before `padding` crops it, has (n − 1)·s + d·(k − 1) +
    output_padding + 1 cells per axis; the message names `stride` or
    `dilation` if that one makes it too large, else `image`.
    """

    def canvas(s: tuple[int, int], d: tuple[int, int]) -> tuple[int, int]:
        n, k = image.shape, kernel.shape
        return (
            (n[0] - 1) * s[0] + d[0] * (k[0] - 1) + extra[0] + 1,
            (n[1] - 1) * s[1] + d[1] * (k[1] - 1) + extra[1] + 1,
        )

    what = "an output (before `padding` crops it)"
    check_size(canvas((1, 1), (1, 1)), "image", image, what)
    check_size(canvas(stride, (1, 1)), "stride", stride, what)
    check_size(canvas(stride, dilation), "dilation", dilation, what)


def conv_transpose2d(
    image: npt.ArrayLike,
    kernel: npt.ArrayLike,
    *,
    stride: int | tuple[int, int] = 1,
    padding: int | tuple[int, int] = 0,
    output_padding: int | tuple[int, int] = 0,
    dilation: int | tuple[int, int] = 1,
) -> FloatArray:
    """Apply a transposed convolution: each input pixel stamps a scaled kernel.

    Every input pixel ``image[i, j]`` adds ``image[i, j] · kernel`` (its taps
    spaced by `dilation`) onto the output at ``(i·s_r, j·s_c)``; the sum is
    then cropped by `padding` on every side.

    Parameters
    ----------
    image : (H, W) array_like
        The input, e.g. a small feature map to upsample.
    kernel : (kh, kw) array_like
        The filter weights.
    stride : int or (int, int), optional
        Step, in output cells, between the stamps of neighbouring input
        pixels: the upsampling factor.
    padding : int or (int, int), optional
        Cells cropped from each side of the result: the `padding` of the
        correlation this transposes.
    output_padding : int or (int, int), optional
        Cells added at the bottom/right, to choose among the input sizes that
        a strided correlation maps to the same output size. Must be smaller
        than `stride` or than `dilation` on each axis, as in PyTorch.
    dilation : int or (int, int), optional
        Spacing between kernel taps.

    Returns
    -------
    (H'', W'') ndarray, float64
        Per axis ``(n − 1)·s − 2·p + d·(k − 1) + output_padding + 1``.

    Raises
    ------
    ValueError
        If `output_padding` is too large or the result would be empty,
        naming the parameter; if the output before cropping would hold more
        than :data:`~convdemo.ops.MAX_VALUES` values, naming `stride`,
        `dilation` or `image`; if a result is beyond the range of float64.

    Notes
    -----
    This is PyTorch's ``conv_transpose2d`` for one input and one output
    channel, and the transpose of a correlation with zero borders: with ``M``
    the matrix of ``correlate2d(·, kernel, padding=p, stride=s,
    dilation=d)`` on images of the output's shape (:func:`conv_matrix`),
    ``conv_transpose2d(y, kernel, ...).ravel() == M.T @ y.ravel()``, so for
    every x and y of matching shapes

    ``⟨correlate2d(x, kernel, ...), y⟩ = ⟨x, conv_transpose2d(y, kernel, ...)⟩``.

    That is why it is the gradient of a correlation with respect to its
    input (:func:`~convdemo.backward.correlate2d_backward`), and why, with
    a stride, it is also a stride-1 correlation of the input with zeros
    inserted between its pixels, padded by d(k − 1) − p, with the kernel
    turned by a half-turn ("fractionally strided" convolution). Where the
    stamps of neighbouring pixels overlap unevenly (kernel size not a
    multiple of the stride) the output shows a checkerboard.

    It is not a deconvolution in the signal-processing sense. Deconvolution
    undoes a blur: it looks for the x with ``correlate2d(x, kernel) = y``,
    applying an inverse (``M⁻¹``, or a regularised one such as a Wiener
    filter). The transposed convolution applies ``Mᵀ``, which restores the
    shape of x but not its values; ``Mᵀ M`` is not the identity. In a
    network its kernel is learned, so it upsamples however training needs.

    See Also
    --------
    conv_matrix : the matrix ``M`` whose transpose this applies.
    convdemo.backward.correlate2d_backward : the same product as a gradient.

    Examples
    --------
    The example of *Dive into Deep Learning*: each input value stamps the
    kernel, and overlapping stamps add.

    >>> image = np.array([[0, 1], [2, 3]])
    >>> kernel = np.array([[0, 1], [2, 3]])
    >>> conv_transpose2d(image, kernel)
    array([[ 0.,  0.,  1.],
           [ 0.,  4.,  6.],
           [ 4., 12.,  9.]])

    With stride 2 the stamps no longer overlap: the input is upsampled.

    >>> conv_transpose2d(image, kernel, stride=2)
    array([[0., 0., 0., 1.],
           [0., 0., 2., 3.],
           [0., 2., 0., 3.],
           [4., 6., 6., 9.]])

    A 3 × 3 kernel with stride 2 does not tile: where two stamps overlap the
    output gets twice as much, and a constant input comes out as a
    checkerboard.

    >>> conv_transpose2d(np.ones((2, 2)), np.ones((3, 3)), stride=2)
    array([[1., 1., 2., 1., 1.],
           [1., 1., 2., 1., 1.],
           [2., 2., 4., 2., 2.],
           [1., 1., 2., 1., 1.],
           [1., 1., 2., 1., 1.]])
    """
    array = as_image(image, "image")
    weights = as_image(kernel, "kernel")
    strides = as_pair(stride, "stride")
    dilations = as_pair(dilation, "dilation")
    pads = nonnegative_pair(padding, "padding")
    extra = nonnegative_pair(output_padding, "output_padding")
    for axis in (0, 1):
        if extra[axis] >= max(strides[axis], dilations[axis]):
            raise ValueError(
                "`output_padding` must be smaller than `stride` or `dilation` on "
                f"each axis (stride {strides}, dilation {dilations}), got {extra}"
            )
    sizes = [
        (n - 1) * s - 2 * p + d * (k - 1) + e + 1
        for n, s, p, d, k, e in zip(
            array.shape, strides, pads, dilations, weights.shape, extra, strict=True
        )
    ]
    if min(sizes) < 1:
        raise ValueError(
            f"`padding` {pads} crops more than the whole result, "
            f"(n − 1)·s + d·(k − 1) + output_padding + 1 = "
            f"{(sizes[0] + 2 * pads[0], sizes[1] + 2 * pads[1])} cells per axis"
        )
    _check_canvas(array, weights, strides, dilations, extra)
    geometry = Geometry(
        (sizes[0], sizes[1]),
        (weights.shape[0], weights.shape[1]),
        ((pads[0], pads[0]), (pads[1], pads[1])),
        strides,
        dilations,
        (array.shape[0], array.shape[1]),
    )
    stamped = multilinear(
        lambda x, k: transpose_stack(x, k, geometry),
        array[np.newaxis, :, :, np.newaxis],
        weights[np.newaxis, :, :, np.newaxis],
    )
    require_finite(stamped, lambda: _overflow(array, weights))
    cropped = stamped[0, pads[0] : pads[0] + sizes[0], pads[1] : pads[1] + sizes[1], 0]
    return cropped if pads == (0, 0) else np.array(cropped)


def checkerboard_contrast(
    image: npt.ArrayLike,
    stride: int | tuple[int, int],
    *,
    margin: int = 0,
) -> float:
    """Measure how much an upsampled image depends on the position in each block.

    An image upsampled by `stride` is made of ``s_r × s_c`` interleaved
    phases: the pixels whose row is ``a`` modulo ``s_r`` and whose column is
    ``b`` modulo ``s_c``. A smooth upsampling treats them alike; a transposed
    convolution whose kernel size is not a multiple of the stride gives some
    phases more overlapping stamps than others, the checkerboard artefact.

    Parameters
    ----------
    image : (H, W) array_like
        The upsampled image.
    stride : int or (int, int)
        The upsampling factor ``(s_r, s_c)``.
    margin : int, optional
        Rows and columns left out on every side (the border, where fewer
        stamps overlap whatever the kernel).

    Returns
    -------
    float
        ``(max − min) / mean`` of the mean of each phase over the interior:
        0 when every phase has the same mean, 4/3 when a constant image comes
        out as the 4, 2, 2, 1 pattern of a 3 × 3 kernel with stride 2.

    Raises
    ------
    ValueError
        If the interior holds less than one block, or the mean of the phase
        means is 0, naming the parameter.

    Examples
    --------
    A 3 × 3 kernel with stride 2 stamps the centre of each block four
    times, its edges twice and its corners once:

    >>> up = conv_transpose2d(np.ones((6, 6)), np.ones((3, 3)), stride=2)
    >>> up[2:6, 2:6]
    array([[4., 2., 4., 2.],
           [2., 1., 2., 1.],
           [4., 2., 4., 2.],
           [2., 1., 2., 1.]])
    >>> round(checkerboard_contrast(up, 2, margin=2), 4)
    1.3333

    A 4 × 4 kernel tiles the output evenly (4 stamps everywhere inside):

    >>> even = conv_transpose2d(np.ones((6, 6)), np.ones((4, 4)), stride=2)
    >>> checkerboard_contrast(even, 2, margin=2)
    0.0
    """
    array = as_image(image, "image")
    sr, sc = as_pair(stride, "stride")
    edge = nonnegative_int(margin, "margin")
    inner = array[edge : array.shape[0] - edge, edge : array.shape[1] - edge]
    if inner.shape[0] < sr or inner.shape[1] < sc:
        raise ValueError(
            f"`margin` {edge} leaves {inner.shape} of `image` {array.shape}, less "
            f"than one {sr} × {sc} block"
        )
    # The phase (row mod s_r, column mod s_c) of each interior pixel, counted
    # from the image's corner whatever the margin.
    rows = (np.arange(inner.shape[0]) + edge) % sr
    cols = (np.arange(inner.shape[1]) + edge) % sc
    phases = (rows[:, np.newaxis], cols[np.newaxis, :])
    sums, counts = np.zeros((sr, sc)), np.zeros((sr, sc))
    np.add.at(sums, phases, inner)
    np.add.at(counts, phases, 1.0)
    means = sums / counts
    average = float(means.mean())
    if average == 0:
        raise ValueError("`image` has a mean of 0 over its interior: no contrast")
    return float((means.max() - means.min()) / abs(average))
