"""What the site tests and benchmarks share: the build and the browser.

``tests/site/conftest.py``, ``benchmarks/bench_site.py`` and
``benchmarks/bench_playground.py`` build the site and open it in Debian's
Chromium the same way; this module holds that way once. Serving the built
site is :mod:`serve_site`'s job.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

__all__ = [
    "CHROMIUM",
    "CHROMIUM_ARGS",
    "PLAYWRIGHT_DISABLED_FEATURES",
    "UNUSED_FEATURES",
    "chromium_found",
    "mkdocs_command",
    "run_mkdocs",
]

# Debian's package, or the browser named by $CHROMIUM.
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")

# The features Playwright turns off when it launches Chromium (its own
# `--disable-features`, in Playwright 1.65). Chromium keeps only the last
# `--disable-features` it is given, so ours repeats them;
# tests/test_site_tools.py checks that it still does after an upgrade.
PLAYWRIGHT_DISABLED_FEATURES = (
    "AimEnabled",
    "AvoidCorsURLLoaderRestartOnRedirect",
    "AvoidUnnecessaryBeforeUnloadCheckSync",
    "DestroyProfileOnBrowserClose",
    "HttpsFirstBalancedModeAutoEnable",
    "HttpsUpgrades",
    "LensOverlay",
    "MediaRouter",
    "NetworkTimeServiceQuerying",
    "OptimizationHints",
    "PaintHolding",
    "PreconnectToSearch",
    "TcpPortRandomizationWin",
    "ThirdPartyStoragePartitioning",
    "msEdgeUpdateLaunchServicesPreferredVersion",
    "msForceBrowserSignIn",
)
# Headless Chromium opens every window (each Playwright context or page) with
# two hidden pages of its own, the address bar's pop-ups drawn as web pages:
# half a second of CPU for each, about a third of what a test page costs.
# No page of ours has an address bar.
UNUSED_FEATURES = ("WebUIOmniboxPopup", "WebUIOmniboxAimPopup")

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
    "--disable-features=" + ",".join(PLAYWRIGHT_DISABLED_FEATURES + UNUSED_FEATURES),
]


def chromium_found() -> bool:
    """Whether :data:`CHROMIUM` names an installed browser."""
    return Path(CHROMIUM).is_file() or shutil.which(CHROMIUM) is not None


def mkdocs_command(root: Path, site: Path) -> tuple[list[str], dict[str, str]]:
    """Return the command and environment that build `root` into `site`.

    ``mkdocs build --strict``, importing the library of `root`
    (``PYTHONPATH``), not an installed one, so that a copy of the project
    with a changed library builds with that change.
    """
    env = {
        **os.environ,
        "NO_MKDOCS_2_WARNING": "1",
        "MPLBACKEND": "Agg",
        "PYTHONPATH": str(root),
    }
    return [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(site)], env


def run_mkdocs(root: Path, site: Path) -> tuple[int, str, float]:
    """Run ``mkdocs build --strict`` in `root` into `site` (:func:`mkdocs_command`).

    Returns
    -------
    status : int
        mkdocs' exit status.
    log : str
        Its standard output and error.
    seconds : float
        The wall time.
    """
    argv, env = mkdocs_command(root, site)
    start = time.perf_counter()
    done = subprocess.run(
        argv, cwd=root, env=env, capture_output=True, text=True, check=False
    )
    return done.returncode, done.stdout + done.stderr, time.perf_counter() - start
