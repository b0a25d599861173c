"""Numbers and arithmetic as the figures write them; no Matplotlib here.

Cell labels (:func:`format_value`), one output cell's arithmetic
(:func:`format_step`, public through :mod:`convdemo.draw`), kernels as
compact rows, the output-size formula, and the phrases of alt texts. The
command line uses :data:`MAX_CELLS`, so it is importable without a display.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from fractions import Fraction

import numpy as np
import numpy.typing as npt

from convdemo._validate import as_image
from convdemo.kernels import KERNELS
from convdemo.ops import ConvolutionStep, PoolingStep, Step

__all__ = [
    "MAX_CELLS",
    "MINUS",
    "axis_formula",
    "check_small",
    "factor",
    "format_step",
    "format_value",
    "kernel_form",
    "kernel_rows",
    "matrix_list",
    "matrix_text",
    "unread_text",
    "wrap_terms",
]

#: Largest matrix, rows or columns (padding included), whose numbers a figure
#: writes out cell by cell; the command line's ``pool --figure`` limit too.
MAX_CELLS = 24
#: The typographic minus sign of the labels.
MINUS = "\N{MINUS SIGN}"
# Kernel notes longer than this are replaced by the kernel's shape.
_KERNEL_NOTE_LIMIT = 36
# Largest denominator tried when writing a kernel that is not in the registry
# as whole numbers over a divisor.
_MAX_DIVISOR = 1024
# A caption's sum of products is broken into lines only beyond this length.
_SHORT_CAPTION = 56


def check_small(shape: tuple[int, ...], name: str, limit: int = MAX_CELLS) -> None:
    """Refuse matrices too large to write out cell by cell."""
    if max(shape) > limit:
        raise ValueError(
            f"`{name}` is too large to draw as numbers: shape {tuple(shape)}, at "
            f"most {limit} rows and columns (with padding); pass a crop"
        )


def format_value(value: float) -> str:
    """Return a short label for a number: integers as integers, floats cut.

    NaN (a padded cell in pooling) gives an empty label; negative numbers use
    the typographic minus sign.
    """
    number = float(value)
    if np.isnan(number):
        return ""
    if number.is_integer():
        text = str(int(number))
    elif abs(number) >= 100:
        text = f"{number:.1f}"
    else:
        text = np.format_float_positional(
            number, precision=3, unique=True, fractional=False, trim="-"
        )
    return text.replace("-", MINUS)


def factor(value: float) -> str:
    """Format a factor of a product, with negative numbers in parentheses."""
    text = format_value(value)
    return f"({text})" if text.startswith(MINUS) else text


def matrix_text(values: np.ndarray) -> str:
    """Return a matrix as nested lists for alt text, e.g. ``[[1, 0], [0, 1]]``."""
    rows = (
        "[" + ", ".join(format_value(v).replace(MINUS, "-") for v in row) + "]"
        for row in values
    )
    return "[" + ", ".join(rows) + "]"


def matrix_list(values: np.ndarray) -> str:
    """Return a small matrix as Python lists for alt text, 3 decimals at most."""
    return str(
        [
            [int(v) if float(v).is_integer() else round(float(v), 3) for v in row]
            for row in values
        ]
    )


def format_step(step: Step, kernel: npt.ArrayLike | None = None) -> str:
    """Write out the arithmetic of one output cell.

    Parameters
    ----------
    step : ConvolutionStep or PoolingStep
        One window, from :func:`convdemo.ops.sliding_windows` or
        :func:`convdemo.pooling.pool_windows`. A convolution step carries the
        kernel it applied (flipped for a convolution), a pooling step its
        mode.
    kernel : (kh, kw) array_like, optional
        A convolution step's kernel as given to ``sliding_windows``, to
        check: it must be the kernel the step applied (turned round when the
        step is a convolution's).

    Returns
    -------
    str
        For a convolution ``"w₀×k₀ + w₁×k₁ + … = value"``, the window values
        times the kernel values in row-major order, negative factors
        parenthesised. For a pooling the window's reduction, e.g.
        ``"max(1, 5, 3, 2) = 5"`` or ``"(1 + 5 + 3 + 2) / 4 = 2.75"``.

    Raises
    ------
    ValueError
        If `kernel` is not the kernel the step applied, or is given with a
        pooling step.

    See Also
    --------
    show_step : The same arithmetic drawn next to the matrices.

    Examples
    --------
    >>> import numpy as np
    >>> from convdemo.ops import pool_windows, sliding_windows
    >>> image = np.arange(9).reshape(3, 3)
    >>> step = next(sliding_windows(image, np.arange(4).reshape(2, 2)))
    >>> format_step(step)
    '0×0 + 1×1 + 3×2 + 4×3 = 19'
    >>> format_step(next(pool_windows(image, 2, mode="avg")))
    '(0 + 1 + 3 + 4) / 4 = 2'
    """
    if isinstance(step, PoolingStep):
        if kernel is not None:
            raise ValueError("`kernel` is not used with a pooling step, got one")
        return _pool_arithmetic(step)
    if kernel is not None:
        _check_given_kernel(step, kernel)
    terms = [
        f"{factor(w)}×{factor(k)}"
        for w, k in zip(step.window.ravel(), step.kernel.ravel(), strict=True)
    ]
    return " + ".join(terms) + " = " + format_value(step.value)


def _check_given_kernel(step: ConvolutionStep, kernel: npt.ArrayLike) -> None:
    """Refuse a kernel that is not the one the step applied, as given."""
    weights = as_image(kernel, "kernel")
    if weights.shape != step.window.shape:
        raise ValueError(
            f"`kernel` must have the shape of the window {step.window.shape}, "
            f"got shape {weights.shape}"
        )
    applied = weights[::-1, ::-1] if step.flipped else weights
    if not np.array_equal(applied, step.kernel):
        raise ValueError(
            "`kernel` must be the kernel given to sliding_windows for this step, "
            f"got {matrix_text(weights)}"
        )


def _pool_arithmetic(step: PoolingStep) -> str:
    """Write out the reduction of one pooling window (real cells only)."""
    values = step.window[step.valid]
    listed = [format_value(v) for v in values]
    result = format_value(step.value)
    if step.mode in ("max", "min"):
        return f"{step.mode}({', '.join(listed)}) = {result}"
    if step.mode == "avg":
        return f"({' + '.join(listed)}) / {len(listed)} = {result}"
    if step.mode == "l2":
        squares = " + ".join(f"{factor(v)}²" for v in values)
        return f"√({squares}) = {result}"
    power = format_value(step.p)
    terms = " + ".join(f"|{format_value(v)}|^{power}" for v in values)
    return f"({terms})^(1/{power}) = {result}"


def wrap_terms(text: str, per_line: int) -> str:
    """Break ``a×b + c×d + … = v`` after every `per_line` terms."""
    left, _, result = text.rpartition(" = ")
    terms = left.split(" + ")
    if len(terms) <= per_line or len(text) <= _SHORT_CAPTION:
        return text
    lines = [
        " + ".join(terms[start : start + per_line])
        for start in range(0, len(terms), per_line)
    ]
    return " +\n".join(lines) + " = " + result


def kernel_form(weights: np.ndarray) -> tuple[np.ndarray, float] | None:
    """Return ``(whole weights, divisor)`` when a kernel is best written so.

    A registered kernel gives its own weights and divisor (the Gaussian
    blur: ``(1 2 1 / 2 4 2 / 1 2 1) / 16``). Other weights are written so
    when they are whole numbers over a common divisor of at most 1024. None
    when the weights are whole numbers already, or sum to 0.
    """
    for entry in KERNELS.values():
        if entry.values.shape == weights.shape and np.array_equal(
            entry.values, weights
        ):
            return (entry.weights, float(entry.divisor)) if entry.divisor != 1 else None
    total = float(weights.sum())
    if np.allclose(weights, np.round(weights)) or np.isclose(total, 0.0):
        return None
    # The smallest whole divisor is the least common multiple of the
    # weights' denominators; try it (and 1 / sum) instead of 2, 3, … 1024.
    common = math.lcm(
        *(
            Fraction(float(v)).limit_denominator(_MAX_DIVISOR).denominator
            for v in weights.flat
        )
    )
    for divisor in (1 / total, *([common] if 2 <= common <= _MAX_DIVISOR else [])):
        scaled = weights * divisor
        if np.allclose(scaled, np.round(scaled), atol=1e-9):
            return np.round(scaled), float(divisor)
    return None


def kernel_rows(weights: np.ndarray, limit: int = _KERNEL_NOTE_LIMIT) -> str:
    """Return a kernel as compact rows, e.g. ``1 0 −1 / 1 0 −1 / 1 0 −1``.

    Normalised integer kernels are written as integers over their divisor,
    e.g. ``(1 2 1 / 2 4 2 / 1 2 1) / 16``; a kernel too long to write out in
    `limit` characters is named by its shape.
    """

    def rows(values: np.ndarray) -> str:
        return " / ".join(" ".join(format_value(v) for v in row) for row in values)

    text = rows(weights)
    if (form := kernel_form(weights)) is not None:
        integers, divisor = form
        text = f"({rows(integers)}) / {format_value(divisor)}"
    if len(text) > limit:
        text = f"{weights.shape[0]}×{weights.shape[1]} weights"
    return text


def axis_formula(n: int, pads: tuple[int, int], k: int, s: int, d: int, o: int) -> str:
    """Write ⌊(n + 2p − d(k−1) − 1)/s⌋ + 1 with the numbers of one axis."""
    top, bottom = pads
    padded = f"2·{top}" if top == bottom else f"{top} + {bottom}"
    return f"⌊({n} + {padded} − {d}·({k}−1) − 1)/{s}⌋ + 1 = {o}"


def _numbered(word: str, numbers: Sequence[int]) -> str:
    """Write ``row 4``, ``rows 2 and 5`` or ``rows 1, 3 and 5``."""
    listed = [str(n) for n in numbers]
    if len(listed) == 1:
        return f"{word} {listed[0]}"
    return f"{word}s {', '.join(listed[:-1])} and {listed[-1]}"


def unread_text(unread: np.ndarray) -> str:
    """Describe for alt text the input rows and columns that no window reads.

    `unread` covers the real cells only (padding removed). Windows read a set
    of rows times a set of columns, so the unread cells are whole rows and
    whole columns.
    """
    rows = [int(r) for r in np.flatnonzero(unread.all(axis=1))]
    cols = [int(c) for c in np.flatnonzero(unread.all(axis=0))]
    parts = [_numbered("row", rows)] if rows else []
    parts += [_numbered("column", cols)] if cols else []
    return (
        f"; input {' and '.join(parts)} (counted from 0) are read by no window, "
        "so they do not affect the output; they are hatched"
    )
