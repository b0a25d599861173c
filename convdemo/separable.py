"""Separable kernels: a column times a row, two 1-D passes instead of one 2-D.

A kernel is *separable* when it is the outer product of a column and a row,
``kernel = column ⊗ row``: the matrix has rank 1. Correlating with it is then
the same as correlating with the column (down every column of the image),
then with the row (along every row of the result): ``kh + kw``
multiplications per output instead of ``kh · kw``. The story's Prewitt
filters are separable (``[1, 1, 1]ᵀ · [1, 0, −1]``), and so are the box and
Gaussian blurs; :func:`separate` finds the two factors.

``correlate2d(..., method="auto")`` uses the two passes by itself where
they are faster (``convdemo._routes``). Everything here is pure NumPy.
"""

from __future__ import annotations

import math
import numbers

import numpy as np
import numpy.typing as npt

from convdemo._validate import FloatArray, as_image

__all__ = ["SEPARABLE_MAX_TAPS", "SEPARABLE_MIN_TAPS", "separate"]


# Two 1-D passes cost kh + kw taps per output cell and one more sweep over
# memory; the 2-D sum costs one per non-zero tap. `auto` separates a rank-1
# kernel of at least SEPARABLE_MIN_TAPS taps whose two factors have at most
# SEPARABLE_MAX_TAPS taps together; beyond that the FFT is faster. Measured
# as above: two passes over the direct route took 1.4 to 1.9 times as long
# for 3 × 3 kernels, 0.26 to 0.62 for 4 × 4 and 0.17 to 0.35 for 9 × 9 to
# 15 × 15; against the FFT, on 256 × 256 to 1024 × 1024 images, 0.7 to 1.0
# times as long for 9 × 9 and 0.9 to 1.3 times for 11 × 11.
SEPARABLE_MIN_TAPS = 16
"""Taps from which ``correlate2d(..., method="auto")`` separates a rank-1 kernel."""
SEPARABLE_MAX_TAPS = 20
"""Most taps, column and row together, that ``method="auto"`` separates."""

# A factor whose entries are within this (relative) distance of integers, once
# scaled, is written with those integers.
_INTEGER_TOLERANCE = 1e-9
# Scalings tried to turn a factor into integers: its smallest non-zero entry
# becomes 1, 2, … up to this (so that [2, 3, 2] is found, not [1, 1.5, 1]).
_LARGEST_MULTIPLIER = 12


def _integer_pattern(vector: FloatArray) -> FloatArray | None:
    """Return the smallest whole numbers proportional to `vector`, or None.

    Their first non-zero entry is positive; the scale, which carries the
    sign, is left out.
    """
    size = np.abs(vector)
    nonzero = np.flatnonzero(size > _INTEGER_TOLERANCE * size.max())
    first = vector[nonzero[0]]
    unit = vector * (math.copysign(1.0, first) / size[nonzero].min())
    # One row per multiplier 1, 2, …: the first row of whole numbers wins.
    multipliers = np.arange(1.0, _LARGEST_MULTIPLIER + 1.0)[:, np.newaxis]
    scaled = multipliers * unit
    rounded = np.round(scaled)
    error = np.abs(scaled - rounded).max(axis=1)
    fits = np.flatnonzero(
        error <= _INTEGER_TOLERANCE * multipliers[:, 0] * np.abs(unit).max()
    )
    if fits.size == 0:
        return None
    integers: FloatArray = rounded[fits[0]] + 0.0
    return integers


def _integer_factors(
    weights: FloatArray, column: FloatArray, row: FloatArray
) -> tuple[FloatArray, FloatArray] | None:
    """Rescale the factors of a rank-1 kernel to whole numbers where possible.

    The column becomes its integer pattern; if the row then holds integers as
    well, that is the answer (Prewitt: [1, 1, 1] and [1, 0, −1]). Otherwise a
    scale common to both (a divisor such as 1/256) is shared between them as
    its square root, the sign going to the row, so that a normalised
    Gaussian gives two normalised binomials. The scale is read off the
    kernel's largest entry, not the decomposition, so that it is exact when
    the kernel's entries are.
    """
    column_pattern = _integer_pattern(column)
    row_pattern = _integer_pattern(row)
    if column_pattern is None or row_pattern is None:
        return None
    column_integers, row_integers = column_pattern, row_pattern
    pattern = np.outer(column_integers, row_integers)
    where = np.unravel_index(np.argmax(np.abs(pattern)), pattern.shape)
    scale = float(weights[where] / pattern[where])
    row_with_scale = row_integers * scale
    rounded = np.round(row_with_scale)
    if np.all(
        np.abs(row_with_scale - rounded)
        <= _INTEGER_TOLERANCE * max(1.0, np.abs(row_with_scale).max())
    ):
        return column_integers, rounded + 0.0
    root = math.sqrt(abs(scale))
    return column_integers * root, row_integers * math.copysign(root, scale)


