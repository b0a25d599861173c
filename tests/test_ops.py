"""Correlation, convolution, padding and shapes: literal cases and oracles.

Oracles and the conventions they share with ``convdemo.ops``:

* ``scipy.signal.correlate2d``: equal for ``'valid'``, ``'same'`` and
  ``'full'``, with ``boundary='fill'`` (our ``'zeros'``) and ``'wrap'``
  (our ``'wrap'``), for every kernel shape.
* ``scipy.signal.convolve2d``: equal for ``'valid'`` and ``'full'``, and for
  ``'same'`` when the kernel is odd. With an even kernel axis scipy's
  ``'same'`` keeps ``full[(k − 1) // 2 :]`` while ours keeps ``full[k // 2 :]``
  (the padding rule is shared with correlation: the extra cell goes
  bottom/right), one cell further along.
* scipy's ``boundary='symm'`` repeats the edge pixel (numpy's ``'symmetric'``,
  ``c b a | a b c``); our ``'reflect'`` does not (``c b | a b c``), so ``'symm'``
  matches nothing here once padding is read.
* ``scipy.ndimage.correlate`` equals ``padding='same'`` with modes
  ``'constant'``/``'mirror'``/``'nearest'``/``'grid-wrap'`` for our
  ``'zeros'``/``'reflect'``/``'replicate'``/``'wrap'``, with ``origin=-1`` on
  even kernel axes (ndimage centres an even kernel one cell later).
* ``correlate2d_loop`` (``convdemo._reference``): a plain double loop, for
  stride, dilation and every padding form and border.
"""

from __future__ import annotations

import tracemalloc

import numpy as np
import pytest
import scipy.ndimage as ndi
import scipy.signal as signal
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from numpy.testing import assert_allclose, assert_array_equal
from strategies import borders, output_shape_of, paddings, pairs, window_options

from convdemo._reference import correlate2d_loop
from convdemo.ops import (
    ConvolutionStep,
    clipped_view,
    conv2d,
    convolve2d,
    correlate2d,
    output_shape,
    pad,
    padding_amounts,
    relu,
    sliding_windows,
)

SCIPY_BOUNDARY = {"zeros": "fill", "wrap": "wrap"}
NDIMAGE_MODE = {
    "zeros": "constant",
    "reflect": "mirror",
    "replicate": "nearest",
    "wrap": "grid-wrap",
}
NUMPY_MODE = {
    "zeros": "constant",
    "reflect": "reflect",
    "replicate": "edge",
    "wrap": "wrap",
}
DTYPES = [np.bool_, np.uint8, np.int16, np.int64, np.float32, np.float64]


@st.composite
def images(draw: st.DrawFn, max_side: int = 10, min_side: int = 1) -> np.ndarray:
    """Draw a small 2-D array of one of several dtypes, with readable values."""
    dtype = np.dtype(draw(st.sampled_from(DTYPES)))
    shape = draw(
        hnp.array_shapes(min_dims=2, max_dims=2, min_side=min_side, max_side=max_side)
    )
    if dtype.kind == "b":
        elements = st.booleans()
    elif dtype.kind in "iu":
        elements = st.integers(0 if dtype.kind == "u" else -9, 9)
    else:
        elements = st.floats(-10, 10, width=dtype.itemsize * 8)
    return draw(hnp.arrays(dtype, shape, elements=elements))


@st.composite
def kernels(draw: st.DrawFn, max_side: int = 5) -> np.ndarray:
    """Draw a small float64 kernel."""
    shape = draw(hnp.array_shapes(min_dims=2, max_dims=2, max_side=max_side))
    return draw(hnp.arrays(np.float64, shape, elements=st.floats(-5, 5)))


def sliding_cases(
    max_side: int, kernel_side: int
) -> st.SearchStrategy[tuple[np.ndarray, np.ndarray, dict, bool]]:
    """Draw an image, a kernel, window options and whether to flip the kernel."""
    return st.tuples(
        images(max_side=max_side),
        kernels(max_side=kernel_side),
        window_options,
        st.booleans(),
    )


def fits(image: np.ndarray, kernel: np.ndarray) -> bool:
    """Return True when the kernel fits inside the image (scipy 'valid')."""
    return kernel.shape[0] <= image.shape[0] and kernel.shape[1] <= image.shape[1]


# ---------------------------------------------------------------------------
# Literal cases
# ---------------------------------------------------------------------------


