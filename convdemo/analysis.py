"""Measure what stacks of convolutions and pooling do.

Four questions the explainer answers with numbers rather than words:

- How much of the input does one output cell see after several layers?
  (:func:`receptive_field`)
- What happens to feature maps, before and after pooling, when the input
  moves by a few pixels? (:func:`shift_experiment`)
- Which input cells does a strided kernel use, and how many weights and
  multiply-adds does a layer cost, standard, grouped, depthwise or
  depthwise-separable? (:func:`coverage`, :func:`conv_parameters`,
  :func:`conv_cost`)
- Does blurring before subsampling make pooling less sensitive to such
  shifts? (:func:`blur_pool`, :func:`binomial_kernel`)

Everything here is pure NumPy built on :mod:`convdemo.ops`.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from convdemo._validate import as_image, as_pair, nonnegative_int, one_of, positive_int
from convdemo.kernels import get_kernel
from convdemo.ops import (
    BORDERS,
    POOL_MODES,
    Padding,
    correlate2d,
    output_shape,
    padding_amounts,
    pool2d,
)

__all__ = [
    "CONV_KINDS",
    "ConvCost",
    "ReceptiveField",
    "ShiftResult",
    "binomial_kernel",
    "blur_pool",
    "conv_cost",
    "conv_parameters",
    "coverage",
    "receptive_field",
    "receptive_field_table",
    "shift_experiment",
]


@dataclass(frozen=True)
class ReceptiveField:
    """One row of a receptive-field table: a layer and what its outputs see.

    Attributes
    ----------
    layer : int
        Position of the layer in the stack, starting at 1.
    kernel : int
        Kernel (or pooling window) size `k` along one axis.
    stride : int
        Stride `s` of the layer.
    dilation : int
        Dilation `d` of the layer (1 for an ordinary kernel).
    effective_kernel : int
        Input span of the dilated kernel, ``d·(k − 1) + 1``.
    jump : int
        Distance, in input pixels, between two neighbouring outputs of this
        layer: the product of the strides up to and including it.
    size : int
        Receptive field: how many input pixels (along one axis) one output of
        this layer depends on.
    padding : (int, int)
        Cells this layer adds before and after its input (0, 0 for
        ``"valid"``).
    start : int
        First input pixel in the field of this layer's output 0. Negative
        when the field reaches into the padding: output 0 then reads fewer
        real pixels than `size`.
    """

    layer: int
    kernel: int
    stride: int
    dilation: int
    effective_kernel: int
    jump: int
    size: int
    padding: tuple[int, int] = (0, 0)
    start: int = 0

    @property
    def end(self) -> int:
        """Last input pixel in the field of output 0: ``start + size − 1``."""
        return self.start + self.size - 1

    @property
    def centre(self) -> float:
        """Centre of output 0's field, ``start + (size − 1) / 2``, in input pixels."""
        return self.start + (self.size - 1) / 2

    def span(self, index: int) -> tuple[int, int]:
        """Return the first and last input pixel seen by output `index`.

        Output `index` sees the field of output 0 moved by ``index · jump``
        pixels. With padding, the first pixels of a field can lie outside
        the image (negative, or past its last pixel).

        Parameters
        ----------
        index : int
            Output position (row or column) in this layer's map.

        Returns
        -------
        (int, int)
            Inclusive range ``(start + index·jump, start + index·jump + size − 1)``.

        Examples
        --------
        >>> rows = receptive_field([(3, 1), (2, 2)])
        >>> rows[1].span(0), rows[1].span(1)
        ((0, 3), (2, 5))
        >>> receptive_field([(3, 1), (2, 2)], padding=[1, 0])[1].span(0)
        (-1, 2)
        """
        index = nonnegative_int(index, "index")
        first = self.start + index * self.jump
        return first, first + self.size - 1


def _as_layer(layer: Any, position: int) -> tuple[int, int, int]:
    """Check one ``(kernel, stride[, dilation])`` entry and return all three."""
    message = (
        f"`layers` entry {position} must be a (kernel, stride) or "
        f"(kernel, stride, dilation) tuple of positive integers, got {layer!r}"
    )
    if not isinstance(layer, tuple | list) or len(layer) not in (2, 3):
        raise TypeError(message)
    values = [*layer, 1] if len(layer) == 2 else list(layer)
    for value in values:
        if not isinstance(value, int | np.integer) or isinstance(value, bool):
            raise TypeError(message)
        if value < 1:
            raise ValueError(message)
    kernel, stride, dilation = (int(value) for value in values)
    return kernel, stride, dilation


