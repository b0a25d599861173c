"""Pooling: literal cases, a PyTorch-rule shape reference, loop and scipy oracles.

PyTorch is not a test dependency; ``torch_output_size`` below restates the
output-size rule of ``torch.nn.MaxPool2d``/``AvgPool2d``
(``pooling_output_shape`` in ATen) so that ``ceil_mode`` is checked against it.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
import scipy.ndimage as ndi
from hypothesis import assume, given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from numpy.testing import assert_allclose, assert_array_equal

from convdemo._reference import pool2d_loop
from convdemo.ops import (
    POOL_MODES,
    global_pool,
    pool2d,
    pool_output_shape,
    pool_windows,
)

FEATURE_MAP = np.array(
    [
        [1, 2, 5, 6],
        [3, 4, 7, 8],
        [0, 0, 1, 0],
        [0, 9, 0, 0],
    ]
)


def torch_output_size(n: int, k: int, s: int, p: int, ceil_mode: bool) -> int:
    """Return PyTorch's pooled size along one axis (ATen's pooling_output_shape)."""
    rounding = math.ceil if ceil_mode else math.floor
    size = rounding((n + 2 * p - k) / s) + 1
    if ceil_mode and (size - 1) * s >= n + p:
        size -= 1
    return size


@st.composite
def pool_arguments(draw: st.DrawFn, max_side: int = 12) -> dict:
    """Draw a feature map and pooling options that PyTorch would accept."""
    kh, kw = draw(st.tuples(st.integers(1, 4), st.integers(1, 4)))
    sr, sc = draw(st.tuples(st.integers(1, 4), st.integers(1, 4)))
    pr = draw(st.integers(0, kh // 2))
    pc = draw(st.integers(0, kw // 2))
    h = draw(st.integers(max(1, kh - 2 * pr), max_side))
    w = draw(st.integers(max(1, kw - 2 * pc), max_side))
    image = draw(
        hnp.arrays(
            draw(st.sampled_from([np.float64, np.int32, np.float32])),
            (h, w),
            elements=st.integers(-9, 9),
        )
    )
    return {
        "image": image,
        "size": (kh, kw),
        "stride": (sr, sc),
        "padding": (pr, pc),
        "ceil_mode": draw(st.booleans()),
        "mode": draw(st.sampled_from(POOL_MODES)),
        "p": draw(st.sampled_from([0.5, 1, 2, 3.5])),
    }


# ---------------------------------------------------------------------------
# Literal cases
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("mode", "expected"),
    [
        ("max", [[4, 8], [9, 1]]),
        ("min", [[1, 5], [0, 0]]),
        ("avg", [[2.5, 6.5], [2.25, 0.25]]),
        ("l2", [[math.sqrt(30), math.sqrt(174)], [9, 1]]),
    ],
)
def test_pool2d_literal(mode, expected) -> None:
    """2×2 pooling of a 4×4 map, each mode by hand."""
    assert_allclose(pool2d(FEATURE_MAP, mode=mode), expected)


def test_lp_is_a_norm_not_a_mean() -> None:
    """lp with p = 1 sums absolute values; l2 is lp with p = 2."""
    x = -FEATURE_MAP
    assert_allclose(pool2d(x, mode="lp", p=1), [[10, 26], [9, 1]])
    assert_allclose(pool2d(x, mode="l2"), pool2d(x, mode="lp", p=2))


def test_pool2d_halves_the_post_feature_map() -> None:
    """The post's 2×2 max pooling halves each side and keeps the strongest edge."""
    edges = np.zeros((6, 8))
    edges[:, 3] = 3
    out = pool2d(edges)
    assert out.shape == (3, 4)
    assert_array_equal(out[:, 1], 3)


def test_overlapping_windows() -> None:
    """stride < size makes windows overlap."""
    out = pool2d(np.arange(16).reshape(4, 4), size=3, stride=1)
    assert_array_equal(out, [[10, 11], [14, 15]])


