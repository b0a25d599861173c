"""The site's slow work, started in the background as the test session starts.

A session that includes site tests needs the site built, every gallery
script run on its own, the built project rebuilt once with one script edited,
and every page crawled in both colour schemes. Done one after the other, the
machine's second core idles for most of it, and the library's tests wait for
none of it. So ``tests/conftest.py`` starts this work before the first test
(:meth:`SiteJobs.start`) and orders the session: the library's tests first,
then the site tests that need the build only, then those that read the crawl.
Each site fixture waits for its own job.

- the build: the project is copied (without ``.venv``, ``.git``, ``site`` and
  the gallery's output) into a temporary folder and built there with
  ``mkdocs build --strict``, so the tests never touch the working tree and
  always start from a clean gallery;
- the standalone runs, at the same time: every gallery script runs with plain
  Python from a copy of its folder, through ``python -m convdemo.publish``,
  which writes its named figures with the same writer as the build, at a
  lower priority than the build, which the crawl waits for;
- once the build is done, the crawl (``crawl.py``) and the rebuild: a copy of
  the built project built again after appending a blank line to one script
  (:data:`EDITED`); only that script runs again, and the site must come out
  byte for byte the same apart from that script's download.

Each gallery script thus runs twice per session: in the build and on its own.

Every job is a child process that writes its output to files; the threads
that start them only wait. Nothing is computed or read in the test process
until a fixture asks for it, so the library's tests that measure their own
memory (``tracemalloc``) see none of the site's work. This file is also the
child that crawls and rebuilds: ``python jobs.py crawl|rebuild ...``.
"""

from __future__ import annotations

import os
import pickle
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterable
from concurrent import futures
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import nullcontext
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pytest

if __name__ == "__main__":  # the child: import the tests' helpers as pytest does
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from project_files import ROOT, load_crawl, load_script, load_tool

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
#: The script the rebuild edits: the quickest one (one figure, no data).
EDITED = ROOT / "gallery/1_story/plot_01_legend.py"

# The build and the browser, as the benchmarks use them too.
SITE_TOOLS = load_tool("site_tools")
SERVE_SITE = load_tool("serve_site")

# Child processes side by side, one per core.
WORKERS = max(2, os.cpu_count() or 1)
# The standalone runs' priority (nice), below the build and crawl's.
STANDALONE_NICENESS = 10


@dataclass(frozen=True)
class Build:
    """A finished build: the project copy, the site and the build's log."""

    root: Path
    site: Path
    log_file: Path
    seconds: float
    status: int = 0
    # The gallery's output in the project before this build (rebuilds only).
    generated_before: dict[str, bytes] = field(default_factory=dict)

    @property
    def log(self) -> str:
        """mkdocs' standard output and error."""
        return self.log_file.read_text(encoding="utf-8", errors="replace")

    def checked(self, what: str) -> Build:
        """Return the build, or fail the test that needs it if it failed."""
        if self.status != 0:
            pytest.fail(f"{what} failed (exit {self.status}):\n{self.log[-6000:]}")
        return self


@dataclass(frozen=True)
class Standalone:
    """A script's run with plain Python: the process and its figures' folder."""

    done: Future[Finished]
    figures: Path


def generated_files(root: Path) -> dict[str, bytes]:
    """Map each file of a project's docs/generated to its bytes."""
    folder = root / "docs/generated"
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in folder.rglob("*")
        if p.is_file()
    }


def run(
    argv: list[str], cwd: Path, env: dict[str, str]
) -> subprocess.CompletedProcess[str]:
    """Run a child process; return its exit status and output."""
    return subprocess.run(
        argv, cwd=cwd, env=env, capture_output=True, text=True, timeout=600, check=False
    )


