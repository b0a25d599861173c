"""Correlation, its transpose and pooling on stacks of images, tap by tap.

The computing core of :mod:`convdemo.linear` and :mod:`convdemo.backward`.
Arrays here are stacks of shape ``(N, H, W, C)`` (images, rows, columns,
channels) whose arguments the public functions have already checked. A
correlation, its transpose and its kernel gradient are each a sum over the
kernel taps of one matrix product with a strided view of the stack, and a
pooling is one pass per window offset: no loop over pixels and no im2col
matrix, so memory stays within a few copies of the input and output.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, NamedTuple, TypeAlias

import numpy as np
import numpy.typing as npt

from convdemo._correlate import BLAS_WORK
from convdemo._geometry import (
    Geometry,
    correlation_geometry,
    pad,
)
from convdemo._validate import FloatArray, as_image, check_padded
from convdemo.pooling import _pool_arguments, extent, reduce_windows, window_cells

__all__ = [
    "Geometry",
    "Pooled",
    "as_images",
    "as_stack",
    "correlate_stack",
    "correlation_geometry",
    "fold_stack",
    "kernel_gradient_stack",
    "matmul",
    "pad_stack",
    "pool_backward",
    "pool_forward",
    "pooling_geometry",
    "source_indices",
    "tap_slices",
    "transpose_stack",
]

IndexArray: TypeAlias = npt.NDArray[np.intp]
Pads: TypeAlias = tuple[tuple[int, int], tuple[int, int]]

# Largest operand (elements) of one BLAS call in matmul: below it and below
# BLAS_WORK multiply-adds, OpenBLAS runs the product on a single thread.
_BLAS_OPERAND = 1 << 13


# ---------------------------------------------------------------------------
# Stacks, and where each tap reads
# ---------------------------------------------------------------------------


def as_images(value: npt.ArrayLike) -> FloatArray:
    """Validate `image`: a finite (H, W), (H, W, C) or (N, H, W, C) array."""
    array = as_image(value, "image", ndim=None)
    if array.ndim not in (2, 3, 4):
        raise ValueError(
            "`image` must be an (H, W), (H, W, C) or (N, H, W, C) array, "
            f"got shape {array.shape}"
        )
    return array


def as_stack(image: FloatArray) -> FloatArray:
    """View an (H, W), (H, W, C) or (N, H, W, C) array as (N, H, W, C)."""
    if image.ndim == 2:
        return image[np.newaxis, :, :, np.newaxis]
    if image.ndim == 3:
        return image[np.newaxis]
    return image


def tap_slices(geometry: Geometry) -> Iterator[tuple[int, int, slice, slice]]:
    """Yield each tap ``(u, v)`` with the padded rows and columns it reads.

    Tap ``(u, v)`` of output cell ``(i, j)`` reads padded cell
    ``(i·s_r + u·d_r, j·s_c + v·d_c)``; over all outputs that is one strided
    slice per axis.
    """
    (kh, kw), (oh, ow) = geometry.kernel_shape, geometry.shape
    (sr, sc), (dr, dc) = geometry.stride, geometry.dilation
    for u in range(kh):
        rows = slice(u * dr, u * dr + (oh - 1) * sr + 1, sr)
        for v in range(kw):
            yield u, v, rows, slice(v * dc, v * dc + (ow - 1) * sc + 1, sc)


def source_indices(n: int, before: int, after: int, border: str) -> IndexArray:
    """Return, for each cell of a padded axis, the image index it copies.

    -1 marks a cell that holds a zero. The indices come from padding
    ``1, 2, …, n`` with :func:`~convdemo.ops.pad` itself, so every border
    mode, including borders wider than the image, means here what it means
    there.
    """
    positions = pad(
        np.arange(1, n + 1)[np.newaxis], ((0, 0), (before, after)), border=border
    )
    return np.asarray(positions[0], dtype=np.intp) - 1


def pad_stack(stack: FloatArray, pads: Pads, border: str) -> FloatArray:
    """Pad axes 1 and 2 of an ``(N, H, W, C)`` stack."""
    if pads == ((0, 0), (0, 0)):
        return stack
    if border == "zeros":
        return np.pad(stack, ((0, 0), pads[0], pads[1], (0, 0)))
    rows = source_indices(stack.shape[1], *pads[0], border)
    cols = source_indices(stack.shape[2], *pads[1], border)
    return np.take(np.take(stack, rows, axis=1), cols, axis=2)


def _fold_axis(
    grad: FloatArray, source: IndexArray, before: int, n: int, axis: int
) -> FloatArray:
    """Add each padded cell's value onto the image cell it copies, along `axis`.

    The adjoint of padding one axis with `before` cells first: the image
    itself sits at padded positions ``before … before + n − 1``; border cells
    copied from the image (reflect, replicate, wrap) send their value back to
    their source, zeros send nothing.
    """
    out = np.array(np.take(grad, np.arange(before, before + n), axis=axis))
    position = np.arange(source.size)
    border = np.flatnonzero(
        (source >= 0) & ((position < before) | (position >= before + n))
    )
    if border.size:
        index: list[Any] = [slice(None)] * grad.ndim
        index[axis] = source[border]
        np.add.at(out, tuple(index), np.take(grad, border, axis=axis))
    return out


def fold_stack(
    grad: FloatArray, pads: Pads, border: str, input_shape: tuple[int, int]
) -> FloatArray:
    """Return the adjoint of :func:`pad_stack`: the gradient for the unpadded stack."""
    h, w = input_shape
    (top, bottom), (left, right) = pads
    if border == "zeros":
        return np.array(grad[:, top : top + h, left : left + w])
    grad = _fold_axis(grad, source_indices(h, top, bottom, border), top, h, axis=1)
    return _fold_axis(grad, source_indices(w, left, right, border), left, w, axis=2)


# ---------------------------------------------------------------------------
# The three sums over taps
# ---------------------------------------------------------------------------


def matmul(a: FloatArray, b: FloatArray) -> FloatArray:
    """Return ``a @ b`` for 2-D arrays, as products small enough for one BLAS thread.

    OpenBLAS runs a product on several threads once an operand or the work
    passes a size threshold; on a busy machine, threads that wait for a free
    core slow a product down many times over (a dot product of 16,384 numbers
    was seen to take 24 ms instead of 0.01 ms). So an inner axis of 1 (an
    outer product) is a broadcast multiplication, and otherwise every BLAS
    call here sees operands of at most 2¹³ elements and at most 2¹⁸
    multiply-adds: the inner axis is cut into pieces whose products are
    added (a kernel gradient sums over every pixel), and the rows of each
    piece go in a stack of small products, which NumPy loops over in C.
    """
    rows, inner = a.shape
    columns = b.shape[1]
    if inner == 1:
        return a * b
    piece = max(1, min(inner, _BLAS_OPERAND // columns))
    block = max(1, min(rows, _BLAS_OPERAND // piece, BLAS_WORK // (piece * columns)))
    whole = rows - rows % block
    out = np.zeros((rows, columns))
    for start in range(0, inner, piece):
        left, right = a[:, start : start + piece], b[start : start + piece]
        if whole:
            stacked = left[:whole].reshape(-1, block, left.shape[1])
            out[:whole] += np.matmul(stacked, right).reshape(whole, columns)
        if whole < rows:
            out[whole:] += left[whole:] @ right
    return out


def correlate_stack(
    padded: FloatArray, weights: FloatArray, geometry: Geometry
) -> FloatArray:
    """Correlate a padded ``(N, Hp, Wp, C)`` stack with ``(F, kh, kw, C)`` filters.

    Returns ``(N, H', W', F)``: for each tap, the strided view of the input
    that the tap reads, times the tap's ``(C, F)`` weights, summed over taps.
    """
    n, channels = padded.shape[0], padded.shape[3]
    (oh, ow), filters = geometry.shape, weights.shape[0]
    out = np.zeros((n * oh * ow, filters))
    for u, v, rows, cols in tap_slices(geometry):
        view = padded[:, rows, cols].reshape(-1, channels)
        out += matmul(view, weights[:, u, v, :].T)
    return out.reshape(n, oh, ow, filters)


def transpose_stack(
    grad: FloatArray, weights: FloatArray, geometry: Geometry
) -> FloatArray:
    """Apply the transpose of :func:`correlate_stack` (before padding is folded).

    `grad` is ``(N, H', W', F)``; returns the ``(N, Hp, Wp, C)`` padded stack
    in which every output cell has added its value times the kernel onto the
    cells its window read (a scatter-add, one strided slice per tap).
    """
    n, filters = grad.shape[0], grad.shape[3]
    channels = weights.shape[3]
    out = np.zeros((n, *geometry.padded_shape, channels))
    flat = grad.reshape(-1, filters)
    for u, v, rows, cols in tap_slices(geometry):
        product = matmul(flat, weights[:, u, v, :])
        out[:, rows, cols] += product.reshape(n, *geometry.shape, channels)
    return out


def kernel_gradient_stack(
    grad: FloatArray, padded: FloatArray, geometry: Geometry
) -> FloatArray:
    """Return ``(F, kh, kw, C)``: each tap's weights times what it read, summed.

    ``result[f, u, v, c] = Σ_{n, i, j} grad[n, i, j, f] · padded[n, i·s_r +
    u·d_r, j·s_c + v·d_c, c]``, a correlation of the input with the output
    gradient.
    """
    filters, channels = grad.shape[3], padded.shape[3]
    flat = grad.reshape(-1, filters).T
    out = np.empty((filters, *geometry.kernel_shape, channels))
    for u, v, rows, cols in tap_slices(geometry):
        out[:, u, v, :] = matmul(flat, padded[:, rows, cols].reshape(-1, channels))
    return out


# ---------------------------------------------------------------------------
# Pooling
# ---------------------------------------------------------------------------


def pooling_geometry(
    shape: tuple[int, int],
    size: Any,
    stride: Any,
    padding: Any,
    ceil_mode: Any,
    depth: int = 1,
) -> Geometry:
    """Validate pooling arguments; return the windows as a geometry.

    `depth` maps (channels, stacked images) are padded at once; the padded
    copy must fit within :data:`~convdemo.ops.MAX_VALUES`.
    """
    sizes, strides, pads, out = _pool_arguments(shape, size, stride, padding, ceil_mode)
    widths = extent(shape, sizes, strides, pads, out)
    check_padded(shape, widths, "padding", padding, depth)
    return Geometry(shape, sizes, widths, strides, (1, 1), out)


class Pooled(NamedTuple):
    """A pooling of an (N, H, W, C) stack, with what its backward pass needs.

    Attributes
    ----------
    geometry : Geometry
        The windows: size, stride, the rows and columns added on each side
        (padding, and the partial windows of ``ceil_mode``), output shape.
    mode, p : str, float
        The reduction.
    count_include_pad : bool
        ``'avg'``: whether padded cells count in the divisor.
    values : (N, Hp, Wp, C) ndarray
        The padded input; padded cells hold −∞ (max), +∞ (min) or 0 (the
        others), so they never count.
    out : (N, H', W', C) ndarray
        The pooled values.
    """

    geometry: Geometry
    mode: str
    p: float
    count_include_pad: bool
    values: FloatArray
    out: FloatArray


def _window_cells(geometry: Geometry, count_include_pad: bool) -> FloatArray:
    """Return ``(1, H', W', 1)``: how many cells each window counts for ``'avg'``."""
    rows, cols = (
        window_cells(
            geometry.input_shape[axis],
            geometry.kernel_shape[axis],
            geometry.stride[axis],
            geometry.pads[axis][0],
            geometry.shape[axis],
            count_include_pad,
        )
        for axis in (0, 1)
    )
    cells = np.multiply.outer(rows, cols)
    return np.asarray(cells[np.newaxis, :, :, np.newaxis], dtype=np.float64)


def _pool_taps(geometry: Geometry) -> list[tuple[Any, ...]]:
    """Return the index of each window offset's view of a padded stack."""
    return [(slice(None), rows, cols) for _, _, rows, cols in tap_slices(geometry)]