def test_avg_padding_is_not_counted() -> None:
    """Padded cells do not count toward the average (count_include_pad=False)."""
    out = pool2d(np.ones((3, 3)), size=3, stride=1, padding=1, mode="avg")
    assert_array_equal(out, np.ones((3, 3)))
    corner = pool2d(np.arange(9).reshape(3, 3), 3, stride=1, padding=1, mode="avg")
    assert corner[0, 0] == (0 + 1 + 3 + 4) / 4


@pytest.mark.parametrize("mode", ["max", "min", "l2", "lp"])
def test_padding_never_wins(mode) -> None:
    """Negative maps keep negative maxima; positive ones keep positive minima."""
    x = (
        -np.arange(1, 10).reshape(3, 3)
        if mode == "max"
        else np.arange(1, 10).reshape(3, 3)
    )
    out = pool2d(x, size=2, stride=1, padding=1, mode=mode, p=1.5)
    expected = pool2d_loop(x, size=2, stride=1, padding=1, mode=mode, p=1.5)
    assert_allclose(out, expected)
    assert out[0, 0] == pytest.approx(
        float(abs(x[0, 0])) * (-1 if mode == "max" else 1)
    )


def torch_avg_pool(
    image: np.ndarray, k: int, s: int, p: int, ceil_mode: bool
) -> np.ndarray:
    """Restate PyTorch's ``AvgPool2d`` with ``count_include_pad=True`` (ATen's loop).

    Each window sums the real cells it covers and divides by
    ``(hend − hstart)·(wend − wstart)`` with ``hstart = i·s − p`` and
    ``hend = min(hstart + k, H + p)``, taken before ``hstart`` is clipped
    to 0: padded cells count, the part of a ``ceil_mode`` window past the
    padding does not.
    """
    rows = torch_output_size(image.shape[0], k, s, p, ceil_mode)
    cols = torch_output_size(image.shape[1], k, s, p, ceil_mode)
    out = np.empty((rows, cols))
    for i, j in np.ndindex(rows, cols):
        h0, w0 = i * s - p, j * s - p
        h1 = min(h0 + k, image.shape[0] + p)
        w1 = min(w0 + k, image.shape[1] + p)
        divisor = (h1 - h0) * (w1 - w0)
        out[i, j] = image[max(h0, 0) : h1, max(w0, 0) : w1].sum() / divisor
    return out


def test_avg_count_include_pad_issue_example() -> None:
    """Window 3, stride 2, padding 1 on 1…9: [[3, 4], [6, 7]], PyTorch 12/9…28/9."""
    grid = np.arange(1, 10).reshape(3, 3)
    options = {"stride": 2, "padding": 1, "mode": "avg"}
    assert_allclose(pool2d(grid, 3, **options), [[3, 4], [6, 7]], rtol=1e-15)
    counted = pool2d(grid, 3, count_include_pad=True, **options)
    assert_allclose(counted, np.array([[12, 16], [24, 28]]) / 9, rtol=1e-15)
    assert_allclose(counted, [[1.33, 1.78], [2.67, 3.11]], atol=0.005)
    assert_allclose(counted, torch_avg_pool(grid, 3, 2, 1, False), rtol=1e-15)


