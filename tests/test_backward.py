"""Backward passes: literal cases, finite differences and independent oracles.

Oracles:

* Central finite differences of the forward functions of ``convdemo.ops``
  (``correlate2d``, ``pool2d``, ``conv2d``) on random inputs without ties:
  the relative error ‖analytic − numeric‖ / max(‖analytic‖, ‖numeric‖) must
  stay below 1e-6, for every padding, border, stride, dilation and mode.
* ``scipy.signal``: with stride 1 and 'valid' padding the image gradient is
  the full convolution of the output gradient with the kernel, and the
  kernel gradient is the valid correlation of the image with it.
* ``conv_matrix``: the image gradient is Mᵀ times the output gradient, for
  every border.
* The loops of ``convdemo._reference``, ``correlate2d_backward_loop`` and
  ``pool2d_backward_loop``, which walk ``sliding_windows`` and
  ``pool_windows`` (so max/min follow ``Step.pick``, ties included).
"""

from __future__ import annotations

import inspect
import itertools
from typing import Any

import numpy as np
import pytest
import scipy.signal as signal
from hypothesis import assume, given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from numpy.testing import assert_allclose, assert_array_equal
from strategies import (
    correlations,
    fitting_shapes,
    matrices,
    pairs,
    small_floats,
    window_options,
)

from convdemo._reference import correlate2d_backward_loop, pool2d_backward_loop
from convdemo.backward import (
    _pool2d_stack,
    _pooled,
    conv2d_backward,
    correlate2d_backward,
    pool2d_backward,
)
from convdemo.linear import conv_matrix
from convdemo.ops import (
    BORDERS,
    POOL_MODES,
    conv2d,
    correlate2d,
    pool2d,
    pool_windows,
)

EPS = 1e-5
TOLERANCE = 1e-6
FEATURE_MAP = np.array([[1, 2, 5, 6], [3, 4, 7, 8], [0, 0, 1, 0], [0, 9, 0, 0]])

tie_prone = st.integers(-3, 3)


def numerical_gradient(loss, x: np.ndarray) -> np.ndarray:
    """Return the central finite-difference gradient of `loss` at `x`."""
    x = np.array(x, dtype=np.float64)
    grad = np.empty_like(x)
    for index in np.ndindex(x.shape):
        saved = x[index]
        x[index] = saved + EPS
        up = loss(x)
        x[index] = saved - EPS
        down = loss(x)
        x[index] = saved
        grad[index] = (up - down) / (2 * EPS)
    return grad


def relative_error(analytic: np.ndarray, numeric: np.ndarray) -> float:
    """Return ‖analytic − numeric‖ / max(‖analytic‖, ‖numeric‖), 0 if both are 0."""
    scale = max(np.linalg.norm(analytic), np.linalg.norm(numeric))
    return 0.0 if scale == 0 else float(np.linalg.norm(analytic - numeric) / scale)


def without_ties(rng: np.random.Generator, shape: tuple[int, ...]) -> np.ndarray:
    """Return distinct values 0.5 … 0.5 + 0.1·(n − 1), shuffled, with random signs.

    Distinct magnitudes keep every max and min a strict winner (a step of
    1e-5 never changes it) and keep every value away from the kink of |x|.
    """
    size = int(np.prod(shape))
    values = 0.5 + 0.1 * rng.permutation(size).reshape(shape)
    return values * rng.choice([-1.0, 1.0], size=shape)