def _waited(
    argv: list[str],
    cwd: Path,
    env: dict[str, str],
    log: Path,
    errors: Path | None = None,
) -> int:
    """Run a child process, its output into `log`; return its exit status.

    Its standard error goes into `errors` if given, else into `log` too.
    """
    to_errors = errors.open("wb") if errors else nullcontext(subprocess.STDOUT)
    with log.open("wb") as output, to_errors as error:
        return subprocess.call(argv, cwd=cwd, env=env, stdout=output, stderr=error)


@dataclass(frozen=True)
class Finished:
    """A finished child process: its exit status and the file of its errors."""

    returncode: int
    stderr_file: Path

    @property
    def stderr(self) -> str:
        """What the process wrote to its standard error."""
        return self.stderr_file.read_text(encoding="utf-8", errors="replace")


def build_into(root: Path, site: Path, log: Path) -> Build:
    """Build the project copy at `root` into `site`, logging into `log`."""
    argv, env = SITE_TOOLS.mkdocs_command(root, site)
    start = time.perf_counter()
    status = _waited(argv, root, env, log)
    return Build(root, site, log, time.perf_counter() - start, status)


def _child(argv: list[str], log: Path) -> None:
    """Run this file as a child (``crawl`` or ``rebuild``); raise if it fails."""
    status = _waited([sys.executable, __file__, *argv], ROOT, dict(os.environ), log)
    if status != 0:
        tail = log.read_text(encoding="utf-8", errors="replace")[-6000:]
        raise RuntimeError(f"the {argv[0]} failed (exit {status}):\n{tail}")


def _rebuild(build: Future[Build], root: Path, site: Path, out: Path) -> Path:
    """Rebuild in a child process once `build` is done; return its pickle's path."""
    first = build.result()
    if first.status != 0:
        raise RuntimeError("the build failed, so there is nothing to rebuild")
    argv = ["rebuild", str(first.root), str(root), str(site), str(out)]
    _child(argv, out.with_suffix(".log"))
    return out


def rebuild_copy(built: Path, root: Path, site: Path) -> Build:
    """Build a copy of the built project at `built` again, with :data:`EDITED` edited.

    The copy keeps the gallery's output (so the other scripts are skipped)
    but not the cache of compressed PNGs, so every PNG is compressed again.
    """
    shutil.copytree(
        built, root, ignore=shutil.ignore_patterns("__pycache__", ".png-cache")
    )
    script = root / EDITED.relative_to(ROOT)
    script.write_bytes(script.read_bytes() + b"\n")
    before = generated_files(root)
    done = build_into(root, site, site.with_name(site.name + ".log"))
    return replace(done, generated_before=before)


def _crawl(build: Future[Build], out: Path, log: Path) -> Path:
    """Crawl the built site in a child process; return its pickle's path."""
    site = build.result().checked("the build").site
    _child(["crawl", str(site), str(out)], log)
    return out


def crawl_built(site: Path) -> Any:
    """Load every page of `site` once in each colour scheme (``crawl.crawl_site``)."""
    from axe_playwright_python.sync_playwright import Axe

    crawl = load_crawl()
    return crawl.crawl_site(
        site,
        SERVE_SITE.serve,
        chromium=SITE_TOOLS.CHROMIUM,
        args=SITE_TOOLS.CHROMIUM_ARGS,
        axe_script=Axe().axe_script,
    )


def unpickled(path: Path) -> Any:
    """Read a child's result back (the crawl's module loaded under its name)."""
    load_crawl()
    with path.open("rb") as file:
        return pickle.load(file)


def _finished(argv: list[str], cwd: Path, env: dict[str, str], work: Path) -> Finished:
    """Run a standalone script's process, its output into files in `work`."""
    errors = work / "stderr.txt"
    return Finished(_waited(argv, cwd, env, work / "stdout.txt", errors), errors)


