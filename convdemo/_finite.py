"""Finite results from finite inputs: rescaling around float64 overflow.

Sums of products of finite numbers can overflow float64 (±1.8e308) even when
the exact result is representable: ``10·1e308 − 10·1e308`` is 0, but its
products are ±inf and their sum NaN. The operations here are linear in each
argument, so scaling an argument by a power of two scales the result by the
same power, exactly (floating-point numbers store a binary exponent): they
are computed once as they are, and only where that gave a non-finite value
again on the inputs scaled into [−1, 1], then scaled back. What is still not
finite then has no float64 value, and the caller reports it with the names
of its inputs.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import TypeAlias

import numpy as np

from convdemo._validate import FloatArray

__all__ = [
    "all_finite",
    "binary_exponent",
    "largest_magnitude",
    "multilinear",
    "overflow_error",
    "require_finite",
]

# What overflowed: a message, or a function that writes it when needed.
Describe: TypeAlias = str | Callable[[], str]


def all_finite(array: FloatArray) -> bool:
    """Return True if no value of `array` is NaN or infinite."""
    # min and max propagate NaN and expose ±inf without a temporary array.
    return array.size == 0 or bool(
        np.isfinite(array.min()) and np.isfinite(array.max())
    )


def largest_magnitude(array: FloatArray) -> float:
    """Return ``max|array|`` without a temporary array (0 for an empty one)."""
    if array.size == 0:
        return 0.0
    return max(float(array.max()), -float(array.min()))


def binary_exponent(array: FloatArray) -> int:
    """Return the e for which ``max|array| < 2**e`` (0 for an array of zeros)."""
    return math.frexp(largest_magnitude(array))[1]


def multilinear(
    product: Callable[..., FloatArray],
    *arrays: FloatArray,
    describe: Describe | None = None,
) -> FloatArray:
    """Return ``product(*arrays)``, finite wherever its exact value is.

    `product` must be linear in each argument (a correlation of an image
    with a kernel, a transposed correlation, a kernel gradient) and return a
    new array. It runs once on the arguments as they are; if that gives
    non-finite values, it runs again on the arguments divided by powers of
    two that bring them into [−1, 1], and those cells take the rescaled
    values multiplied back. Cells whose exact value is beyond float64 stay
    infinite, or with `describe` raise :func:`overflow_error` with its
    message (checked only when the first run was not finite: no extra pass).

    Examples
    --------
    >>> image, kernel = np.array([1e308, 1e308]), np.array([10.0, -10.0])
    >>> multilinear(np.dot, image, kernel)
    array(0.)
    """
    with np.errstate(over="ignore", invalid="ignore"):
        out = np.asarray(product(*arrays))
    if all_finite(out):
        return out
    shifts = [binary_exponent(array) for array in arrays]
    with np.errstate(over="ignore", invalid="ignore", under="ignore"):
        scaled = np.asarray(
            product(*(np.ldexp(a, -e) for a, e in zip(arrays, shifts, strict=True)))
        )
        broken = ~np.isfinite(out)
        out[broken] = np.ldexp(scaled[broken], sum(shifts))
    if describe is not None:
        require_finite(out, describe)
    return out


def overflow_error(message: str, advice: str = "scale the inputs down") -> ValueError:
    """Return the error for a result beyond float64; `message` names what overflowed.

    `message` names the operation and its inputs, e.g. "the correlation of
    `image` (…) with `kernel` (…)"; the error adds "overflows", the reason
    and `advice`.
    """
    return ValueError(
        f"{message} overflows: its exact values are beyond the range of "
        f"float64 (±1.8e308); {advice}"
    )


def require_finite(
    array: FloatArray, describe: Describe, advice: str = "scale the inputs down"
) -> FloatArray:
    """Return `array` if every value is finite, else raise :func:`overflow_error`.

    `describe` is the message, or a function that writes it: only called on
    failure, so that describing the inputs costs nothing otherwise.
    """
    if not all_finite(array):
        raise overflow_error(describe() if callable(describe) else describe, advice)
    return array
