"""Where a receptive field sits: padding, start and centre (Distill's formulas).

The oracle is brute force: a stack of real correlations, run on an image of
zeros with one pixel set to 1, with kernels of ones (so nothing cancels and
the arithmetic is exact); the pixels whose perturbation changes an output
are its field.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from convdemo.analysis import ReceptiveField, receptive_field, receptive_field_table
from convdemo.ops import correlate2d, output_shape

LENGTH = 48


def _network(layers, pads):
    """Return f(x) for a 1 × n input: the stack of correlations with kernels of ones."""

    def run(x):
        for (kernel, stride, dilation), pad in zip(layers, pads, strict=True):
            x = correlate2d(
                x,
                np.ones((1, kernel)),
                padding=((0, 0), pad),
                stride=(1, stride),
                dilation=(1, dilation),
            )
        return x[0]

    return run


def _output_length(layers, pads, length):
    for (kernel, stride, dilation), pad in zip(layers, pads, strict=True):
        length = output_shape(
            (1, length),
            (1, kernel),
            padding=((0, 0), pad),
            stride=stride,
            dilation=dilation,
        )[1]
    return length


def _seen_by(run, output, length):
    """Input pixels whose perturbation changes `output` (brute force)."""
    seen = []
    for pixel in range(length):
        x = np.zeros((1, length))
        x[0, pixel] = 1.0
        if run(x)[output] != 0:
            seen.append(pixel)
    return seen


layer_lists = st.lists(
    st.tuples(st.integers(1, 4), st.integers(1, 3), st.integers(1, 2)),
    min_size=1,
    max_size=4,
)


@given(layer_lists, st.data())
def test_start_and_size_match_brute_force(layers, data):
    """On random padded stacks the perturbed pixels lie in the predicted field."""
    pads = [
        data.draw(st.tuples(st.integers(0, 3), st.integers(0, 3)), label=f"pad {i}")
        for i in range(len(layers))
    ]
    try:
        count = _output_length(layers, pads, LENGTH)
    except ValueError:
        assume(False)
    row = receptive_field(layers, padding=pads)[-1]
    run = _network(layers, pads)
    for output in sorted({0, count // 2, count - 1}):
        first, last = row.span(output)
        seen = _seen_by(run, output, LENGTH)
        # Pixels in the padding cannot be perturbed, and dilation or strides
        # can leave pixels inside the span unseen: only its ends are certain.
        assert all(first <= pixel <= last for pixel in seen)
        if first >= 0 and last < LENGTH:
            assert (min(seen), max(seen)) == (first, last)


@given(layer_lists, st.data())
def test_centre_is_midway_and_moves_by_the_jump(layers, data):
    """An output wholly inside the image has its field centred where predicted."""
    pads = [data.draw(st.integers(0, 3), label=f"pad {i}") for i in range(len(layers))]
    try:
        count = _output_length(layers, [(p, p) for p in pads], LENGTH)
    except ValueError:
        assume(False)
    row = receptive_field(layers, padding=pads)[-1]
    inside = [
        f for f in range(count) if row.span(f)[0] >= 0 and row.span(f)[1] < LENGTH
    ]
    assume(inside)
    output = inside[0]
    seen = _seen_by(_network(layers, [(p, p) for p in pads]), output, LENGTH)
    assert (min(seen) + max(seen)) / 2 == row.centre + output * row.jump


def test_distill_example_by_hand():
    """A worked stack: conv 3 pad 1, conv 3 stride 2 pad 1, pool 2 stride 2."""
    rows = receptive_field([(3, 1), (3, 2), (2, 2)], padding=[1, 1, 0])
    assert [(r.size, r.jump, r.start) for r in rows] == [
        (3, 1, -1),
        (5, 2, -2),
        (7, 4, -2),
    ]
    assert [r.centre for r in rows] == [0.0, 0.0, 1.0]
    assert rows[-1].end == 4
    assert rows[-1].span(3) == (10, 16)


def test_same_padding_centres_odd_kernels_on_the_first_pixel():
    """'same' on every layer with odd kernels: output 0 is centred on pixel 0."""
    rows = receptive_field([(3, 1), (5, 2), (3, 1), (3, 2)], padding="same")
    assert all(r.centre == 0 for r in rows)
    assert [r.padding for r in rows] == [(1, 1), (2, 2), (1, 1), (1, 1)]


def test_even_same_kernel_puts_the_extra_cell_after():
    """An even kernel with 'same' pads (k − 1) // 2 before: centre half a pixel on."""
    row = receptive_field([(4, 1)], padding="same")[0]
    assert row.padding == (1, 2)
    assert (row.start, row.centre) == (-1, 0.5)


def test_full_padding_and_dilation():
    """'full' pads d(k − 1) before: the field of output 0 ends on pixel 0."""
    row = receptive_field([(3, 1, 2)], padding="full")[0]
    assert row.padding == (4, 4)
    assert (row.start, row.end) == (-4, 0)


def test_no_padding_keeps_the_old_rows():
    """Without padding every start is 0, as before."""
    rows = receptive_field([(3, 1), (2, 2), (3, 1), (2, 2)])
    assert all(r.start == 0 and r.padding == (0, 0) for r in rows)
    assert rows == receptive_field([(3, 1), (2, 2), (3, 1), (2, 2)], padding=0)


def test_rows_are_still_built_positionally():
    """ReceptiveField's original seven fields come first; padding defaults to none."""
    row = ReceptiveField(1, 3, 1, 1, 3, 1, 3)
    assert (row.padding, row.start, row.centre) == ((0, 0), 0, 1.0)


def test_table_with_positions():
    """With padding the table adds padding, start and centre, with true minus signs."""
    text = receptive_field_table(
        [(3, 1), (3, 2), (2, 2)], names=["conv a", "conv b", "pool"], padding=[1, 1, 0]
    )
    lines = text.splitlines()
    assert (
        lines[0] == "| layer | kernel, stride, padding | jump | size | start | centre |"
    )
    assert lines[1] == "|---|---|---|---|---|---|"
    assert lines[2] == "| conv a | 3, 1, 1 | 1 | 3 | −1 | 0 |"
    assert lines[4] == "| pool | 2, 2, 0 | 4 | 7 | −2 | 1 |"
    uneven = receptive_field_table([(4, 1)], padding="same").splitlines()[2]
    assert uneven == "| layer 1 | 4, 1, 1/2 | 1 | 4 | −1 | 0.5 |"


def test_table_with_positions_shows_dilation_when_used():
    """A dilated kernel is written with its dilation."""
    lines = receptive_field_table([(3, 1, 2), (3, 1)], padding="same").splitlines()
    assert lines[2] == "| layer 1 | 3 (d = 2), 1, 2 | 1 | 5 | −2 | 0 |"
    assert lines[3] == "| layer 2 | 3, 1, 1 | 1 | 7 | −3 | 0 |"


@pytest.mark.parametrize(
    ("padding", "error", "match"),
    [
        ([1], ValueError, "`padding` must have one value per layer"),
        ([1, 2, 3], ValueError, "`padding` must have one value per layer"),
        ([-1, 0], ValueError, "`padding`"),
        (["half", 0], ValueError, "`padding`"),
        ([(1, 2, 3), 0], ValueError, "`padding`"),
        ([1.5, 0], ValueError, "`padding`"),
    ],
)
def test_padding_is_validated(padding, error, match):
    """Bad paddings are refused, named."""
    with pytest.raises(error, match=match):
        receptive_field([(3, 1), (2, 2)], padding=padding)