class SiteJobs:
    """The site's background work for one session; each job is a future.

    Only the jobs the session's tests ask for (their fixtures' names) start.
    """

    def __init__(self) -> None:
        self.pool = ThreadPoolExecutor(max_workers=WORKERS)
        # The build, and what waits for it: the crawl and the rebuild.
        self._chain = ThreadPoolExecutor(max_workers=3)
        self.build: Future[Build] | None = None
        self.rebuild: Future[Path] | None = None
        self.crawl: Future[Path] | None = None
        self.standalone: dict[Path, Standalone] = {}

    @classmethod
    def start(cls, needs: Iterable[str], mktemp: Callable[[str], Path]) -> SiteJobs:
        """Start the jobs behind the fixtures named in `needs`.

        `mktemp` makes a new temporary folder (``tmp_path_factory.mktemp``);
        every folder is made here, before any job starts.
        """
        needs = set(needs)
        jobs = cls()
        if needs & {"build", "rebuild", "crawl"}:
            root = mktemp("project") / "convdemo"
            shutil.copytree(ROOT, root, ignore=IGNORE_PATTERNS)
            site = mktemp("site")
            log = site.with_name(site.name + ".log")
            jobs.build = jobs._chain.submit(build_into, root, site, log)
        if "standalone_runs" in needs:
            jobs._start_standalone(mktemp)
        if jobs.build is not None and "crawl" in needs and SITE_TOOLS.chromium_found():
            folder = mktemp("crawl")
            jobs.crawl = jobs._chain.submit(
                _crawl, jobs.build, folder / "crawl.pickle", folder / "crawl.log"
            )
        if jobs.build is not None and "rebuild" in needs:
            root, site = mktemp("rebuild") / "convdemo", mktemp("rebuild-site")
            out = site.with_name(site.name + ".pickle")
            jobs.rebuild = jobs._chain.submit(_rebuild, jobs.build, root, site, out)
        return jobs

    def _start_standalone(self, mktemp: Callable[[str], Path]) -> None:
        """Start every gallery script with plain python, from a copy of its folder.

        ``python -m convdemo.publish`` runs the script as ``python SCRIPT``
        does (as ``__main__``, in its folder, under Agg), then writes the
        figures it made, with the build's writer, into a folder of its own.
        """
        env = {**os.environ, "MPLBACKEND": "Agg", "PYTHONPATH": str(ROOT)}
        nice = ["nice", "-n", str(STANDALONE_NICENESS)] if shutil.which("nice") else []
        for script in GALLERY_SCRIPTS:
            # A copy, so that files a script writes stay out of the working tree.
            work = mktemp("standalone")
            folder = work / script.parent.name
            shutil.copytree(script.parent, folder)
            argv = [*nice, sys.executable, "-m", "convdemo.publish", script.name]
            argv += ["--into", str(work / "figures")]
            done = self.pool.submit(_finished, argv, folder, env, work)
            self.standalone[script] = Standalone(done, work / "figures")

    def wait(self) -> None:
        """Wait until every job started has ended, whatever its outcome."""
        runs = [run.done for run in self.standalone.values()]
        jobs = [job for job in (self.build, self.rebuild, self.crawl) if job]
        futures.wait([*runs, *jobs])

    def close(self) -> None:
        """Wait for every job (a test may have stopped waiting for one)."""
        self._chain.shutdown(wait=True, cancel_futures=True)
        self.pool.shutdown(wait=True, cancel_futures=True)


def main(argv: list[str]) -> None:
    """The child: ``crawl SITE OUT`` or ``rebuild BUILT ROOT SITE OUT``.

    The work is done by this file loaded under the name the test process
    gives it, so that the pickled result's classes load there.
    """
    jobs = load_script(Path(__file__), "convdemo_site_jobs")
    job, *paths = argv
    *inputs, out = map(Path, paths)
    result = jobs.crawl_built(*inputs) if job == "crawl" else jobs.rebuild_copy(*inputs)
    with out.open("wb") as file:
        pickle.dump(result, file)


if __name__ == "__main__":
    main(sys.argv[1:])