def receptive_field(
    layers: Sequence[tuple[int, int] | tuple[int, int, int]],
    *,
    padding: Padding | Sequence[Padding] | None = None,
) -> list[ReceptiveField]:
    """Compute the receptive field of every layer in a stack: size, jump, start.

    Parameters
    ----------
    layers : sequence of (kernel, stride) or (kernel, stride, dilation)
        One entry per layer, first layer first, sizes along one axis. A
        pooling layer is an entry like any other: 2 × 2 max pooling with
        stride 2 is ``(2, 2)``.
    padding : padding or sequence of paddings, optional
        What each layer adds around its input, along this axis: an int (the
        same before and after), a pair ``(before, after)`` or a name,
        ``'valid'``, ``'same'`` or ``'full'``, as in
        :func:`convdemo.ops.padding_amounts`. One value (an int or a name)
        applies to every layer; a list or tuple gives one per layer. Default:
        no padding.

    Returns
    -------
    list of ReceptiveField
        One row per layer (``len(layers)`` rows). Row `l` holds the jump
        ``j_l = s_1·s_2·…·s_l``, the receptive field ``r_l`` and the first
        input pixel ``u_l`` of output 0's field (its centre is
        ``u_l + (r_l − 1) / 2``).

    Notes
    -----
    With effective kernel sizes ``k_l = d_l(k_l − 1) + 1``, strides ``s_l``
    and ``p_l`` cells of padding before each layer's input, output 0 of
    layer `L` sees the input pixels ``u_L`` to ``v_L``:

    .. math::

        r_L = \\sum_{l=1}^{L} (k_l - 1) \\prod_{i<l} s_i + 1, \\qquad
        u_L = -\\sum_{l=1}^{L} p_l \\prod_{i<l} s_i, \\qquad
        v_L = u_L + r_L - 1

    (Araujo, Norris and Sim, "Computing receptive fields of convolutional
    neural networks", Distill 2019). Each layer adds ``k_l − 1`` of its
    *input* cells, and one input cell of layer `l` is ``s_1·…·s_{l−1}``
    pixels apart from its neighbour; padding shifts output 0's window
    ``p_l`` input cells before the first real one, and so moves the field
    without changing its size. Output `f` sees ``u_L + f · j_L`` to
    ``v_L + f · j_L``. Padding after the input only decides how many outputs
    there are. For non-square kernels compute rows and columns separately.

    See Also
    --------
    receptive_field_table : the same rows as a Markdown table.

    Examples
    --------
    Two 3 × 3 convolutions with stride 1, then one with stride 2, then a
    2 × 2 pooling with stride 2:

    >>> for row in receptive_field([(3, 1), (3, 1), (3, 2), (2, 2)]):
    ...     print(row.layer, row.jump, row.size)
    1 1 3
    2 1 5
    3 2 7
    4 4 9

    A 3 × 3 kernel with dilation 2 spans 5 pixels:

    >>> receptive_field([(3, 1, 2)])[0].size
    5

    With ``'same'`` padding the field of output 0 starts before the image
    and is centred on pixel 0; the stride-2 layer moves the centre of each
    later output 2 pixels:

    >>> for row in receptive_field([(3, 1), (3, 2), (3, 1)], padding="same"):
    ...     print(row.size, row.jump, row.start, row.centre)
    3 1 -1 0.0
    5 2 -2 0.0
    9 2 -4 0.0
    """
    candidate: object = layers
    if isinstance(candidate, str | bytes) or not isinstance(candidate, Iterable):
        raise TypeError(
            f"`layers` must be a sequence of (kernel, stride[, dilation]) tuples, "
            f"got {layers!r}"
        )
    entries = [_as_layer(layer, i) for i, layer in enumerate(layers)]
    if not entries:
        raise ValueError("`layers` must contain at least one layer, got []")
    pads = _layer_paddings(padding, entries)
    rows = []
    jump, size, start = 1, 1, 0
    for number, ((kernel, stride, dilation), pad) in enumerate(
        zip(entries, pads, strict=True), start=1
    ):
        effective = dilation * (kernel - 1) + 1
        size += (effective - 1) * jump
        start -= pad[0] * jump
        jump *= stride
        rows.append(
            ReceptiveField(
                number, kernel, stride, dilation, effective, jump, size, pad, start
            )
        )
    return rows


