"""Convolution as a linear map: conv_matrix, im2col and conv_transpose2d.

Oracles:

* ``correlate2d`` of unit images: column j of the matrix is the output for
  the image that is 1 at pixel j and 0 elsewhere, so ``conv_matrix`` is
  checked entry by entry, for every padding, border, stride and dilation.
* ``sliding_windows``: the windows that ``im2col`` lays out as rows.
* ``conv2d``: the GEMM view of a multi-channel layer.
* ``conv_transpose2d_loop``: d2l's scatter-add loop over the input pixels.
* ``scipy.signal.convolve2d``: a transposed convolution is a full convolution
  of the input with zeros inserted between its pixels (stride) by the kernel
  with zeros inserted between its taps (dilation), cropped by the padding.
* The adjoint identity ⟨correlate2d(x), y⟩ = ⟨x, conv_transpose2d(y)⟩.

PyTorch is not a dependency; its output-size rule is restated in
``torch_transpose_size`` below (``ConvTranspose2d``'s documentation).
"""

from __future__ import annotations

import tracemalloc

import numpy as np
import pytest
import scipy.signal as signal
from hypothesis import assume, given
from hypothesis import strategies as st
from numpy.testing import assert_allclose, assert_array_equal
from strategies import correlations, matrices, pairs

from convdemo import _stack
from convdemo._reference import conv_transpose2d_loop
from convdemo.linear import (
    _MAX_MATRIX_ENTRIES,
    conv_matrix,
    conv_transpose2d,
    im2col,
)
from convdemo.ops import BORDERS, conv2d, correlate2d, output_shape, sliding_windows


@st.composite
def transposes(draw: st.DrawFn) -> dict:
    """Draw an input, a kernel and conv_transpose2d options PyTorch accepts."""
    image = draw(matrices(max_side=6))
    kernel = draw(matrices(max_side=4))
    stride, dilation = draw(pairs), draw(pairs)
    output_padding = tuple(
        draw(st.integers(0, max(s, d) - 1))
        for s, d in zip(stride, dilation, strict=True)
    )
    padding = draw(st.tuples(st.integers(0, 3), st.integers(0, 3)))
    sizes = torch_transpose_size(
        image.shape, kernel.shape, stride, padding, output_padding, dilation
    )
    assume(min(sizes) >= 1)
    return {
        "image": image,
        "kernel": kernel,
        "options": {
            "stride": stride,
            "padding": padding,
            "output_padding": output_padding,
            "dilation": dilation,
        },
    }


def torch_transpose_size(shape, kernel_shape, stride, padding, extra, dilation):
    """Return ConvTranspose2d's output size, as its documentation states it."""
    return tuple(
        (n - 1) * s - 2 * p + d * (k - 1) + e + 1
        for n, k, s, p, e, d in zip(
            shape, kernel_shape, stride, padding, extra, dilation, strict=True
        )
    )


def unit_image(shape: tuple[int, int], index: int) -> np.ndarray:
    """Return the image that is 1 at flat pixel `index` and 0 elsewhere."""
    image = np.zeros(shape)
    image.flat[index] = 1.0
    return image


# ---------------------------------------------------------------------------
# conv_matrix
# ---------------------------------------------------------------------------


def test_conv_matrix_story_example() -> None:
    """The 3 × 3 image and 2 × 2 kernel give a 4 × 9 matrix, each row one window."""
    matrix = conv_matrix((3, 3), [[0, 1], [2, 3]])
    assert_array_equal(
        matrix,
        [
            [0, 1, 0, 2, 3, 0, 0, 0, 0],
            [0, 0, 1, 0, 2, 3, 0, 0, 0],
            [0, 0, 0, 0, 1, 0, 2, 3, 0],
            [0, 0, 0, 0, 0, 1, 0, 2, 3],
        ],
    )


