"""Re-run the gallery when the library changes, not only when a script does.

mkdocs-gallery skips a script whose text is unchanged since its last run, so
a change in ``convdemo/`` alone would publish stale figures. This hook hashes
what the figures depend on besides the scripts (the library, the gallery's
options, the drawing stack's versions). When the hash differs from the last
successful build's, kept in ``docs/generated/.convdemo-hash``, it turns on
the gallery's own ``run_stale_examples`` for this build: every script runs.
"""

from __future__ import annotations

import hashlib
import logging
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from mkdocs.plugins import event_priority

__all__ = ["FINGERPRINT_FILE", "fingerprint", "on_config", "on_post_build"]

log = logging.getLogger("mkdocs.hooks.gallery_cache")

#: Where the fingerprint of the last build is kept (relative to the project).
FINGERPRINT_FILE = Path("docs/generated/.convdemo-hash")

_PACKAGES = ("numpy", "matplotlib", "pillow", "mkdocs-gallery")
# Options that name places (absolute paths once validated; a moved checkout
# should not re-run everything for them), and the one this hook sets.
_IGNORED_OPTIONS = {
    "examples_dirs",
    "gallery_dirs",
    "backreferences_dir",
    "conf_script",
    "default_thumb_file",
    "expected_failing_examples",
    "binder",
    "run_stale_examples",
}
# The fingerprint to store after a successful build: (file, digest).
_pending: list[tuple[Path, str]] = []


def fingerprint(root: Path, options: str = "") -> str:
    """Return a SHA-256 over ``root/convdemo``, the `options` text and versions."""
    digest = hashlib.sha256()
    files = (root / "convdemo").rglob("*")
    for path in sorted(p for p in files if p.is_file() and p.suffix != ".pyc"):
        digest.update(f"{path.relative_to(root).as_posix()}\0".encode())
        digest.update(path.read_bytes() + b"\0")
    digest.update(f"{options}\0".encode())
    for package in _PACKAGES:
        try:
            found = version(package)
        except PackageNotFoundError:
            found = "absent"
        digest.update(f"{package}=={found}\0".encode())
    return digest.hexdigest()


@event_priority(100)
def on_config(config: Any) -> None:
    """Before mkdocs-gallery reads its options: re-run all if inputs changed."""
    gallery = config.plugins.get("gallery")
    if gallery is None:
        return
    root = Path(config.config_file_path).resolve().parent
    options = repr(
        sorted((k, v) for k, v in gallery.config.items() if k not in _IGNORED_OPTIONS)
    )
    stored, current = root / FINGERPRINT_FILE, fingerprint(root, options)
    previous = stored.read_text(encoding="utf-8").strip() if stored.is_file() else ""
    _pending[:] = [(stored, current)]
    if previous != current:
        gallery.config["run_stale_examples"] = True
        log.info("convdemo/ or the drawing stack changed: every example runs again")


def on_post_build(config: Any) -> None:
    """Store the fingerprint of the build that just succeeded."""
    for stored, current in _pending:
        stored.parent.mkdir(parents=True, exist_ok=True)
        stored.write_text(current + "\n", encoding="utf-8")
