"""Timing and reporting shared by the benchmark scripts.

Each benchmark measures our function and a named baseline in the same run
(:func:`best_times`) and prints the ratio on one line (:func:`report`, with
its target; :func:`note`, for a ratio kept for reference); :func:`compare`
does both steps and writes the two times into the line. The scripts put
this folder on ``sys.path`` and import from here; this file runs nothing.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import numpy as np

__all__ = ["REPEAT", "best_times", "compare", "note", "random_image", "report"]

#: How many times each function runs; the fastest run counts.
REPEAT = 9


def random_image(size: int) -> tuple[np.random.Generator, np.ndarray]:
    """Return a seeded generator and a `size` × `size` float64 image drawn from it.

    Prints the header line of the results: the image and how times are taken.
    """
    rng = np.random.default_rng(0)
    image = rng.random((size, size))
    print(f"float64 image {size}x{size}, best of {REPEAT} runs")
    return rng, image


def best_times(
    ours: Callable[[], Any], baseline: Callable[[], Any], repeat: int = REPEAT
) -> tuple[float, float]:
    """Return the fastest of `repeat` calls of each function, in seconds.

    The two functions alternate, so a burst of load from elsewhere on the
    machine slows both rather than one.
    """
    ours()  # warm up caches and lazy imports
    baseline()
    best_ours = best_baseline = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        ours()
        best_ours = min(best_ours, time.perf_counter() - start)
        start = time.perf_counter()
        baseline()
        best_baseline = min(best_baseline, time.perf_counter() - start)
    return best_ours, best_baseline


def report(label: str, ratio: float, baseline: str, target: float) -> None:
    """Print one result line: `ratio` times `baseline`, against `target`."""
    verdict = "meets" if ratio <= target else "MISSES"
    print(
        f"{label:<34} {ratio:6.2f}x of {baseline:<36} "
        f"(target <= {target:g}x: {verdict})"
    )


def note(label: str, ratio: float, baseline: str) -> None:
    """Print one result line that has no target: a measurement for reference."""
    print(f"{label:<34} {ratio:6.2f}x of {baseline:<36} (for reference)")


def compare(
    label: str,
    ours: Callable[[], Any],
    baseline: str,
    theirs: Callable[[], Any],
    target: float | None = None,
) -> None:
    """Time `ours` against `theirs` (named `baseline`) and print the ratio.

    Both times, in milliseconds, follow their names; with a `target` the
    line says whether the ratio meets it (:func:`report`), without one it is
    for reference (:func:`note`).
    """
    t_ours, t_theirs = best_times(ours, theirs)
    label = f"{label} ({t_ours * 1e3:.1f} ms)"
    baseline = f"{baseline} ({t_theirs * 1e3:.1f} ms)"
    if target is None:
        note(label, t_ours / t_theirs, baseline)
    else:
        report(label, t_ours / t_theirs, baseline, target)
