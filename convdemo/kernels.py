"""Named 3 × 3 (and 5 × 5) kernels, and a parser for kernels typed as text.

The registry :data:`KERNELS` holds the six filters of the blog post's
notebook (``source="post"``) followed by classic filters from image
processing (``source="classic"``). Each entry says, in one line, what the
kernel keeps and what it ignores.

Values are written for :func:`convdemo.ops.correlate2d`, the operation CNN
libraries compute: the kernel is laid on the image as printed, without
flipping. ``vertical`` = ``[[1, 0, -1], …]`` therefore responds positively
where the image is brighter on the left than on the right.

One sign convention for the Laplacian: in this registry, and in every
description that combines kernels, "the 4-neighbour Laplacian" is
``laplacian`` (centre +4, neighbours −1) and "the 8-neighbour Laplacian" is
``outline`` (centre +8). Both are the *negative* of the discrete ∇², which
image-processing texts often prefer because a bright dot then gives a
positive peak; ``scipy.ndimage.laplace`` and OpenCV's ``Laplacian`` (with
``ksize=1``) use the other sign, centre −4. With this convention ``sharpen``
is the identity *plus* the 4-neighbour Laplacian and the post's ``edges`` is
the identity *minus* the 8-neighbour Laplacian.
"""

from __future__ import annotations

import math
import re
import types
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from convdemo._validate import _short, one_of, quote

__all__ = ["KERNELS", "Kernel", "get_kernel", "kernel_names", "parse_kernel"]


@dataclass(frozen=True, eq=False)
class Kernel:
    """A named kernel with a short explanation.

    Parameters
    ----------
    name : str
        Registry key, e.g. ``"vertical"``.
    values : (kh, kw) ndarray
        The weights, float64 and read-only (use :func:`get_kernel` for a
        copy you can change).
    description : str
        One line: what the kernel keeps and what it ignores.
    title : str
        Display name for figures, e.g. ``"Vertical edges (Prewitt x)"``.
    source : str
        ``"post"`` for the blog post's six filters, ``"classic"`` otherwise.
    weights : (kh, kw) ndarray of int
        The weights as written, whole numbers, read-only: `values` is
        ``weights / divisor``.
    divisor : int
        What the weights are divided by: 1 for most kernels, 16 for the
        3 × 3 Gaussian blur ``(1 2 1 / 2 4 2 / 1 2 1) / 16``.

    Examples
    --------
    >>> kernel = KERNELS["vertical"]
    >>> kernel.title
    'Vertical edges (Prewitt x)'
    >>> kernel.values
    array([[ 1.,  0., -1.],
           [ 1.,  0., -1.],
           [ 1.,  0., -1.]])
    >>> kernel.values.flags.writeable
    False
    >>> blur = KERNELS["gaussian_blur"]
    >>> blur.weights, blur.divisor
    (array([[1, 2, 1],
           [2, 4, 2],
           [1, 2, 1]]), 16)
    """

    name: str
    values: np.ndarray
    description: str
    title: str
    source: str
    weights: np.ndarray
    divisor: int


def _kernel(
    name: str,
    rows: list[list[int]],
    title: str,
    description: str,
    source: str = "classic",
    divisor: int = 1,
) -> Kernel:
    """Build one read-only registry entry from whole weights and a divisor."""
    weights = np.array(rows, dtype=np.int64)
    values = weights / float(divisor)
    weights.setflags(write=False)
    values.setflags(write=False)
    return Kernel(name, values, description, title, source, weights, divisor)


_BINOMIAL_5 = [1, 4, 6, 4, 1]