def pool_forward(
    stack: FloatArray,
    geometry: Geometry,
    mode: str,
    p: float,
    count_include_pad: bool = False,
) -> Pooled:
    """Pool every channel of an (N, H, W, C) stack, one pass per window offset.

    The values are those of :func:`~convdemo.ops.pool2d`; where an ``'lp'``
    value is beyond float64 it is infinite (the caller refuses it).
    """
    fill = {"max": -np.inf, "min": np.inf}.get(mode, 0.0)
    values = stack
    if geometry.pads != ((0, 0), (0, 0)):
        widths = ((0, 0), *geometry.pads, (0, 0))
        values = np.pad(values, widths, constant_values=fill)
    cells = _window_cells(geometry, count_include_pad) if mode == "avg" else None
    out = reduce_windows(values, _pool_taps(geometry), mode, p, cells)
    return Pooled(geometry, mode, p, count_include_pad, values, out)


def pool_backward(pooled: Pooled, grad: FloatArray) -> FloatArray:
    """Return the gradient for the stack given the gradient for ``pooled.out``."""
    geometry, mode, out = pooled.geometry, pooled.mode, pooled.out
    scattered = np.zeros(pooled.values.shape)
    if mode in ("max", "min"):
        # The first cell in row-major order that equals the window's value
        # takes the whole gradient, as Step.pick in pool_windows.
        unclaimed = np.ones(out.shape, dtype=np.bool_)
        wins = np.empty(out.shape, dtype=np.bool_)
        for _, _, rows, cols in tap_slices(geometry):
            np.equal(pooled.values[:, rows, cols], out, out=wins)
            wins &= unclaimed
            scattered[:, rows, cols] += grad * wins
            unclaimed ^= wins
    elif mode == "avg":
        share = grad / _window_cells(geometry, pooled.count_include_pad)
        for _, _, rows, cols in tap_slices(geometry):
            scattered[:, rows, cols] += share
    else:
        # ∂‖x‖_p/∂x_i = sign(x_i)·(|x_i| / ‖x‖_p)^(p−1): the ratio is at most
        # 1, so for p ≥ 1 nothing overflows. A cell with x = 0 gets 0 (the
        # derivative for p > 1), and so does every cell of a window whose
        # norm is 0 (a subgradient of the norm at the origin).
        norm = np.where(out > 0, out, 1.0)
        slope = np.empty(out.shape)
        with np.errstate(over="ignore"):
            for _, _, rows, cols in tap_slices(geometry):
                cell = pooled.values[:, rows, cols]
                np.divide(np.abs(cell), norm, out=slope)
                # Where x = 0 the ratio 0 stays: no 0 ** (p − 1) for p < 1.
                np.power(slope, pooled.p - 1.0, out=slope, where=cell != 0)
                slope *= np.sign(cell)
                scattered[:, rows, cols] += grad * slope
    # Padded cells are not part of the input: their gradient is dropped.
    (top, _), (left, _) = geometry.pads
    h, w = geometry.input_shape
    if geometry.pads == ((0, 0), (0, 0)):
        return scattered
    return np.array(scattered[:, top : top + h, left : left + w])
