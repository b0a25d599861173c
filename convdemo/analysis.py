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

Everything here is pure NumPy built on :mod:`convdemo.ops`. The receptive
fields are computed in this module; the coverage and the costs of a layer
come from ``convdemo._costs``, the shift experiment and blur-pooling from
``convdemo._shifts``, and all their names are importable from here.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from convdemo._costs import CONV_KINDS, ConvCost, conv_cost, conv_parameters, coverage
from convdemo._shifts import ShiftResult, binomial_kernel, blur_pool, shift_experiment
from convdemo._validate import nonnegative_int
from convdemo.ops import Padding, padding_amounts

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
