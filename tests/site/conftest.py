"""Shared fixtures for the site tests: one strict build per test session.

The project is copied (without ``.venv``, ``.git``, ``site`` and the gallery's
output) into a temporary folder and built there with ``mkdocs build
--strict``, so the tests never touch the working tree, always start from a
clean gallery, and may edit the copy to test the build's caching.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]

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


def load_script(path: Path, name: str) -> ModuleType:
    """Import a Python file of the project (a hook or a script) as a module."""
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


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