def _layer_paddings(
    padding: Any, entries: list[tuple[int, int, int]]
) -> list[tuple[int, int]]:
    """Return each layer's ``(before, after)`` from `padding` (see receptive_field)."""
    if padding is None:
        return [(0, 0)] * len(entries)
    if isinstance(padding, str) or not isinstance(padding, Iterable):
        values = [padding] * len(entries)
    else:
        values = list(padding)
        if len(values) != len(entries):
            raise ValueError(
                f"`padding` must have one value per layer ({len(entries)}), "
                f"got {len(values)}: {padding!r}"
            )
    pads = []
    for value, (kernel, _, dilation) in zip(values, entries, strict=True):
        if isinstance(value, tuple | list):
            # (before, after) along this one axis.
            amounts = padding_amounts(((0, 0), tuple(value)))
        else:
            amounts = padding_amounts(value, (1, kernel), dilation=(1, dilation))
        pads.append(amounts[1])
    return pads


def receptive_field_table(
    layers: Sequence[tuple[int, int] | tuple[int, int, int]],
    *,
    names: Sequence[str] | None = None,
    padding: Padding | Sequence[Padding] | None = None,
) -> str:
    """Format :func:`receptive_field` as a Markdown table.

    Parameters
    ----------
    layers : sequence of (kernel, stride) or (kernel, stride, dilation)
        As for :func:`receptive_field`.
    names : sequence of str, optional
        A label for each layer (default ``"layer 1"``, ``"layer 2"``, …).
    padding : padding or sequence of paddings, optional
        As for :func:`receptive_field`. When given, the table is Distill's,
        in six columns (seven do not fit a documentation page): the layer,
        its kernel, stride and padding in one column (``k, s, p``, with
        ``(d = 2)`` after a dilated kernel and ``before/after`` for uneven
        padding), the jump, the field's size, and where output 0's field
        starts and has its centre.

    Returns
    -------
    str
        A table with one line per layer: kernel, stride, dilation, jump and
        receptive field; with `padding`, the columns above.

    Examples
    --------
    >>> print(receptive_field_table([(3, 1), (2, 2)], names=["conv", "pool"]))
    | layer | kernel | stride | dilation | jump | receptive field |
    |---|---|---|---|---|---|
    | conv | 3 | 1 | 1 | 1 | 3 |
    | pool | 2 | 2 | 1 | 2 | 4 |

    >>> print(receptive_field_table([(3, 1), (2, 2)], padding=[1, 0]))
    | layer | kernel, stride, padding | jump | size | start | centre |
    |---|---|---|---|---|---|
    | layer 1 | 3, 1, 1 | 1 | 3 | −1 | 0 |
    | layer 2 | 2, 2, 0 | 2 | 4 | −1 | 0.5 |
    """
    rows = receptive_field(layers, padding=padding)
    if names is None:
        labels = [f"layer {row.layer}" for row in rows]
    else:
        labels = [str(name) for name in names]
        if len(labels) != len(rows):
            raise ValueError(
                f"`names` must have one label per layer ({len(rows)}), "
                f"got {len(labels)}"
            )
    if padding is None:
        lines = [
            "| layer | kernel | stride | dilation | jump | receptive field |",
            "|---|---|---|---|---|---|",
        ]
        for label, row in zip(labels, rows, strict=True):
            lines.append(
                f"| {label} | {row.kernel} | {row.stride} | {row.dilation} "
                f"| {row.jump} | {row.size} |"
            )
        return "\n".join(lines)
    lines = [
        "| layer | kernel, stride, padding | jump | size | start | centre |",
        "|---|---|---|---|---|---|",
    ]
    for label, row in zip(labels, rows, strict=True):
        before, after = row.padding
        kernel = (
            f"{row.kernel} (d = {row.dilation})" if row.dilation > 1 else row.kernel
        )
        pad = before if before == after else f"{before}/{after}"
        lines.append(
            f"| {label} | {kernel}, {row.stride}, {pad} | {row.jump} | {row.size} "
            f"| {_signed(row.start)} | {_signed(row.centre)} |"
        )
    return "\n".join(lines)


def _signed(value: float) -> str:
    """Write a whole or half number with a true minus sign: −1, 0.5, −2.5."""
    text = f"{value:g}"
    return text.replace("-", "−")


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
    if not isinstance(ceil_mode, bool | np.bool_):
        raise TypeError(f"`ceil_mode` must be True or False, got {ceil_mode!r}")
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
    kh, kw = as_pair(kernel_size, "kernel_size")
    channels = positive_int(in_channels, "in_channels")
    filters = positive_int(out_channels, "out_channels")
    if not isinstance(bias, bool | np.bool_):
        raise TypeError(f"`bias` must be True or False, got {bias!r}")
    return filters * kh * kw * channels + (filters if bias else 0)


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
    if not isinstance(bias, bool | np.bool_):
        raise TypeError(f"`bias` must be True or False, got {bias!r}")
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
