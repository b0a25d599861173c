"""Re-run the gallery when the library changes, not only when a script does.

mkdocs-gallery skips a script whose text matches the ``.md5`` file it wrote
on the previous build, so a change in ``convdemo/`` alone would publish stale
figures. This hook fingerprints everything a figure depends on besides the
script (the library's files, the image scraper, the gallery's options in
``mkdocs.yml`` and the versions of the drawing stack) and stores it in
``docs/generated/.convdemo-hash``. When the fingerprint changes, it deletes
the gallery's ``.md5`` files so that every script runs again; when only a
script changes, the gallery re-runs that script alone, as usual.

It runs in ``on_config`` with the highest priority. mkdocs-gallery executes
the scripts later, in ``on_pre_build``, so the cache is cleared before any
script is considered.
"""

from __future__ import annotations

import hashlib
import logging
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from mkdocs.plugins import event_priority

__all__ = ["FINGERPRINT_FILE", "fingerprint", "invalidate_stale_gallery", "on_config"]

log = logging.getLogger("mkdocs.hooks.gallery_cache")

#: Where the fingerprint of the last build is kept (relative to the project).
FINGERPRINT_FILE = Path("docs/generated/.convdemo-hash")

# Files whose change alters the gallery's output without changing any script.
_LIBRARY_DIRS = ("convdemo",)
_EXTRA_FILES = ("hooks/gallery_scraper.py",)
_PACKAGES = ("numpy", "matplotlib", "pillow", "mkdocs-gallery")
# Gallery options that name places (absolute paths once validated): a moved
# checkout should not re-run everything for them.
_LOCATION_OPTIONS = {
    "examples_dirs",
    "gallery_dirs",
    "backreferences_dir",
    "conf_script",
    "default_thumb_file",
    "expected_failing_examples",
    "binder",
}


def fingerprint(root: Path, options: str = "") -> str:
    """Return a SHA-256 over the library, the scraper and the drawing stack.

    Parameters
    ----------
    root : Path
        The project folder (the one holding ``mkdocs.yml``).
    options : str
        A text form of the settings that change the gallery's output.

    Returns
    -------
    str
        A hex digest; equal digests mean the same inputs.
    """
    digest = hashlib.sha256()
    files: list[Path] = []
    for name in _LIBRARY_DIRS:
        files.extend(
            path
            for path in (root / name).rglob("*")
            if path.is_file()
            and "__pycache__" not in path.parts
            and path.suffix not in {".pyc", ".pyo"}
        )
    files.extend(root / name for name in _EXTRA_FILES if (root / name).is_file())
    for path in sorted(files):
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    digest.update(options.encode())
    digest.update(b"\0")
    for package in _PACKAGES:
        try:
            found = version(package)
        except PackageNotFoundError:
            found = "absent"
        digest.update(f"{package}=={found}\0".encode())
    return digest.hexdigest()


def invalidate_stale_gallery(
    root: Path, gallery_dirs: list[Path], options: str = ""
) -> int:
    """Delete the gallery's ``.md5`` files if the fingerprint changed.

    Parameters
    ----------
    root : Path
        The project folder.
    gallery_dirs : list of Path
        mkdocs-gallery's output folders (absolute, or relative to `root`).
    options : str
        A text form of the settings that change the gallery's output.

    Returns
    -------
    int
        How many ``.md5`` files were deleted (0 when nothing changed).
    """
    stored = root / FINGERPRINT_FILE
    current = fingerprint(root, options)
    previous = stored.read_text(encoding="utf-8").strip() if stored.is_file() else ""
    if previous == current:
        return 0
    removed = 0
    for folder in gallery_dirs:
        folder = folder if folder.is_absolute() else root / folder
        if folder.is_dir():
            for md5 in folder.rglob("*.md5"):
                md5.unlink()
                removed += 1
    stored.parent.mkdir(parents=True, exist_ok=True)
    stored.write_text(current + "\n", encoding="utf-8")
    if removed:
        log.info(
            "convdemo/ or the drawing stack changed: all %d gallery examples "
            "will run again",
            removed,
        )
    return removed


@event_priority(100)
def on_config(config: Any) -> None:
    """Clear the gallery's cache before mkdocs-gallery looks at it."""
    root = Path(config.config_file_path).resolve().parent
    gallery = config.plugins.get("gallery")
    if gallery is None:
        return
    dirs = gallery.config.get("gallery_dirs") or []
    if not isinstance(dirs, list | tuple):
        dirs = [dirs]
    options = repr(
        sorted(
            (key, value)
            for key, value in gallery.config.items()
            if key not in _LOCATION_OPTIONS
        )
    )
    invalidate_stale_gallery(root, [Path(d) for d in dirs], options)
