"""Shared pytest configuration: Agg, a bounded Hypothesis profile, the test order,
the site's background jobs and shared fixtures."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import matplotlib
import numpy as np
import pytest
from hypothesis import HealthCheck, settings
from project_files import load_script

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


# The site tests (tests/site) and their background jobs ------------------------

TESTS = Path(__file__).parent
SITE_TESTS = TESTS / "site"


def _group(item: pytest.Item) -> int:
    """Where an item runs: the library's tests, the doctests, then the site's.

    Among the site's tests, those that read the crawl come after the others:
    the crawl starts when the build is done and runs while the others do.
    Last come the tests marked ``quiet``, which time the browser and so wait
    until the background jobs have ended (``tests/site/conftest.py``).
    """
    folders = item.path.parents
    if item.get_closest_marker("quiet"):
        return 4
    if SITE_TESTS in folders:
        return 3 if "crawl" in getattr(item, "fixturenames", ()) else 2
    return 0 if TESTS in folders else 1


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Run the library's tests first, while the site's jobs start in the background."""
    items.sort(key=_group)  # stable: each group keeps its own order


@pytest.fixture(scope="session", autouse=True)
def site_jobs(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Any]:
    """Start the site tests' slow work at once, if the session has site tests.

    The build, the standalone runs, then the crawl and the rebuild run in the
    background (``tests/site/jobs.py``) while the library's tests run; the site
    fixtures wait for them. Only the jobs that the selected tests' fixtures
    need are started. Yields None for a session without site tests.
    """
    site_items = [i for i in request.session.items if _group(i) >= 2]
    if not site_items:
        yield None
        return
    jobs_module = load_script(SITE_TESTS / "jobs.py", "convdemo_site_jobs")
    needs = {name for item in site_items for name in getattr(item, "fixturenames", ())}
    jobs = jobs_module.SiteJobs.start(needs, tmp_path_factory.mktemp)
    try:
        yield jobs
    finally:
        jobs.close()
