"""Shift the input, compare the maps: the shift experiment and blur-pooling.

:func:`shift_experiment` measures how much feature maps change, before and
after pooling, when the input moves by a few pixels; :func:`blur_pool`
blurs with a :func:`binomial_kernel` before subsampling, the anti-aliased
pooling that makes them change less. Pure NumPy; the public names are
re-exported by :mod:`convdemo.analysis`.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from convdemo._validate import as_image, as_pair, nonnegative_int, one_of, positive_int
from convdemo.kernels import get_kernel
from convdemo.ops import BORDERS, POOL_MODES, correlate2d, pool2d

__all__ = ["ShiftResult", "binomial_kernel", "blur_pool", "shift_experiment"]


def binomial_kernel(size: int = 3) -> np.ndarray:
    """Return a normalised 2-D binomial (blur) kernel of shape (size, size).

    Parameters
    ----------
    size : int, optional
        Number of taps per axis. 1 gives ``[[1.]]`` (no blur), 2 gives the
        2 × 2 box, 3 gives ``[1, 2, 1] ⊗ [1, 2, 1] / 16``.

    Returns
    -------
    (size, size) ndarray
        Outer product of the binomial coefficients ``C(size − 1, i)``,
        divided by its sum (which is ``4**(size − 1)``), so it sums to 1.

    Notes
    -----
    Binomial kernels are cheap approximations of a Gaussian. Their frequency
    response is ``cos(πf)**(size − 1)``: exactly zero at the Nyquist
    frequency, which is why they are the usual choice to remove what a
    stride-2 subsampling would alias.

    Examples
    --------
    >>> binomial_kernel(3) * 16
    array([[1., 2., 1.],
           [2., 4., 2.],
           [1., 2., 1.]])
    """
    size = positive_int(size, "size")
    row = np.array([math.comb(size - 1, i) for i in range(size)], dtype=np.float64)
    kernel: np.ndarray = np.outer(row, row) / row.sum() ** 2
    return kernel


def blur_pool(
    image: npt.ArrayLike,
    size: int | tuple[int, int] = 2,
    *,
    stride: int | tuple[int, int] = 2,
    mode: str = "max",
    blur: int = 3,
    border: str = "reflect",
    p: float = 2,
) -> np.ndarray:
    """Pool densely, blur, then subsample: anti-aliased pooling (BlurPool).

    Parameters
    ----------
    image : (H, W) array_like
        Feature map.
    size : int or (int, int), optional
        Pooling window. The window slides with stride 1 (a dense pool);
        ``size=1`` skips pooling, which gives a blurred strided subsampling
        (what Zhang calls BlurPool after a stride-1 convolution).
    stride : int or (int, int), optional
        Subsampling step, applied after the blur.
    mode : {'max', 'avg', 'min', 'l2', 'lp'}, optional
        Pooling mode, as in :func:`convdemo.ops.pool2d`.
    blur : int, optional
        Number of taps of the binomial blur per axis (see
        :func:`binomial_kernel`). ``blur=1`` means no blur, and then the
        result equals ``pool2d(image, size, stride=stride, mode=mode)``.
    border : {'reflect', 'zeros', 'replicate', 'wrap'}, optional
        How the blur sees past the edge of the pooled map ("same" padding,
        the extra cell on the bottom/right when `blur` is even).
    p : float, optional
        Exponent for ``mode='lp'``.

    Returns
    -------
    (⌊(H − k_r)/s_r⌋ + 1, ⌊(W − k_c)/s_c⌋ + 1) ndarray
        The same shape as ordinary strided pooling with window `size` and
        `stride`.

    Notes
    -----
    Strided pooling keeps one value out of every `stride`: a pattern finer
    than twice the stride folds back as a coarser false pattern (aliasing),
    and the output changes a lot when the input moves by one pixel. Zhang
    (2019, "Making convolutional networks shift-invariant again") splits
    the strided max pool into a dense max pool, a low-pass binomial blur,
    and a subsampling. The blur removes most of what would alias.

    See Also
    --------
    convdemo.ops.pool2d : ordinary pooling.
    binomial_kernel : the blur.

    Examples
    --------
    A stripe pattern of period 2, pooled with stride 2, depends on where the
    stripes fall. Blurred first, both phases give the same flat grey:

    >>> stripes = np.tile([0.0, 1.0], (4, 4))
    >>> stripes[0]
    array([0., 1., 0., 1., 0., 1., 0., 1.])
    >>> blur_pool(stripes, 1, blur=1)[0], blur_pool(stripes[:, 1:], 1, blur=1)[0]
    (array([0., 0., 0., 0.]), array([1., 1., 1., 1.]))
    >>> blur_pool(stripes, 1)[0, :3], blur_pool(stripes[:, 1:], 1)[0, :3]
    (array([0.5, 0.5, 0.5]), array([0.5, 0.5, 0.5]))
    """
    array = as_image(image)
    size_pair = as_pair(size, "size")
    stride_pair = as_pair(stride, "stride")
    mode = one_of(mode, "mode", POOL_MODES)
    blur = positive_int(blur, "blur")
    border = one_of(border, "border", BORDERS)
    if size_pair[0] > array.shape[0] or size_pair[1] > array.shape[1]:
        raise ValueError(
            f"`size` {size_pair} must fit inside `image` of shape {array.shape}"
        )
    if size_pair == (1, 1):
        dense = array
    else:
        dense = pool2d(array, size_pair, stride=1, mode=mode, p=p)
    if border == "reflect" and blur > 1 and min(dense.shape) <= blur // 2:
        # numpy's reflect padding needs at least pad + 1 cells.
        raise ValueError(
            f"`blur` {blur} with border='reflect' needs a pooled map of at least "
            f"{blur // 2 + 1} cells per side, got {dense.shape}"
        )
    return correlate2d(
        dense, binomial_kernel(blur), padding="same", border=border, stride=stride_pair
    )


@dataclass(frozen=True, eq=False)
class ShiftResult:
    """Feature maps of shifted copies of an image, and how much they change.

    Every array has one entry per shift, in the order of ``shifts``; entry
    ``i`` compares shift ``shifts[i]`` with the unshifted view (shift 0).

    Attributes
    ----------
    shifts : (n,) ndarray of int
        Shifts in pixels (content moves right, or down for ``axis=0``).
    axis : int
        0 for vertical shifts, 1 for horizontal ones.
    images : (n, H, W) ndarray
        The shifted views of the input.
    conv : (n, H − kh + 1, W − kw + 1) ndarray
        Cross-correlation of each view with the kernel ("valid" padding).
    pooled : (n, H'', W'') ndarray
        Each map in `conv` after pooling.
    conv_changed : (n,) ndarray
        Fraction of convolution cells whose value differs from shift 0 by
        more than `atol`.
    conv_change : (n,) ndarray
        Relative change of the convolution map at the same positions,
        ``‖c_s − c_0‖ / ‖c_0‖``.
    conv_equivariance_error : (n,) ndarray
        Largest ``|c_s − shift(c_0, s)|`` over the cells both maps share:
        0 (up to rounding) when convolution commutes with the shift.
    pooled_changed : (n,) ndarray
        Fraction of pooled cells whose value differs from shift 0, at the
        same position, by more than `atol`.
    pooled_change : (n,) ndarray
        Relative change of the pooled map at the same positions,
        ``‖p_s − p_0‖ / ‖p_0‖``: the strict measure of *invariance*, which
        also counts a map that merely moved as changed.
    pooled_offset : (n,) ndarray of int
        The whole number of pooled cells, ``⌊s/pool⌋`` or ``⌈s/pool⌉``, by
        which `pooled_copy_change` moves the unshifted pooled map: of the
        two nearest, the one it matches best (the smaller when they tie).
    pooled_copy_change : (n,) ndarray
        Relative change of the pooled map against the nearest shifted copy
        of the unshifted one, at the pooled resolution:
        ``‖p_s − shift(p_0, c)‖ / ‖shift(p_0, c)‖`` over the cells both
        share, with ``c = pooled_offset``. 0 means the pooled map is
        *equivariant* to that shift; NaN when the maps share no cell.
    pooled_copy_changed : (n,) ndarray
        Fraction of those shared cells that differ by more than `atol`
        (NaN when there are none).
    """

    shifts: np.ndarray
    axis: int
    images: np.ndarray
    conv: np.ndarray
    pooled: np.ndarray
    conv_changed: np.ndarray
    conv_change: np.ndarray
    conv_equivariance_error: np.ndarray
    pooled_changed: np.ndarray
    pooled_change: np.ndarray
    pooled_offset: np.ndarray
    pooled_copy_change: np.ndarray
    pooled_copy_changed: np.ndarray


def _relative_change(new: np.ndarray, reference: np.ndarray) -> float:
    """Return ‖new − reference‖ / ‖reference‖ (0 when both are zero)."""
    scale = float(np.linalg.norm(reference))
    difference = float(np.linalg.norm(new - reference))
    if scale == 0.0:
        return 0.0 if difference == 0.0 else math.inf
    return difference / scale


def _overlap(
    moved: np.ndarray, reference: np.ndarray, offset: int, axis: int
) -> tuple[np.ndarray, np.ndarray]:
    """Return the cells of `moved` and of `reference` moved by `offset` cells.

    Along `axis`, cell ``offset + j`` of `moved` faces cell ``j`` of
    `reference`; both parts are empty when the maps share no cell.
    """
    keep = max(0, moved.shape[axis] - offset)
    return (
        np.take(moved, np.arange(offset, offset + keep), axis=axis),
        np.take(reference, np.arange(keep), axis=axis),
    )


def _nearest_copy(
    pooled: np.ndarray, pooled_0: np.ndarray, shift: int, pool: int, axis: int
) -> tuple[int, float, np.ndarray]:
    """Compare a pooled map with the nearest shifted copies of the unshifted one.

    The content moved ``shift / pool`` cells: try the whole numbers of cells
    on either side and keep the closer match. Return the offset, the
    relative change and the absolute differences over the shared cells.
    """
    best: tuple[int, float, np.ndarray] | None = None
    for offset in sorted({shift // pool, -(-shift // pool)}):
        new, old = _overlap(pooled, pooled_0, offset, axis)
        if new.size == 0:
            continue
        change = _relative_change(new, old)
        if best is None or change < best[1]:
            best = (offset, change, np.abs(new - old))
    if best is None:
        return shift // pool, math.nan, np.empty(0)
    return best


def _as_shifts(shifts: Iterable[int]) -> np.ndarray:
    """Check `shifts` (non-negative integers, at least one) and return them."""
    if isinstance(shifts, str | bytes) or not isinstance(shifts, Iterable):
        raise TypeError(
            f"`shifts` must be a sequence of non-negative integers, got {shifts!r}"
        )
    values = [nonnegative_int(shift, "shifts") for shift in shifts]
    if not values:
        raise ValueError("`shifts` must contain at least one shift, got []")
    return np.array(values, dtype=np.int64)


def shift_experiment(
    image: npt.ArrayLike,
    shifts: Iterable[int] = range(4),
    *,
    kernel: str | npt.ArrayLike = "vertical",
    pool: int = 2,
    mode: str = "max",
    blur: int = 1,
    axis: int = 1,
    atol: float = 1e-9,
) -> ShiftResult:
    """Shift an image by a few pixels and measure how its feature maps change.

    Parameters
    ----------
    image : (H, W) array_like
        The input (for example :func:`convdemo.images.grid_image`).
    shifts : iterable of int, optional
        Shifts in pixels, each ≥ 0. The default ``range(4)`` gives 0–3 px.
    kernel : str or (kh, kw) array_like, optional
        A kernel name from :data:`convdemo.kernels.KERNELS` or the values.
    pool : int, optional
        Pooling window and stride (non-overlapping pooling).
    mode : {'max', 'avg', 'min', 'l2', 'lp'}, optional
        Pooling mode.
    blur : int, optional
        Binomial blur taps between a dense pool and the subsampling (see
        :func:`blur_pool`). The default 1 is ordinary pooling.
    axis : {1, 0}, optional
        1 moves the content to the right, 0 moves it down.
    atol : float, optional
        A pooled cell counts as changed when it moves by more than this.

    Returns
    -------
    ShiftResult
        The views, the maps and the measurements, one entry per shift.

    Notes
    -----
    A shift by `s` pixels is a crop, not ``np.roll``: with ``m = max(shifts)``
    the view for shift `s` is ``image[:, m − s : W − s]`` (for ``axis=1``),
    so every view is a real part of the image, ``W − m`` pixels wide, and
    its content sits `s` pixels further right than in the view for shift 0.
    Nothing wraps around and nothing is padded, so on the overlap the
    convolution of the shifted view equals the shifted convolution exactly:
    convolution is *equivariant* to shifts. Pooling with stride `pool`
    keeps one value per `pool` pixels, so it can only be *invariant* to
    shifts that keep each maximum inside its window.

    Two measures of the pooled map follow from that. `pooled_change`
    compares it with the unshifted map at the same cells, which counts a
    map that moved as a whole, as the pooled map does for a shift of
    exactly `pool` pixels, as changed. `pooled_copy_change` compares it with
    the unshifted map moved by the nearest whole number of cells (a pooled
    map cannot move by less than one cell), so it measures only what a
    shift does beyond moving the map: 0 for a shift of `pool` pixels, and
    the change that sub-cell shifts cause.

    See Also
    --------
    blur_pool : the anti-aliased pooling used when ``blur > 1``.

    Examples
    --------
    One bright column, moved right by 0 and 1 pixel:

    >>> image = np.zeros((4, 8))
    >>> image[:, 3] = 1
    >>> result = shift_experiment(image, [0, 1], kernel=[[1.0]], pool=2)
    >>> result.pooled[:, 0]
    array([[0., 1., 0.],
           [0., 1., 0.]])
    >>> result.pooled_changed, result.conv_equivariance_error
    (array([0., 0.]), array([0., 0.]))

    Moved by two pixels, the column leaves its pooling window: two of the
    three cells in each row change, yet the pooled map is its unshifted self
    moved by one cell:

    >>> moved = shift_experiment(image, [0, 2], kernel=[[1.0]], pool=2)
    >>> moved.pooled_changed.round(3), moved.pooled_offset
    (array([0.   , 0.667]), array([0, 1]))
    >>> moved.pooled_copy_change
    array([0., 0.])
    """
    array = as_image(image)
    steps = _as_shifts(shifts)
    weights = (
        get_kernel(kernel) if isinstance(kernel, str) else as_image(kernel, "kernel")
    )
    pool = positive_int(pool, "pool")
    mode = one_of(mode, "mode", POOL_MODES)
    blur = positive_int(blur, "blur")
    if axis not in (0, 1) or isinstance(axis, bool):
        raise ValueError(f"`axis` must be 0 or 1, got {axis!r}")
    if not isinstance(atol, int | float) or isinstance(atol, bool) or not atol >= 0:
        raise ValueError(f"`atol` must be a number >= 0, got {atol!r}")
    largest = int(steps.max())
    length = array.shape[axis] - largest
    needed = weights.shape[axis] + pool - 1
    if length < needed:
        raise ValueError(
            f"`shifts` up to {largest} leave views {length} px long along axis "
            f"{axis}; the kernel and a {pool}-pool need at least {needed}"
        )

    def view(shift: int) -> np.ndarray:
        start = largest - shift
        if axis == 1:
            return array[:, start : start + length]
        return array[start : start + length, :]

    def features(part: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        conv = correlate2d(part, weights)
        return conv, blur_pool(conv, pool, stride=pool, mode=mode, blur=blur)

    conv_0, pooled_0 = features(view(0))
    images, convs, pools = [], [], []
    conv_changed, conv_change, equivariance = [], [], []
    changed, pooled_change = [], []
    offsets, copy_change, copy_changed = [], [], []
    for shift in steps.tolist():
        part = view(shift)
        conv, pooled = features(part)
        images.append(part)
        convs.append(conv)
        pools.append(pooled)
        conv_changed.append(float(np.mean(np.abs(conv - conv_0) > atol)))
        conv_change.append(_relative_change(conv, conv_0))
        # Cells of the shifted map that exist in the unshifted map too.
        moved, original = _overlap(conv, conv_0, shift, axis)
        error = float(np.abs(moved - original).max()) if moved.size else 0.0
        equivariance.append(error)
        changed.append(float(np.mean(np.abs(pooled - pooled_0) > atol)))
        pooled_change.append(_relative_change(pooled, pooled_0))
        offset, change, differences = _nearest_copy(pooled, pooled_0, shift, pool, axis)
        offsets.append(offset)
        copy_change.append(change)
        copy_changed.append(
            float(np.mean(differences > atol)) if differences.size else math.nan
        )
    return ShiftResult(
        shifts=steps,
        axis=axis,
        images=np.stack(images),
        conv=np.stack(convs),
        pooled=np.stack(pools),
        conv_changed=np.array(conv_changed),
        conv_change=np.array(conv_change),
        conv_equivariance_error=np.array(equivariance),
        pooled_changed=np.array(changed),
        pooled_change=np.array(pooled_change),
        pooled_offset=np.array(offsets, dtype=np.int64),
        pooled_copy_change=np.array(copy_change),
        pooled_copy_changed=np.array(copy_changed),
    )
