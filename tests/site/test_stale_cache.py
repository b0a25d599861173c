"""What a rebuild re-runs: only the scripts that changed.

mkdocs-gallery skips a script whose text has not changed since its last run.
The rebuild (``conftest.rebuild``) builds a copy of the session's project,
gallery output included, after appending a blank line to one script:

- only that script runs, the others are skipped;
- mkdocs-gallery's checksum changes for that script alone;
- the gallery's output keeps its bytes, apart from that script's own
  records (its copy, checksum, running time, page source) and its
  gallery's archive of scripts, which holds the copy: the figures and the
  notebook it made again are the same, and so is the archive of notebooks.

A change in ``convdemo/`` must instead re-run every script: the fingerprint
that decides it is tested in ``tests/test_hooks.py``, and that every script
run again gives the same figures is what the standalone runs check in
``test_reproducible.py``.
"""

from __future__ import annotations

import pytest

from .conftest import (
    EDITED,
    GALLERY_SCRIPTS,
    Build,
    executed_examples,
    generated_files,
)

pytestmark = pytest.mark.site


def _checksums(files: dict[str, bytes]) -> dict[str, bytes]:
    """Map each gallery script (by file name) to its .md5 file's bytes."""
    return {
        name.rsplit("/", 1)[-1].removesuffix(".md5"): data
        for name, data in files.items()
        if name.endswith(".py.md5")
    }


def test_editing_one_script_reruns_only_it(rebuild: Build) -> None:
    """The edited script runs again; the others are skipped as unchanged."""
    assert executed_examples(rebuild.log) == (1, len(GALLERY_SCRIPTS) - 1)


def test_only_the_edited_scripts_checksum_changes(rebuild: Build) -> None:
    """mkdocs-gallery records a new checksum for the edited script alone."""
    before = _checksums(rebuild.generated_before)
    after = _checksums(generated_files(rebuild.root))
    assert sorted(before) == sorted(after) == sorted(s.name for s in GALLERY_SCRIPTS)
    assert sorted(n for n in after if after[n] != before[n]) == [EDITED.name]


def test_gallery_output_keeps_its_bytes(rebuild: Build) -> None:
    """Apart from the edited script's own records, nothing changes."""
    before, after = rebuild.generated_before, generated_files(rebuild.root)
    # The edited script's gallery (the galleries are gallery/NAME).
    folder = f"gallery/{EDITED.parent.name}"
    changed = sorted(
        name
        for name in before.keys() | after.keys()
        if before.get(name) != after.get(name)
        # Left out of the copy on purpose, so every PNG is compressed again.
        and not name.startswith(".png-cache/")
    )
    assert changed == [
        # The archive of the gallery's scripts holds the edited copy (below).
        # Its archive of notebooks does not change: mkdocs-gallery strips the
        # blank lines that end a cell, so the notebook is the same.
        f"{folder}/{EDITED.parent.name}_python.zip",
        # The running time of each script's last run (not published).
        f"{folder}/mg_execution_times.md",
        # The page's Markdown: the last cell ends one line later, on the blank
        # line (test_reproducible compares the pages built from it).
        f"{folder}/{EDITED.stem}.md",
        # The copy offered for download, with its one more line.
        f"{folder}/{EDITED.name}",
        f"{folder}/{EDITED.name}.md5",
        # The names the script uses, for cross-references (not published).
        f"{folder}/{EDITED.stem}_codeobj.pickle",
    ]