def test_d2l_worked_example() -> None:
    """arange(9) ⋆ arange(4) is d2l's [[19, 25], [37, 43]]."""
    out = correlate2d(np.arange(9).reshape(3, 3), np.arange(4).reshape(2, 2))
    assert_array_equal(out, [[19, 25], [37, 43]])
    assert out.dtype == np.float64


def test_convolve2d_flips_the_kernel() -> None:
    """Convolution uses the kernel rotated by 180°: 0×3 + 1×2 + 3×1 + 4×0 = 5."""
    out = convolve2d(np.arange(9).reshape(3, 3), np.arange(4).reshape(2, 2))
    assert_array_equal(out, [[5, 11], [23, 29]])


def test_identity_kernel_returns_the_image() -> None:
    """A centred 1 with 'same' padding gives the image back."""
    image = np.arange(20.0).reshape(4, 5)
    kernel = np.zeros((3, 3))
    kernel[1, 1] = 1
    assert_array_equal(correlate2d(image, kernel, padding="same"), image)
    assert_array_equal(convolve2d(image, kernel, padding="same"), image)


def test_same_even_kernel_pads_bottom_right() -> None:
    """'same' with a 2×2 kernel adds its one extra row/column at the bottom/right."""
    out = correlate2d(np.arange(9).reshape(3, 3), np.ones((2, 2)), padding="same")
    assert_array_equal(out, [[8, 12, 7], [20, 24, 13], [13, 15, 8]])


def test_stride_literal() -> None:
    """Stride 2 keeps every other window: 0 + 1 + 4 + 5 = 10."""
    out = correlate2d(np.arange(16).reshape(4, 4), np.ones((2, 2)), stride=2)
    assert_array_equal(out, [[10, 18], [42, 50]])


def test_dilation_literal() -> None:
    """Dilation 2 spaces the taps: 0 + 2 + 10 + 12 = 24."""
    out = correlate2d(np.arange(25).reshape(5, 5), np.ones((2, 2)), dilation=2)
    assert_array_equal(out, [[24, 28, 32], [44, 48, 52], [64, 68, 72]])


def test_rows_and_cols_stride_and_dilation_separately() -> None:
    """(rows, cols) pairs apply per axis."""
    image = np.arange(30).reshape(5, 6)
    out = correlate2d(image, [[1, 1]], stride=(2, 3), dilation=(1, 2))
    assert_array_equal(out, [[2, 8], [26, 32], [50, 56]])


def test_vertical_edge_kernel_sees_only_vertical_edges() -> None:
    """The post's vertical filter answers a vertical step, not a horizontal one."""
    vertical = np.array([[1, 0, -1]] * 3)
    step_right = np.zeros((5, 6))
    step_right[:, 3:] = 1
    step_down = step_right.T.copy()
    assert np.abs(correlate2d(step_right, vertical)).max() == 3
    assert_array_equal(correlate2d(step_down, vertical), 0)


@pytest.mark.parametrize(
    ("padding", "kernel_shape", "dilation", "expected"),
    [
        ("valid", (3, 3), 1, ((0, 0), (0, 0))),
        ("same", (3, 3), 1, ((1, 1), (1, 1))),
        ("same", (2, 2), 1, ((0, 1), (0, 1))),
        ("same", (4, 5), 1, ((1, 2), (2, 2))),
        ("same", (3, 3), 2, ((2, 2), (2, 2))),
        ("same", (2, 2), 3, ((1, 2), (1, 2))),
        ("full", (3, 2), 1, ((2, 2), (1, 1))),
        ("full", (3, 3), (1, 2), ((2, 2), (4, 4))),
        (2, (3, 3), 1, ((2, 2), (2, 2))),
        ((1, 0), (3, 3), 1, ((1, 1), (0, 0))),
        (((0, 1), (2, 3)), (3, 3), 1, ((0, 1), (2, 3))),
        ([[0, 1], [2, 3]], (3, 3), 1, ((0, 1), (2, 3))),
    ],
)
def test_padding_amounts(padding, kernel_shape, dilation, expected) -> None:
    """Every padding form gives the documented ((top, bottom), (left, right))."""
    assert padding_amounts(padding, kernel_shape, dilation=dilation) == expected


@pytest.mark.parametrize(
    ("border", "expected"),
    [
        ("zeros", [0, 0, 1, 2, 3, 0, 0]),
        ("reflect", [3, 2, 1, 2, 3, 2, 1]),
        ("replicate", [1, 1, 1, 2, 3, 3, 3]),
        ("wrap", [2, 3, 1, 2, 3, 1, 2]),
    ],
)
def test_pad_borders_literal(border, expected) -> None:
    """Each border fills the new cells as documented (reflect skips the edge)."""
    assert_array_equal(pad([[1, 2, 3]], (0, 2), border=border), [expected])


