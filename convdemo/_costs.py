"""Which input cells a layer reads, and what a convolution layer costs.

:func:`coverage` counts, cell by cell, the windows that read the padded
input (a stride that does not fit leaves cells over);
:func:`conv_parameters` and :func:`conv_cost` count the weights and the
multiply-adds of standard, grouped, depthwise and depthwise-separable
layers. Pure NumPy; the public names are re-exported by
:mod:`convdemo.analysis`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from convdemo._validate import as_flag, as_pair, one_of, positive_int
from convdemo.ops import Padding, output_shape, padding_amounts

__all__ = ["CONV_KINDS", "ConvCost", "conv_cost", "conv_parameters", "coverage"]


def coverage(
    input_shape: int | tuple[int, int],
    kernel_shape: int | tuple[int, int],
    *,
    padding: Padding = "valid",
    stride: int | tuple[int, int] = 1,
    dilation: int | tuple[int, int] = 1,
    ceil_mode: bool = False,
) -> np.ndarray:
    """Count how many kernel positions use each cell of the padded input.

    Parameters
    ----------
    input_shape : int or (int, int)
        Input height and width (one number for a square).
    kernel_shape : int or (int, int)
        Kernel height and width.
    padding, stride, dilation : optional
        As in :func:`convdemo.ops.correlate2d`.
    ceil_mode : bool, optional
        Count the windows as pooling's `ceil_mode` does
        (:func:`convdemo.pooling.pool_output_shape`): a last, partial window
        when the stride does not fit, if it starts before the bottom or right
        padding. Its taps past the padded input are not counted.

    Returns
    -------
    (H + p_top + p_bottom, W + p_left + p_right) ndarray of int
        For every cell of the padded input, the number of output cells whose
        window has a tap on it. Padding cells are included; a real input
        cell with count 0 is never read: a stride that does not fit leaves
        it over.

    Notes
    -----
    Along one axis the kernel's last tap at the last output lands on
    ``(o − 1)·s + d(k − 1)``, with ``o = ⌊(n + p − d(k − 1) − 1)/s⌋ + 1``;
    the ``n + p − (o − 1)·s − d(k − 1) − 1`` cells after it are left over
    (this is the remainder of the floor division). Dilation can also skip
    cells in between.

    See Also
    --------
    convdemo.ops.output_shape : the size of the output.

    Examples
    --------
    A 3-wide kernel with stride 2 on 7 cells fits exactly; on 6 cells the
    last one is never read:

    >>> coverage((1, 7), (1, 3), stride=2)
    array([[1, 1, 2, 1, 2, 1, 1]])
    >>> coverage((1, 6), (1, 3), stride=2)
    array([[1, 1, 2, 1, 1, 0]])
    """
    rows, cols = as_pair(input_shape, "input_shape")
    kh, kw = as_pair(kernel_shape, "kernel_shape")
    dr, dc = as_pair(dilation, "dilation")
    sr, sc = as_pair(stride, "stride")
    ceil_mode = as_flag(ceil_mode, "ceil_mode")
    out_rows, out_cols = output_shape(
        (rows, cols), (kh, kw), padding=padding, stride=(sr, sc), dilation=(dr, dc)
    )
    (top, bottom), (left, right) = padding_amounts(padding, (kh, kw), dilation=(dr, dc))
    if ceil_mode:
        out_rows = _ceil_count(rows, top, bottom, dr * (kh - 1) + 1, sr)
        out_cols = _ceil_count(cols, left, right, dc * (kw - 1) + 1, sc)
    row_counts = _axis_counts(rows + top + bottom, kh, sr, dr, out_rows)
    col_counts = _axis_counts(cols + left + right, kw, sc, dc, out_cols)
    counts: np.ndarray = np.outer(row_counts, col_counts)
    return counts


def _ceil_count(n: int, before: int, after: int, span: int, stride: int) -> int:
    """Count windows rounding up, none starting in the padding after the input."""
    count = -(-(n + before + after - span) // stride) + 1
    return count - 1 if (count - 1) * stride >= n + before else count


def _axis_counts(length: int, k: int, s: int, d: int, count: int) -> np.ndarray:
    """Count along one axis how many of `count` windows have a tap on each cell."""
    counts = np.zeros(length, dtype=np.int64)
    for i in range(count):
        taps = i * s + d * np.arange(k)
        counts[taps[taps < length]] += 1
    return counts


def conv_parameters(
    kernel_size: int | tuple[int, int],
    in_channels: int,
    out_channels: int = 1,
    *,
    bias: bool = True,
) -> int:
    """Count the learnable numbers of a convolution layer.

    Parameters
    ----------
    kernel_size : int or (int, int)
        Kernel height and width.
    in_channels : int
        Channels of the input, `C` (3 for an RGB image).
    out_channels : int, optional
        Number of filters, `F`: channels of the output.
    bias : bool, optional
        Whether each filter has a bias.

    Returns
    -------
    int
        ``F·(kh·kw·C) + F`` (without the ``+ F`` when `bias` is False).

    Notes
    -----
    The count does not depend on the image size: the same weights slide
    over every position. That is the point of a convolution layer; a fully
    connected layer from a 224 × 224 × 3 image to as many outputs would
    need billions.

    Examples
    --------
    One 3 × 3 filter over RGB, with its bias, and the first layer of VGG
    (64 such filters):

    >>> conv_parameters(3, 3, 1), conv_parameters(3, 3, 64)
    (28, 1792)
    """
    return conv_cost(kernel_size, in_channels, out_channels, 1, bias=bias).parameters


CONV_KINDS = ("standard", "grouped", "depthwise", "depthwise-separable")
"""The layer kinds :func:`conv_cost` counts."""


@dataclass(frozen=True)
class ConvCost:
    """What one convolution layer costs: learnable numbers and arithmetic.

    Attributes
    ----------
    kind : str
        One of :data:`CONV_KINDS`.
    parameters : int
        Weights and biases.
    multiply_adds : int
        Multiplications (each followed by an addition) for one input image.
    """

    kind: str
    parameters: int
    multiply_adds: int


def conv_cost(
    kernel_size: int | tuple[int, int],
    in_channels: int,
    out_channels: int,
    output_size: int | tuple[int, int],
    *,
    kind: str = "standard",
    groups: int = 1,
    bias: bool = True,
) -> ConvCost:
    """Count the parameters and multiply-adds of a convolution layer.

    Parameters
    ----------
    kernel_size : int or (int, int)
        ``k`` or ``(kh, kw)``, the spatial size of each kernel.
    in_channels : int
        Input channels, `C`.
    out_channels : int
        Output channels (maps), `F`.
    output_size : int or (int, int)
        ``(H', W')``, the size of each output map (one number for a square).
    kind : {'standard', 'grouped', 'depthwise', 'depthwise-separable'}, optional
        The layer; see Notes.
    groups : int, optional
        For ``kind='grouped'`` only: how many groups, `g`, dividing `C` and `F`.
    bias : bool, optional
        Whether each output map (of each stage) has a bias.

    Returns
    -------
    ConvCost
        ``parameters`` and ``multiply_adds``.

    Raises
    ------
    ValueError
        If `groups` does not divide `C` and `F`, is not 1 for a kind other
        than ``'grouped'``, or `F` is not a multiple of `C` for
        ``'depthwise'``.

    Notes
    -----
    With ``K = kh · kw`` taps and ``P = H' · W'`` output positions, not
    counting biases in the multiply-adds:

    =====================  ==================================  ====================
    kind                   parameters (with bias)              multiply-adds
    =====================  ==================================  ====================
    standard               ``K · C · F + F``                   ``P · K · C · F``
    grouped (g groups)     ``K · (C / g) · F + F``             ``P · K · (C / g) · F``
    depthwise (g = C)      ``K · F + F``, ``F = m · C``        ``P · K · F``
    depthwise-separable    ``K · C + C + C · F + F``           ``P · (K · C + C · F)``
    =====================  ==================================  ====================

    Each filter of a grouped layer sees only its group's ``C / g``
    channels (:func:`convdemo.ops.conv2d` with ``groups=g``). A depthwise
    layer is the extreme case ``g = C``: each channel is filtered on its own
    by `m` kernels. The depthwise-separable layer of MobileNet and Xception
    is a depthwise layer (``m = 1``) followed by a 1 × 1 layer from `C` to
    `F` channels, both at the output size: it costs ``1 / F + 1 / K`` of the
    standard layer's multiply-adds, about 1/9 for 3 × 3 kernels.

    See Also
    --------
    conv_parameters : the standard layer's parameters alone.
    convdemo.ops.conv2d : computes these layers (``groups=``).

    Examples
    --------
    A 3 × 3 layer from 256 to 256 channels on a 56 × 56 map:

    >>> conv_cost(3, 256, 256, 56)
    ConvCost(kind='standard', parameters=590080, multiply_adds=1849688064)
    >>> conv_cost(3, 256, 256, 56, kind="grouped", groups=32).parameters
    18688
    >>> conv_cost(3, 256, 256, 56, kind="depthwise-separable")
    ConvCost(kind='depthwise-separable', parameters=68352, multiply_adds=212746240)
    """
    kh, kw = as_pair(kernel_size, "kernel_size")
    channels = positive_int(in_channels, "in_channels")
    filters = positive_int(out_channels, "out_channels")
    out_h, out_w = as_pair(output_size, "output_size")
    kind = one_of(kind, "kind", CONV_KINDS)
    count = positive_int(groups, "groups")
    bias = as_flag(bias, "bias")
    if kind != "grouped" and count != 1:
        raise ValueError(
            f"`groups` applies to kind='grouped' only, got {count} with kind={kind!r}"
        )
    if channels % count or filters % count:
        raise ValueError(
            f"`groups` must divide both `in_channels` ({channels}) and "
            f"`out_channels` ({filters}), got {count}"
        )
    if kind == "depthwise":
        if filters % channels:
            raise ValueError(
                f"`out_channels` must be a multiple of `in_channels` ({channels}) "
                f"for kind='depthwise', got {filters}"
            )
        count = channels
    taps, positions = kh * kw, out_h * out_w
    if kind == "depthwise-separable":
        weights = taps * channels + channels * filters
        biases = channels + filters
    else:
        weights = taps * (channels // count) * filters
        biases = filters
    return ConvCost(
        kind=kind,
        parameters=weights + (biases if bias else 0),
        multiply_adds=positions * weights,
    )
