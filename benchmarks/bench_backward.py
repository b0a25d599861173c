"""Time the backward passes, the im2col view and a tiny CNN's training step.

Run with ``python benchmarks/bench_backward.py`` (or ``make bench``). Each
line prints one measured ratio, the baseline it is measured against in the
same run, the target and whether the target is met. Timings are the best of
several runs, ours and the baseline taking turns (``timing.best_times``).
The script exits 0 whatever the numbers: it reports, it does not judge.

- ``correlate2d_backward`` against ``correlate2d``: a backward pass computes
  two correlation-sized results (the image and the kernel gradients) where
  the forward pass computes one. Target: 4× the forward pass.
- ``pool2d_backward`` against ``pool2d``: the backward pass redoes the
  forward pass, finds each window's winner (one comparison per window
  offset) and writes a gradient the size of the input, four times the
  output for 2 × 2 windows. Target: 5× the forward pass.
- ``conv_transpose2d`` against ``scipy.signal.convolve2d(..., 'full')``,
  which computes the same numbers at stride 1 in one compiled loop, where
  ours makes kh·kw NumPy passes (a multiplication and an addition per tap).
  Target: 2× scipy.
- The im2col / GEMM product against ``correlate2d`` (one channel, one
  filter) and against ``conv2d`` (a layer of 32 filters over 16 channels,
  where one large product replaces 512 correlations), and the im2col
  matrix's memory against the image's (kh·kw times, by construction). For
  reference.
- A training step of issue 17's tiny CNN (conv 3 × 3, 8 filters → ReLU →
  max pool 2 → conv 3 × 3, 16 filters → ReLU → max pool 2 → dense → softmax
  cross-entropy) on a batch of 32 images of 8 × 8, forward and backward,
  against the forward pass alone computed one image at a time with
  ``conv2d`` and ``pool2d`` (target: the whole step costs less); and 20
  epochs over 1,257 training images (70 % of scikit-learn's 1,797 digits)
  projected from the step time, against issue 17's budget of 30 s.
"""

from __future__ import annotations

import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np
import scipy.signal as signal

sys.path.insert(0, str(Path(__file__).resolve().parent))
from timing import best_times, compare, note, random_image, report

from convdemo.backward import (
    conv2d_backward,
    correlate2d_backward,
    pool2d_backward,
)
from convdemo.linear import conv_transpose2d, im2col
from convdemo.ops import conv2d, correlate2d, pool2d

SIZE = 512
BATCH = 32
TRAINING_IMAGES = 1257
EPOCHS = 20
BUDGET_S = 30.0


def bench_correlate_backward(
    image: np.ndarray, k: int, padding: str, border: str, rng: np.random.Generator
) -> None:
    """Compare correlate2d_backward with the forward correlation it differentiates."""
    kernel = rng.standard_normal((k, k))
    options = {"padding": padding, "border": border}
    grad = rng.standard_normal(correlate2d(image, kernel, **options).shape)
    compare(
        f"correlate2d_backward {k}x{k} {padding} {border}",
        lambda: correlate2d_backward(grad, image, kernel, **options),
        "correlate2d",
        lambda: correlate2d(image, kernel, **options),
        4.0,
    )


def bench_pool_backward(image: np.ndarray, mode: str, rng: np.random.Generator) -> None:
    """Compare 2 × 2 pool2d_backward with pool2d."""
    grad = rng.standard_normal(pool2d(image, mode=mode).shape)
    compare(
        f"pool2d_backward 2x2 {mode}",
        lambda: pool2d_backward(grad, image, mode=mode),
        "pool2d",
        lambda: pool2d(image, mode=mode),
        5.0,
    )


def bench_transpose(image: np.ndarray, rng: np.random.Generator) -> None:
    """Compare conv_transpose2d at stride 1 with scipy's full convolution."""
    kernel = rng.standard_normal((3, 3))
    error = float(
        np.abs(conv_transpose2d(image, kernel) - signal.convolve2d(image, kernel)).max()
    )
    assert error < 1e-10, f"conv_transpose2d differs from scipy by {error}"
    compare(
        "conv_transpose2d 3x3",
        lambda: conv_transpose2d(image, kernel),
        "scipy.signal.convolve2d full",
        lambda: signal.convolve2d(image, kernel, "full"),
        2.0,
    )


def bench_im2col(image: np.ndarray, rng: np.random.Generator) -> None:
    """Time the im2col / GEMM product and measure the im2col matrix's memory."""
    kernel = rng.standard_normal((3, 3))
    compare(
        "im2col GEMM 3x3 same",
        lambda: im2col(image, (3, 3), padding="same") @ kernel.ravel(),
        "correlate2d",
        lambda: correlate2d(image, kernel, padding="same"),
    )
    layer = rng.standard_normal((64, 64, 16))
    kernels = rng.standard_normal((32, 3, 3, 16))
    compare(
        "im2col GEMM layer 16->32",
        lambda: im2col(layer, (3, 3), padding="same") @ kernels.reshape(32, -1).T,
        "conv2d 64x64",
        lambda: conv2d(layer, kernels, padding="same"),
    )
    tracemalloc.start()
    columns = im2col(image, (3, 3), padding="same")
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    report(
        f"im2col 3x3 matrix ({columns.nbytes / 2**20:.0f} MiB)",
        columns.nbytes / image.nbytes,
        f"the image's size ({image.nbytes / 2**20:.0f} MiB)",
        9.0,
    )
    note(
        "im2col 3x3 peak allocation",
        peak / image.nbytes,
        f"the image's size ({image.nbytes / 2**20:.0f} MiB)",
    )


