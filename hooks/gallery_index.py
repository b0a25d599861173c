"""The gallery's entry page: one short section per gallery, at ``generated/gallery/``.

The examples form three mkdocs-gallery galleries (``examples_dirs`` in
``mkdocs.yml``: the story, going further, the tiny CNN), each with an index
page of its own thumbnails and archives, so that no index page loads the
thumbnail of every example on the site. Their folders sit side by side,
``gallery/NAME`` becoming ``docs/generated/gallery/NAME``; the page this hook
adds to the site is the index of the folder above them, the address the
single gallery had, so that links to ``generated/gallery/`` keep working.

The page is ``gallery/README.md``, then for each gallery, in the order of
``examples_dirs``: its title (the first heading of its README) linking to its
index, how many examples it holds, and its two "download all" archives. It
is built in memory on every build; nothing is written into ``docs/``.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mkdocs.exceptions import PluginError

# MkDocs puts hooks/ on the import path while it loads a hook.
from notebooks import ARCHIVES

__all__ = ["Gallery", "entry_page", "on_files", "read_galleries"]

_HEADING = re.compile(r"^#{1,6}\s+(?P<title>.+?)\s*#*\s*$", re.M)
# What each archive holds, in the order of ``ARCHIVES``.
_ARCHIVE_TEXT = ("scripts (.py)", "notebooks (.ipynb)")


@dataclass(frozen=True)
class Gallery:
    """One gallery as the entry page lists it."""

    #: Its output folder's name (``1_story``), also its archives' prefix.
    name: str
    #: The first heading of its README.
    title: str
    #: How many of its scripts mkdocs-gallery runs.
    examples: int


def _title(readme: Path) -> str:
    """Return the first heading of a gallery's README."""
    found = _HEADING.search(readme.read_text(encoding="utf-8"))
    if found is None:
        raise PluginError(f"gallery_index: {readme} has no heading to title it")
    return found["title"]


def _one_parent(folders: list[str], option: str) -> Path:
    """Return the one folder that holds every folder of a gallery option."""
    parents = {Path(folder).resolve().parent for folder in folders}
    if len(parents) != 1:
        found = ", ".join(sorted(str(p) for p in parents))
        raise PluginError(
            f"gallery_index: every folder of `{option}` must be in one folder, "
            f"got {found}"
        )
    return parents.pop()


def read_galleries(options: dict[str, Any]) -> list[Gallery]:
    """Return the galleries of mkdocs-gallery's `options`, in their order."""
    pattern = re.compile(options["filename_pattern"])
    galleries = []
    for source, output in zip(
        options["examples_dirs"], options["gallery_dirs"], strict=True
    ):
        scripts = sorted(Path(source).resolve().glob("*.py"))
        galleries.append(
            Gallery(
                name=Path(output).name,
                title=_title(Path(source) / "README.md"),
                examples=sum(bool(pattern.search(s.as_posix())) for s in scripts),
            )
        )
    return galleries


def entry_page(intro: str, galleries: list[Gallery], *, archives: bool) -> str:
    """Return the Markdown of the entry page: `intro`, then a section a gallery.

    Examples
    --------
    >>> page = entry_page("# Gallery\\n", [Gallery("1_story", "The story", 16)],
    ...                   archives=True)
    >>> print(page)  # doctest: +NORMALIZE_WHITESPACE
    # Gallery
    <BLANKLINE>
    ## [The story](1_story/index.md)
    <BLANKLINE>
    16 examples. Download them all:
    [scripts (.py)](1_story/1_story_python.zip),
    [notebooks (.ipynb)](1_story/1_story_jupyter.zip).
    """
    parts = [intro.rstrip() + "\n"]
    for gallery in galleries:
        index = posixpath.join(gallery.name, "index.md")
        parts.append(f"## [{gallery.title}]({index})\n")
        count = f"{gallery.examples} example{'s' * (gallery.examples != 1)}."
        if archives:
            links = ",\n".join(
                f"[{text}]({gallery.name}/{gallery.name}{suffix})"
                for text, suffix in zip(_ARCHIVE_TEXT, ARCHIVES, strict=True)
            )
            count += f" Download them all:\n{links}."
        parts.append(count + "\n")
    return "\n".join(parts)


def on_files(files: Any, config: Any) -> Any:
    """Add the entry page to the site, as the galleries' folder's index."""
    from mkdocs.structure.files import File

    options = config.plugins["gallery"].config
    sources = _one_parent(options["examples_dirs"], "examples_dirs")
    outputs = _one_parent(options["gallery_dirs"], "gallery_dirs")
    docs = Path(config["docs_dir"]).resolve()
    uri = (outputs / "index.md").relative_to(docs).as_posix()
    intro = (sources / "README.md").read_text(encoding="utf-8")
    page = entry_page(
        intro,
        read_galleries(options),
        archives=bool(options["download_all_examples"]),
    )
    # An index.md of the single gallery the site once had, left in docs/.
    stale = files.get_file_from_path(uri)
    if stale is not None:
        files.remove(stale)
    files.append(File.generated(config, uri, content=page))
    return files
