"""Time convdemo's fast paths against named baselines and report the ratios.

Run with ``python benchmarks/bench_ops.py`` (or ``make bench``). Each line
prints one measured ratio, the baseline it is measured against, the target
and whether the target is met. Timings are the minimum over several repeats
(``time.perf_counter``), with our function and its baseline taking turns, so
a busy machine inflates them less. The script exits 0 whatever the numbers:
it reports, it does not judge.
"""

from __future__ import annotations

import sys
import tracemalloc
from pathlib import Path

import numpy as np
import scipy.ndimage as ndi

sys.path.insert(0, str(Path(__file__).resolve().parent))
from timing import compare, random_image, report

from convdemo.ops import correlate2d, pool2d

SIZE = 1024
BIG = 4096


def bench_correlate(image: np.ndarray, k: int, rng: np.random.Generator) -> None:
    """Compare correlate2d with a k × k kernel to scipy.ndimage.correlate."""
    kernel = rng.standard_normal((k, k))
    # ndimage returns the 'same'-sized output; keep its valid part, where no
    # padding is read, to compare like with like.
    half = k // 2
    ours = correlate2d(image, kernel)
    theirs = ndi.correlate(image, kernel, mode="constant")
    theirs = theirs[half : half + ours.shape[0], half : half + ours.shape[1]]
    error = float(np.abs(ours - theirs).max())
    assert error < 1e-10, f"correlate2d {k}x{k} differs from ndimage by {error}"
    compare(
        f"correlate2d {k}x{k} valid",
        lambda: correlate2d(image, kernel),
        "scipy.ndimage.correlate",
        lambda: ndi.correlate(image, kernel, mode="constant")[
            half : half + ours.shape[0], half : half + ours.shape[1]
        ],
        1.0,
    )


def bench_pool(image: np.ndarray) -> None:
    """Compare 2 × 2 max pooling to a numpy reshape-max."""
    h, w = image.shape

    def reshape_max() -> np.ndarray:
        return image.reshape(h // 2, 2, w // 2, 2).max(axis=(1, 3))

    assert np.array_equal(pool2d(image), reshape_max())
    compare(
        "pool2d 2x2 max", lambda: pool2d(image), "numpy reshape-max", reshape_max, 1.0
    )


def bench_memory(rng: np.random.Generator) -> None:
    """Measure correlate2d's peak allocation on a large image."""
    image = rng.random((BIG, BIG))
    for k, padding in ((3, "valid"), (15, "valid"), (3, "same")):
        kernel = rng.standard_normal((k, k))
        tracemalloc.start()
        correlate2d(image, kernel, padding=padding)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        report(
            f"peak memory {k}x{k} {padding} {BIG}x{BIG}",
            peak / image.nbytes,
            f"the image's size ({image.nbytes / 2**20:.0f} MiB)",
            4.0,
        )


def main() -> None:
    """Run every benchmark once and print one line per ratio."""
    rng, image = random_image(SIZE)
    bench_correlate(image, 3, rng)
    bench_correlate(image, 15, rng)
    bench_pool(image)
    bench_memory(rng)


if __name__ == "__main__":
    main()