class TinyCNN:
    """Issue 17's network with random weights, only to time its training step."""

    def __init__(self, rng: np.random.Generator) -> None:
        self.k1 = rng.standard_normal((8, 3, 3, 1)) / 3
        self.b1 = np.zeros(8)
        self.k2 = rng.standard_normal((16, 3, 3, 8)) / np.sqrt(72)
        self.b2 = np.zeros(16)
        self.dense = rng.standard_normal((2 * 2 * 16, 10)) / 8
        self.bias = np.zeros(10)

    def step(self, images: np.ndarray, labels: np.ndarray) -> float:
        """Forward and backward on a batch of (N, 8, 8, 1); return the loss."""
        a1 = conv2d(images, self.k1, self.b1, padding="same")
        r1 = np.maximum(a1, 0)
        p1 = pool2d(r1)
        a2 = conv2d(p1, self.k2, self.b2, padding="same")
        r2 = np.maximum(a2, 0)
        p2 = pool2d(r2)
        logits = p2.reshape(len(images), -1) @ self.dense + self.bias
        logits -= logits.max(axis=1, keepdims=True)
        probabilities = np.exp(logits)
        probabilities /= probabilities.sum(axis=1, keepdims=True)
        rows = np.arange(len(images))
        loss = -float(np.log(probabilities[rows, labels]).mean())
        grad_logits = probabilities
        grad_logits[rows, labels] -= 1
        grad_logits /= len(images)
        grad_dense = p2.reshape(len(images), -1).T @ grad_logits
        grad_p2 = (grad_logits @ self.dense.T).reshape(p2.shape)
        grad_a2 = pool2d_backward(grad_p2, r2) * (a2 > 0)
        grad_p1, grad_k2, grad_b2 = conv2d_backward(
            grad_a2, p1, self.k2, padding="same"
        )
        grad_a1 = pool2d_backward(grad_p1, r1) * (a1 > 0)
        _, grad_k1, grad_b1 = conv2d_backward(grad_a1, images, self.k1, padding="same")
        for weights, grad in (
            (self.k1, grad_k1),
            (self.b1, grad_b1),
            (self.k2, grad_k2),
            (self.b2, grad_b2),
            (self.dense, grad_dense),
            (self.bias, grad_logits.sum(axis=0)),
        ):
            weights -= 0.1 * grad
        return loss

    def forward_one_by_one(self, images: np.ndarray) -> np.ndarray:
        """The forward pass with conv2d and pool2d, one image and channel at a time."""
        features = []
        for image in images:
            r1 = np.maximum(conv2d(image, self.k1, self.b1, padding="same"), 0)
            p1 = np.stack([pool2d(r1[..., c]) for c in range(8)], axis=-1)
            r2 = np.maximum(conv2d(p1, self.k2, self.b2, padding="same"), 0)
            p2 = np.stack([pool2d(r2[..., c]) for c in range(16)], axis=-1)
            features.append(p2.ravel())
        return np.array(features) @ self.dense + self.bias


def bench_tiny_cnn(rng: np.random.Generator) -> None:
    """Time one training step of the tiny CNN on a batch, and project 20 epochs."""
    images = rng.uniform(0, 16, (BATCH, 8, 8, 1))
    labels = rng.integers(0, 10, BATCH)
    network = TinyCNN(rng)
    t_step, t_forward = best_times(
        lambda: network.step(images, labels),
        lambda: network.forward_one_by_one(images),
    )
    report(
        f"tiny CNN step, batch {BATCH} ({t_step * 1e3:.1f} ms)",
        t_step / t_forward,
        f"forward alone, image by image ({t_forward * 1e3:.0f} ms)",
        1.0,
    )
    steps = EPOCHS * -(-TRAINING_IMAGES // BATCH)
    start = time.perf_counter()
    for _ in range(-(-TRAINING_IMAGES // BATCH)):
        network.step(images, labels)
    epoch = time.perf_counter() - start
    report(
        f"tiny CNN {EPOCHS} epochs, {steps} steps ({EPOCHS * epoch:.1f} s)",
        EPOCHS * epoch / BUDGET_S,
        f"issue 17's training budget ({BUDGET_S:.0f} s)",
        1.0,
    )


def main() -> None:
    """Run every benchmark once and print one line per ratio."""
    rng, image = random_image(SIZE)
    for k, padding, border in (
        (3, "same", "zeros"),
        (3, "same", "reflect"),
        (7, "valid", "zeros"),
    ):
        bench_correlate_backward(image, k, padding, border, rng)
    for mode in ("max", "avg"):
        bench_pool_backward(image, mode, rng)
    bench_transpose(image, rng)
    bench_im2col(image, rng)
    bench_tiny_cnn(rng)


if __name__ == "__main__":
    main()