@pytest.mark.parametrize(
    ("input_shape", "kernel_shape", "kwargs", "expected"),
    [
        ((5, 5), (3, 3), {}, (3, 3)),
        ((5, 5), (3, 3), {"padding": "same"}, (5, 5)),
        ((5, 5), (3, 3), {"padding": "full"}, (7, 7)),
        ((5, 5), (3, 3), {"padding": 1, "stride": 2}, (3, 3)),
        ((6, 6), (3, 3), {"padding": 1, "stride": 2}, (3, 3)),
        ((5, 6), (4, 4), {"padding": 2}, (6, 7)),
        ((7, 7), (3, 3), {"dilation": 2}, (3, 3)),
        ((7, 8), (2, 3), {"padding": "same", "stride": (2, 3)}, (4, 3)),
        ((10, 10), (3, 3), {"padding": "same", "dilation": 2, "stride": 3}, (4, 4)),
    ],
)
def test_output_shape_literal(input_shape, kernel_shape, kwargs, expected) -> None:
    """output_shape follows ⌊(n + p − d(k − 1) − 1)/s⌋ + 1 (conv_arithmetic cases)."""
    assert output_shape(input_shape, kernel_shape, **kwargs) == expected


def test_relu_literal() -> None:
    """ReLU keeps positives, zeroes negatives, any shape, float64."""
    out = relu([[-1.5, 0], [2, -3]])
    assert_array_equal(out, [[0, 0], [2, 0]])
    assert out.dtype == np.float64
    assert relu(np.array([-1, 1, 2], dtype=np.int8)).tolist() == [0.0, 1.0, 2.0]
    assert relu(np.full((2, 3, 4), -1.0)).shape == (2, 3, 4)


def test_correlate2d_leaves_input_untouched() -> None:
    """The image and kernel are read, never written."""
    image = np.arange(16.0).reshape(4, 4)
    kernel = np.ones((2, 2))
    before = image.copy(), kernel.copy()
    correlate2d(image, kernel, padding="same", border="reflect")
    convolve2d(image, kernel)
    assert_array_equal(image, before[0])
    assert_array_equal(kernel, before[1])


# ---------------------------------------------------------------------------
# Oracles: scipy
# ---------------------------------------------------------------------------


# Every padding scipy.signal names, with the two borders it shares with us.
scipy_cases = given(
    image=images(),
    kernel=kernels(),
    mode=st.sampled_from(["valid", "same", "full"]),
    border=st.sampled_from(["zeros", "wrap"]),
)


@scipy_cases
def test_correlate2d_matches_scipy_signal(image, kernel, mode, border) -> None:
    """correlate2d equals scipy.signal.correlate2d for every mode, fill and wrap."""
    if mode == "valid" and not fits(image, kernel):
        return
    expected = signal.correlate2d(
        image.astype(np.float64), kernel, mode, boundary=SCIPY_BOUNDARY[border]
    )
    out = correlate2d(image, kernel, padding=mode, border=border)
    assert out.shape == expected.shape
    assert_allclose(out, expected, rtol=1e-12, atol=1e-10)


@scipy_cases
def test_convolve2d_matches_scipy_signal(image, kernel, mode, border) -> None:
    """convolve2d equals scipy.signal.convolve2d (valid, full; same for odd kernels)."""
    if mode == "valid" and not fits(image, kernel):
        return
    boundary = SCIPY_BOUNDARY[border]
    out = convolve2d(image, kernel, padding=mode, border=border)
    if mode == "same":
        # Shared rule: our 'same' keeps full[k // 2 :], scipy keeps
        # full[(k - 1) // 2 :]; the two agree on odd kernels.
        full = signal.convolve2d(image.astype(np.float64), kernel, "full", boundary)
        top, left = kernel.shape[0] // 2, kernel.shape[1] // 2
        expected = full[top : top + image.shape[0], left : left + image.shape[1]]
        if kernel.shape[0] % 2 and kernel.shape[1] % 2:
            scipy_same = signal.convolve2d(
                image.astype(np.float64), kernel, "same", boundary
            )
            assert_allclose(expected, scipy_same, rtol=1e-12, atol=1e-10)
    else:
        expected = signal.convolve2d(image.astype(np.float64), kernel, mode, boundary)
    assert out.shape == expected.shape
    assert_allclose(out, expected, rtol=1e-12, atol=1e-10)


