"""Separable kernels: separate() and correlate2d's two-pass route.

Oracles: the outer product of the factors, numpy's matrix rank, the direct
route and the plain loop reference.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from numpy.testing import assert_allclose, assert_array_equal
from strategies import correlations, small_floats

import convdemo
from convdemo._reference import correlate2d_loop
from convdemo._routes import SEPARABLE_TOL, choose_method
from convdemo.analysis import binomial_kernel
from convdemo.kernels import get_kernel
from convdemo.ops import convolve2d, correlate2d
from convdemo.separable import SEPARABLE_MAX_TAPS, SEPARABLE_MIN_TAPS, separate


@pytest.mark.parametrize(
    ("name", "column", "row"),
    [
        ("vertical", [1, 1, 1], [1, 0, -1]),
        ("horizontal", [1, 0, -1], [1, 1, 1]),
        ("sobel_x", [1, 2, 1], [1, 0, -1]),
        ("sobel_y", [1, 0, -1], [1, 2, 1]),
        ("scharr_x", [3, 10, 3], [1, 0, -1]),
        ("box_blur", [1, 1, 1], [1, 1, 1]),
        ("identity", [0, 1, 0], [0, 1, 0]),
    ],
)
def test_integer_kernels_give_integer_factors(name, column, row):
    """The story's filters split into the whole numbers one would write."""
    found = separate(get_kernel(name))
    assert found is not None
    assert_array_equal(found[0], column)
    assert_array_equal(found[1], row)


@pytest.mark.parametrize(
    ("kernel", "factor"),
    [
        (get_kernel("gaussian_blur"), [1, 2, 1]),
        (get_kernel("gaussian_blur_5x5"), [1, 4, 6, 4, 1]),
        (binomial_kernel(7), [1, 6, 15, 20, 15, 6, 1]),
    ],
)
def test_normalised_gaussians_give_two_normalised_binomials(kernel, factor):
    """A divisor that is not a whole number is shared: both factors sum to 1."""
    column, row = separate(kernel)
    binomial = np.array(factor, dtype=float) / sum(factor)
    assert_array_equal(column, binomial)
    assert_array_equal(row, binomial)


@pytest.mark.parametrize(
    "name", ["oblique", "edges", "outline", "laplacian", "sharpen", "emboss"]
)
def test_rank_two_kernels_are_not_separable(name):
    """Kernels of rank 2 or more give None."""
    assert np.linalg.matrix_rank(get_kernel(name)) > 1
    assert separate(get_kernel(name)) is None


def test_zero_kernel_is_not_separable():
    """A kernel of zeros has rank 0: None."""
    assert separate(np.zeros((3, 3))) is None


def test_negative_scale_goes_to_the_row():
    """−Prewitt keeps the column positive and turns the row round."""
    column, row = separate(-get_kernel("vertical"))
    assert_array_equal(column, [1, 1, 1])
    assert_array_equal(row, [-1, 0, 1])


def test_non_integer_pattern_is_scaled_to_whole_numbers():
    """[1, 1.5, 1] is written [2, 3, 2]: the smallest whole numbers that fit."""
    column, row = separate(np.outer([1, 1.5, 1], [4, -6]))
    assert_array_equal(column, [2, 3, 2])
    assert_array_equal(row, [2, -3])


@given(
    hnp.arrays(np.float64, st.integers(1, 6), elements=small_floats),
    hnp.arrays(np.float64, st.integers(1, 6), elements=small_floats),
)
def test_factors_reproduce_any_rank_one_kernel(column, row):
    """separate(outer(c, r)) gives factors whose outer product is the kernel."""
    kernel = np.outer(column, row)
    found = separate(kernel)
    if not np.any(kernel):
        assert found is None
        return
    assert found is not None
    first = found[0][np.flatnonzero(found[0])[0]]
    assert first > 0
    assert_allclose(np.outer(*found), kernel, atol=1e-9 * np.abs(kernel).max())


def test_tolerance_decides_the_rank():
    """A tiny second component passes with a loose `tol`, not a tight one."""
    kernel = np.outer([1, 2, 1], [1, 0, -1]) + 1e-7 * np.eye(3)
    assert separate(kernel) is None
    assert separate(kernel, tol=1e-6) is not None


@pytest.mark.parametrize(
    ("tol", "error"),
    [
        (-1e-3, ValueError),
        (float("nan"), ValueError),
        (float("inf"), ValueError),
        ("0.1", TypeError),
        (True, TypeError),
    ],
)
def test_tol_is_validated(tol, error):
    """A negative, infinite or non-numeric `tol` is refused, named."""
    with pytest.raises(error, match="`tol`"):
        separate(np.ones((2, 2)), tol=tol)