def test_conv_matrix_stride_keeps_every_other_row() -> None:
    """With stride 2 the matrix is the stride-1 matrix's rows 0, 2, 6 and 8."""
    kernel = np.arange(1, 10).reshape(3, 3)
    full = conv_matrix((5, 5), kernel, padding="same")
    strided = conv_matrix((5, 5), kernel, padding="same", stride=2)
    assert_array_equal(strided, full.reshape(5, 5, 25)[::2, ::2].reshape(9, 25))


def test_conv_matrix_replicate_folds_onto_edge_pixels() -> None:
    """A replicated border adds the padded taps' weights onto the edge pixels."""
    matrix = conv_matrix((1, 3), [[1, 10, 100]], padding="same", border="replicate")
    assert_array_equal(matrix, [[11, 100, 0], [1, 10, 100], [0, 1, 110]])


def test_conv_matrix_wide_reflect_reads_a_pixel_several_times() -> None:
    """A reflected border wider than the image puts 3 on a pixel read three times."""
    # Reflecting [a, b] twice on each side gives a b a b a b.
    matrix = conv_matrix((1, 2), np.ones((1, 5)), padding="same", border="reflect")
    assert_array_equal(matrix, [[3, 2], [2, 3]])


@given(case=correlations())
def test_conv_matrix_columns_are_unit_responses(case) -> None:
    """Column j of the matrix is correlate2d of the image that is 1 at pixel j."""
    image, kernel, options = case["image"], case["kernel"], case["options"]
    matrix = conv_matrix(image.shape, kernel, **options)
    for j in range(image.size):
        response = correlate2d(unit_image(image.shape, j), kernel, **options)
        assert_array_equal(matrix[:, j], response.ravel())


@given(case=correlations())
def test_conv_matrix_times_image_is_the_correlation(case) -> None:
    """M @ image.ravel() equals correlate2d(image, kernel).ravel()."""
    image, kernel, options = case["image"], case["kernel"], case["options"]
    matrix = conv_matrix(image.shape, kernel, **options)
    expected = correlate2d(image, kernel, **options)
    assert_allclose(matrix @ image.ravel(), expected.ravel(), rtol=1e-12, atol=1e-9)


def test_conv_matrix_size_budget() -> None:
    """A 45 × 45 'same' matrix fits the 2²² entry budget, 46 × 46 does not."""
    assert 2025**2 <= _MAX_MATRIX_ENTRIES < 2116**2
    assert conv_matrix((45, 45), np.ones((3, 3)), padding="same").shape == (2025,) * 2
    with pytest.raises(ValueError, match=r"`input_shape` \(46, 46\).*4,194,304"):
        conv_matrix((46, 46), np.ones((3, 3)), padding="same")


# ---------------------------------------------------------------------------
# im2col
# ---------------------------------------------------------------------------


def test_im2col_story_example() -> None:
    """The four windows of the 3 × 3 image, one per row, times the kernel."""
    columns = im2col(np.arange(9).reshape(3, 3), (2, 2))
    assert_array_equal(
        columns, [[0, 1, 3, 4], [1, 2, 4, 5], [3, 4, 6, 7], [4, 5, 7, 8]]
    )
    assert_array_equal(columns @ np.arange(4), [19, 25, 37, 43])


@given(case=correlations())
def test_im2col_rows_are_the_sliding_windows(case) -> None:
    """Row k of im2col is the window of step k of sliding_windows, flattened."""
    image, kernel, options = case["image"], case["kernel"], case["options"]
    columns = im2col(image, kernel.shape, **options)
    windows = [
        step.window.ravel() for step in sliding_windows(image, kernel, **options)
    ]
    assert_array_equal(columns, np.array(windows))


@given(case=correlations())
def test_im2col_times_kernel_is_the_correlation(case) -> None:
    """im2col(image) @ kernel.ravel() equals correlate2d(image, kernel).ravel()."""
    image, kernel, options = case["image"], case["kernel"], case["options"]
    columns = im2col(image, kernel.shape, **options)
    expected = correlate2d(image, kernel, **options)
    assert_allclose(columns @ kernel.ravel(), expected.ravel(), rtol=1e-12, atol=1e-9)