@given(
    image=hnp.arrays(
        np.float64,
        st.tuples(st.integers(1, 9), st.integers(1, 9)),
        elements=st.integers(-9, 9),
    ),
    k=st.integers(1, 4),
    s=st.integers(1, 3),
    padding=st.integers(0, 2),
    ceil_mode=st.booleans(),
)
def test_avg_count_include_pad_is_torch_formula(image, k, s, padding, ceil_mode):
    """count_include_pad=True follows PyTorch's divisor, ceil_mode included."""
    p = min(padding, k // 2)
    assume(k <= min(image.shape) + 2 * p)
    options = {"stride": s, "padding": p, "ceil_mode": ceil_mode, "mode": "avg"}
    out = pool2d(image, k, count_include_pad=True, **options)
    assert_allclose(out, torch_avg_pool(image, k, s, p, ceil_mode), rtol=1e-12)
    expected = pool2d_loop(image, k, count_include_pad=True, **options)
    assert_allclose(out, expected, rtol=1e-12)


@pytest.mark.parametrize("mode", ["max", "min", "l2", "lp"])
def test_count_include_pad_only_changes_avg(mode) -> None:
    """The other modes never see padded cells, whatever count_include_pad says."""
    x = np.arange(1, 10).reshape(3, 3)
    options = {"stride": 2, "padding": 1, "mode": mode, "p": 3}
    assert_array_equal(
        pool2d(x, 3, count_include_pad=True, **options), pool2d(x, 3, **options)
    )


def test_count_include_pad_must_be_a_bool() -> None:
    """A string is not a flag."""
    with pytest.raises(TypeError, match="`count_include_pad`"):
        pool2d(np.ones((3, 3)), mode="avg", count_include_pad="yes")


def test_ceil_mode_keeps_partial_window() -> None:
    """5×5 with 2×2 windows: floor gives 2×2, ceil keeps the partial last window."""
    x = np.arange(25).reshape(5, 5)
    assert pool2d(x).shape == (2, 2)
    out = pool2d(x, ceil_mode=True)
    assert_array_equal(out, [[6, 8, 9], [16, 18, 19], [21, 23, 24]])
    avg = pool2d(x, ceil_mode=True, mode="avg")
    assert avg[2, 2] == 24
    assert avg[0, 2] == (4 + 9) / 2


def test_ceil_mode_drops_window_starting_in_padding() -> None:
    """PyTorch drops a last window that would start in the right padding."""
    # n=5, k=2, s=2, p=1: ⌈5/2⌉ + 1 = 4 windows, but the 4th starts at 6 = n + p.
    assert pool_output_shape((5, 5), 2, padding=1, ceil_mode=True) == (3, 3)
    assert pool2d(np.ones((5, 5)), 2, padding=1, ceil_mode=True).shape == (3, 3)


@pytest.mark.parametrize(
    ("args", "kwargs", "expected"),
    [
        (((4, 4),), {}, (2, 2)),
        (((5, 5),), {}, (2, 2)),
        (((5, 5),), {"ceil_mode": True}, (3, 3)),
        (((6, 6), 3), {"stride": 2, "padding": 1}, (3, 3)),
        (((6, 6), 3), {"stride": 2, "padding": 1, "ceil_mode": True}, (4, 4)),
        (((7, 9), (3, 2)), {"stride": (2, 3)}, (3, 3)),
    ],
)
def test_pool_output_shape_literal(args, kwargs, expected) -> None:
    """pool_output_shape on hand-checked cases (PyTorch's documented formula)."""
    assert pool_output_shape(*args, **kwargs) == expected


# ---------------------------------------------------------------------------
# Oracles
# ---------------------------------------------------------------------------


@given(
    n=st.integers(1, 40),
    k=st.integers(1, 6),
    s=st.integers(1, 6),
    data=st.data(),
    ceil_mode=st.booleans(),
)
def test_pool_output_shape_matches_pytorch_rule(n, k, s, data, ceil_mode) -> None:
    """pool_output_shape follows PyTorch's rule on both axes, ceil_mode included."""
    p = data.draw(st.integers(0, k // 2))
    if k > n + 2 * p:
        with pytest.raises(ValueError, match="`size`"):
            pool_output_shape((n, 3), (k, 1), stride=(s, 1), padding=(p, 0))
        return
    expected = torch_output_size(n, k, s, p, ceil_mode)
    shape = pool_output_shape((n, n), k, stride=s, padding=p, ceil_mode=ceil_mode)
    assert shape == (expected, expected)


@given(arguments=pool_arguments())
def test_pool2d_matches_loop(arguments) -> None:
    """pool2d equals the loop for every mode, stride, padding and ceil_mode."""
    image = arguments.pop("image")
    out = pool2d(image, **arguments)
    expected = pool2d_loop(image, **arguments)
    assert out.shape == expected.shape
    assert_allclose(out, expected, rtol=1e-12, atol=1e-12)
    assert out.shape == pool_output_shape(
        image.shape,
        arguments["size"],
        stride=arguments["stride"],
        padding=arguments["padding"],
        ceil_mode=arguments["ceil_mode"],
    )


@given(arguments=pool_arguments())
def test_pool_windows_agree_with_pool2d(arguments) -> None:
    """Step values equal pool2d; padding is NaN in products; pick is the winner."""
    image = arguments.pop("image")
    expected = pool2d(image, **arguments)
    steps = list(pool_windows(image, **arguments))
    assert [s.position for s in steps] == list(np.ndindex(expected.shape))
    assert_allclose([s.value for s in steps], expected.ravel(), rtol=1e-12)
    kh, kw = arguments["size"]
    sr, sc = arguments["stride"]
    pr, pc = arguments["padding"]
    for step in steps:
        i, j = step.position
        assert step.origin == (i * sr, j * sc)
        assert_array_equal(step.rows, i * sr + np.arange(kh))
        assert_array_equal(step.cols, j * sc + np.arange(kw))
        assert step.valid.any()
        assert_array_equal(np.isnan(step.pooled), ~step.valid)
        assert_array_equal(step.window[~step.valid], 0)
        real = image[
            np.ix_(step.rows[step.valid.any(1)] - pr, step.cols[step.valid.any(0)] - pc)
        ]
        assert_array_equal(step.window[step.valid], real.ravel())
        if arguments["mode"] in ("max", "min"):
            assert step.pick is not None
            assert step.valid[step.pick]
            assert step.window[step.pick] == step.value
        else:
            assert step.pick is None


def test_pick_is_first_on_ties() -> None:
    """Ties go to the first cell in row-major order."""
    (step,) = pool_windows(np.array([[1, 7], [7, 7]]))
    assert step.pick == (0, 1)
    (step,) = pool_windows(np.array([[1, 7], [7, 1]]), mode="min")
    assert step.pick == (0, 0)


@given(
    image=hnp.arrays(
        np.float64,
        st.tuples(st.integers(1, 12), st.integers(1, 12)),
        elements=st.floats(-9, 9),
    ),
    size=st.sampled_from([1, 3, 5]),
    mode=st.sampled_from(["max", "min"]),
)
def test_stride_one_matches_scipy_ndimage(image, size, mode) -> None:
    """Stride 1 with padding size // 2 is scipy.ndimage's maximum/minimum filter."""
    scipy_filter = ndi.maximum_filter if mode == "max" else ndi.minimum_filter
    expected = scipy_filter(image, size=size, mode="nearest")
    out = pool2d(image, size, stride=1, padding=size // 2, mode=mode)
    assert_array_equal(out, expected)


# ---------------------------------------------------------------------------
# Global pooling
# ---------------------------------------------------------------------------


def test_global_pool_literal() -> None:
    """Global pooling of a 2×2 map, each mode by hand, as floats."""
    x = np.array([[1, 2], [3, 4]])
    assert global_pool(x) == 2.5
    assert global_pool(x, "max") == 4.0
    assert global_pool(x, "min") == 1.0
    assert global_pool(x, "l2") == pytest.approx(math.sqrt(30))
    assert global_pool(x, "lp", p=1) == 10.0
    assert isinstance(global_pool(x), float)


@given(
    image=hnp.arrays(
        np.float64,
        st.tuples(st.integers(1, 8), st.integers(1, 8), st.integers(1, 3)),
        elements=st.floats(-9, 9),
    ),
    mode=st.sampled_from(POOL_MODES),
)
def test_global_pool_is_one_big_window(image, mode) -> None:
    """global_pool equals pool2d with one window covering each channel."""
    out = global_pool(image, mode, p=3)
    assert out.shape == (image.shape[2],)
    for c in range(image.shape[2]):
        channel = image[..., c]
        window = pool2d(channel, channel.shape, mode=mode, p=3)
        assert out[c] == pytest.approx(window[0, 0], rel=1e-12, abs=1e-12)
        assert global_pool(channel, mode, p=3) == pytest.approx(
            out[c], rel=1e-12, abs=1e-12
        )
