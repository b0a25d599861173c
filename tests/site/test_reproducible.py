"""The same sources give the same bytes: figures, pages, everything.

Two comparisons, with every gallery script running twice in the session:

- the figures: each script's standalone run (``conftest.standalone_runs``:
  plain Python, another process, another folder) writes its named figures
  through the build's writer; they must equal the build's byte for byte,
  with the same manifest entries. This is what a change in ``convdemo/``
  re-runs, so a figure that differs from run to run shows up here;
- the site: the session's build is compared with a rebuild of a copy in
  another folder (``conftest.rebuild``), in which one script ran again and
  every page, search index, sitemap, notebook and thumbnail was written
  again and every PNG compressed again. Only the edited script's download
  may differ (it has one more blank line), and its page only in the source
  line numbers of its last cell, so an absolute path leaking into the
  output shows up too, as do running times, random IDs, zip or PNG time
  stamps and the order of the search index.

Nothing else is excluded. If a file ever has to be, it goes into
``EXCLUDED`` below with the reason it cannot be made deterministic.
"""

from __future__ import annotations

import difflib
from dataclasses import replace
from pathlib import Path

import pytest
from project_files import ROOT

from convdemo.publish import read_manifest

from .conftest import (
    EDITED,
    FIGURES,
    GALLERY_SCRIPTS,
    Build,
    Standalone,
    without_line_ranges,
)

pytestmark = pytest.mark.site

# Site-relative path -> why the file cannot be made deterministic. Empty: the
# sitemap's dates come from SOURCE_DATE_EPOCH or the build day (the same for
# both builds), sitemap.xml.gz takes its gzip time stamp from the same date,
# the gallery hides running times, and the PNG and WebP writers store no
# time stamps.
EXCLUDED: dict[str, str] = {}

# The one file the edit changes on purpose: the script offered for download.
EDITED_DOWNLOAD = f"generated/gallery/{EDITED.parent.name}/{EDITED.name}"


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


def test_same_files(build: Build, rebuild: Build) -> None:
    """Both builds write the same set of files."""
    assert sorted(_files(build.site)) == sorted(_files(rebuild.site))


# The "download all examples" archive of scripts of the edited script's
# gallery holds the edited download too: it may differ, in that member only
# (checked below). Its archive of notebooks holds the same notebook.
EDITED_ARCHIVE = (
    f"generated/gallery/{EDITED.parent.name}/{EDITED.parent.name}_python.zip"
)


def test_same_bytes(build: Build, rebuild: Build) -> None:
    """Every file of the two builds is byte-identical, the edited download aside."""
    first, other = _files(build.site), _files(rebuild.site)
    assert first, "the build wrote no file"
    different = {
        name: _first_difference(path, other[name])
        for name, path in sorted(first.items())
        if name in other
        and without_line_ranges(path.read_bytes())
        != without_line_ranges(other[name].read_bytes())
    }
    assert sorted(different) == sorted([EDITED_DOWNLOAD, EDITED_ARCHIVE]), different


def test_archive_differs_in_the_edited_script_only(
    build: Build, rebuild: Build
) -> None:
    """The scripts' archive changes only in the edited script's member."""
    import zipfile

    # A gallery's archive holds its files by their names in its folder.
    member = EDITED.name
    with (
        zipfile.ZipFile(build.site / EDITED_ARCHIVE) as before,
        zipfile.ZipFile(rebuild.site / EDITED_ARCHIVE) as after,
    ):
        assert before.namelist() == after.namelist()
        changed = [n for n in before.namelist() if before.read(n) != after.read(n)]
        assert changed == [member]
        assert after.read(member) == (rebuild.site / EDITED_DOWNLOAD).read_bytes()
        assert [i.date_time for i in before.infolist()] == [
            i.date_time for i in after.infolist()
        ]


_SCRIPT_IDS = [s.relative_to(ROOT / "gallery").as_posix() for s in GALLERY_SCRIPTS]


@pytest.mark.parametrize("script", GALLERY_SCRIPTS, ids=_SCRIPT_IDS)
def test_standalone_figures_equal_the_builds(
    build: Build, script: Path, standalone_runs: dict[Path, Standalone]
) -> None:
    """Run on its own, the script writes the build's figures, byte for byte."""
    run = standalone_runs[script]
    assert run.done.result().returncode == 0
    alone = read_manifest(run.figures)
    built = {
        name: figure
        for name, figure in read_manifest(build.root / FIGURES).items()
        if figure.source == script.relative_to(ROOT).as_posix()
    }
    assert sorted(alone) == sorted(built)
    for name, figure in alone.items():
        assert replace(figure, source=built[name].source) == built[name]
        for file in figure.files:
            made, published = run.figures / file, build.root / FIGURES / file
            assert made.read_bytes() == published.read_bytes(), file


_TEXT_SUFFIXES = {".html", ".json", ".xml", ".ipynb", ".py", ".js", ".css", ".txt"}


def test_no_build_folder_in_the_output(build: Build, rebuild: Build) -> None:
    """No text file of the site names the folder it was built from or into."""
    leaks = []
    for done in (build, rebuild):
        needles = [str(done.site), str(done.root)]
        for path in done.site.rglob("*"):
            if path.suffix in _TEXT_SUFFIXES:
                text = path.read_text(encoding="utf-8", errors="replace")
                leaks += [
                    f"{path.relative_to(done.site)}: {n}" for n in needles if n in text
                ]
    assert leaks == []
