"""The gallery's downloads: notebooks that run anywhere, archives that reproduce.

- Every notebook starts with one cell, written here once from the
  repository's address (``[project.urls] Source`` in ``pyproject.toml``):
  it installs convdemo from there when the Python running the notebook
  lacks it (a fresh Jupyter or Colab), turns on the inline backend, then
  has the animations play in the notebook
  (:func:`convdemo.enable_notebook_animations`). In that order: selecting a
  backend (``%matplotlib inline``) makes IPython forget every way of
  showing a figure it was given, the animations' player included. The
  environment variable ``CONVDEMO_REQUIREMENT`` can name another source to
  install, a wheel file for instance (the tests install a wheel they build).
- mkdocs-gallery zips each gallery's scripts and notebooks for the
  "download all examples" buttons of its index, with each file's
  modification time and in the order the file system lists them. This hook
  writes every gallery's two archives again with the members sorted, a
  fixed time stamp and fixed permissions, so that the same sources give the
  same bytes.
"""

from __future__ import annotations

import tomllib
import zipfile
from pathlib import Path
from typing import Any

from mkdocs.plugins import event_priority

__all__ = [
    "ARCHIVES",
    "first_cell",
    "on_config",
    "on_pre_build",
    "repository_url",
    "reproducible_zip",
]

#: The archives of a gallery folder named NAME: NAME_python.zip, NAME_jupyter.zip.
ARCHIVES = ("_python.zip", "_jupyter.zip")
# 1980-01-01 00:00:00, the earliest time a zip file can store.
_EPOCH = (1980, 1, 1, 0, 0, 0)

_FIRST_CELL = """\
# Run this cell first. It installs convdemo when this Python lacks it (a fresh
# Jupyter or Colab), from its repository or from CONVDEMO_REQUIREMENT if that
# environment variable is set, then has the animations play in the notebook.
import importlib.util
import os
import subprocess
import sys

if importlib.util.find_spec("convdemo") is None:
    requirement = os.environ.get(
        "CONVDEMO_REQUIREMENT", "convdemo @ git+{repository}"
    )
    subprocess.run([sys.executable, "-m", "pip", "install", requirement], check=True)
    importlib.invalidate_caches()

%matplotlib inline
import convdemo

# After the backend: choosing one resets how figures are shown.
convdemo.enable_notebook_animations();"""


def repository_url(pyproject: Path) -> str:
    """Return the repository's address, ``[project.urls] Source`` of `pyproject`."""
    data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    url: str = data["project"]["urls"]["Source"]
    return url


def first_cell(repository: str) -> str:
    """Return the code of every notebook's first cell for a repository address.

    Examples
    --------
    >>> cell = first_cell("https://example.org/convdemo")
    >>> '"convdemo @ git+https://example.org/convdemo"' in cell
    True
    >>> lines = cell.splitlines()
    >>> lines.index("%matplotlib inline") < lines.index(lines[-1])
    True
    >>> lines[-1]
    'convdemo.enable_notebook_animations();'
    """
    return _FIRST_CELL.format(repository=repository)


def reproducible_zip(path: Path) -> None:
    """Write a zip archive again: sorted members, fixed time stamps and modes."""
    with zipfile.ZipFile(path) as archive:
        members = sorted((i.filename, archive.read(i)) for i in archive.infolist())
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members:
            info = zipfile.ZipInfo(name, date_time=_EPOCH)
            info.external_attr = 0o644 << 16
            info.create_system = 3  # Unix, whatever the machine
            archive.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED)


@event_priority(110)
def on_config(config: Any) -> None:
    """Before the gallery reads its options (and the cache hashes them)."""
    gallery = config.plugins.get("gallery")
    if gallery is None:
        return
    root = Path(config.config_file_path).resolve().parent
    cell = first_cell(repository_url(root / "pyproject.toml"))
    gallery.config["first_notebook_cell"] = cell


@event_priority(-50)
def on_pre_build(config: Any) -> None:
    """Once mkdocs-gallery wrote its archives: make them reproducible."""
    gallery = config.plugins.get("gallery")
    if gallery is None:
        return
    for folder in gallery.config["gallery_dirs"]:
        for suffix in ARCHIVES:
            path = Path(folder) / f"{Path(folder).name}{suffix}"
            if path.is_file():
                reproducible_zip(path)