def test_convolve2d_same_even_kernel_is_one_cell_past_scipy() -> None:
    """With a 2×2 kernel, scipy's 'same' is ours shifted by one cell."""
    image = np.arange(16.0).reshape(4, 4)
    kernel = np.array([[1.0, 2.0], [3.0, 4.0]])
    ours = convolve2d(image, kernel, padding="same")
    theirs = signal.convolve2d(image, kernel, "same")
    assert_allclose(ours[:-1, :-1], theirs[1:, 1:])
    assert not np.allclose(ours, theirs)


def test_reflect_is_not_scipy_symm() -> None:
    """scipy's 'symm' repeats the edge pixel; 'reflect' does not (numpy 'symmetric')."""
    image = np.arange(12.0).reshape(3, 4)
    kernel = np.arange(9.0).reshape(3, 3)
    symm = signal.correlate2d(image, kernel, "same", boundary="symm")
    ours = correlate2d(image, kernel, padding="same", border="reflect")
    assert not np.allclose(ours, symm)
    by_hand = correlate2d(np.pad(image, 1, mode="symmetric"), kernel)
    assert_allclose(by_hand, symm)


@given(image=images(), kernel=kernels(), border=borders)
def test_same_padding_matches_scipy_ndimage(image, kernel, border) -> None:
    """'same' with every border equals scipy.ndimage.correlate's matching mode."""
    origin = [-1 if k % 2 == 0 else 0 for k in kernel.shape]
    expected = ndi.correlate(
        image.astype(np.float64), kernel, mode=NDIMAGE_MODE[border], origin=origin
    )
    out = correlate2d(image, kernel, padding="same", border=border)
    assert_allclose(out, expected, rtol=1e-12, atol=1e-10)


@given(
    image=images(),
    top=st.integers(0, 12),
    bottom=st.integers(0, 12),
    left=st.integers(0, 12),
    right=st.integers(0, 12),
    border=borders,
)
def test_pad_matches_numpy(image, top, bottom, left, right, border) -> None:
    """pad equals numpy.pad with the matching mode, even when wider than the image."""
    pads = ((top, bottom), (left, right))
    expected = np.pad(image.astype(np.float64), pads, mode=NUMPY_MODE[border])
    assert_array_equal(pad(image, pads, border=border), expected)


# ---------------------------------------------------------------------------
# Oracle: the plain loop (stride, dilation, every padding and border)
# ---------------------------------------------------------------------------


@given(case=sliding_cases(max_side=14, kernel_side=4))
def test_correlate2d_matches_loop(case) -> None:
    """The fast path equals the double loop for every option."""
    image, kernel, options, flip = case
    shape = output_shape_of(image.shape, kernel.shape, options)
    if shape is None:
        return
    function = convolve2d if flip else correlate2d
    taps = kernel[::-1, ::-1] if flip else kernel
    out = function(image, kernel, **options)
    assert out.shape == shape
    assert_allclose(
        out, correlate2d_loop(image, taps, **options), rtol=1e-12, atol=1e-10
    )


@pytest.mark.parametrize("kernel_shape", [(4, 4), (5, 7), (15, 15), (1, 20)])
@pytest.mark.parametrize("stride", [1, 2, (1, 3)])
@pytest.mark.parametrize("dilation", [1, (2, 1)])
def test_large_kernels_match_loop(rng, kernel_shape, stride, dilation) -> None:
    """Kernels of 16+ taps (the matrix-product path) equal the loop, edges included."""
    image = rng.standard_normal((37, 150))
    kernel = rng.standard_normal(kernel_shape)
    for padding, border in (("valid", "zeros"), ("same", "reflect"), (3, "wrap")):
        kwargs = {"padding": padding, "border": border}
        kwargs |= {"stride": stride, "dilation": dilation}
        out = correlate2d(image, kernel, **kwargs)
        assert_allclose(out, correlate2d_loop(image, kernel, **kwargs), atol=1e-10)


def test_zero_kernel_gives_zeros(rng) -> None:
    """All-zero kernels (every tap skipped) still give a defined zero output."""
    image = rng.standard_normal((6, 40))
    assert_array_equal(correlate2d(image, np.zeros((2, 3))), np.zeros((5, 38)))
    assert_array_equal(correlate2d(image, np.zeros((4, 5))), np.zeros((3, 36)))


