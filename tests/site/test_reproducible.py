"""Two clean builds of the site give the same bytes.

The session's build (conftest) is compared with a second clean build of a
fresh copy of the sources, made in another folder, so that an absolute path
leaking into the output shows up too. Whatever differs is a review showing
changes nobody made: running times, random animation IDs, zip or PNG time
stamps, the order of the search index.

Nothing is excluded: every file the build writes is compared. If a file ever
has to be excluded, it goes into ``EXCLUDED`` below with the reason it
cannot be made deterministic.
"""

from __future__ import annotations

import difflib
import shutil
from pathlib import Path

import pytest

from .conftest import IGNORE_PATTERNS, Build, run_mkdocs

pytestmark = pytest.mark.site

# Site-relative path -> why the file cannot be made deterministic. Empty: the
# sitemap's dates come from SOURCE_DATE_EPOCH or the build day (the same for
# both builds), sitemap.xml.gz takes its gzip time stamp from the same date,
# the gallery hides running times, and the PNG and WebP writers store no
# time stamps.
EXCLUDED: dict[str, str] = {}


@pytest.fixture(scope="module")
def second(build: Build, tmp_path_factory: pytest.TempPathFactory) -> Build:
    """Build the site once more, from a clean copy in another folder.

    The sources are those of the session's build (its copy, without the
    gallery's output), so that edits made to the working tree since then do
    not count as differences.
    """
    root = tmp_path_factory.mktemp("reproducible") / "convdemo"
    shutil.copytree(build.root, root, ignore=IGNORE_PATTERNS)
    assert root != build.root
    site = tmp_path_factory.mktemp("reproducible-site")
    status, log, seconds = run_mkdocs(root, site)
    if status != 0:
        pytest.fail(f"the second build failed (exit {status}):\n{log[-6000:]}")
    return Build(root=root, site=site, log=log, seconds=seconds)


def _files(site: Path) -> dict[str, Path]:
    return {
        p.relative_to(site).as_posix(): p
        for p in site.rglob("*")
        if p.is_file() and p.relative_to(site).as_posix() not in EXCLUDED
    }


def _first_difference(a: Path, b: Path) -> str:
    """Describe where two files first differ (a diff line for text)."""
    data_a, data_b = a.read_bytes(), b.read_bytes()
    try:
        lines_a = data_a.decode("utf-8").splitlines()
        lines_b = data_b.decode("utf-8").splitlines()
    except UnicodeDecodeError:
        offset = next(
            (i for i, (x, y) in enumerate(zip(data_a, data_b, strict=False)) if x != y),
            min(len(data_a), len(data_b)),
        )
        return f"binary, {len(data_a)} vs {len(data_b)} bytes, first at byte {offset}"
    diff = [
        line[:160]
        for line in difflib.unified_diff(lines_a, lines_b, lineterm="", n=0)
        if line.startswith(("-", "+")) and not line.startswith(("---", "+++"))
    ]
    return " | ".join(diff[:4])


def test_same_files(build: Build, second: Build) -> None:
    """Both builds write the same set of files."""
    assert sorted(_files(build.site)) == sorted(_files(second.site))


def test_same_bytes(build: Build, second: Build) -> None:
    """Every file of the two builds is byte-identical."""
    first, other = _files(build.site), _files(second.site)
    assert first, "the build wrote no file"
    different = {
        name: _first_difference(path, other[name])
        for name, path in sorted(first.items())
        if name in other and path.read_bytes() != other[name].read_bytes()
    }
    assert different == {}


_TEXT_SUFFIXES = {".html", ".json", ".xml", ".ipynb", ".py", ".js", ".css", ".txt"}


def test_no_build_folder_in_the_output(build: Build, second: Build) -> None:
    """No text file of the site names the folder it was built from or into."""
    leaks = []
    for done in (build, second):
        needles = [str(done.site), str(done.root)]
        for path in done.site.rglob("*"):
            if path.suffix in _TEXT_SUFFIXES:
                text = path.read_text(encoding="utf-8", errors="replace")
                leaks += [
                    f"{path.relative_to(done.site)}: {n}" for n in needles if n in text
                ]
    assert leaks == []
