"""Build the site (optionally) and report its times and page weights.

Usage::

    python scripts/build_report.py --build      # mkdocs build --strict, then report
    python scripts/build_report.py              # report on an existing site/

The report lists the running time of every gallery example (from
mkdocs-gallery's ``mg_execution_times.md`` files, which keep the time of each
example's last run), the total build time when ``--build`` is given, and the
heaviest pages: the HTML plus everything a browser loads for it (stylesheets,
scripts, images at the largest ``srcset`` candidate, the search index and
worker, the favicon), as computed from
the files on disk. The exit status is 1 when the build fails or a page is over
the budget.
"""

from __future__ import annotations

import argparse
import json
import os
import posixpath
import re
import subprocess
import sys
import time
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

__all__ = [
    "BUDGET_BYTES",
    "BUDGET_REQUESTS",
    "PageWeight",
    "example_times",
    "main",
    "page_weight",
    "site_pages",
]

#: The most a page may weigh, HTML plus everything it loads.
BUDGET_BYTES = 1_500_000
#: The most requests a first visit to a page may make.
BUDGET_REQUESTS = 40

ROOT = Path(__file__).resolve().parents[1]

# Files every page of a Material site loads at start-up, besides its tags.
_SITE_WIDE = ("search/search_index.json",)
_CSS_URL = re.compile(r"url\(\s*['\"]?([^'\")]+)['\"]?\s*\)")
_STYLE_RELS = {"stylesheet", "icon", "preload", "modulepreload", "manifest"}


@dataclass
class PageWeight:
    """Bytes a page costs, by kind, and the files counted."""

    page: str
    html: int = 0
    images: int = 0
    css: int = 0
    js: int = 0
    other: int = 0
    files: set[str] = field(default_factory=set)
    missing: set[str] = field(default_factory=set)

    @property
    def total(self) -> int:
        """Return the total number of bytes."""
        return self.html + self.images + self.css + self.js + self.other