def test_kernel_is_validated():
    """A kernel that is not a finite 2-D array is refused, named."""
    with pytest.raises(ValueError, match="`kernel`"):
        separate(np.ones(3))


# --------------------------------------------------------------------------
# The two-pass route
# --------------------------------------------------------------------------


@st.composite
def rank_one_correlations(draw):
    """A correlation case (as strategies.correlations) with a rank-1 kernel."""
    case = draw(correlations())
    kh, kw = case["kernel"].shape
    column = draw(hnp.arrays(np.float64, kh, elements=small_floats))
    row = draw(hnp.arrays(np.float64, kw, elements=small_floats))
    case["kernel"] = np.outer(column, row)
    return case


@given(rank_one_correlations())
def test_separable_route_agrees_with_direct(case):
    """Every padding, border, stride and dilation: two passes = 2-D sum, 1e-12."""
    image, kernel, options = case["image"], case["kernel"], case["options"]
    if not np.any(kernel):  # rank 0: nothing to separate
        return
    assert separate(kernel, tol=SEPARABLE_TOL) is not None
    direct = correlate2d(image, kernel, method="direct", **options)
    passes = correlate2d(image, kernel, method="separable", **options)
    scale = max(float(np.abs(image).max() * np.abs(kernel).sum()), 1.0)
    assert_allclose(passes, direct, rtol=1e-12, atol=1e-12 * scale)
    loop = correlate2d_loop(image, kernel, **options)
    assert_allclose(passes, loop, rtol=1e-12, atol=1e-12 * scale)


@pytest.mark.parametrize("name", ["vertical", "horizontal", "sobel_x", "box_blur"])
def test_integer_kernels_in_two_passes_are_exact(rng, name):
    """Integer factors on an integer image: the two passes give the same integers."""
    image = rng.integers(0, 256, size=(40, 50)).astype(float)
    kernel = get_kernel(name)
    for padding, stride in (("valid", 1), ("same", 2), (2, (1, 3))):
        options = {"padding": padding, "stride": stride, "border": "reflect"}
        assert_array_equal(
            correlate2d(image, kernel, method="separable", **options),
            correlate2d(image, kernel, method="direct", **options),
        )


def test_separable_convolution_flips_both_factors(rng):
    """convolve2d with two passes equals its direct route."""
    image = rng.standard_normal((30, 30))
    kernel = np.outer([1.0, 2.0, 3.0, 4.0], [1.0, -1.0, 0.5])
    assert_allclose(
        convolve2d(image, kernel, method="separable", padding="same"),
        convolve2d(image, kernel, method="direct", padding="same"),
        rtol=1e-12,
        atol=1e-12,
    )


def test_separable_route_refuses_rank_two_kernels():
    """method='separable' with a kernel of rank 2 says so, naming `method`."""
    with pytest.raises(
        ValueError, match="`method` 'separable' needs a kernel of rank 1"
    ):
        correlate2d(np.ones((5, 5)), get_kernel("laplacian"), method="separable")


def test_auto_separates_where_two_passes_are_faster():
    """`auto` takes two passes for rank-1 kernels from 4 × 4 up to the FFT's range."""
    out = (200, 200)
    assert choose_method(get_kernel("vertical"), out, (1, 1)) == "direct"
    assert choose_method(get_kernel("gaussian_blur_5x5"), out, (1, 1)) == "separable"
    assert choose_method(np.ones((4, 4)), out, (1, 1)) == "separable"
    assert choose_method(np.ones((4, 4)), (3, 3), (1, 1)) == "separable"
    side = SEPARABLE_MAX_TAPS // 2
    assert choose_method(np.ones((side, side)), out, (1, 1)) == "separable"
    assert choose_method(np.ones((side + 1, side + 1)), out, (1, 1)) == "fft"
    assert choose_method(np.eye(4), out, (1, 1)) == "direct"
    assert 4 * 4 >= SEPARABLE_MIN_TAPS > 3 * 3
    # A single row or column is already one pass.
    assert choose_method(np.ones((1, 20)), (10, 10), (1, 1)) == "direct"


def test_auto_gives_the_direct_result_for_a_gaussian(rng):
    """The 5 × 5 Gaussian through auto (two passes) equals the 2-D sum."""
    image = rng.random((120, 130))
    kernel = get_kernel("gaussian_blur_5x5")
    assert_allclose(
        correlate2d(image, kernel, padding="same", border="reflect"),
        correlate2d(image, kernel, padding="same", border="reflect", method="direct"),
        rtol=1e-12,
        atol=1e-12,
    )


def test_names_are_exported():
    """The package re-exports separate."""
    assert convdemo.separate is separate