@given(
    input_shape=st.tuples(st.integers(1, 30), st.integers(1, 30)),
    kernel_shape=st.tuples(st.integers(1, 6), st.integers(1, 6)),
    padding=paddings,
    stride=pairs,
    dilation=pairs,
)
def test_output_shape_matches_actual_shape(
    input_shape, kernel_shape, padding, stride, dilation
) -> None:
    """output_shape predicts correlate2d's shape, and raises exactly when it does."""
    kwargs = {"padding": padding, "stride": stride, "dilation": dilation}
    image = np.ones(input_shape)
    kernel = np.ones(kernel_shape)
    try:
        expected = output_shape(input_shape, kernel_shape, **kwargs)
    except ValueError:
        with pytest.raises(ValueError, match="`kernel`"):
            correlate2d(image, kernel, **kwargs)
        return
    assert correlate2d(image, kernel, **kwargs).shape == expected
    assert convolve2d(image, kernel, **kwargs).shape == expected


def test_peak_memory_stays_near_the_output_size(rng) -> None:
    """No (H'·W'·kh·kw) array: peak allocation stays a small multiple of the image."""
    image = rng.standard_normal((512, 512))
    for kernel_shape in ((3, 3), (15, 15)):
        kernel = rng.standard_normal(kernel_shape)
        tracemalloc.start()
        try:
            correlate2d(image, kernel)
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
        assert peak < 4 * image.nbytes


# ---------------------------------------------------------------------------
# Multi-channel layer
# ---------------------------------------------------------------------------


@given(
    data=st.data(),
    channels=st.integers(1, 3),
    filters=st.integers(1, 3),
    padding=st.sampled_from(["valid", "same", 1]),
    stride=st.integers(1, 2),
    with_bias=st.booleans(),
)
def test_conv2d_is_a_sum_of_channel_correlations(
    data, channels, filters, padding, stride, with_bias
) -> None:
    """conv2d[..., f] = bias[f] + Σ_c correlate2d(image[..., c], kernels[f, ..., c])."""
    h, w = data.draw(st.tuples(st.integers(3, 9), st.integers(3, 9)))
    kh, kw = data.draw(st.tuples(st.integers(1, 3), st.integers(1, 3)))
    values = st.integers(-9, 9)
    image = data.draw(hnp.arrays(np.int64, (h, w, channels), elements=values))
    kernels_ = data.draw(
        hnp.arrays(np.int64, (filters, kh, kw, channels), elements=values)
    )
    bias = (
        data.draw(hnp.arrays(np.int64, (filters,), elements=values))
        if with_bias
        else None
    )
    kwargs = {"padding": padding, "stride": stride}
    out = conv2d(image, kernels_, bias, **kwargs)
    for f in range(filters):
        expected = sum(
            correlate2d(image[..., c], kernels_[f, ..., c], **kwargs)
            for c in range(channels)
        )
        if bias is not None:
            expected = expected + bias[f]
        assert_allclose(out[..., f], expected, atol=1e-10)
    assert out.shape == (*output_shape((h, w), (kh, kw), **kwargs), filters)


def test_conv2d_accepts_gray_image_and_single_filter() -> None:
    """A 2-D image is one channel; a 3-D kernel array is one filter."""
    image = np.arange(9).reshape(3, 3)
    out = conv2d(image, np.arange(4).reshape(2, 2, 1))
    assert out.shape == (2, 2, 1)
    assert_array_equal(out[..., 0], [[19, 25], [37, 43]])


def test_conv2d_large_kernels_and_border(rng) -> None:
    """conv2d uses the same fast paths and borders as correlate2d."""
    image = rng.standard_normal((20, 45, 2))
    kernels_ = rng.standard_normal((2, 5, 5, 2))
    out = conv2d(image, kernels_, [1.0, -1.0], padding="same", border="reflect")
    for f, offset in enumerate((1.0, -1.0)):
        expected = offset + sum(
            correlate2d_loop(
                image[..., c], kernels_[f, ..., c], padding="same", border="reflect"
            )
            for c in range(2)
        )
        assert_allclose(out[..., f], expected, atol=1e-10)


@given(
    x=hnp.arrays(np.float64, hnp.array_shapes(max_dims=3), elements=st.floats(-9, 9))
)
def test_relu_matches_definition(x) -> None:
    """relu(x) is x where positive, 0 elsewhere."""
    assert_array_equal(relu(x), np.where(x > 0, x, 0.0))


# ---------------------------------------------------------------------------
# Step iterator
# ---------------------------------------------------------------------------