class _Loads(HTMLParser):
    """Collect the URLs a page makes the browser fetch."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.single: list[str] = []
        self.groups: list[list[str]] = []
        self.config: str = ""
        self._picture: list[str] | None = None
        self._in_config = False

    @staticmethod
    def _candidates(srcset: str) -> list[str]:
        return [part.split()[0] for part in srcset.split(",") if part.strip()]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "picture":
            self._picture = []
        elif tag == "source" and self._picture is not None:
            self._picture.extend(self._candidates(a.get("srcset", "")))
        elif tag == "img":
            found = [a["src"]] if a.get("src") else []
            found += self._candidates(a.get("srcset", ""))
            if self._picture is not None:
                self._picture.extend(found)
            elif found:
                self.groups.append(found)
        elif tag == "link" and set(a.get("rel", "").split()) & _STYLE_RELS:
            self.single.append(a.get("href", ""))
        elif tag in {"script", "iframe", "video", "audio", "embed"} and a.get("src"):
            self.single.append(a["src"])
        elif tag == "script" and a.get("id") == "__config":
            self._in_config = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "picture" and self._picture is not None:
            if self._picture:
                self.groups.append(self._picture)
            self._picture = None
        elif tag == "script":
            self._in_config = False

    def handle_data(self, data: str) -> None:
        if self._in_config:
            self.config += data


def site_pages(site: Path) -> list[Path]:
    """Return the site's HTML pages, sorted (the 404 page excluded).

    Parameters
    ----------
    site : Path
        The built site's folder.

    Returns
    -------
    list of Path
        Every ``*.html`` file except ``404.html`` at the top.
    """
    return sorted(p for p in site.rglob("*.html") if p != site / "404.html")


def _resolve(site: Path, base: Path, url: str) -> Path | None:
    """Return the file a relative URL found in `base` points to, or None."""
    parts = urlsplit(url)
    if parts.scheme or parts.netloc or not parts.path:
        return None
    rel = posixpath.normpath(
        posixpath.join(base.parent.relative_to(site).as_posix(), unquote(parts.path))
    )
    target = site / rel
    if target.is_dir() or url.endswith("/"):
        target = target / "index.html"
    return target


def page_weight(site: Path, page: Path) -> PageWeight:
    """Add up the bytes a browser loads for one page.

    Parameters
    ----------
    site : Path
        The built site's folder.
    page : Path
        One HTML file inside `site`.

    Returns
    -------
    PageWeight
        Bytes by kind; an image counts once, at its largest candidate (what a
        hi-dpi screen loads); a file loaded twice counts once. URLs that leave
        the site are ignored here (the tests forbid them).
    """
    text = page.read_text(encoding="utf-8")
    weight = PageWeight(page=page.relative_to(site).as_posix(), html=len(text.encode()))
    loads = _Loads()
    loads.feed(text)
    urls = [(u, page) for u in loads.single]
    if loads.config:
        worker = json.loads(loads.config).get("search")
        if worker:
            urls.append((worker, page))

    def add(path: Path, url: str) -> None:
        key = path.relative_to(site).as_posix() if path.is_relative_to(site) else url
        if key in weight.files:
            return
        if not path.is_file():
            weight.missing.add(key)
            return
        weight.files.add(key)
        size = path.stat().st_size
        suffix = path.suffix.lower()
        if suffix == ".css":
            weight.css += size
            for ref in _CSS_URL.findall(path.read_text(encoding="utf-8")):
                if not ref.startswith(("data:", "#")):
                    target = _resolve(site, path, ref)
                    if target is not None:
                        add(target, ref)
        elif suffix in {".js", ".mjs"}:
            weight.js += size
        elif suffix in {".png", ".webp", ".gif", ".jpg", ".jpeg", ".svg", ".ico"}:
            weight.images += size
        else:
            weight.other += size

    for url, base in urls:
        target = _resolve(site, base, url)
        if target is not None:
            add(target, url)
    for name in _SITE_WIDE:
        if (site / name).is_file():
            add(site / name, name)
    for group in loads.groups:
        targets = [t for t in (_resolve(site, page, u) for u in group) if t is not None]
        existing = [t for t in targets if t.is_file()]
        if existing:
            add(max(existing, key=lambda t: t.stat().st_size), "")
        else:
            weight.missing.update(t.relative_to(site).as_posix() for t in targets)
    return weight


_TIME_ROW = re.compile(
    r"^\|\s*\[(?P<name>[^\]]+)\]\([^)]*\)\s*\((?P<path>[^)]+)\)\s*\|\s*"
    r"(?P<min>\d+):(?P<sec>\d+(?:\.\d+)?)\s*\|"
)


def example_times(generated: Path) -> dict[str, float]:
    """Return each gallery example's last running time in seconds.

    Parameters
    ----------
    generated : Path
        mkdocs-gallery's output folder (``docs/generated/gallery``).

    Returns
    -------
    dict
        Script path (as mkdocs-gallery prints it) to seconds.
    """
    times: dict[str, float] = {}
    for table in sorted(generated.rglob("mg_execution_times.md")):
        for line in table.read_text(encoding="utf-8").splitlines():
            match = _TIME_ROW.match(line)
            if match:
                seconds = int(match["min"]) * 60 + float(match["sec"])
                times[match["path"].strip()] = seconds
    return times


def _kb(n: int) -> str:
    return f"{n / 1000:,.0f} kB"


def main(argv: list[str] | None = None) -> int:
    """Run the report; return the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--build", action="store_true", help="run mkdocs build --strict first"
    )
    parser.add_argument("--project", type=Path, default=ROOT, help="the project folder")
    parser.add_argument(
        "--site-dir", type=Path, help="the built site (default: PROJECT/site)"
    )
    parser.add_argument("--top", type=int, default=10, help="how many pages to list")
    args = parser.parse_args(argv)
    root = args.project.resolve()
    site = (args.site_dir or root / "site").resolve()

    status = 0
    if args.build:
        env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
        start = time.perf_counter()
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "mkdocs",
                "build",
                "--strict",
                "-d",
                str(site),
            ],
            cwd=root,
            env=env,
            check=False,
        )
        elapsed = time.perf_counter() - start
        print(
            f"\nbuild: {elapsed:.1f} s (mkdocs build --strict, exit {done.returncode})"
        )
        if done.returncode:
            return done.returncode

    times = example_times(root / "docs" / "generated" / "gallery")
    if times:
        print(f"\ngallery examples, last run ({sum(times.values()):.1f} s in all):")
        for path, seconds in sorted(times.items(), key=lambda kv: -kv[1]):
            print(f"  {seconds:6.2f} s  {path}")

    if not site.is_dir():
        print(f"no site at {site}: run with --build", file=sys.stderr)
        return 1
    weights = sorted(
        (page_weight(site, p) for p in site_pages(site)), key=lambda w: -w.total
    )
    print(f"\nheaviest pages of {len(weights)} (budget {_kb(BUDGET_BYTES)} each):")
    header = ("total", "html", "images", "css", "js")
    print("  " + " ".join(f"{h:>9}" for h in header) + f" {'files':>5}  page")
    for w in weights[: args.top]:
        print(
            "  "
            + " ".join(f"{_kb(n):>9}" for n in (w.total, w.html, w.images, w.css, w.js))
            + f" {len(w.files) + 1:>5}  {w.page}"
        )
    over = [w for w in weights if w.total > BUDGET_BYTES]
    for w in over:
        print(f"OVER BUDGET: {w.page} weighs {_kb(w.total)}", file=sys.stderr)
        status = 1
    return status


if __name__ == "__main__":
    sys.exit(main())