def separate(
    kernel: npt.ArrayLike, tol: float = 1e-10
) -> tuple[FloatArray, FloatArray] | None:
    """Split a rank-1 kernel into a column and a row whose outer product it is.

    Parameters
    ----------
    kernel : (kh, kw) array_like
        The filter weights.
    tol : float, optional
        The kernel counts as rank 1 when its second singular value is at
        most ``tol`` times its first. Must be ≥ 0.

    Returns
    -------
    ((kh,) ndarray, (kw,) ndarray) or None
        ``(column, row)`` with ``np.outer(column, row)`` equal to the kernel
        up to `tol` (relative to its largest singular value), or None when
        the kernel is not separable. When the factors can be written with
        whole numbers they are: the column is the smallest integers with a
        positive first non-zero entry, the row takes the rest. A scale that
        is not a whole number (the 1/256 of a normalised 5 × 5 Gaussian) is
        shared between the two as its square root.

    Raises
    ------
    TypeError
        If `tol` is not a real number.
    ValueError
        If `tol` is negative or not finite.

    Notes
    -----
    The factors come from the singular value decomposition
    ``kernel = Σ_i σ_i u_i v_iᵀ``: rank 1 means ``σ_2 ≈ 0``, and then
    ``kernel ≈ (√σ_1 u_1)(√σ_1 v_1)ᵀ``. A kernel of zeros is rank 0 and gives
    None. Correlating with the column and then the row,
    ``correlate2d(correlate2d(image, column[:, None]), row[None, :])``, is
    correlating with the kernel: ``kh + kw`` products per output instead of
    ``kh · kw``.

    See Also
    --------
    convdemo.ops.correlate2d : uses the two passes where they are faster.
    numpy.linalg.svd : the decomposition used.

    Examples
    --------
    >>> column, row = separate([[1, 0, -1], [1, 0, -1], [1, 0, -1]])
    >>> column, row
    (array([1., 1., 1.]), array([ 1.,  0., -1.]))
    >>> separate([[1, 0, -1], [2, 0, -2], [1, 0, -1]])
    (array([1., 2., 1.]), array([ 1.,  0., -1.]))
    >>> separate(np.outer([1, 2, 1], [1, 2, 1]) / 16)
    (array([0.25, 0.5 , 0.25]), array([0.25, 0.5 , 0.25]))
    >>> separate([[0, 1], [1, 0]]) is None
    True
    """
    weights = as_image(kernel, "kernel")
    value: object = tol  # checked here, whatever its type
    if isinstance(value, bool | np.bool_) or not isinstance(value, numbers.Real):
        raise TypeError(f"`tol` must be a finite number >= 0, got {tol!r}")
    limit = float(value)
    if not (math.isfinite(limit) and limit >= 0):
        raise ValueError(f"`tol` must be a finite number >= 0, got {tol!r}")
    u, sigma, vt = np.linalg.svd(weights)
    if sigma[0] == 0.0 or (sigma.size > 1 and sigma[1] > limit * sigma[0]):
        return None
    root = math.sqrt(sigma[0])
    column, row = u[:, 0] * root, vt[0] * root
    found = _integer_factors(weights, column, row)
    if found is not None and _reproduces(weights, *found, limit, sigma[0]):
        return found
    # Sign convention as above: the column's first non-zero entry positive.
    first = column[np.flatnonzero(np.abs(column) > 0.0)[0]]
    if first < 0:
        column, row = -column, -row
    return column + 0.0, row + 0.0


def _reproduces(
    weights: FloatArray, column: FloatArray, row: FloatArray, tol: float, size: float
) -> bool:
    """Return True if ``column ⊗ row`` equals `weights` within the rank tolerance."""
    error = float(np.abs(np.outer(column, row) - weights).max())
    return error <= max(tol, 4 * np.finfo(np.float64).eps) * size