def test_sliding_windows_d2l_steps() -> None:
    """The four d2l windows, in row-major order, with their products."""
    steps = list(
        sliding_windows(np.arange(9).reshape(3, 3), np.arange(4).reshape(2, 2))
    )
    assert [s.position for s in steps] == [(0, 0), (0, 1), (1, 0), (1, 1)]
    assert [s.value for s in steps] == [19, 25, 37, 43]
    assert_array_equal(steps[0].products, [[0, 1], [6, 12]])
    assert_array_equal(steps[3].window, [[4, 5], [7, 8]])
    # A convolution step has no pick (pooling's chosen cell): it is its own
    # type, carrying the kernel it applied instead.
    assert all(isinstance(s, ConvolutionStep) and s.valid.all() for s in steps)
    assert all(not hasattr(s, "pick") for s in steps)
    assert_array_equal(steps[0].kernel, [[0, 1], [2, 3]])
    assert not any(s.flipped for s in steps)


def test_sliding_windows_marks_padding() -> None:
    """With 'same' padding the corner window has its top row and left column padded."""
    steps = list(sliding_windows(np.ones((3, 3)), np.ones((3, 3)), padding="same"))
    corner = steps[0]
    assert corner.origin == (0, 0)
    assert_array_equal(corner.valid, [[0, 0, 0], [0, 1, 1], [0, 1, 1]])
    assert_array_equal(corner.window, corner.valid)
    assert corner.value == 4


@given(case=sliding_cases(max_side=8, kernel_side=3))
def test_sliding_windows_agree_with_correlate2d(case) -> None:
    """Every step's value is the fast output; taps, windows and masks are consistent."""
    image, kernel, options, flip = case
    try:
        expected = (convolve2d if flip else correlate2d)(image, kernel, **options)
    except ValueError:
        return
    steps = list(sliding_windows(image, kernel, flip=flip, **options))
    padding, border = options["padding"], options["border"]
    stride, dilation = options["stride"], options["dilation"]
    assert [s.position for s in steps] == list(np.ndindex(expected.shape))
    values = np.array([s.value for s in steps]).reshape(expected.shape)
    assert_allclose(values, expected, rtol=1e-12, atol=1e-12)
    (top, _), (left, _) = padding_amounts(padding, kernel.shape, dilation=dilation)
    padded = pad(
        image, padding, border=border, kernel_shape=kernel.shape, dilation=dilation
    )
    taps = kernel[::-1, ::-1] if flip else kernel
    sr, sc = stride
    dr, dc = dilation
    for step in steps[:: max(1, len(steps) // 7)]:
        i, j = step.position
        assert step.origin == (i * sr, j * sc)
        assert_array_equal(step.rows, i * sr + dr * np.arange(kernel.shape[0]))
        assert_array_equal(step.cols, j * sc + dc * np.arange(kernel.shape[1]))
        assert_array_equal(step.window, padded[np.ix_(step.rows, step.cols)])
        assert_allclose(step.products, step.window * taps)
        real_rows = (step.rows >= top) & (step.rows < top + image.shape[0])
        real_cols = (step.cols >= left) & (step.cols < left + image.shape[1])
        assert_array_equal(step.valid, np.outer(real_rows, real_cols))


def test_convolution_steps_carry_the_kernel_they_applied() -> None:
    """With flip, each step holds the turned-round kernel, read-only, and says so."""
    kernel = np.array([[1.0, 2.0], [3.0, 4.0]])
    steps = list(sliding_windows(np.arange(9).reshape(3, 3), kernel, flip=True))
    for step in steps:
        assert step.flipped
        assert_array_equal(step.kernel, kernel[::-1, ::-1])
        assert not step.kernel.flags.writeable
        assert_array_equal(step.products, step.window * step.kernel)
    kernel[0, 0] = 100.0
    assert steps[0].kernel[1, 1] == 1.0


def test_clipped_view_divides_by_the_kernel_sum_and_clips() -> None:
    """clip(response / Σkernel, 0, white); a zero-sum kernel divides by nothing."""
    response = np.array([[-30.0, 90.0, 900.0]])
    assert_array_equal(clipped_view(response, np.ones((3, 3))), [[0, 10, 100]])
    assert_array_equal(clipped_view(response, [[1, -1]]), [[0, 90, 255]])
    assert_array_equal(
        clipped_view(response / 900, [[1 / 3, 1 / 3, -2 / 3]], white=1.0),
        np.clip(response / 900, 0, 1),
    )