@pytest.mark.parametrize("border", BORDERS)
def test_im2col_gemm_is_a_conv2d_layer(rng, border) -> None:
    """im2col of a C-channel image times kernels.reshape(F, -1).T is conv2d."""
    image = rng.standard_normal((7, 9, 3))
    kernels = rng.standard_normal((4, 3, 2, 3))
    options = {"padding": "same", "border": border, "stride": (2, 1), "dilation": 2}
    columns = im2col(image, (3, 2), **options)
    expected = conv2d(image, kernels, **options)
    assert columns.shape == (expected.shape[0] * expected.shape[1], 3 * 2 * 3)
    product = columns @ kernels.reshape(4, -1).T
    assert_allclose(product, expected.reshape(-1, 4), rtol=1e-12, atol=1e-12)


def test_im2col_stack_is_the_images_one_after_another(rng) -> None:
    """For an (N, H, W, C) stack the rows are each image's rows, in order."""
    stack = rng.standard_normal((3, 6, 5, 2))
    columns = im2col(stack, 3, padding=1, border="wrap")
    each = [im2col(image, 3, padding=1, border="wrap") for image in stack]
    assert_array_equal(columns, np.concatenate(each))


def test_im2col_copies_each_window_once(rng) -> None:
    """The matrix is kh·kw times the image, and building it peaks near that."""
    image = rng.standard_normal((256, 256))
    tracemalloc.start()
    try:
        columns = im2col(image, (3, 3), padding="same")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert columns.nbytes == 9 * image.nbytes
    assert peak < 10.5 * image.nbytes


def test_im2col_never_returns_a_view_of_its_input() -> None:
    """Even a 1 × 1 kernel, whose windows are the image itself, gets a copy."""
    image = np.arange(6.0).reshape(2, 3)
    columns = im2col(image, 1)
    columns[0, 0] = 99
    assert image[0, 0] == 0


# ---------------------------------------------------------------------------
# conv_transpose2d
# ---------------------------------------------------------------------------


def test_conv_transpose2d_d2l_example() -> None:
    """d2l's example: each input value stamps the kernel, overlaps add."""
    image = np.array([[0, 1], [2, 3]])
    kernel = np.array([[0, 1], [2, 3]])
    assert_array_equal(
        conv_transpose2d(image, kernel), [[0, 0, 1], [0, 4, 6], [4, 12, 9]]
    )


def test_conv_transpose2d_stride_literal() -> None:
    """With stride 2 and a 2 × 2 kernel the stamps tile the output."""
    out = conv_transpose2d([[0, 1], [2, 3]], [[0, 1], [2, 3]], stride=2)
    assert_array_equal(out, [[0, 0, 0, 1], [0, 0, 2, 3], [0, 2, 0, 3], [4, 6, 6, 9]])


def test_conv_transpose2d_padding_and_output_padding_literal() -> None:
    """padding crops every side; output_padding adds a row and column of zeros."""
    image = np.array([[1, 2], [3, 4]])
    full = conv_transpose2d(image, np.ones((3, 3)), stride=2)
    assert full.shape == (5, 5)
    cropped = conv_transpose2d(image, np.ones((3, 3)), stride=2, padding=1)
    assert_array_equal(cropped, full[1:-1, 1:-1])
    extra = conv_transpose2d(
        image, np.ones((3, 3)), stride=2, padding=1, output_padding=1
    )
    assert_array_equal(extra, np.pad(full, ((0, 1), (0, 1)))[1:-1, 1:-1])
    assert_array_equal(extra[-1], [3, 7, 4, 4])


@given(case=transposes())
def test_conv_transpose2d_output_size_is_pytorchs(case) -> None:
    """(n − 1)·s − 2p + d(k − 1) + output_padding + 1 cells per axis."""
    image, kernel, options = case["image"], case["kernel"], case["options"]
    out = conv_transpose2d(image, kernel, **options)
    assert out.shape == torch_transpose_size(
        image.shape,
        kernel.shape,
        options["stride"],
        options["padding"],
        options["output_padding"],
        options["dilation"],
    )


