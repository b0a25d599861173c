"""Shared fixtures for the site tests: the builds, the standalone runs, the crawl.

The slow work behind them starts in the background as the session starts
(``jobs.py``, started by ``tests/conftest.py``); each fixture here waits for
its own job:

- ``build``: the session's build of a copy of the project;
- ``standalone_runs``: every gallery script run with plain Python;
- ``rebuild``: the built project built again elsewhere with one script edited
  (:data:`EDITED`); the reproducibility and cache tests share it;
- ``crawl``: every page loaded once in each colour scheme (``crawl.py``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from project_files import load_script, load_tool

from ..browser_tools import require_chromium

JOBS = load_script(Path(__file__).with_name("jobs.py"), "convdemo_site_jobs")

Build = JOBS.Build
Standalone = JOBS.Standalone
GALLERY_SCRIPTS: list[Path] = JOBS.GALLERY_SCRIPTS
EDITED: Path = JOBS.EDITED
generated_files = JOBS.generated_files
run = JOBS.run
#: The galleries (mkdocs.yml's ``examples_dirs``): gallery/NAME becomes
#: generated/gallery/NAME/, with its own index and NAME_python.zip and
#: NAME_jupyter.zip; generated/gallery/ is the page that lists them.
GALLERIES = sorted({script.parent for script in GALLERY_SCRIPTS})
#: Where the build writes the named figures and their manifest.
FIGURES = Path("docs/generated/images")

CHROMIUM: str = JOBS.SITE_TOOLS.CHROMIUM
CHROMIUM_ARGS: list[str] = JOBS.SITE_TOOLS.CHROMIUM_ARGS


def executed_examples(log: str) -> tuple[int, int]:
    """Return (examples run, examples skipped as unchanged) from a build log."""
    ran = re.search(r"successfully executed (\d+) out of", log)
    skipped = re.search(r"after excluding (\d+) files? that had previously", log)
    if ran is None or skipped is None:
        raise AssertionError(f"no mkdocs-gallery summary in the log:\n{log[-3000:]}")
    return int(ran.group(1)), int(skipped.group(1))


# mkdocs-gallery notes each cell's source lines in a comment; a blank line
# added at the end of a script moves the end of its last cell.
_LINE_RANGE = re.compile(rb"<!-- GENERATED FROM PYTHON SOURCE LINES \d+-\d+ -->")


def without_line_ranges(data: bytes) -> bytes:
    """Return a generated page without the source line numbers of its cells."""
    return _LINE_RANGE.sub(b"", data)


def _started(jobs: Any, name: str) -> Any:
    """Return the job `name` of the session's site jobs; fail if it never started."""
    job = getattr(jobs, name) if jobs is not None else None
    if not job:
        pytest.fail(f"the site's {name} job was not started for this session")
    return job


@pytest.fixture(autouse=True)
def _quiet(request: pytest.FixtureRequest, site_jobs: Any) -> None:
    """Before a test marked ``quiet``, wait until every background job has ended."""
    if request.node.get_closest_marker("quiet") and site_jobs is not None:
        site_jobs.wait()


@pytest.fixture(scope="session")
def build(site_jobs: Any) -> Any:
    """The session's build of a copy of the project (started in the background)."""
    return _started(site_jobs, "build").result().checked("mkdocs build --strict")


@pytest.fixture(scope="session")
def rebuild(build: Any, site_jobs: Any) -> Any:
    """The built project built again elsewhere, with one script edited."""
    done = JOBS.unpickled(_started(site_jobs, "rebuild").result())
    return done.checked("the rebuild")


@pytest.fixture(scope="session")
def pool(site_jobs: Any) -> ThreadPoolExecutor:
    """A pool that runs child processes side by side."""
    executor: ThreadPoolExecutor = _started(site_jobs, "pool")
    return executor


@pytest.fixture(scope="session")
def standalone_runs(site_jobs: Any) -> dict[Path, Any]:
    """Every gallery script's run with plain Python (``jobs.SiteJobs``)."""
    runs: dict[Path, Any] = _started(site_jobs, "standalone")
    return runs


@pytest.fixture(scope="session")
def report() -> ModuleType:
    """The build report script, whose page-weight code the budget test uses."""
    return load_tool("build_report")


@pytest.fixture(scope="session")
def pages(build: Build, report: ModuleType) -> list[Path]:
    """Every HTML page of the built site (404.html aside)."""
    found: list[Path] = report.site_pages(build.site)
    assert found, "the build produced no pages"
    return found


@pytest.fixture(scope="session")
def serve_site() -> ModuleType:
    """``scripts/serve_site.py``: serves a built site as a static host does."""
    module: ModuleType = JOBS.SERVE_SITE
    return module


@pytest.fixture(scope="session")
def server(build: Build, serve_site: ModuleType) -> Iterator[str]:
    """Serve the built site on 127.0.0.1 (a free port); yield its base URL."""
    with serve_site.serve(build.site) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Launch headless Chromium (Debian's package) for one test module.

    Module scope: Playwright's sync API allows one instance at a time, and
    each browser-test module gets its own. Without Chromium the tests skip
    with a loud reason, except in CI (``CI=true``), where they fail.
    """
    require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS
        )
        try:
            yield chromium
        finally:
            chromium.close()


# The shared crawl (tests/site/crawl.py) ------------------------------------


@pytest.fixture(scope="session")
def crawl(build: Any, site_jobs: Any) -> Any:
    """Every page loaded once in each colour scheme, under the site's sub-path."""
    require_chromium()
    return JOBS.unpickled(_started(site_jobs, "crawl").result())


@pytest.fixture(scope="session")
def site_url(build: Build, serve_site: ModuleType) -> Iterator[str]:
    """Serve the built site under its sub-path, gzip on; yield its address."""
    from .crawl import site_prefix

    prefix = site_prefix(build.site)
    with serve_site.serve(build.site, prefix=prefix, compress=True) as url:
        yield url