@st.composite
def poolings(draw: st.DrawFn, values: st.SearchStrategy = tie_prone) -> dict:
    """Draw a feature map (ties likely) and pooling options PyTorch accepts."""
    kh, kw = draw(st.tuples(st.integers(1, 4), st.integers(1, 4)))
    pr, pc = draw(st.integers(0, kh // 2)), draw(st.integers(0, kw // 2))
    h = draw(st.integers(max(1, kh - 2 * pr), 9))
    w = draw(st.integers(max(1, kw - 2 * pc), 9))
    options = {
        "stride": draw(st.one_of(st.none(), pairs)),
        "mode": draw(st.sampled_from(POOL_MODES)),
        "p": draw(st.sampled_from([0.5, 1, 2, 3.5])),
        "padding": (pr, pc),
        "ceil_mode": draw(st.booleans()),
        "count_include_pad": draw(st.booleans()),
    }
    image = draw(hnp.arrays(np.float64, (h, w), elements=values))
    out = pool2d(image, (kh, kw), **options)
    grad = draw(hnp.arrays(np.float64, out.shape, elements=small_floats))
    return {"grad": grad, "image": image, "size": (kh, kw), "options": options}


# ---------------------------------------------------------------------------
# correlate2d_backward
# ---------------------------------------------------------------------------


def test_correlate2d_backward_story_example() -> None:
    """L = Σ out: pixels collect the weights that touch them, taps the pixels."""
    grad_image, grad_kernel = correlate2d_backward(
        np.ones((2, 2)), np.arange(9).reshape(3, 3), np.arange(4).reshape(2, 2)
    )
    assert_array_equal(grad_image, [[0, 1, 1], [2, 6, 4], [2, 5, 3]])
    assert_array_equal(grad_kernel, [[0 + 1 + 3 + 4, 12], [20, 24]])


@given(
    image=matrices(max_side=8),
    kernel=matrices(max_side=3),
    seed=st.integers(0, 2**32 - 1),
)
def test_stride_one_gradients_match_scipy(image, kernel, seed) -> None:
    """Image gradient: full convolution with the kernel; kernel: valid correlation."""
    assume(kernel.shape[0] <= image.shape[0] and kernel.shape[1] <= image.shape[1])
    grad = np.random.default_rng(seed).standard_normal(correlate2d(image, kernel).shape)
    grad_image, grad_kernel = correlate2d_backward(grad, image, kernel)
    assert_allclose(grad_image, signal.convolve2d(grad, kernel, "full"), atol=1e-9)
    assert_allclose(grad_kernel, signal.correlate2d(image, grad, "valid"), atol=1e-9)


@given(case=correlations())
def test_correlate2d_backward_matches_loop(case) -> None:
    """The tap-by-tap fast path equals the loop over windows, every option."""
    args = case["grad"], case["image"], case["kernel"]
    fast = correlate2d_backward(*args, **case["options"])
    slow = correlate2d_backward_loop(*args, **case["options"])
    assert_allclose(fast[0], slow[0], rtol=1e-12, atol=1e-9)
    assert_allclose(fast[1], slow[1], rtol=1e-12, atol=1e-9)


@given(case=correlations())
def test_image_gradient_is_the_matrix_transpose(case) -> None:
    """∂L/∂image = conv_matrix(...)ᵀ @ grad_output, whatever the border."""
    grad, image, kernel = case["grad"], case["image"], case["kernel"]
    grad_image, _ = correlate2d_backward(grad, image, kernel, **case["options"])
    matrix = conv_matrix(image.shape, kernel, **case["options"])
    assert_allclose(grad_image.ravel(), matrix.T @ grad.ravel(), atol=1e-9)


@pytest.mark.parametrize("border", BORDERS)
@pytest.mark.parametrize(
    "padding", ["valid", "same", "full", 2, (1, 2), ((0, 2), (3, 1))]
)
@pytest.mark.parametrize("stride", [1, 2, (1, 3)])
@pytest.mark.parametrize("dilation", [1, 2, (2, 1)])
def test_correlate2d_backward_matches_finite_differences(
    rng, border, padding, stride, dilation
) -> None:
    """Both gradients agree with central differences to 1e-6, relative."""
    options = {"padding": padding, "border": border, "stride": stride}
    options["dilation"] = dilation
    image = rng.standard_normal((5, 6))
    kernel = rng.standard_normal((2, 3))
    grad = rng.standard_normal(correlate2d(image, kernel, **options).shape)
    grad_image, grad_kernel = correlate2d_backward(grad, image, kernel, **options)

    def loss_image(x: np.ndarray) -> float:
        return float(np.vdot(grad, correlate2d(x, kernel, **options)))

    def loss_kernel(k: np.ndarray) -> float:
        return float(np.vdot(grad, correlate2d(image, k, **options)))

    assert relative_error(grad_image, numerical_gradient(loss_image, image)) < TOLERANCE
    assert (
        relative_error(grad_kernel, numerical_gradient(loss_kernel, kernel)) < TOLERANCE
    )


# ---------------------------------------------------------------------------
# pool2d_backward
# ---------------------------------------------------------------------------


def test_max_pool_gradient_goes_to_each_winner() -> None:
    """The post's 2 × 2 max pooling: 4, 8, 9 and 1 receive the gradients."""
    out = pool2d_backward([[10, 20], [30, 40]], FEATURE_MAP)
    expected = np.zeros((4, 4))
    expected[1, 1], expected[1, 3], expected[3, 1], expected[2, 2] = 10, 20, 30, 40
    assert_array_equal(out, expected)


def test_avg_pool_gradient_is_shared() -> None:
    """Average pooling gives each of the four cells a quarter of the gradient."""
    out = pool2d_backward([[4, 8], [12, 16]], FEATURE_MAP, mode="avg")
    assert_array_equal(out, np.kron([[1, 2], [3, 4]], np.ones((2, 2))))


TIES = np.array([[7, 7, 1, 2], [7, 7, 2, 2], [0, 4, 0, 0], [4, 4, 0, 0]])


@pytest.mark.parametrize(
    ("mode", "winners"),
    [
        ("max", [(0, 0), (0, 3), (2, 1), (2, 2)]),
        ("min", [(0, 0), (0, 2), (2, 0), (2, 2)]),
    ],
)
def test_ties_go_to_the_first_cell_in_row_major_order(mode, winners) -> None:
    """On a tie the first of the equal cells, row by row, takes the gradient."""
    out = pool2d_backward([[1, 2], [3, 4]], TIES, mode=mode)
    expected = np.zeros((4, 4))
    for value, cell in enumerate(winners, start=1):
        expected[cell] = value
    assert_array_equal(out, expected)


@pytest.mark.parametrize("mode", ["max", "min"])
def test_ties_follow_pool_windows_pick(mode) -> None:
    """The cell that gets the gradient is the one pool_windows picks."""
    grad = np.array([[1.0, 2.0], [3.0, 4.0]])
    out = pool2d_backward(grad, TIES, mode=mode)
    for step in pool_windows(TIES, mode=mode):
        r, c = step.pick
        assert out[step.rows[r], step.cols[c]] == grad[step.position]


def test_overlapping_windows_add_their_gradients() -> None:
    """With stride 1 a cell that wins several windows collects each gradient."""
    x = np.array([[0, 0, 0], [0, 9, 0], [0, 0, 0]])
    out = pool2d_backward([[1, 2], [3, 4]], x, 2, stride=1)
    assert_array_equal(out, [[0, 0, 0], [0, 10, 0], [0, 0, 0]])


def test_avg_gradient_counts_only_real_cells() -> None:
    """ceil_mode's partial windows share among their 2 or 1 real cells."""
    out = pool2d_backward(np.ones((2, 2)), np.ones((3, 3)), mode="avg", ceil_mode=True)
    assert_array_equal(out, [[0.25, 0.25, 0.5], [0.25, 0.25, 0.5], [0.5, 0.5, 1]])


def test_avg_gradient_ignores_padding() -> None:
    """With padding 1 a corner window of a 2 × 2 map holds one real cell."""
    out = pool2d_backward(np.ones((2, 2)), np.ones((2, 2)), mode="avg", padding=1)
    assert_array_equal(out, np.ones((2, 2)))


def test_lp_gradient_literal() -> None:
    """l2 of (3, 4) is 5; its gradient is x / 5. lp with p = 1 gives sign(x)."""
    assert_allclose(pool2d_backward([[1]], [[3, 4]], (1, 2), mode="l2"), [[0.6, 0.8]])
    out = pool2d_backward([[1]], [[-2, 0, 3]], (1, 3), mode="lp", p=1)
    assert_array_equal(out, [[-1, 0, 1]])


@pytest.mark.parametrize("p", [0.5, 1, 2, 3])
def test_lp_gradient_is_zero_at_zero(p) -> None:
    """An all-zero window and a zero cell pass no gradient (the stated convention)."""
    out = pool2d_backward([[5, 5]], [[0, 0, 0, 3]], (1, 2), mode="lp", p=p)
    assert_array_equal(out[0, :3], [0, 0, 0])
    assert np.isfinite(out).all()


@given(case=poolings())
def test_pool2d_backward_matches_loop(case) -> None:
    """The fast path equals the loop over pool_windows, ties included."""
    args = case["grad"], case["image"], case["size"]
    assert_allclose(
        pool2d_backward(*args, **case["options"]),
        pool2d_backward_loop(*args, **case["options"]),
        rtol=1e-12,
        atol=1e-12,
    )


POOL_CASES = [
    {"mode": "max"},
    {"mode": "min"},
    {"mode": "avg"},
    {"mode": "avg", "count_include_pad": True},
    {"mode": "l2"},
    {"mode": "lp", "p": 0.5},
    {"mode": "lp", "p": 1},
    {"mode": "lp", "p": 3},
]


@pytest.mark.parametrize("case", POOL_CASES, ids=str)
@pytest.mark.parametrize("size", [2, 3, (2, 3)])
@pytest.mark.parametrize("stride", [None, 1, 2])
@pytest.mark.parametrize("padding", [0, 1])
@pytest.mark.parametrize("ceil_mode", [False, True])
def test_pool2d_backward_matches_finite_differences(
    rng, case, size, stride, padding, ceil_mode
) -> None:
    """The gradient agrees with central differences to 1e-6, relative, no ties."""
    options = {"stride": stride, "padding": padding, "ceil_mode": ceil_mode, **case}
    image = without_ties(rng, (5, 7))
    grad = rng.standard_normal(pool2d(image, size, **options).shape)
    analytic = pool2d_backward(grad, image, size, **options)

    def loss(x: np.ndarray) -> float:
        return float(np.vdot(grad, pool2d(x, size, **options)))

    assert relative_error(analytic, numerical_gradient(loss, image)) < TOLERANCE


def test_avg_count_include_pad_gradient_literal() -> None:
    """Window 3, stride 2, padding 1 on 3 × 3: every window divides by 9."""
    out = pool2d_backward(
        np.ones((2, 2)),
        np.arange(9).reshape(3, 3),
        3,
        stride=2,
        padding=1,
        mode="avg",
        count_include_pad=True,
    )
    assert_allclose(out, np.array([[1, 2, 1], [2, 4, 2], [1, 2, 1]]) / 9)


@pytest.mark.parametrize("mode", POOL_MODES)
def test_pool2d_backward_channels_and_stacks(rng, mode) -> None:
    """(H, W, C) and (N, H, W, C) inputs pool each channel of each image alone."""
    stack = rng.standard_normal((2, 6, 5, 3))
    options = {"stride": 1, "mode": mode, "padding": 1, "ceil_mode": True}
    grad = rng.standard_normal((2, 6, 5, 3))
    out = pool2d_backward(grad, stack, 3, **options)
    single = pool2d_backward(grad[1], stack[1], 3, **options)
    assert out.shape == stack.shape
    assert_array_equal(single, out[1])
    for n, c in itertools.product(range(2), range(3)):
        expected = pool2d_backward(grad[n, ..., c], stack[n, ..., c], 3, **options)
        assert_allclose(out[n, ..., c], expected, rtol=1e-15)


@given(case=poolings(values=small_floats))
def test_pool2d_of_channels_and_stacks_equals_pool2d_of_each_map(case) -> None:
    """pool2d of (H, W, C) and (N, H, W, C) arrays pools each map on its own."""
    image, size, options = case["image"], case["size"], case["options"]
    channels = np.stack([image, -image, 2 * image], axis=-1)
    out = pool2d(channels, size, **options)
    stacked = pool2d(np.stack([channels, -channels]), size, **options)
    assert stacked.shape == (2, *out.shape)
    for n, c in itertools.product(range(2), range(3)):
        expected = pool2d((1 - 2 * n) * channels[..., c], size, **options)
        if n == 0:
            assert_allclose(out[..., c], expected, rtol=1e-12)
        assert_allclose(stacked[n, ..., c], expected, rtol=1e-12)


def _stack_pool2d(image: np.ndarray, size: Any, options: dict[str, Any]) -> np.ndarray:
    """Pool `image` on the stack path, with :func:`pool2d`'s arguments."""
    call = inspect.signature(pool2d).bind(image, size, **options)
    call.apply_defaults()
    return _pool2d_stack(*_pooled(**call.arguments))


@given(case=poolings(values=small_floats))
def test_pool2d_stack_equals_pool2d(case) -> None:
    """The stack pooling gives pool2d's values, for a map and a channel stack."""
    image, size, options = case["image"], case["size"], case["options"]
    expected = pool2d(image, size, **options)
    assert_allclose(_stack_pool2d(image, size, options), expected, rtol=1e-12)
    stack = np.stack([image, -image], axis=-1)[np.newaxis]
    out = _stack_pool2d(stack, size, options)
    assert_allclose(out[0, ..., 1], pool2d(-image, size, **options), rtol=1e-12)


# ---------------------------------------------------------------------------
# conv2d_backward
# ---------------------------------------------------------------------------


def test_conv2d_backward_docstring_layer() -> None:
    """conv2d's example layer: L = Σ out[..., 0] gives each channel's sum."""
    image = np.stack([np.full((2, 2), 10), np.arange(4).reshape(2, 2)], axis=-1)
    kernels = np.zeros((2, 1, 1, 2))
    kernels[0, 0, 0] = [1, 1]
    kernels[1, 0, 0] = [1, -1]
    grad = np.zeros((2, 2, 2))
    grad[..., 0] = 1
    grad_image, grad_kernels, grad_bias = conv2d_backward(grad, image, kernels)
    assert_array_equal(grad_image, np.ones((2, 2, 2)))
    assert_array_equal(grad_kernels[:, 0, 0], [[40, 6], [0, 0]])
    assert_array_equal(grad_bias, [4, 0])


@given(
    data=st.data(),
    channels=st.integers(1, 3),
    filters=st.integers(1, 3),
    options=window_options,
)
def test_conv2d_backward_is_a_sum_of_correlation_gradients(
    data, channels, filters, options
) -> None:
    """Each (filter, channel) pair contributes correlate2d_backward's gradients."""
    (h, w), (kh, kw), shape = data.draw(fitting_shapes(options))
    image = data.draw(hnp.arrays(np.float64, (h, w, channels), elements=small_floats))
    kernels = data.draw(
        hnp.arrays(np.float64, (filters, kh, kw, channels), elements=small_floats)
    )
    grad = data.draw(hnp.arrays(np.float64, (*shape, filters), elements=small_floats))
    grad_image, grad_kernels, grad_bias = conv2d_backward(
        grad, image, kernels, **options
    )
    expected_image = np.zeros(image.shape)
    for f, c in itertools.product(range(filters), range(channels)):
        pair = correlate2d_backward(
            grad[..., f], image[..., c], kernels[f, ..., c], **options
        )
        expected_image[..., c] += pair[0]
        assert_allclose(grad_kernels[f, ..., c], pair[1], rtol=1e-12, atol=1e-9)
    assert_allclose(grad_image, expected_image, rtol=1e-12, atol=1e-9)
    assert_allclose(grad_bias, grad.sum(axis=(0, 1)), rtol=1e-12, atol=1e-9)


def test_conv2d_backward_stack_sums_weights_over_images(rng) -> None:
    """For a stack, image gradients stay per image; kernel and bias ones add up."""
    stack = rng.standard_normal((3, 6, 5, 2))
    kernels = rng.standard_normal((4, 3, 3, 2))
    options = {"padding": "same", "border": "reflect", "stride": 2}
    grad = rng.standard_normal((3, 3, 3, 4))
    grad_image, grad_kernels, grad_bias = conv2d_backward(
        grad, stack, kernels, **options
    )
    each = [conv2d_backward(grad[n], stack[n], kernels, **options) for n in range(3)]
    assert_allclose(grad_image, np.stack([e[0] for e in each]), atol=1e-12)
    assert_allclose(grad_kernels, sum(e[1] for e in each), atol=1e-12)
    assert_allclose(grad_bias, sum(e[2] for e in each), atol=1e-12)


def test_conv2d_backward_keeps_the_input_shapes(rng) -> None:
    """A 2-D image and a 3-D (single-filter) kernel get gradients of their shapes."""
    image = rng.standard_normal((5, 5))
    kernel = rng.standard_normal((3, 3, 1))
    grad = rng.standard_normal((3, 3, 1))
    grad_image, grad_kernel, grad_bias = conv2d_backward(grad, image, kernel)
    assert grad_image.shape == (5, 5)
    assert grad_kernel.shape == (3, 3, 1)
    assert grad_bias.shape == (1,)
    expected = correlate2d_backward(grad[..., 0], image, kernel[..., 0])
    assert_allclose(grad_image, expected[0], atol=1e-12)


@pytest.mark.parametrize("border", BORDERS)
@pytest.mark.parametrize(
    ("padding", "stride", "dilation"),
    [("valid", 1, 1), ("same", 2, 1), (1, 1, (1, 2)), (((0, 1), (2, 0)), (2, 1), 2)],
)
def test_conv2d_backward_matches_finite_differences(
    rng, border, padding, stride, dilation
) -> None:
    """Image, kernel and bias gradients of a 2-image batch agree to 1e-6, relative."""
    options = {"padding": padding, "border": border, "stride": stride}
    options["dilation"] = dilation
    stack = rng.standard_normal((2, 5, 6, 2))
    kernels = rng.standard_normal((3, 2, 3, 2))
    bias = rng.standard_normal(3)

    def forward(x: np.ndarray, k: np.ndarray, b: np.ndarray) -> np.ndarray:
        return np.stack([conv2d(image, k, b, **options) for image in x])

    grad = rng.standard_normal(forward(stack, kernels, bias).shape)
    analytic = conv2d_backward(grad, stack, kernels, **options)
    numeric = (
        numerical_gradient(lambda x: np.vdot(grad, forward(x, kernels, bias)), stack),
        numerical_gradient(lambda k: np.vdot(grad, forward(stack, k, bias)), kernels),
        numerical_gradient(lambda b: np.vdot(grad, forward(stack, kernels, b)), bias),
    )
    for ours, theirs in zip(analytic, numeric, strict=True):
        assert relative_error(ours, theirs) < TOLERANCE


@given(data=st.data(), options=window_options)
def test_conv2d_of_a_stack_equals_conv2d_of_each_image(data, options) -> None:
    """conv2d of an (N, H, W, C) stack gives conv2d's values for each image."""
    n, c, f = data.draw(
        st.tuples(st.integers(1, 3), st.integers(1, 3), st.integers(1, 3))
    )
    (h, w), (kh, kw), _ = data.draw(fitting_shapes(options))
    stack = data.draw(hnp.arrays(np.float64, (n, h, w, c), elements=small_floats))
    kernels = data.draw(hnp.arrays(np.float64, (f, kh, kw, c), elements=small_floats))
    bias = data.draw(hnp.arrays(np.float64, (f,), elements=small_floats))
    out = conv2d(stack, kernels, bias, **options)
    assert out.shape[0] == n
    for i in range(n):
        expected = conv2d(stack[i], kernels, bias, **options)
        assert_allclose(out[i], expected, rtol=1e-12, atol=1e-9)


# ---------------------------------------------------------------------------
# Rejected input
# ---------------------------------------------------------------------------


def test_correlate2d_backward_rejects() -> None:
    """A grad_output of the wrong shape, or bad options, name their parameter."""
    image, kernel = np.ones((4, 4)), np.ones((2, 2))
    with pytest.raises(ValueError, match=r"`grad_output`.*\(3, 3\).*\(2, 2\)"):
        correlate2d_backward(np.ones((2, 2)), image, kernel)
    with pytest.raises(ValueError, match="`grad_output`"):
        correlate2d_backward([[np.inf] * 3] * 3, image, kernel)
    with pytest.raises(ValueError, match="`border`"):
        correlate2d_backward(np.ones((3, 3)), image, kernel, border="mirror")
    with pytest.raises(ValueError, match="`image`"):
        correlate2d_backward(np.ones((3, 3)), np.ones((4, 4, 1)), kernel)
    with pytest.raises(ValueError, match="`kernel`"):
        correlate2d_backward(np.ones((3, 3)), image, np.ones((5, 5)))


def test_pool2d_backward_rejects() -> None:
    """Bad arguments to pool2d_backward name their parameter."""
    image = np.ones((4, 4))
    with pytest.raises(ValueError, match=r"`grad_output`.*\(2, 2\)"):
        pool2d_backward(np.ones((3, 3)), image)
    with pytest.raises(ValueError, match=r"`grad_output`.*\(2, 2, 3\)"):
        pool2d_backward(np.ones((2, 2)), np.ones((4, 4, 3)))
    with pytest.raises(ValueError, match="`mode`"):
        pool2d_backward(np.ones((2, 2)), image, mode="mean")
    with pytest.raises(ValueError, match="`p`"):
        pool2d_backward(np.ones((2, 2)), image, mode="lp", p=0)
    with pytest.raises(ValueError, match="`padding`"):
        pool2d_backward(np.ones((2, 2)), image, padding=2)
    with pytest.raises(TypeError, match="`ceil_mode`"):
        pool2d_backward(np.ones((2, 2)), image, ceil_mode="yes")
    with pytest.raises(ValueError, match="`image`"):
        pool2d_backward(np.ones((2, 2)), np.ones(4))


def test_conv2d_backward_rejects() -> None:
    """Mismatched channels, grad_output shapes and images name their parameter."""
    image, kernels = np.ones((4, 4, 2)), np.ones((3, 2, 2, 2))
    with pytest.raises(ValueError, match="`kernels` must have 2 channels"):
        conv2d_backward(np.ones((3, 3, 3)), image, np.ones((3, 2, 2, 1)))
    with pytest.raises(ValueError, match=r"`grad_output`.*\(3, 3, 3\)"):
        conv2d_backward(np.ones((3, 3, 2)), image, kernels)
    with pytest.raises(ValueError, match=r"`grad_output`.*\(5, 3, 3, 3\)"):
        conv2d_backward(np.ones((3, 3, 3)), np.ones((5, 4, 4, 2)), kernels)
    with pytest.raises(ValueError, match="`image`"):
        conv2d_backward(np.ones((3, 3, 3)), np.ones((1, 1, 4, 4, 2)), kernels)
    with pytest.raises(ValueError, match="`kernels`"):
        conv2d_backward(np.ones((3, 3, 3)), image, np.ones((2, 2)))


def test_conv2d_of_a_stack_rejects_a_bias_of_the_wrong_shape() -> None:
    """A stack's bias is checked as a single image's is."""
    with pytest.raises(ValueError, match="`bias` must have shape"):
        conv2d(np.ones((2, 4, 4, 1)), np.ones((2, 2, 2, 1)), [1, 2, 3])


def test_conv2d_of_a_stack_rejects_mismatched_channels() -> None:
    """A stack's channels must match the kernels' last axis."""
    with pytest.raises(ValueError, match="`kernels` must have 3 channels"):
        conv2d(np.ones((2, 4, 4, 3)), np.ones((2, 2, 2, 1)))


def test_conv2d_rejects_five_axes() -> None:
    """An image with five axes names `image` and the shapes it accepts."""
    with pytest.raises(ValueError, match=r"`image` must be an \(H, W\)"):
        conv2d(np.ones((1, 2, 4, 4, 1)), np.ones((2, 2, 2, 1)))


def test_large_image_gradients_match_scipy(rng) -> None:
    """On a 120 × 150 image (products cut into pieces) scipy still agrees."""
    image = rng.standard_normal((120, 150))
    kernel = rng.standard_normal((3, 4))
    grad = rng.standard_normal(correlate2d(image, kernel).shape)
    grad_image, grad_kernel = correlate2d_backward(grad, image, kernel)
    assert_allclose(grad_image, signal.convolve2d(grad, kernel, "full"), atol=1e-10)
    assert_allclose(grad_kernel, signal.correlate2d(image, grad, "valid"), atol=1e-9)


def test_backward_functions_leave_their_inputs_untouched(rng) -> None:
    """No backward function writes into the arrays it is given."""
    stack = rng.standard_normal((2, 4, 4, 2))
    kernels = rng.standard_normal((3, 2, 2, 2))
    grad = rng.standard_normal((2, 3, 3, 3))
    copies = [array.copy() for array in (stack, kernels, grad)]
    conv2d_backward(grad, stack, kernels)
    correlate2d_backward(grad[0, ..., 0], stack[0, ..., 0], kernels[0, ..., 0])
    pool2d_backward(grad[:, :2, :2, :2], stack, mode="l2")
    pool2d_backward(stack[:, :2, :2], stack, mode="avg")
    for array, copy in zip((stack, kernels, grad), copies, strict=True):
        assert_array_equal(array, copy)
