"""Tests for convdemo.learn: the hand-written gradient and the kernel learner."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pytest

from convdemo.kernels import get_kernel
from convdemo.learn import (
    _correlate_with_error,
    example_pairs,
    learn_kernel,
    loss_and_gradient,
)
from convdemo.ops import correlate2d


def _numerical_gradient(kernel, images, targets, step=1e-6, **options):
    """Central finite differences of the loss, one weight at a time."""
    gradient = np.zeros_like(kernel)
    for index in np.ndindex(kernel.shape):
        plus, minus = kernel.copy(), kernel.copy()
        plus[index] += step
        minus[index] -= step
        gradient[index] = (
            loss_and_gradient(plus, images, targets, **options)[0]
            - loss_and_gradient(minus, images, targets, **options)[0]
        ) / (2 * step)
    return gradient


@pytest.mark.parametrize("kernel_shape", [(3, 3), (2, 4), (1, 1), (5, 3)])
@pytest.mark.parametrize(
    ("padding", "border"),
    [("valid", "zeros"), ("same", "zeros"), ("same", "reflect"), (2, "wrap")],
)
def test_gradient_matches_finite_differences(kernel_shape, padding, border):
    """The written-out gradient agrees with central differences."""
    rng = np.random.default_rng(4)
    images = [rng.normal(size=(9, 11)), rng.normal(size=(7, 8))]
    kernel = rng.normal(size=kernel_shape)
    truth = rng.normal(size=kernel_shape)
    targets = [
        correlate2d(image, truth, padding=padding, border=border) for image in images
    ]
    _, gradient = loss_and_gradient(
        kernel, images, targets, padding=padding, border=border
    )
    numerical = _numerical_gradient(
        kernel, images, targets, padding=padding, border=border
    )
    np.testing.assert_allclose(gradient, numerical, rtol=1e-6, atol=1e-7)


def test_gradient_is_correlation_of_input_with_error():
    """The weight gradient is (2/M)·correlate2d(input, error)."""
    rng = np.random.default_rng(5)
    image = rng.normal(size=(12, 10))
    kernel = rng.normal(size=(3, 3))
    target = rng.normal(size=(10, 8))
    error = correlate2d(image, kernel) - target
    _, gradient = loss_and_gradient(kernel, image, target)
    np.testing.assert_allclose(
        gradient, 2 * correlate2d(image, error) / error.size, atol=1e-12
    )
    np.testing.assert_allclose(
        _correlate_with_error(image, error), correlate2d(image, error), atol=1e-12
    )


def test_loss_is_mean_squared_error():
    """The loss averages over every target cell of every pair."""
    image = np.zeros((3, 3))
    kernel = np.ones((2, 2))
    targets = [np.full((2, 2), 2.0), np.full((2, 2), 1.0)]
    loss, gradient = loss_and_gradient(kernel, [image, image], targets)
    assert loss == pytest.approx((4 * 4 + 4 * 1) / 8)
    np.testing.assert_array_equal(gradient, np.zeros((2, 2)))


def test_loss_is_zero_at_the_true_kernel():
    """At the kernel that made the targets, loss and gradient vanish."""
    images, targets = example_pairs(size=16)
    loss, gradient = loss_and_gradient(get_kernel("vertical"), images, targets)
    assert loss == pytest.approx(0.0, abs=1e-24)
    assert np.abs(gradient).max() < 1e-12


def test_images_accept_one_array_a_stack_or_a_list():
    """A single image, an (N, H, W) stack and a list give the same result."""
    rng = np.random.default_rng(6)
    stack = rng.normal(size=(2, 6, 6))
    kernel = rng.normal(size=(3, 3))
    targets = np.stack([correlate2d(image, np.eye(3)) for image in stack])
    from_stack = loss_and_gradient(kernel, stack, targets)
    from_list = loss_and_gradient(kernel, list(stack), list(targets))
    assert from_stack[0] == from_list[0]
    np.testing.assert_array_equal(from_stack[1], from_list[1])
    single = loss_and_gradient(kernel, stack[0], targets[0])
    nested = loss_and_gradient(kernel, stack[0].tolist(), targets[0].tolist())
    assert single[0] == nested[0]


# --------------------------------------------------------------------------
# The learner, on the pairs the gallery uses
# --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def gallery_history():
    """The run of the 'Learning a filter' example (64-pixel pairs, seed 0)."""
    images, targets = example_pairs("vertical", size=64, seed=0)
    start = time.perf_counter()
    history = learn_kernel(images, targets, seed=0, steps=300)
    return history, time.perf_counter() - start


def test_learner_recovers_the_vertical_kernel(gallery_history):
    """From seed 0 every weight is within 1e-3 of the truth by step 300."""
    history, _ = gallery_history
    assert np.abs(history.kernel - get_kernel("vertical")).max() < 1e-3


def test_learner_numbers_quoted_in_the_chapter(gallery_history):
    """The numbers the chapter 'Learning a filter' quotes."""
    history, _ = gallery_history
    errors = np.abs(history.kernels - get_kernel("vertical")).max(axis=(1, 2))
    assert history.kernels.shape == (301, 3, 3)
    assert f"{errors[0]:.2f}" == "1.97"
    # From step 143 on, every weight stays within 0.001 of the truth.
    assert np.all(errors[143:] < 1e-3)
    assert errors[142] >= 1e-3
    assert f"{errors[-1]:.1e}" == "3.0e-07"
    assert f"{history.losses[-1]:.1e}" == "1.3e-14"
    assert f"{history.learning_rate:.4f}" == "0.1009"
    # The snapshots figure: within 0.01 at step 100, exact to 2 decimals at 300.
    assert errors[100] < 0.01
    np.testing.assert_array_equal(
        np.round(history.kernels[300], 2) + 0.0, get_kernel("vertical")
    )


def test_learner_is_fast(gallery_history):
    """300 steps on four 64 × 64 pairs take a few seconds at most."""
    _, seconds = gallery_history
    assert seconds < 10


def test_learner_is_deterministic():
    """Two runs with the same seed are identical; another seed starts elsewhere."""
    images, targets = example_pairs(size=16)
    first = learn_kernel(images, targets, steps=20)
    second = learn_kernel(images, targets, steps=20)
    np.testing.assert_array_equal(first.kernels, second.kernels)
    np.testing.assert_array_equal(first.losses, second.losses)
    other = learn_kernel(images, targets, steps=20, seed=1)
    assert not np.array_equal(first.kernels[0], other.kernels[0])


def test_plain_gradient_descent_never_increases_the_loss():
    """Without momentum, a step of 1/λ_max decreases the quadratic loss."""
    images, targets = example_pairs(size=16)
    history = learn_kernel(images, targets, steps=100, momentum=0.0)
    assert np.all(np.diff(history.losses) <= 1e-15)
    assert history.losses[-1] < history.losses[0] / 10


def test_history_starts_from_a_uniform_random_kernel():
    """Step 0 is the seeded draw from [−1, 1]; losses match the kernels."""
    images, targets = example_pairs(size=16)
    history = learn_kernel(images, targets, steps=3, seed=7)
    expected = np.random.default_rng(7).uniform(-1, 1, size=(3, 3))
    np.testing.assert_array_equal(history.kernels[0], expected)
    for kernel, loss in zip(history.kernels, history.losses, strict=True):
        assert loss == pytest.approx(loss_and_gradient(kernel, images, targets)[0])


def test_learner_with_explicit_rate_and_shape():
    """A 2 × 2 kernel with a given step size and 'same' padding is found too."""
    rng = np.random.default_rng(8)
    image = rng.uniform(size=(20, 20))
    true = np.array([[0.5, -1.0], [2.0, 0.0]])
    target = correlate2d(image, true, padding="same")
    history = learn_kernel(
        image, target, kernel_shape=2, padding="same", learning_rate=0.05, steps=400
    )
    assert history.learning_rate == 0.05
    np.testing.assert_allclose(history.kernel, true, atol=1e-4)


def test_too_large_a_step_diverges():
    """Far above 2/λ_max plain gradient descent blows up: the bound matters."""
    images, targets = example_pairs(size=16)
    safe = learn_kernel(images, targets, steps=1, momentum=0.0)
    history = learn_kernel(
        images, targets, steps=30, momentum=0.0, learning_rate=5 * safe.learning_rate
    )
    assert history.losses[-1] > 1e6 * history.losses[0]


@pytest.mark.parametrize(("momentum", "bound"), [(0.0, 2.0), (0.9, 2.0 * (1 + 0.9))])
def test_step_bound_is_two_over_lambda_or_more_with_momentum(momentum, bound):
    """Steps just under 2(1 + β)/λ_max converge, just over it diverge."""
    images, targets = example_pairs(size=16)
    rate = learn_kernel(images, targets, steps=1).learning_rate  # 1/λ_max
    under = learn_kernel(
        images, targets, steps=400, momentum=momentum, learning_rate=0.95 * bound * rate
    )
    over = learn_kernel(
        images, targets, steps=400, momentum=momentum, learning_rate=1.05 * bound * rate
    )
    assert under.losses[-1] < under.losses[0]
    assert over.losses[-1] > 1e6 * over.losses[0]


def test_learning_chapter_step_bounds(gallery_history):
    """The chapter quotes 2/λ_max and 2(1 + β)/λ_max for β = 0.9."""
    history, _ = gallery_history
    rate = history.learning_rate
    text = (Path(__file__).resolve().parents[1] / "docs/beyond/learning.md").read_text(
        encoding="utf-8"
    )
    assert history.momentum == 0.9
    assert f"$2/\\lambda_\\text{{max}} \\approx {2 * rate:.4f}$" in text
    assert f"$3.8/\\lambda_\\text{{max}} \\approx {3.8 * rate:.4f}$" in text
    assert "2(1 + \\beta)/\\lambda_\\text{max}" in text


def test_example_pairs():
    """Four inputs of the requested size and their vertical-edge targets."""
    images, targets = example_pairs(size=32)
    assert [image.shape for image in images] == [(32, 32)] * 4
    assert all(image.min() >= 0 and image.max() <= 1 for image in images)
    for image, target in zip(images, targets, strict=True):
        np.testing.assert_array_equal(
            target, correlate2d(image, get_kernel("vertical"))
        )
    again = example_pairs(size=32)
    for first, second in zip(images, again[0], strict=True):
        np.testing.assert_array_equal(first, second)


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"size": 4}, ValueError, "`size`"),
        ({"size": 301}, ValueError, "`size`"),
        ({"kernel": "vertikal"}, ValueError, "vertikal"),
    ],
)
def test_example_pairs_rejects_bad_arguments(kwargs, error, match):
    """Bad sizes and unknown kernels are named in the error."""
    with pytest.raises(error, match=match):
        example_pairs(**kwargs)


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (
            lambda i, t: loss_and_gradient(np.ones((3, 3)), i, t[:1]),
            ValueError,
            "`targets`",
        ),
        (
            lambda i, t: loss_and_gradient(np.ones((3, 3)), i, [x[1:] for x in t]),
            ValueError,
            r"`targets\[0\]`",
        ),
        (
            lambda i, t: loss_and_gradient(np.ones((3, 3)), [], t),
            ValueError,
            "`images`",
        ),
        (
            lambda i, t: loss_and_gradient(np.ones((3, 3)), "grid", t),
            TypeError,
            "`images`",
        ),
        (lambda i, t: loss_and_gradient(np.ones(3), i, t), ValueError, "`kernel`"),
        (
            lambda i, t: loss_and_gradient(np.ones((3, 3)), i, t, border="mirror"),
            ValueError,
            "`border`",
        ),
        (lambda i, t: learn_kernel(i, t, momentum=1.0), ValueError, "`momentum`"),
        (lambda i, t: learn_kernel(i, t, momentum="0.9"), TypeError, "`momentum`"),
        (
            lambda i, t: learn_kernel(i, t, learning_rate=0),
            ValueError,
            "`learning_rate`",
        ),
        (
            lambda i, t: learn_kernel(i, t, learning_rate=True),
            TypeError,
            "`learning_rate`",
        ),
        (lambda i, t: learn_kernel(i, t, steps=-1), ValueError, "`steps`"),
        (
            lambda i, t: learn_kernel([np.ones((2, 2))], [np.ones((1, 1))]),
            ValueError,
            "`kernel_shape`",
        ),
        (lambda i, t: learn_kernel(i, t, kernel_shape=0), ValueError, "`kernel_shape`"),
        (
            lambda i, t: learn_kernel([np.zeros((5, 5))], [np.zeros((3, 3))]),
            ValueError,
            "`images`",
        ),
    ],
)
def test_rejects_bad_arguments(call, error, match):
    """Each bad argument raises an error that names it."""
    images, targets = example_pairs(size=8)
    with pytest.raises(error, match=match):
        call(images, targets)
