"""Grouped, depthwise and depthwise-separable layers, and what they cost.

Oracles: ``scipy.signal.correlate2d`` per channel for ``conv2d(...,
groups=)``, and for ``conv_cost`` brute-force counts: a layer run on an
image of ones with kernels of ones adds 1 for every multiply-add, so the sum
of its output is the number of multiply-adds it made; the parameters are
the sizes of the arrays conv2d accepted.
"""

from __future__ import annotations

import numpy as np
import pytest
import scipy.signal as signal
from hypothesis import given
from hypothesis import strategies as st
from numpy.testing import assert_allclose

import convdemo
from convdemo.analysis import CONV_KINDS, ConvCost, conv_cost, conv_parameters
from convdemo.ops import conv2d


@given(
    data=st.data(),
    groups=st.integers(1, 3),
    per_group_in=st.integers(1, 2),
    per_group_out=st.integers(1, 2),
    kernel=st.integers(1, 3),
    stride=st.integers(1, 2),
    padding=st.sampled_from(["valid", "same", 1]),
)
def test_grouped_layer_matches_scipy_per_channel(
    data, groups, per_group_in, per_group_out, kernel, stride, padding
):
    """Filter f sums scipy's correlations over the channels of its group only."""
    channels, filters = groups * per_group_in, groups * per_group_out
    seed = data.draw(st.integers(0, 2**16))
    rng = np.random.default_rng(seed)
    image = rng.standard_normal((7, 8, channels))
    kernels = rng.standard_normal((filters, kernel, kernel, per_group_in))
    bias = rng.standard_normal(filters)
    out = conv2d(image, kernels, bias, padding=padding, stride=stride, groups=groups)
    pad = {"valid": 0, "same": (kernel - 1) // 2, 1: 1}[padding]
    padded = np.pad(
        image, [(pad, kernel - 1 - pad if padding == "same" else pad)] * 2 + [(0, 0)]
    )
    for f in range(filters):
        group = f // per_group_out
        expected = bias[f] + sum(
            signal.correlate2d(
                padded[..., group * per_group_in + c], kernels[f, ..., c], mode="valid"
            )
            for c in range(per_group_in)
        )
        assert_allclose(out[..., f], expected[::stride, ::stride], atol=1e-12)


def test_one_group_is_the_ordinary_layer(rng):
    """groups=1 (the default) is what conv2d always computed."""
    image = rng.standard_normal((6, 6, 4))
    kernels = rng.standard_normal((3, 3, 3, 4))
    assert_allclose(conv2d(image, kernels, groups=1), conv2d(image, kernels))


def test_depthwise_filters_each_channel_on_its_own(rng):
    """groups=C: output channel c is channel c correlated with kernel c."""
    image = rng.standard_normal((9, 10, 3))
    depthwise = rng.standard_normal((3, 3, 3, 1))
    out = conv2d(image, depthwise, groups=3)
    for c in range(3):
        expected = signal.correlate2d(image[..., c], depthwise[c, ..., 0], mode="valid")
        assert_allclose(out[..., c], expected, atol=1e-12)


def test_depthwise_multiplier_gives_consecutive_maps_per_channel(rng):
    """With F = 2C, maps 2c and 2c + 1 both come from channel c."""
    image = rng.standard_normal((6, 6, 2))
    depthwise = rng.standard_normal((4, 2, 2, 1))
    out = conv2d(image, depthwise, groups=2)
    for f in range(4):
        expected = signal.correlate2d(
            image[..., f // 2], depthwise[f, ..., 0], mode="valid"
        )
        assert_allclose(out[..., f], expected, atol=1e-12)


def test_depthwise_separable_is_depthwise_then_pointwise(rng):
    """The recipe equals one standard layer whose kernels are the products."""
    image = rng.standard_normal((8, 8, 3))
    depthwise = rng.standard_normal((3, 3, 3, 1))
    pointwise = rng.standard_normal((5, 1, 1, 3))
    two_steps = conv2d(conv2d(image, depthwise, groups=3), pointwise)
    # Standard kernels: filter f, channel c = pointwise[f, c] · depthwise[c].
    merged = np.einsum("fc,cuv->fuvc", pointwise[:, 0, 0, :], depthwise[..., 0])
    assert_allclose(two_steps, conv2d(image, merged), atol=1e-12)


@pytest.mark.parametrize(
    ("channels", "kernels", "groups", "error", "match"),
    [
        (4, (4, 3, 3, 2), 3, ValueError, "`groups` must divide both"),
        (4, (3, 3, 3, 2), 2, ValueError, "`groups` must divide both"),
        (
            4,
            (4, 3, 3, 4),
            2,
            ValueError,
            r"`kernels` must have 2 channels .* in 2 groups",
        ),
        (4, (4, 3, 3, 2), 0, ValueError, "`groups`"),
        (4, (4, 3, 3, 2), 2.0, TypeError, "`groups`"),
        (4, (4, 3, 3, 2), True, TypeError, "`groups`"),
    ],
)
def test_groups_are_validated(channels, kernels, groups, error, match):
    """C and F must be multiples of `groups`; kernels must have C / groups channels."""
    with pytest.raises(error, match=match):
        conv2d(np.ones((5, 5, channels)), np.ones(kernels), groups=groups)


# --------------------------------------------------------------------------
# conv_cost
# --------------------------------------------------------------------------


def _run_and_count(k, channels, filters, out_size, kind, groups):
    """Run the layer on ones, kernels of ones: return (parameters, multiply-adds)."""
    image = np.ones((out_size + k - 1, out_size + k - 1, channels))
    if kind == "depthwise-separable":
        depthwise, pointwise = (
            np.ones((channels, k, k, 1)),
            np.ones((filters, 1, 1, channels)),
        )
        first = conv2d(image, depthwise, np.zeros(channels), groups=channels)
        second = conv2d(np.ones(first.shape), pointwise, np.zeros(filters))
        count = first.sum() + second.sum()
        parameters = depthwise.size + channels + pointwise.size + filters
        return parameters, int(count)
    g = {"standard": 1, "grouped": groups, "depthwise": channels}[kind]
    kernels = np.ones((filters, k, k, channels // g))
    out = conv2d(image, kernels, np.zeros(filters), groups=g)
    return kernels.size + filters, int(out.sum())


@pytest.mark.parametrize("kind", CONV_KINDS)
@pytest.mark.parametrize(
    ("k", "channels", "filters", "out_size", "groups"),
    [(3, 4, 8, 5, 2), (1, 6, 6, 3, 3), (5, 2, 4, 4, 2), (3, 3, 6, 6, 3)],
)
def test_cost_equals_a_brute_force_count(kind, k, channels, filters, out_size, groups):
    """Parameters and multiply-adds equal what running conv2d on ones counts."""
    cost = conv_cost(
        k,
        channels,
        filters,
        out_size,
        kind=kind,
        groups=groups if kind == "grouped" else 1,
    )
    assert (cost.parameters, cost.multiply_adds) == _run_and_count(
        k, channels, filters, out_size, kind, groups
    )


def test_cost_of_a_resnet_layer_by_hand():
    """3 × 3, 256 → 256 channels on 56 × 56: the numbers worked out by hand."""
    positions = 56 * 56
    standard = conv_cost(3, 256, 256, 56)
    assert standard == ConvCost("standard", 9 * 256 * 256 + 256, positions * 589_824)
    assert standard.multiply_adds == 1_849_688_064
    grouped = conv_cost(3, 256, 256, (56, 56), kind="grouped", groups=32)
    assert grouped.parameters == 9 * 8 * 256 + 256 == 18_688
    assert grouped.multiply_adds == positions * 18_432
    depthwise = conv_cost(3, 256, 256, 56, kind="depthwise")
    assert (depthwise.parameters, depthwise.multiply_adds) == (2_560, positions * 2_304)
    separable = conv_cost(3, 256, 256, 56, kind="depthwise-separable")
    assert separable.parameters == 2_304 + 65_536 + 512 == 68_352
    assert separable.multiply_adds == positions * 67_840 == 212_746_240
    # 1/F + 1/K of the standard layer's multiply-adds.
    ratio = separable.multiply_adds / standard.multiply_adds
    assert ratio == pytest.approx(1 / 256 + 1 / 9)


def test_standard_cost_agrees_with_conv_parameters():
    """The standard layer's parameters are conv_parameters', with or without bias."""
    for bias in (True, False):
        assert conv_cost((3, 5), 7, 11, 4, bias=bias).parameters == conv_parameters(
            (3, 5), 7, 11, bias=bias
        )


def test_cost_without_bias():
    """Without biases the parameters are the weights alone; multiply-adds unchanged."""
    with_bias = conv_cost(3, 4, 8, 5, kind="depthwise-separable")
    without = conv_cost(3, 4, 8, 5, kind="depthwise-separable", bias=False)
    assert with_bias.parameters - without.parameters == 4 + 8
    assert with_bias.multiply_adds == without.multiply_adds


@pytest.mark.parametrize(
    ("args", "kwargs", "error", "match"),
    [
        ((3, 4, 8, 5), {"kind": "separable"}, ValueError, "`kind` must be one of"),
        ((3, 4, 8, 5), {"groups": 2}, ValueError, "`groups` applies to kind='grouped'"),
        (
            (3, 4, 8, 5),
            {"kind": "grouped", "groups": 3},
            ValueError,
            "`groups` must divide",
        ),
        (
            (3, 4, 6, 5),
            {"kind": "depthwise"},
            ValueError,
            "`out_channels` must be a multiple",
        ),
        ((0, 4, 8, 5), {}, ValueError, "`kernel_size`"),
        ((3, 0, 8, 5), {}, ValueError, "`in_channels`"),
        ((3, 4, 0, 5), {}, ValueError, "`out_channels`"),
        ((3, 4, 8, 0), {}, ValueError, "`output_size`"),
        ((3, 4, 8, 5), {"bias": 1}, TypeError, "`bias`"),
        ((3, 4, 8, 5), {"kind": "grouped", "groups": 0}, ValueError, "`groups`"),
    ],
)
def test_cost_rejects_bad_arguments(args, kwargs, error, match):
    """Each bad argument is named in the error."""
    with pytest.raises(error, match=match):
        conv_cost(*args, **kwargs)


def test_names_are_exported():
    """The package re-exports the calculator."""
    assert convdemo.conv_cost is conv_cost
    assert convdemo.CONV_KINDS == (
        "standard",
        "grouped",
        "depthwise",
        "depthwise-separable",
    )
