"""Shared fixtures for the site tests: the builds and the standalone runs.

Each gallery script runs twice per session, once in each of:

- ``build``: the project is copied (without ``.venv``, ``.git``, ``site`` and
  the gallery's output) into a temporary folder and built there with
  ``mkdocs build --strict``, so the tests never touch the working tree and
  always start from a clean gallery;
- ``standalone_runs``: every script runs with plain Python from a copy of
  its folder, through ``python -m convdemo.publish``, which writes its named
  figures with the same writer as the build. They start before the build, on
  the second core.

``rebuild`` builds a copy of the built project again, in another folder,
after appending a blank line to one script (:data:`EDITED`): only that
script runs again, and the site must come out byte for byte the same apart
from that script's download. The reproducibility and cache tests share it.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from project_files import ROOT, load_script

# Left out of the copy: environments, caches, earlier output.
IGNORE_PATTERNS = shutil.ignore_patterns(
    ".venv",
    ".git",
    "site",
    "generated",
    "__pycache__",
    ".pytest_cache",
    ".mypy_cache",
    ".ruff_cache",
    ".hypothesis",
    "*.egg-info",
    "build",
    "dist",
    "node_modules",
)

GALLERY_SCRIPTS = sorted(ROOT.glob("gallery/*/plot_*.py"))
#: The galleries (mkdocs.yml's ``examples_dirs``): gallery/NAME becomes
#: generated/gallery/NAME/, with its own index and NAME_python.zip and
#: NAME_jupyter.zip; generated/gallery/ is the page that lists them.
GALLERIES = sorted({script.parent for script in GALLERY_SCRIPTS})
#: The script the rebuild edits: the quickest one (one figure, no data).
EDITED = ROOT / "gallery/1_story/plot_01_legend.py"
#: Where the build writes the named figures and their manifest.
FIGURES = Path("docs/generated/images")


# The build and the browser, as the benchmarks use them too.
_SITE_TOOLS = load_script(ROOT / "scripts" / "site_tools.py", "convdemo_site_tools")
CHROMIUM: str = _SITE_TOOLS.CHROMIUM
CHROMIUM_ARGS: list[str] = _SITE_TOOLS.CHROMIUM_ARGS
run_mkdocs = _SITE_TOOLS.run_mkdocs


@dataclass(frozen=True)
class Build:
    """A finished build: the project copy, the site and the build's log."""

    root: Path
    site: Path
    log: str
    seconds: float
    # The gallery's output in the project before this build (rebuilds only).
    generated_before: dict[str, bytes] = field(default_factory=dict)


def executed_examples(log: str) -> tuple[int, int]:
    """Return (examples run, examples skipped as unchanged) from a build log."""
    ran = re.search(r"successfully executed (\d+) out of", log)
    skipped = re.search(r"after excluding (\d+) files? that had previously", log)
    if ran is None or skipped is None:
        raise AssertionError(f"no mkdocs-gallery summary in the log:\n{log[-3000:]}")
    return int(ran.group(1)), int(skipped.group(1))


@pytest.fixture(scope="session")
def build(tmp_path_factory: pytest.TempPathFactory) -> Build:
    """Copy the project and build the site once for the whole session."""
    root = tmp_path_factory.mktemp("project") / "convdemo"
    shutil.copytree(ROOT, root, ignore=IGNORE_PATTERNS)
    site = tmp_path_factory.mktemp("site")
    status, log, seconds = run_mkdocs(root, site)
    if status != 0:
        pytest.fail(f"mkdocs build --strict failed (exit {status}):\n{log[-6000:]}")
    return Build(root=root, site=site, log=log, seconds=seconds)


def generated_files(root: Path) -> dict[str, bytes]:
    """Map each file of a project's docs/generated to its bytes."""
    folder = root / "docs/generated"
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in folder.rglob("*")
        if p.is_file()
    }


# mkdocs-gallery notes each cell's source lines in a comment; a blank line
# added at the end of a script moves the end of its last cell.
_LINE_RANGE = re.compile(rb"<!-- GENERATED FROM PYTHON SOURCE LINES \d+-\d+ -->")


def without_line_ranges(data: bytes) -> bytes:
    """Return a generated page without the source line numbers of its cells."""
    return _LINE_RANGE.sub(b"", data)


