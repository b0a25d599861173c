"""Shared argument checks: validate early, once, with messages that help.

Every public function in :mod:`convdemo` checks its arguments with these
helpers before computing anything. A rejected argument raises ``TypeError``
(wrong kind of value) or ``ValueError`` (right kind, wrong value) whose
message names the parameter in backticks, shows the value received and, where
there is a fixed set of choices, lists them::

    `stride` must be a positive integer, got 0
    `mode` must be one of 'max', 'avg', 'min', 'l2', 'lp', got 'mean'
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterable
from typing import Any, TypeAlias

import numpy as np
import numpy.typing as npt

__all__ = [
    "MAX_VALUES",
    "FloatArray",
    "as_flag",
    "as_image",
    "as_pair",
    "as_shape",
    "check_padded",
    "check_size",
    "nonnegative_int",
    "nonnegative_pair",
    "one_of",
    "positive_int",
    "positive_number",
    "quote",
]

FloatArray: TypeAlias = npt.NDArray[np.float64]
"""What every operation returns: a float64 array, as :func:`as_image` makes it."""

MAX_VALUES = 1 << 26
"""The most values one array made by an operation may hold: 2²⁶ = 67,108,864.

That is 512 MiB of float64, room for an image of 50 megapixels (the limit of
:func:`convdemo.images.load_image`) with a wide border. Every operation
computes the shapes of its padded input and of its output before it
allocates them, and refuses larger ones with a ``ValueError`` that names the
parameter responsible (`padding`, `dilation`, `stride`, `size`, ...).
"""

# Names for the axes of the arrays the library works with, used to say which
# shape was expected.
_SHAPE_NAMES = {1: "(N,)", 2: "(H, W)", 3: "(H, W, C)", 4: "(F, kh, kw, C)"}


def quote(text: str, limit: int = 60) -> str:
    """Quote `text` for a message, shortened in the middle if it is long.

    Parameters
    ----------
    text : str
        What the user typed.
    limit : int, optional
        The longest ``repr`` kept whole; a longer one keeps its start and its
        end and says how long the text was.

    Returns
    -------
    str
        ``repr(text)``, or its first and last characters around ``…`` with
        the length of `text`.

    Examples
    --------
    >>> quote("1 0 -1")
    "'1 0 -1'"
    >>> print(quote("1 0 -1; " * 15000 + "x"))
    '1 0 -1; 1 0 -1; 1 0 -1; 1 0 -1; 1 0 -1; 1 0 -…0 -1; 1 0 -1; x' (120,001 characters)
    """
    shown = repr(text)
    if len(shown) <= limit:
        return shown
    head = repr(text[: limit * 3 // 4])[:-1]
    tail = repr(text[-(limit // 4) :])[1:]
    return f"{head}…{tail} ({len(text):,} characters)"


def _short(value: Any) -> str:
    """Return a short ``repr`` of `value` for an error message."""
    if isinstance(value, np.ndarray):
        return f"array of shape {value.shape} and dtype {value.dtype}"
    if isinstance(value, str):
        return quote(value)
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def check_size(
    shape: tuple[int, ...], name: str, value: Any, what: str | None = None
) -> None:
    """Refuse an array of `shape` with more than :data:`MAX_VALUES` values.

    Call it with the shape an operation is about to allocate, before
    allocating it.

    Parameters
    ----------
    shape : tuple of int
        The shape of the array to allocate.
    name : str
        The parameter responsible for its size, named in the message.
    value : object
        That parameter's value, shown in the message.
    what : str, optional
        What the array is, e.g. ``"a padded image"``; None when `value` is
        the array itself.

    Raises
    ------
    ValueError
        If the array would hold more than :data:`MAX_VALUES` values.

    Examples
    --------
    >>> check_size((300, 300), "padding", 0, "a padded image")
    >>> check_size((18001, 18001), "padding", 9000, "a padded image")
    Traceback (most recent call last):
    ...
    ValueError: `padding` = 9000 makes a padded image of shape (18001, 18001),
    324,036,001 values, more than the 67,108,864 (512 MiB of float64) that one
    array may hold
    """
    count = math.prod(shape)
    if count <= MAX_VALUES:
        return
    if what is None:
        start = f"`{name}` of shape {tuple(shape)} holds {count:,} values"
    else:
        start = (
            f"`{name}` = {_short(value)} makes {what} of shape {tuple(shape)}, "
            f"{count:,} values"
        )
    raise ValueError(
        f"{start}, more than the {MAX_VALUES:,} (512 MiB of float64) that one "
        "array may hold"
    )


def _is_int(value: Any) -> bool:
    """Return True for Python and NumPy integers, but not for booleans."""
    return isinstance(value, numbers.Integral) and not isinstance(
        value, bool | np.bool_
    )


def check_padded(
    size: tuple[int, int],
    pads: tuple[tuple[int, int], tuple[int, int]],
    name: str,
    value: Any,
    depth: int = 1,
) -> None:
    """Refuse an input, or its padded copy, with more than :data:`MAX_VALUES` values.

    Parameters
    ----------
    size : (int, int)
        The input's rows and columns.
    pads : ((int, int), (int, int))
        The rows and columns added: ``((top, bottom), (left, right))``.
    name : str
        The parameter that set `pads`, named if the padded copy is too large.
    value : object
        That parameter's value.
    depth : int, optional
        How many such images (channels, stacked images) are padded at once.

    Raises
    ------
    ValueError
        Naming `image` if the input itself is too large, else `name`.

    Examples
    --------
    >>> check_padded((1, 1), ((0, 0), (0, 0)), "padding", 0)
    >>> check_padded((1, 1), ((9000, 9000), (9000, 9000)), "padding", 9000)
    Traceback (most recent call last):
    ...
    ValueError: `padding` = 9000 makes a padded image of shape (18001, 18001), ...
    """
    extra = () if depth == 1 else (depth,)
    check_size((*size, *extra), "image", None)
    if pads != ((0, 0), (0, 0)):
        padded = (size[0] + pads[0][0] + pads[0][1], size[1] + pads[1][0] + pads[1][1])
        check_size((*padded, *extra), name, value, "a padded image")


def positive_int(value: Any, name: str) -> int:
    """Check that `value` is an integer ≥ 1 and return it as ``int``.

    Parameters
    ----------
    value : int
        The value to check. Booleans and floats (even ``2.0``) are rejected.
    name : str
        Parameter name used in the error message.

    Returns
    -------
    int
        `value` as a Python ``int``.

    Raises
    ------
    TypeError
        If `value` is not an integer.
    ValueError
        If `value` is below 1.

    Examples
    --------
    >>> positive_int(3, "size")
    3
    >>> positive_int(0, "stride")
    Traceback (most recent call last):
    ...
    ValueError: `stride` must be a positive integer, got 0
    """
    return _int_at_least(value, name, 1, "a positive integer")


def _int_at_least(value: Any, name: str, low: int, kind: str) -> int:
    """Return `value` as ``int`` if it is an integer ≥ `low`, else raise."""
    if not _is_int(value):
        raise TypeError(f"`{name}` must be {kind}, got {_short(value)}")
    if value < low:
        raise ValueError(f"`{name}` must be {kind}, got {value}")
    return int(value)


def nonnegative_int(value: Any, name: str) -> int:
    """Check that `value` is an integer ≥ 0 and return it as ``int``.

    As :func:`positive_int`, with 0 allowed: booleans and floats are
    rejected with a ``TypeError``, negative numbers with a ``ValueError``.

    Examples
    --------
    >>> nonnegative_int(0, "padding")
    0
    >>> nonnegative_int(-1, "padding")
    Traceback (most recent call last):
    ...
    ValueError: `padding` must be a non-negative integer, got -1
    """
    return _int_at_least(value, name, 0, "a non-negative integer")


def nonnegative_pair(value: Any, name: str) -> tuple[int, int]:
    """Turn a non-negative integer or a pair of them into a ``(rows, cols)`` pair.

    Parameters
    ----------
    value : int or (int, int)
        One amount for both axes, or one per axis (a tuple or a list).
    name : str
        Parameter name used in the error message.

    Returns
    -------
    (int, int)
        The amount for the rows and the amount for the columns.

    Raises
    ------
    TypeError
        If a value is not an integer (booleans and floats included).
    ValueError
        If a value is below 0, or a tuple or list does not hold two values.

    Examples
    --------
    >>> nonnegative_pair(0, "padding")
    (0, 0)
    >>> nonnegative_pair([1, 2], "output_padding")
    (1, 2)
    >>> nonnegative_pair((1, 2, 3), "padding")
    Traceback (most recent call last):
    ...
    ValueError: `padding` must be a non-negative int or a pair (rows, cols),
    got (1, 2, 3)
    """
    if isinstance(value, tuple | list):
        if len(value) != 2:
            raise ValueError(
                f"`{name}` must be a non-negative int or a pair (rows, cols), "
                f"got {value!r}"
            )
        return nonnegative_int(value[0], name), nonnegative_int(value[1], name)
    amount = nonnegative_int(value, name)
    return amount, amount


def as_flag(value: Any, name: str) -> bool:
    """Check that `value` is True or False and return it as ``bool``.

    Parameters
    ----------
    value : bool
        The value to check; NumPy booleans are accepted, 0 and 1 are not.
    name : str
        Parameter name used in the error message.

    Returns
    -------
    bool
        `value` as a Python ``bool``.

    Raises
    ------
    TypeError
        If `value` is not a boolean.

    Examples
    --------
    >>> as_flag(np.True_, "ceil_mode")
    True
    >>> as_flag(1, "bias")
    Traceback (most recent call last):
    ...
    TypeError: `bias` must be True or False, got 1
    """
    if not isinstance(value, bool | np.bool_):
        raise TypeError(f"`{name}` must be True or False, got {value!r}")
    return bool(value)


def positive_number(value: Any, name: str) -> float:
    """Check that `value` is a finite real number > 0 and return it as ``float``.

    Parameters
    ----------
    value : int or float
        The value to check. Booleans, NaN and infinities are rejected.
    name : str
        Parameter name used in the error message.

    Returns
    -------
    float
        The same number, converted to a Python ``float``.

    Raises
    ------
    TypeError
        If `value` is not a real number.
    ValueError
        If `value` is not finite or not above 0.

    Examples
    --------
    >>> positive_number(3, "p")
    3.0
    >>> positive_number(0, "p")
    Traceback (most recent call last):
    ...
    ValueError: `p` must be a finite number > 0, got 0
    """
    if isinstance(value, bool | np.bool_) or not isinstance(value, numbers.Real):
        raise TypeError(f"`{name}` must be a finite number > 0, got {_short(value)}")
    number = float(value)
    if not (math.isfinite(number) and number > 0):
        raise ValueError(f"`{name}` must be a finite number > 0, got {value!r}")
    return number


def as_pair(value: Any, name: str) -> tuple[int, int]:
    """Turn a positive integer or a pair of them into a ``(rows, cols)`` pair.

    Parameters
    ----------
    value : int or (int, int)
        One positive integer used for both axes, or one per axis.
    name : str
        Parameter name used in the error message.

    Returns
    -------
    (int, int)
        The value for the rows and the value for the columns.

    Raises
    ------
    TypeError
        If `value` (or one of its two items) is not an integer, or is a
        sequence whose length is not 2.
    ValueError
        If a value is below 1.

    Examples
    --------
    >>> as_pair(2, "stride")
    (2, 2)
    >>> as_pair((1, 3), "dilation")
    (1, 3)
    >>> as_pair(1.5, "stride")
    Traceback (most recent call last):
    ...
    TypeError: `stride` must be a positive integer or a pair of positive
    integers, got 1.5
    """
    message = f"`{name}` must be a positive integer or a pair of positive integers"
    if _is_int(value):
        if value < 1:
            raise ValueError(f"{message}, got {value}")
        return int(value), int(value)
    if isinstance(value, tuple | list | np.ndarray) and len(value) == 2:
        rows, cols = value
        if not (_is_int(rows) and _is_int(cols)):
            raise TypeError(f"{message}, got {_short(value)}")
        if rows < 1 or cols < 1:
            raise ValueError(f"{message}, got {_short(value)}")
        return int(rows), int(cols)
    raise TypeError(f"{message}, got {_short(value)}")


def as_shape(value: Any, name: str) -> tuple[int, int]:
    """Check that `value` is a 2-D shape, a pair of positive integers.

    Parameters
    ----------
    value : (int, int)
        ``(rows, cols)``, as a tuple or a list; one number is not a shape.
    name : str
        Parameter name used in the error message.

    Returns
    -------
    (int, int)
        The rows and the columns.

    Raises
    ------
    TypeError
        If `value` is not a tuple or list of two integers.
    ValueError
        If it does not have two items, or one is below 1.

    Examples
    --------
    >>> as_shape([5, 3], "input_shape")
    (5, 3)
    >>> as_shape(5, "input_shape")
    Traceback (most recent call last):
    ...
    TypeError: `input_shape` must be a pair (rows, cols), got 5
    """
    if isinstance(value, np.ndarray) or not isinstance(value, tuple | list):
        raise TypeError(f"`{name}` must be a pair (rows, cols), got {value!r}")
    if len(value) != 2:
        raise ValueError(f"`{name}` must be a pair (rows, cols), got {value!r}")
    return as_pair(tuple(value), name)


def one_of(value: Any, name: str, choices: Iterable[str]) -> str:
    """Check that `value` is one of the allowed strings and return it.

    Parameters
    ----------
    value : str
        The value to check (case-sensitive).
    name : str
        Parameter name used in the error message.
    choices : iterable of str
        The allowed values, listed in the message in this order.

    Returns
    -------
    str
        `value`, unchanged.

    Raises
    ------
    ValueError
        If `value` is not one of `choices`.

    Examples
    --------
    >>> one_of("max", "mode", ("max", "avg"))
    'max'
    >>> one_of("mean", "mode", ("max", "avg", "min", "l2", "lp"))
    Traceback (most recent call last):
    ...
    ValueError: `mode` must be one of 'max', 'avg', 'min', 'l2', 'lp', got 'mean'
    """
    options = tuple(choices)
    if not isinstance(value, str) or value not in options:
        listed = ", ".join(repr(option) for option in options)
        raise ValueError(f"`{name}` must be one of {listed}, got {_short(value)}")
    return value


def as_image(
    value: npt.ArrayLike,
    name: str = "image",
    *,
    ndim: int | tuple[int, ...] | None = 2,
) -> npt.NDArray[np.float64]:
    """Return `value` as a finite float64 array with the expected number of axes.

    No copy is made when `value` already is a float64 array.

    Parameters
    ----------
    value : array_like
        Numbers: booleans, integers or real floats. Complex numbers, objects,
        strings and dates are rejected, as are empty arrays, arrays holding
        NaN or infinity (or long doubles beyond the range of float64) and
        masked arrays with masked cells (a masked array with none is read as
        its data).
    name : str, optional
        Parameter name used in the error message.
    ndim : int or tuple of int or None, optional
        The allowed number(s) of axes: 2 for an ``(H, W)`` image, 3 for
        ``(H, W, C)``; None allows any.

    Returns
    -------
    ndarray, float64
        The same values, with the same shape.

    Raises
    ------
    TypeError
        If the values are not real numbers.
    ValueError
        If the array has the wrong number of axes, is empty, holds NaN or
        infinity, or has masked cells.

    Examples
    --------
    >>> as_image([[0, 1], [2, 3]])
    array([[0., 1.],
           [2., 3.]])
    >>> as_image([1, 2, 3])
    Traceback (most recent call last):
    ...
    ValueError: `image` must be a 2-D array of shape (H, W), got shape (3,)
    """
    if np.ma.isMaskedArray(value) and np.ma.is_masked(value):
        raise ValueError(
            f"`{name}` must not have masked cells, got a masked array with "
            f"{int(np.sum(np.ma.getmaskarray(value))):,} of {np.size(value):,} cells "
            "masked; "
            "convdemo does not read masks: fill them first, e.g. `image.filled(0)`"
        )
    try:
        array = np.asarray(value)
    except (ValueError, TypeError) as error:
        raise TypeError(
            f"`{name}` must be an array of numbers, got {_short(value)} ({error})"
        ) from None
    if array.dtype.kind not in "biuf":
        raise TypeError(
            f"`{name}` must hold real numbers (bool, int or float), "
            f"got dtype {array.dtype}"
        )
    allowed = (ndim,) if isinstance(ndim, int) else ndim
    if allowed is not None and array.ndim not in allowed:
        expected = " or ".join(
            f"a {n}-D array of shape {_SHAPE_NAMES.get(n, f'with {n} axes')}"
            for n in allowed
        )
        raise ValueError(f"`{name}` must be {expected}, got shape {array.shape}")
    if array.size == 0:
        raise ValueError(f"`{name}` must not be empty, got shape {array.shape}")
    original = array
    with np.errstate(over="ignore"):
        # A long double beyond float64's range becomes inf: reported below.
        array = np.asarray(array, dtype=np.float64)
    # min and max propagate NaN and expose ±inf without a temporary array.
    if not (np.isfinite(array.min()) and np.isfinite(array.max())):
        bad = np.argwhere(~np.isfinite(array))[0]
        where = tuple(int(i) for i in bad)
        if np.isfinite(original[where]):
            raise ValueError(
                f"`{name}` must hold values within the range of float64 "
                f"(±1.8e308), got {original[where]!s} at index {where}"
            )
        raise ValueError(
            f"`{name}` must contain only finite values (no NaN or inf), "
            f"got {array[where]} at index {where}"
        )
    return array