@given(case=transposes())
def test_conv_transpose2d_matches_scatter_loop(case) -> None:
    """The tap-by-tap fast path equals d2l's loop over input pixels."""
    image, kernel, options = case["image"], case["kernel"], case["options"]
    assert_allclose(
        conv_transpose2d(image, kernel, **options),
        conv_transpose2d_loop(image, kernel, **options),
        rtol=1e-12,
        atol=1e-9,
    )


@given(case=transposes())
def test_conv_transpose2d_is_a_full_convolution_of_the_spread_input(case) -> None:
    """scipy: insert zeros (stride, dilation), convolve 'full', crop padding."""
    image, kernel, options = case["image"], case["kernel"], case["options"]
    (sr, sc), (dr, dc) = options["stride"], options["dilation"]
    (pr, pc), (er, ec) = options["padding"], options["output_padding"]
    spread = np.zeros(((image.shape[0] - 1) * sr + 1, (image.shape[1] - 1) * sc + 1))
    spread[::sr, ::sc] = image
    dilated = np.zeros(((kernel.shape[0] - 1) * dr + 1, (kernel.shape[1] - 1) * dc + 1))
    dilated[::dr, ::dc] = kernel
    full = np.pad(signal.convolve2d(spread, dilated, mode="full"), ((0, er), (0, ec)))
    expected = full[pr : full.shape[0] - pr, pc : full.shape[1] - pc]
    assert_allclose(
        conv_transpose2d(image, kernel, **options), expected, rtol=1e-12, atol=1e-9
    )


@given(
    case=correlations(padding=st.integers(0, 3), border=st.just("zeros")),
    seed=st.integers(0, 2**32 - 1),
)
def test_adjoint_identity(case, seed) -> None:
    """⟨correlate2d(x, k), y⟩ = ⟨x, conv_transpose2d(y, k)⟩ to 1e-12, zero borders."""
    kernel, options = case["kernel"], case["options"]
    shape = case["image"].shape
    padding, stride, dilation = (
        options["padding"],
        options["stride"],
        options["dilation"],
    )
    rng = np.random.default_rng(seed)
    x = rng.standard_normal(shape)
    forward = {"padding": padding, "stride": stride, "dilation": dilation}
    y = rng.standard_normal(correlate2d(x, kernel, **forward).shape)
    # output_padding picks, among the inputs that give y's shape, x's shape.
    extra = tuple(
        (n + 2 * padding - d * (k - 1) - 1) % s
        for n, k, s, d in zip(shape, kernel.shape, stride, dilation, strict=True)
    )
    transpose = {**forward, "output_padding": extra}
    back = conv_transpose2d(y, kernel, **transpose)
    assert back.shape == shape
    left = float(np.vdot(correlate2d(x, kernel, **forward), y))
    right = float(np.vdot(x, back))
    # The scale of the rounding error: the sum of |every product| in the sums.
    scale = float(
        np.vdot(np.abs(x), conv_transpose2d(np.abs(y), np.abs(kernel), **transpose))
    )
    assert abs(left - right) <= 1e-12 * scale


@given(case=transposes())
def test_conv_transpose2d_is_the_matrix_transpose(case) -> None:
    """conv_transpose2d(y).ravel() equals conv_matrix(...).T @ y.ravel()."""
    image, kernel, options = case["image"], case["kernel"], case["options"]
    out = conv_transpose2d(image, kernel, **options)
    matrix = conv_matrix(
        out.shape,
        kernel,
        padding=options["padding"],
        stride=options["stride"],
        dilation=options["dilation"],
    )
    # With output_padding ≥ stride (allowed when < dilation) the correlation
    # of the output's shape has more cells than the input: the extra ones
    # are the rows and columns the transpose never wrote into.
    rows, cols = output_shape(
        out.shape,
        kernel.shape,
        padding=options["padding"],
        stride=options["stride"],
        dilation=options["dilation"],
    )
    padded = np.zeros((rows, cols))
    padded[: image.shape[0], : image.shape[1]] = image
    assert_allclose(out.ravel(), matrix.T @ padded.ravel(), rtol=1e-12, atol=1e-9)