@pytest.fixture(scope="session")
def rebuild(build: Build, tmp_path_factory: pytest.TempPathFactory) -> Build:
    """Build the built project again elsewhere, with one script edited.

    The copy keeps the gallery's output (so the other scripts are skipped)
    but not the cache of compressed PNGs, so every PNG is compressed again.
    """
    root = tmp_path_factory.mktemp("rebuild") / "convdemo"
    shutil.copytree(
        build.root, root, ignore=shutil.ignore_patterns("__pycache__", ".png-cache")
    )
    script = root / EDITED.relative_to(ROOT)
    script.write_bytes(script.read_bytes() + b"\n")
    before = generated_files(root)
    site = tmp_path_factory.mktemp("rebuild-site")
    status, log, seconds = run_mkdocs(root, site)
    if status != 0:
        pytest.fail(f"the rebuild failed (exit {status}):\n{log[-6000:]}")
    return Build(root, site, log, seconds, generated_before=before)


# Child processes side by side, one per core; each test waits for its own.
_WORKERS = max(2, os.cpu_count() or 1)


def run(
    argv: list[str], cwd: Path, env: dict[str, str]
) -> subprocess.CompletedProcess[str]:
    """Run a child process; return its exit status and output."""
    return subprocess.run(
        argv, cwd=cwd, env=env, capture_output=True, text=True, timeout=600, check=False
    )


@pytest.fixture(scope="session")
def pool() -> Iterator[ThreadPoolExecutor]:
    """A pool that runs child processes side by side."""
    with ThreadPoolExecutor(max_workers=_WORKERS) as executor:
        yield executor


@dataclass(frozen=True)
class Standalone:
    """A script's run with plain Python: the process and its figures' folder."""

    done: Future[subprocess.CompletedProcess[str]]
    figures: Path


@pytest.fixture(scope="session")
def standalone_runs(
    pool: ThreadPoolExecutor, tmp_path_factory: pytest.TempPathFactory
) -> dict[Path, Standalone]:
    """Start every gallery script with plain python, from a copy of its folder.

    ``python -m convdemo.publish`` runs the script as ``python SCRIPT`` does
    (as ``__main__``, in its folder, under Agg), then writes the figures it
    made, with the build's writer, into a folder of its own.
    """
    env = {**os.environ, "MPLBACKEND": "Agg", "PYTHONPATH": str(ROOT)}
    runs = {}
    for script in GALLERY_SCRIPTS:
        # A copy, so that files a script writes stay out of the working tree.
        work = tmp_path_factory.mktemp("standalone")
        folder = work / script.parent.name
        shutil.copytree(script.parent, folder)
        argv = [sys.executable, "-m", "convdemo.publish", script.name]
        argv += ["--into", str(work / "figures")]
        runs[script] = Standalone(pool.submit(run, argv, folder, env), work / "figures")
    return runs


@pytest.fixture(scope="session")
def report() -> ModuleType:
    """The build report script, whose page-weight code the budget test uses."""
    return load_script(ROOT / "scripts" / "build_report.py", "convdemo_build_report")


@pytest.fixture(scope="session")
def pages(build: Build, report: ModuleType) -> list[Path]:
    """Every HTML page of the built site (404.html aside)."""
    found: list[Path] = report.site_pages(build.site)
    assert found, "the build produced no pages"
    return found


@pytest.fixture(scope="session")
def serve_site() -> ModuleType:
    """``scripts/serve_site.py``: serves a built site as a static host does."""
    return load_script(ROOT / "scripts" / "serve_site.py", "convdemo_serve_site")


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
    if not Path(CHROMIUM).is_file() and shutil.which(CHROMIUM) is None:
        message = (
            f"BROWSER TESTS NOT RUN: no Chromium at {CHROMIUM}. Install Debian's "
            "`chromium` package (apt-get install chromium) or set CHROMIUM."
        )
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
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


def _require_chromium() -> None:
    """Skip (fail in CI) when Debian's Chromium is missing, as `browser` does."""
    if not Path(CHROMIUM).is_file() and shutil.which(CHROMIUM) is None:
        message = f"BROWSER TESTS NOT RUN: no Chromium at {CHROMIUM}."
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)


@pytest.fixture(scope="session")
def crawl(build: Build, serve_site: ModuleType) -> Any:
    """Every page loaded once in each colour scheme, under the site's sub-path."""
    _require_chromium()
    from axe_playwright_python.sync_playwright import Axe

    from .crawl import crawl_site

    return crawl_site(
        build.site,
        serve_site.serve,
        chromium=CHROMIUM,
        args=CHROMIUM_ARGS,
        axe_script=Axe().axe_script,
    )


@pytest.fixture(scope="session")
def site_url(build: Build, serve_site: ModuleType) -> Iterator[str]:
    """Serve the built site under its sub-path, gzip on; yield its address."""
    from .crawl import site_prefix

    prefix = site_prefix(build.site)
    with serve_site.serve(build.site, prefix=prefix, compress=True) as url:
        yield url
