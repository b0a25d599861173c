"""What the site tests and benchmarks share: the build and the browser.

``tests/site/conftest.py``, ``benchmarks/bench_site.py`` and
``benchmarks/bench_playground.py`` build the site and open it in Debian's
Chromium the same way; this module holds that way once. Serving the built
site is :mod:`serve_site`'s job.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

__all__ = ["CHROMIUM", "CHROMIUM_ARGS", "run_mkdocs"]

# Debian's package, or the browser named by $CHROMIUM.
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
# Headless, and quiet: no background requests that would count as traffic.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-quic",
    "--disable-sync",
]


def run_mkdocs(root: Path, site: Path) -> tuple[int, str, float]:
    """Run ``mkdocs build --strict`` in `root` into `site`.

    The build imports the library of `root` (``PYTHONPATH``), not an
    installed one, so that a copy of the project with a changed library
    builds with that change.

    Returns
    -------
    status : int
        mkdocs' exit status.
    log : str
        Its standard output and error.
    seconds : float
        The wall time.
    """
    env = {
        **os.environ,
        "NO_MKDOCS_2_WARNING": "1",
        "MPLBACKEND": "Agg",
        "PYTHONPATH": str(root),
    }
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(site)],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    return done.returncode, done.stdout + done.stderr, time.perf_counter() - start