_ENTRIES = (
    _kernel(
        "identity",
        [[0, 0, 0], [0, 1, 0], [0, 0, 0]],
        "Identity",
        "Keeps every pixel exactly as it is; ignores nothing "
        "(the output is the input).",
        "post",
    ),
    _kernel(
        "vertical",
        [[1, 0, -1], [1, 0, -1], [1, 0, -1]],
        "Vertical edges (Prewitt x)",
        "Keeps vertical edges (left–right changes in brightness); "
        "ignores horizontal edges and flat areas.",
        "post",
    ),
    _kernel(
        "horizontal",
        [[1, 1, 1], [0, 0, 0], [-1, -1, -1]],
        "Horizontal edges (Prewitt y)",
        "Keeps horizontal edges (top–bottom changes in brightness); "
        "ignores vertical edges and flat areas.",
        "post",
    ),
    _kernel(
        "oblique",
        [[-1, -1, 2], [-1, 2, -1], [2, -1, -1]],
        "Oblique lines",
        "Keeps thin lines running from bottom-left to top-right (the "
        "anti-diagonal); ignores flat areas, straight horizontal and vertical "
        "lines, and weakens other slants.",
        "post",
    ),
    _kernel(
        "box_blur",
        [[1, 1, 1], [1, 1, 1], [1, 1, 1]],
        "Box blur",
        "Keeps the 3 × 3 local sum (9 × the mean: unnormalised as in the post; "
        "divide by 9 to keep the brightness); ignores fine detail and noise.",
        "post",
    ),
    _kernel(
        "edges",
        [[1, 1, 1], [1, -7, 1], [1, 1, 1]],
        "All edges",
        "Keeps flat areas as they are and rings every edge whatever its "
        "direction (identity minus the 8-neighbour Laplacian); ignores "
        "orientation.",
        "post",
    ),
    _kernel(
        "outline",
        [[-1, -1, -1], [-1, 8, -1], [-1, -1, -1]],
        "Outline",
        "Keeps edges and fine detail in every direction (the 8-neighbour "
        "Laplacian); ignores flat areas and steady gradients (the weights sum "
        "to 0).",
    ),
    _kernel(
        "laplacian",
        [[0, -1, 0], [-1, 4, -1], [0, -1, 0]],
        "Laplacian",
        "Keeps edges and corners, responding along both sides of a line (the "
        "4-neighbour Laplacian); ignores flat areas and steady gradients (the "
        "weights sum to 0).",
    ),
    _kernel(
        "sobel_x",
        [[1, 0, -1], [2, 0, -2], [1, 0, -1]],
        "Vertical edges (Sobel x)",
        "Keeps vertical edges, weighting the centre row twice so noise "
        "matters less than with Prewitt; ignores horizontal edges and flat "
        "areas.",
    ),
    _kernel(
        "sobel_y",
        [[1, 2, 1], [0, 0, 0], [-1, -2, -1]],
        "Horizontal edges (Sobel y)",
        "Keeps horizontal edges, weighting the centre column twice; ignores "
        "vertical edges and flat areas.",
    ),
    _kernel(
        "scharr_x",
        [[3, 0, -3], [10, 0, -10], [3, 0, -3]],
        "Vertical edges (Scharr x)",
        "Keeps vertical edges with the most rotation-consistent 3 × 3 "
        "weights; ignores horizontal edges and flat areas.",
    ),
    _kernel(
        "scharr_y",
        [[3, 10, 3], [0, 0, 0], [-3, -10, -3]],
        "Horizontal edges (Scharr y)",
        "Keeps horizontal edges with the most rotation-consistent 3 × 3 "
        "weights; ignores vertical edges and flat areas.",
    ),
    _kernel(
        "sharpen",
        [[0, -1, 0], [-1, 5, -1], [0, -1, 0]],
        "Sharpen",
        "Keeps the image and boosts its edges and fine detail (identity plus "
        "the 4-neighbour Laplacian); ignores nothing, so noise is boosted too.",
    ),
    _kernel(
        "emboss",
        [[-2, -1, 0], [-1, 1, 1], [0, 1, 2]],
        "Emboss",
        "Keeps flat areas' brightness and turns edges into a relief lit from "
        "one corner; ignores edges running from top-left to bottom-right.",
    ),
    _kernel(
        "gaussian_blur",
        [[1, 2, 1], [2, 4, 2], [1, 2, 1]],
        "Gaussian blur (3 × 3)",
        "Keeps smooth shapes and the average brightness (weights sum to 1); "
        "ignores fine detail and noise, more gently than the box blur.",
        divisor=16,
    ),
    _kernel(
        "gaussian_blur_5x5",
        [[a * b for b in _BINOMIAL_5] for a in _BINOMIAL_5],
        "Gaussian blur (5 × 5)",
        "Keeps large smooth shapes and the average brightness (weights sum "
        "to 1); ignores detail finer than a few pixels.",
        divisor=256,
    ),
)

#: The registry, in display order: the post's six, then the classics.
KERNELS: Mapping[str, Kernel] = types.MappingProxyType(
    {entry.name: entry for entry in _ENTRIES}
)


def kernel_names() -> list[str]:
    """Return the registry's kernel names in display order.

    Returns
    -------
    list of str
        The keys of :data:`KERNELS`; the post's six come first.

    Examples
    --------
    >>> kernel_names()[:6]
    ['identity', 'vertical', 'horizontal', 'oblique', 'box_blur', 'edges']
    """
    return list(KERNELS)