# ---------------------------------------------------------------------------
# Rejected input
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "error", "parameter"),
    [
        ({"output_padding": 1}, ValueError, "output_padding"),
        ({"stride": 2, "output_padding": 2}, ValueError, "output_padding"),
        (
            {"stride": 2, "dilation": 3, "output_padding": (3, 0)},
            ValueError,
            "output_padding",
        ),
        ({"padding": -1}, ValueError, "padding"),
        ({"padding": (1, 2, 3)}, ValueError, "padding"),
        ({"padding": 1.5}, TypeError, "padding"),
        ({"padding": 3}, ValueError, "padding"),
        ({"stride": 0}, ValueError, "stride"),
        ({"dilation": (1, 0)}, ValueError, "dilation"),
    ],
)
def test_conv_transpose2d_rejects(kwargs, error, parameter) -> None:
    """Bad options name their parameter."""
    with pytest.raises(error, match=f"`{parameter}`"):
        conv_transpose2d(np.ones((2, 2)), np.ones((2, 2)), **kwargs)


def test_conv_transpose2d_rejects_bad_arrays() -> None:
    """image and kernel must be finite 2-D arrays."""
    with pytest.raises(ValueError, match="`image`"):
        conv_transpose2d(np.ones((2, 2, 2)), np.ones((2, 2)))
    with pytest.raises(ValueError, match="`kernel`"):
        conv_transpose2d(np.ones((2, 2)), [[1.0, np.nan]])


@pytest.mark.parametrize(
    ("args", "kwargs", "error", "parameter"),
    [
        (((3,), np.ones((2, 2))), {}, ValueError, "input_shape"),
        ((5, np.ones((2, 2))), {}, TypeError, "input_shape"),
        (((3, 3), np.ones((4, 4))), {}, ValueError, "kernel"),
        (((3, 3), np.ones(4)), {}, ValueError, "kernel"),
        (((3, 3), np.ones((2, 2))), {"border": "mirror"}, ValueError, "border"),
        (((3, 3), np.ones((2, 2))), {"padding": "half"}, ValueError, "padding"),
        (((3, 3), np.ones((2, 2))), {"stride": 0}, ValueError, "stride"),
    ],
)
def test_conv_matrix_rejects(args, kwargs, error, parameter) -> None:
    """Bad arguments name their parameter."""
    with pytest.raises(error, match=f"`{parameter}`"):
        conv_matrix(*args, **kwargs)


@pytest.mark.parametrize(
    ("image", "kernel_shape", "kwargs", "error", "parameter"),
    [
        (np.ones(4), 2, {}, ValueError, "image"),
        (np.ones((1, 1, 2, 2, 1)), 2, {}, ValueError, "image"),
        (np.ones((3, 3)), 0, {}, ValueError, "kernel_shape"),
        (np.ones((3, 3)), (2, 2, 2), {}, TypeError, "kernel_shape"),
        (np.ones((3, 3)), 4, {}, ValueError, "kernel_shape"),
        (np.ones((3, 3)), 2, {"border": "edge"}, ValueError, "border"),
        (np.ones((3, 3)), 2, {"dilation": -1}, ValueError, "dilation"),
    ],
)
def test_im2col_rejects(image, kernel_shape, kwargs, error, parameter) -> None:
    """Bad arguments name their parameter."""
    with pytest.raises(error, match=f"`{parameter}`"):
        im2col(image, kernel_shape, **kwargs)


# ---------------------------------------------------------------------------
# The products behind every function here and in convdemo.backward
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rows", "inner", "columns"),
    [(1000, 37, 300), (3, 20000, 2), (5, 9000, 3), (40000, 1, 8), (7, 5, 9000)],
)
def test_single_thread_products_equal_matmul(rng, rows, inner, columns) -> None:
    """Products cut into pieces and stacks (with remainders) equal a @ b."""
    a = rng.standard_normal((rows, inner))
    b = rng.standard_normal((inner, columns))
    assert_allclose(_stack.matmul(a, b), a @ b, rtol=1e-12, atol=1e-10)
