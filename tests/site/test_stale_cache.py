"""What a rebuild re-runs: nothing, one script, or every script.

mkdocs-gallery skips a script whose text has not changed since its last run,
which keeps a rebuild fast but would publish stale figures after a change in
``convdemo/``. These tests rebuild a copy of the session's project, with the
gallery's output of the first build still in place, and check:

- a rebuild with nothing changed runs no script, rewrites nothing in the
  gallery's output and gives the same site;
- after an edit to one gallery script only that script runs, and only its
  files change in the site;
- after an edit to ``convdemo/`` every script runs, and the site comes out
  the same as the first build's.

Which scripts ran is read twice: from mkdocs-gallery's summary in the log
and from the ``.md5`` file it rewrites after running a script.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from .conftest import GALLERY_SCRIPTS, ROOT, Build, executed_examples, run_mkdocs

pytestmark = pytest.mark.site

GENERATED = Path("docs/generated")


@pytest.fixture(scope="module")
def project(build: Build, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Copy the session's built project, gallery output and cache included."""
    root = tmp_path_factory.mktemp("stale") / "convdemo"
    shutil.copytree(build.root, root, ignore=shutil.ignore_patterns("__pycache__"))
    return root


def _state(folder: Path) -> dict[str, tuple[int, bytes]]:
    """Map each file under `folder` to (modification time, bytes)."""
    return {
        p.relative_to(folder).as_posix(): (p.stat().st_mtime_ns, p.read_bytes())
        for p in folder.rglob("*")
        if p.is_file()
    }


def _checksums(project: Path) -> dict[str, int]:
    """Map each gallery script (by file name) to its .md5 file's mtime."""
    return {
        p.name.removesuffix(".md5"): p.stat().st_mtime_ns
        for p in (project / GENERATED).rglob("*.py.md5")
    }


def _rebuild(project: Path, site: Path) -> tuple[int, int]:
    """Build `project` into `site`; return (scripts run, scripts skipped)."""
    status, log, _ = run_mkdocs(project, site)
    assert status == 0, log[-4000:]
    return executed_examples(log)


def _changed_files(first: Path, second: Path) -> set[str]:
    """Return the site-relative paths that differ between two built sites."""
    a, b = _state(first), _state(second)
    return {
        name
        for name in a.keys() | b.keys()
        if name not in a or name not in b or a[name][1] != b[name][1]
    }


@contextmanager
def _appended(path: Path, text: str) -> Iterator[None]:
    """Append `text` to a file for the duration of the block."""
    original = path.read_bytes()
    path.write_bytes(original + text.encode())
    try:
        yield
    finally:
        path.write_bytes(original)


def test_no_op_rebuild_runs_nothing(
    build: Build, project: Path, tmp_path: Path
) -> None:
    """Nothing changed: no script runs, the output keeps its bytes, same site."""
    before, checksums = _state(project / GENERATED), _checksums(project)
    assert _rebuild(project, tmp_path / "site") == (0, len(GALLERY_SCRIPTS))
    after = _state(project / GENERATED)
    # mkdocs-gallery writes the thumbnails again, so only bytes are compared.
    assert (
        sorted(
            n
            for n in after.keys() | before.keys()
            if after.get(n, (0, b""))[1] != before.get(n, (0, b""))[1]
        )
        == []
    )
    assert _checksums(project) == checksums
    assert _changed_files(build.site, tmp_path / "site") == set()


def test_editing_one_script_reruns_only_it(
    build: Build, project: Path, tmp_path: Path
) -> None:
    """One edited script runs again; the other scripts and their pages stay."""
    script = project / GALLERY_SCRIPTS[-1].relative_to(ROOT)
    before = _checksums(project)
    with _appended(script, "\n# An edit that changes the script's checksum.\n"):
        ran = _rebuild(project, tmp_path / "site")
    after = _checksums(project)
    assert ran == (1, len(GALLERY_SCRIPTS) - 1)
    assert sorted(n for n in after if after[n] != before[n]) == [script.name]
    example = f"generated/gallery/{script.parent.name}/{script.stem}"
    changed = _changed_files(build.site, tmp_path / "site")
    assert f"{example}.py" in changed
    allowed = {
        f"{example}.py",
        f"{example}.ipynb",
        f"{example}/index.html",
        "search/search_index.json",
    }
    assert sorted(changed - allowed) == []


def test_editing_the_library_reruns_every_script(
    build: Build, project: Path, tmp_path: Path
) -> None:
    """A change in convdemo/ runs every script again, to the same output."""
    module = sorted((project / "convdemo").glob("*.py"))[0]
    before = _checksums(project)
    with _appended(module, "\n# An edit that changes the library's fingerprint.\n"):
        ran = _rebuild(project, tmp_path / "site")
    after = _checksums(project)
    assert ran == (len(GALLERY_SCRIPTS), 0)
    assert sorted(n for n in after if after[n] == before.get(n)) == []
    assert sorted(_changed_files(build.site, tmp_path / "site")) == []