def get_kernel(name: str) -> np.ndarray:
    """Return a copy of a named kernel's values.

    Parameters
    ----------
    name : str
        One of :func:`kernel_names`.

    Returns
    -------
    (kh, kw) ndarray, float64
        A writable copy: changing it does not change the registry.

    Raises
    ------
    ValueError
        If `name` is not in the registry; the message lists the known names.

    See Also
    --------
    parse_kernel : a kernel typed as text.

    Examples
    --------
    >>> get_kernel("edges")
    array([[ 1.,  1.,  1.],
           [ 1., -7.,  1.],
           [ 1.,  1.,  1.]])
    >>> get_kernel("gaussian_blur") * 16
    array([[1., 2., 1.],
           [2., 4., 2.],
           [1., 2., 1.]])
    """
    key = one_of(name, "name", KERNELS)
    return KERNELS[key].values.copy()


# One number: optional sign (ASCII or Unicode minus), digits with an optional
# decimal part and exponent, optionally followed by "/" and a second number.
_NUMBER = r"[+\-−]?(?:\d+\.?\d*|\.\d+)(?:[eE][+\-]?\d+)?"
_VALUE = re.compile(rf"(?P<num>{_NUMBER})(?:/(?P<den>{_NUMBER}))?")


def _parse_value(token: str, text: str) -> float:
    """Turn one token such as ``-1``, ``0.25`` or ``1/9`` into a float."""
    match = _VALUE.fullmatch(token)
    if match is None:
        raise ValueError(
            f"`kernel` must hold numbers such as 1, -0.5 or 1/9, "
            f"got {quote(token, 30)} in {quote(text)}"
        )
    value = float(match["num"].replace("−", "-"))
    if match["den"] is not None:
        denominator = float(match["den"].replace("−", "-"))
        if denominator == 0:
            raise ValueError(
                f"`kernel` divides by zero in {quote(token, 30)} of {quote(text)}"
            )
        value /= denominator
    if not math.isfinite(value):
        raise ValueError(
            f"`kernel` value {quote(token, 30)} in {quote(text)} is not finite"
        )
    return value


def parse_kernel(text: str) -> np.ndarray:
    """Turn a kernel typed as text into an array.

    Parameters
    ----------
    text : str
        Rows separated by ``;`` or new lines, values within a row by commas
        and/or spaces. A value is an integer, a decimal (``0.5``, ``1e-3``)
        or a fraction (``1/9``); ``−`` (Unicode minus) is read as ``-``.
        Blank rows are skipped.

    Returns
    -------
    (rows, cols) ndarray, float64
        One array row per text row.

    Raises
    ------
    TypeError
        If `text` is not a string.
    ValueError
        If the text holds no values, rows of different lengths, a value that
        is not a number, or a division by zero. The message names `kernel`
        and quotes the offending text, shortened in the middle when long.

    See Also
    --------
    get_kernel : a kernel by name.

    Examples
    --------
    >>> parse_kernel("1,0,-1; 1,0,-1; 1,0,-1")
    array([[ 1.,  0., -1.],
           [ 1.,  0., -1.],
           [ 1.,  0., -1.]])
    >>> parse_kernel('''
    ...     1/4 1/2
    ...     1/4 0
    ... ''')
    array([[0.25, 0.5 ],
           [0.25, 0.  ]])
    >>> parse_kernel("1 2; 3")
    Traceback (most recent call last):
    ...
    ValueError: `kernel` rows must all have the same length, got lengths [2, 1] ...
    """
    if not isinstance(text, str):
        raise TypeError(
            f"`kernel` must be text such as '1 0 -1; 1 0 -1', got {_short(text)}"
        )
    rows = [row.strip() for row in re.split(r"[;\n]", text)]
    rows = [row for row in rows if row]
    if not rows:
        raise ValueError(f"`kernel` must hold at least one value, got {quote(text)}")
    values = [
        [_parse_value(token, text) for token in re.split(r"\s*,\s*|\s+", row)]
        for row in rows
    ]
    lengths = [len(row) for row in values]
    if len(set(lengths)) != 1:
        shown = lengths if len(lengths) <= 8 else [*lengths[:8], "..."]
        raise ValueError(
            f"`kernel` rows must all have the same length, got lengths {shown} "
            f"in {quote(text)}"
        )
    return np.array(values, dtype=np.float64)
