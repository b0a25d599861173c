"""Measure the site: build times, page weights, load times and Lighthouse scores.

Run with ``python benchmarks/bench_site.py`` (or ``make bench``). It

1. copies the project into a temporary folder and times a clean
   ``mkdocs build --strict`` and a rebuild with nothing changed, against the
   60 s and 10 s budgets;
2. serves the built site on 127.0.0.1 under its sub-path (gzip and caching
   headers, as GitHub Pages serves it) and loads every page in headless
   Chromium on Lighthouse's phone (412 CSS pixels, 1.75 device pixels per
   CSS pixel) as a **first visit**: a fresh browser context each time, so
   that nothing comes from a cache, scrolled to the bottom so that lazy
   images load. It prints the bytes the server sent, split into HTML,
   images, JS, CSS and other, the number of requests, the time to the load
   event, and a "repeat" column: what the same page costs a reader who has
   already opened the home page (its styles, scripts and search index
   cached). The site tests weigh pages with the same code
   (``tests/site/crawl.py``);
3. runs Lighthouse 12.2.3 (mobile preset) on the home page, a gallery page
   and the playground, and prints the four category scores (target: 95).

Lighthouse comes from npm: it is installed once into
``~/.cache/convdemo/lighthouse-12.2.3`` (``npm install --prefix``). Chromium
is Debian's ``/usr/bin/chromium`` (or ``$CHROMIUM``). ``--no-lighthouse``
and ``--no-build`` (measure an existing ``site/``, or ``--site-dir``) skip
parts. The script
exits 0 whatever the numbers: it reports, it does not judge.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT / "tests" / "site"))
from build_report import BUDGET_BYTES, BUDGET_REQUESTS  # noqa: E402
from crawl import (  # noqa: E402
    NO_OTHER_HOSTS,
    PHONE,
    Recorder,
    Visit,
    first_visit,
    page_paths,
    scroll_through,
    site_prefix,
)
from serve_site import Served, serve  # noqa: E402
from site_tools import CHROMIUM, CHROMIUM_ARGS, run_mkdocs  # noqa: E402

CLEAN_BUDGET_S = 60.0
NOOP_BUDGET_S = 10.0
LIGHTHOUSE_VERSION = "12.2.3"
LIGHTHOUSE_TARGET = 95
# The pages Lighthouse audits: the home page, a gallery example with an
# animation, and the playground.
LIGHTHOUSE_PAGES = (
    "",
    "generated/gallery/1_story/plot_03_convolution_step_by_step/",
    "playground/",
)
_IGNORE = shutil.ignore_patterns(
    ".venv",
    ".git",
    "site",
    "generated",
    "__pycache__",
    ".*_cache",
    ".hypothesis",
    "*.egg-info",
    "node_modules",
)
_KINDS = {
    ".html": "html",
    ".css": "css",
    ".js": "js",
    ".mjs": "js",
    ".png": "images",
    ".webp": "images",
    ".gif": "images",
    ".svg": "images",
    ".jpg": "images",
    ".jpeg": "images",
    ".ico": "images",
}


def verdict(ratio: float) -> str:
    """Say whether a ratio to a budget is within it."""
    return "meets" if ratio <= 1 else "MISSES"


# Build times ---------------------------------------------------------------


def mkdocs_build(root: Path, site: Path) -> tuple[float, str]:
    """Run ``mkdocs build --strict`` in `root`; return (seconds, log)."""
    status, log, seconds = run_mkdocs(root, site)
    if status != 0:
        sys.exit(f"mkdocs build failed:\n{log[-4000:]}")
    return seconds, log


def bench_builds(workdir: Path) -> Path:
    """Time a clean build and a no-op rebuild of a copy; return the site."""
    root = workdir / "convdemo"
    shutil.copytree(ROOT, root, ignore=_IGNORE)
    site = workdir / "site"
    clean, _ = mkdocs_build(root, site)
    noop, _ = mkdocs_build(root, site)
    print("\nbuild times (mkdocs build --strict, from a copy of the project)")
    for label, seconds, budget in (
        ("clean build", clean, CLEAN_BUDGET_S),
        ("rebuild, nothing changed", noop, NOOP_BUDGET_S),
    ):
        ratio = seconds / budget
        print(
            f"  {label:<26} {seconds:6.1f} s = {ratio:4.2f} of the {budget:g} s "
            f"budget ({verdict(ratio)})"
        )
    return site


# Page weights and load times -----------------------------------------------


@dataclass
class PageLoad:
    """What loading one page cost a first-time reader, and a returning one."""

    page: str
    transferred: dict[str, int] = field(default_factory=dict)
    requests: int = 0
    load_ms: float = 0.0
    repeat: int = 0

    @property
    def total(self) -> int:
        """Return the bytes transferred in all."""
        return sum(self.transferred.values())


_LOAD_MS_JS = """() => {
  const nav = performance.getEntriesByType('navigation')[0];
  return nav.loadEventEnd - nav.startTime;
}"""


def _kind(path: str) -> str:
    if not path or path.endswith("/"):
        return "html"
    return _KINDS.get(Path(path).suffix.lower(), "other")


def load_page(browser: Any, base: str, page_path: str, log: list[Served]) -> PageLoad:
    """Load one page as a first visit (and its lazy images); record its cost."""
    result = PageLoad(page_path or "(home)")
    context, recorder = first_visit(browser, base, page_path, log)
    try:
        result.load_ms = float(recorder.page.evaluate(_LOAD_MS_JS))
    finally:
        context.close()
    visit: Visit = recorder.visit
    result.requests = len(visit.transfers)
    for transfer in visit.transfers:
        kind = _kind(transfer.path)
        result.transferred[kind] = result.transferred.get(kind, 0) + transfer.sent
    result.repeat = repeat_visit(browser, base, page_path, log)
    return result


def repeat_visit(browser: Any, base: str, page_path: str, log: list[Served]) -> int:
    """Return the bytes a page costs a reader who has opened the home page first.

    The same browser context opens the home page, then this page (scrolled
    through): what the server sends for the second is what the cache could
    not save (``serve_site`` sends GitHub Pages' ``max-age=600``).
    """
    context = browser.new_context(**PHONE)
    try:
        recorder = Recorder(context.new_page(), base, log)
        for path in ("", page_path):
            log.clear()
            recorder.page.goto(base + path, wait_until="load")
            scroll_through(recorder.page)
            recorder.settle()
        return sum(served.sent for served in log)
    finally:
        context.close()


def bench_pages(site: Path) -> list[PageLoad]:
    """Load every page in Chromium on a phone screen, as first visits."""
    from playwright.sync_api import sync_playwright

    pages = page_paths(site)
    log: list[Served] = []
    prefix = site_prefix(site)
    with (
        serve(site, prefix=prefix, compress=True, log=log) as base,
        sync_playwright() as playwright,
    ):
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=[*CHROMIUM_ARGS, NO_OTHER_HOSTS]
        )
        # Warm the browser (first-run costs) before timing anything.
        load_page(browser, base, pages[0], log)
        loads = [load_page(browser, base, p, log) for p in pages]
        browser.close()
    return loads


def print_weights(loads: list[PageLoad]) -> None:
    """Print the per-page table, heaviest first."""
    print(
        "\npage weights: a first visit (fresh browser, nothing cached) on "
        "Lighthouse's phone,\nlazy images included, bytes sent (gzip); "
        "repeat = the same page after the home page; heaviest first"
    )
    kinds = ("html", "images", "js", "css", "other")
    header = "".join(f"{k:>9}" for k in ("total", *kinds, "repeat"))
    print(f"  {header} {'reqs':>5} {'load ms':>8}  page")
    for load in sorted(loads, key=lambda x: -x.total):
        cells = [load.total] + [load.transferred.get(k, 0) for k in kinds]
        row = "".join(f"{n / 1000:>8.0f}k" for n in [*cells, load.repeat])
        print(f"  {row} {load.requests:>5} {load.load_ms:>8.0f}  {load.page}")
    heaviest = max(loads, key=lambda x: x.total)
    most = max(loads, key=lambda x: x.requests)
    slowest = max(loads, key=lambda x: x.load_ms)
    ratio = heaviest.total / BUDGET_BYTES
    print(
        f"  heaviest page {heaviest.page}: {ratio:4.2f} of the "
        f"{BUDGET_BYTES / 1e6:g} MB budget ({verdict(ratio)})"
    )
    ratio = most.requests / BUDGET_REQUESTS
    print(
        f"  most requests {most.page}: {most.requests} = {ratio:4.2f} of the "
        f"{BUDGET_REQUESTS} request budget ({verdict(ratio)})"
    )
    print(f"  slowest load {slowest.page}: {slowest.load_ms:.0f} ms")


# Lighthouse ----------------------------------------------------------------


def lighthouse_cli() -> Path | None:
    """Return Lighthouse's CLI, installing it from npm into the cache if needed."""
    cache = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache"))
    prefix = cache / "convdemo" / f"lighthouse-{LIGHTHOUSE_VERSION}"
    cli = prefix / "node_modules" / "lighthouse" / "cli" / "index.js"
    if cli.is_file():
        return cli
    npm = shutil.which("npm")
    if npm is None:
        print("  npm not found: Lighthouse skipped")
        return None
    print(f"  installing lighthouse@{LIGHTHOUSE_VERSION} into {prefix}")
    prefix.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(
        [
            npm,
            "install",
            "--prefix",
            str(prefix),
            f"lighthouse@{LIGHTHOUSE_VERSION}",
            "--no-audit",
            "--no-fund",
            "--loglevel=error",
        ],
        check=False,
    )
    return cli if done.returncode == 0 and cli.is_file() else None


def run_lighthouse(cli: Path, url: str, out: Path) -> dict[str, Any]:
    """Audit `url` with the mobile preset; return the JSON report."""
    node = shutil.which("node") or "node"
    flags = " ".join(["--headless=new", *CHROMIUM_ARGS[1:]])
    subprocess.run(
        [
            node,
            str(cli),
            url,
            "--output=json",
            f"--output-path={out}",
            "--quiet",
            f"--chrome-flags={flags}",
        ],
        env={**os.environ, "CHROME_PATH": CHROMIUM},
        check=False,
    )
    if not out.is_file():
        return {}
    report: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    return report


# The metrics behind the performance score (Lighthouse 12 weighs them 10, 10,
# 25, 30 and 25 %), and how each is printed.
LIGHTHOUSE_METRICS = (
    ("first-contentful-paint", "FCP"),
    ("speed-index", "SI"),
    ("largest-contentful-paint", "LCP"),
    ("total-blocking-time", "TBT"),
    ("cumulative-layout-shift", "CLS"),
)
LIGHTHOUSE_CATEGORIES = ("performance", "accessibility", "best-practices", "seo")


def _lighthouse_row(report: dict[str, Any]) -> list[float]:
    """The four category scores (0-100) then the metric values of one report."""
    scores = [
        100 * (report["categories"][c]["score"] or 0) for c in LIGHTHOUSE_CATEGORIES
    ]
    metrics = [report["audits"][key]["numericValue"] for key, _ in LIGHTHOUSE_METRICS]
    return scores + metrics


def _metric_cell(short: str, value: float) -> str:
    """Format one metric in a 7-character cell: CLS bare, TBT in ms, else s."""
    if short == "CLS":
        return f"{value:>7.3f}"
    if short == "TBT":
        return f"{value:>5.0f}ms"
    return f"{value / 1000:>6.2f}s"


def bench_lighthouse(base: str, workdir: Path, runs: int) -> None:
    """Print Lighthouse's four scores for each audited page, median of `runs`.

    Lighthouse simulates a mid-range phone by multiplying the main-thread
    time it observes on this machine by 4, so a busy or slow host lowers
    the performance score; the host's CPU benchmark index is printed so runs
    can be compared. The runs of the pages are interleaved.
    """
    print(
        f"\nLighthouse {LIGHTHOUSE_VERSION}, mobile preset, median of {runs} "
        f"run(s) (target >= {LIGHTHOUSE_TARGET} each)"
    )
    cli = lighthouse_cli()
    if cli is None:
        return
    rows: dict[str, list[list[float]]] = {page: [] for page in LIGHTHOUSE_PAGES}
    below: dict[str, set[str]] = {page: set() for page in LIGHTHOUSE_PAGES}
    hosts: list[float] = []
    for run in range(runs):
        for index, page in enumerate(LIGHTHOUSE_PAGES):
            out = workdir / f"lighthouse-{index}-{run}.json"
            report = run_lighthouse(cli, base + page, out)
            if not report.get("categories"):
                print(f"  Lighthouse failed on {page or '(home)'}")
                continue
            rows[page].append(_lighthouse_row(report))
            below[page] |= {
                audit["id"]
                for audit in report["audits"].values()
                if audit.get("score") is not None
                and audit["score"] < 0.9
                and audit.get("scoreDisplayMode")
                in {"binary", "numeric", "metricSavings"}
            }
            if index_cpu := report.get("environment", {}).get("benchmarkIndex"):
                hosts.append(index_cpu)
    names = [c.replace("best-practices", "best pr.") for c in LIGHTHOUSE_CATEGORIES]
    metric_names = "".join(f"{short:>7}" for _, short in LIGHTHOUSE_METRICS)
    print("  " + "".join(f"{c:>14}" for c in names) + f"  {metric_names}  page")
    for page, page_rows in rows.items():
        if not page_rows:
            continue
        median = [statistics.median(column) for column in zip(*page_rows, strict=True)]
        scores = median[: len(LIGHTHOUSE_CATEGORIES)]
        metrics = median[len(LIGHTHOUSE_CATEGORIES) :]
        cells = "".join(f"{round(score):>14}" for score in scores)
        shown = "".join(
            _metric_cell(short, value)
            for value, (_, short) in zip(metrics, LIGHTHOUSE_METRICS, strict=True)
        )
        print(f"  {cells}  {shown}  {page or '(home)'}")
        performance = sorted(round(row[0]) for row in page_rows)
        print(f"      performance in each run: {performance}")
        if below[page]:
            print(f"      below 0.9 in some run: {', '.join(sorted(below[page]))}")
    if hosts:
        print(
            f"  host CPU benchmark index {min(hosts):.0f}-{max(hosts):.0f} "
            "(Lighthouse warns below 1000; its throttling calculator pairs the "
            "4x slowdown with an index of about 1500)"
        )


def main(argv: list[str] | None = None) -> int:
    """Run the benchmarks; always return 0."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--no-build", action="store_true", help="measure the existing site/ instead"
    )
    parser.add_argument(
        "--site-dir",
        type=Path,
        default=ROOT / "site",
        help="the built site that --no-build measures (default: site/)",
    )
    parser.add_argument(
        "--no-lighthouse", action="store_true", help="skip the Lighthouse audits"
    )
    parser.add_argument(
        "--lighthouse-runs",
        type=int,
        default=3,
        help="Lighthouse runs per page; the median is reported (default: 3)",
    )
    args = parser.parse_args(argv)
    if not Path(CHROMIUM).is_file():
        print(f"no Chromium at {CHROMIUM}: page loads and Lighthouse skipped")
    with tempfile.TemporaryDirectory(prefix="bench-site-") as tmp:
        workdir = Path(tmp)
        site = args.site_dir if args.no_build else bench_builds(workdir)
        if not site.is_dir():
            print(f"no site at {site}: run `make site` or drop --no-build")
            return 0
        if not Path(CHROMIUM).is_file():
            return 0
        print_weights(bench_pages(site))
        if not args.no_lighthouse:
            with serve(site, compress=True) as base:
                bench_lighthouse(base, workdir, max(1, args.lighthouse_runs))
    return 0


if __name__ == "__main__":
    sys.exit(main())
