"""Shared pytest configuration: Agg, a bounded Hypothesis profile, shared fixtures."""

from __future__ import annotations

import os
from collections.abc import Iterator

import matplotlib
import numpy as np
import pytest
from hypothesis import HealthCheck, settings

# Every figure in the tests is drawn off screen, whatever MPLBACKEND says.
matplotlib.use("Agg")

# Property tests use small shapes and a bounded number of examples so that the
# suite stays fast on a shared machine; no deadline, because a busy machine
# would make timing-based failures flaky. On CI the examples are derandomized,
# so a run is reproducible. HYPOTHESIS_PROFILE=thorough runs more examples.
settings.register_profile(
    "convdemo",
    max_examples=50,
    deadline=None,
    derandomize=bool(os.environ.get("CI")),
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "thorough", parent=settings.get_profile("convdemo"), max_examples=1000
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "convdemo"))


@pytest.fixture
def rng() -> np.random.Generator:
    """Return a NumPy generator seeded with 0, fresh for each test."""
    return np.random.default_rng(0)


@pytest.fixture
def close_figures() -> Iterator[None]:
    """Close every figure a test opened; figure test modules use it for each test."""
    yield
    import matplotlib.pyplot as plt

    plt.close("all")
