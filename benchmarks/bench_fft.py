"""Time correlate2d's FFT and two-pass routes against its direct route.

Run with ``python benchmarks/bench_fft.py`` (or ``make bench``). Every ratio
is a route's time over the direct route's (``method="direct"``), measured
in the same run, best of several calls with the two taking turns
(``timing.best_times``). The script exits 0 whatever the numbers: it
reports, it does not judge.

- The FFT crossover: on a 512 × 512 image (and a 256 × 256 one), square
  kernels of growing size, direct against FFT. The first size at which the
  FFT is faster is the crossover; ``convdemo.frequency.FFT_MIN_TAPS`` holds
  the one measured when it was set, and the script prints both.
- The separable speed-up: rank-1 kernels (Prewitt 3 × 3, Gaussian 5 × 5,
  box blurs 7 × 7 to 15 × 15) in two 1-D passes against the 2-D sum;
  ``convdemo.separable.SEPARABLE_MIN_TAPS`` and ``SEPARABLE_MAX_TAPS`` bound
  where ``auto`` uses them.
- ``auto`` against the fastest of the routes, for the same kernels: it
  should pick the fastest, within timing noise.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from timing import REPEAT, best_times

from convdemo._routes import choose_method
from convdemo.analysis import binomial_kernel
from convdemo.frequency import FFT_MIN_TAPS
from convdemo.kernels import get_kernel
from convdemo.ops import correlate2d
from convdemo.separable import SEPARABLE_MAX_TAPS, SEPARABLE_MIN_TAPS

SIZES = (512, 256)
KERNEL_SIDES = (3, 4, 5, 6, 7, 9, 11, 15, 21, 31)


def route_ratio(
    image: np.ndarray, kernel: np.ndarray, method: str
) -> tuple[float, float, float]:
    """Return (time of `method`, time of 'direct', ratio), times in seconds."""
    ours, direct = best_times(
        lambda: correlate2d(image, kernel, method=method),
        lambda: correlate2d(image, kernel, method="direct"),
        repeat=REPEAT,
    )
    return ours, direct, ours / direct


def line(label: str, ours: float, direct: float, ratio: float, note: str) -> None:
    """Print one result line."""
    print(
        f"{label:<28} {ratio:6.2f}x of direct "
        f"({ours * 1e3:7.1f} ms vs {direct * 1e3:7.1f} ms) {note}"
    )


def bench_crossover(size: int, rng: np.random.Generator) -> int | None:
    """Print FFT/direct for growing kernels; return the first side where FFT wins."""
    image = rng.random((size, size))
    print(f"-- FFT against direct, {size}x{size} image, 'valid', stride 1")
    crossover = None
    for side in KERNEL_SIDES:
        kernel = rng.standard_normal((side, side))
        ours, direct, ratio = route_ratio(image, kernel, "fft")
        picked = choose_method(kernel, (size - side + 1,) * 2, (1, 1))
        line(
            f"fft {side}x{side} ({side * side} taps)",
            ours,
            direct,
            ratio,
            f"auto: {picked}",
        )
        if ratio < 1.0 and crossover is None:
            crossover = side
    return crossover


def bench_separable(size: int, rng: np.random.Generator) -> None:
    """Print separable/direct, and auto against the faster of the two, per kernel."""
    image = rng.random((size, size))
    kernels = {
        "Prewitt 3x3": get_kernel("vertical"),
        "Gaussian 5x5": get_kernel("gaussian_blur_5x5"),
        "binomial 7x7": binomial_kernel(7),
        "box 9x9": np.ones((9, 9)),
        "box 15x15": np.ones((15, 15)),
    }
    print(f"-- two 1-D passes against the 2-D sum, {size}x{size} image")
    for name, kernel in kernels.items():
        ours, direct, ratio = route_ratio(image, kernel, "separable")
        picked = choose_method(kernel, image.shape, (1, 1))
        line(f"separable {name}", ours, direct, ratio, f"auto: {picked}")
        faster = "separable" if ours < direct else "direct"
        automatic, best = best_times(
            lambda kernel=kernel: correlate2d(image, kernel),
            lambda kernel=kernel, faster=faster: correlate2d(
                image, kernel, method=faster
            ),
            repeat=REPEAT,
        )
        print(f"  auto, {name:<20} {automatic / best:6.2f}x of {faster}")


def main() -> None:
    """Run every benchmark once and print one line per ratio."""
    rng = np.random.default_rng(0)
    print(f"float64, best of {REPEAT} runs")
    for size in SIZES:
        found = bench_crossover(size, rng)
        print(
            f"FFT crossover on {size}x{size}: "
            + (f"{found}x{found} ({found * found} taps)" if found else "none")
            + f"; auto uses the FFT from {FFT_MIN_TAPS} taps per output cell"
        )
    bench_separable(SIZES[0], rng)
    print(
        f"auto separates rank-1 kernels of {SEPARABLE_MIN_TAPS} taps or more whose "
        f"factors have {SEPARABLE_MAX_TAPS} taps or fewer together"
    )


if __name__ == "__main__":
    main()
