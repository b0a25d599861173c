"""Tidy what mkdocs-gallery generates: the menu, headings and link text.

- mkdocs-gallery rewrites ``nav`` in its ``on_pre_build``: the ``Gallery``
  entry becomes the index page, one section per sub-folder, and one section
  for the scripts at the top of ``gallery/``. There are none there, and the
  empty section would show in the menu as a second "Gallery" pointing to the
  home page. This hook runs after mkdocs-gallery and removes empty sections.
- The gallery index stacks each sub-folder's README under the main one, so
  it has several level-1 headings; the sub-folders' become level 2.
- Each example page opens with "Click here to download the full example
  code"; the link text becomes "Download the full example code".
- mkdocs-gallery links all of its stylesheets from every page. Three style
  what this site never shows (Binder badges, pandas tables, HTML reprs);
  dropping them saves three requests per page.
"""

from __future__ import annotations

import re
from typing import Any

from mkdocs.plugins import event_priority

__all__ = [
    "UNUSED_CSS",
    "on_config",
    "on_page_markdown",
    "on_pre_build",
    "tidy_markdown",
    "without_empty_sections",
]

_CLICK_HERE = re.compile(
    r"Click \[here\]\(#download_links\)\s+to download the full example code"
)
_H1 = re.compile(r"^# ", re.MULTILINE)

#: mkdocs-gallery's stylesheets for features the site does not use.
UNUSED_CSS = frozenset(
    {
        "sg_gallery-binder.css",
        "sg_gallery-dataframe.css",
        "sg_gallery-rendered-html.css",
    }
)


def without_empty_sections(nav: Any) -> Any:
    """Return a copy of a ``nav`` setting without sections that hold nothing.

    Parameters
    ----------
    nav : list, dict or str
        MkDocs' ``nav``: pages as strings or ``{title: path}``, sections as
        ``{title: [items]}``.

    Returns
    -------
    list, dict or str
        The same structure; an emptied section is dropped from its parent.
    """
    if isinstance(nav, list):
        kept = []
        for item in nav:
            pruned = without_empty_sections(item)
            if isinstance(pruned, dict) and any(v == [] for v in pruned.values()):
                continue
            kept.append(pruned)
        return kept
    if isinstance(nav, dict):
        return {title: without_empty_sections(value) for title, value in nav.items()}
    return nav


@event_priority(-100)
def on_config(config: Any) -> Any:
    """Unlink mkdocs-gallery's unused stylesheets once its ``on_config`` added them."""
    config["extra_css"] = [
        entry for entry in config["extra_css"] if str(entry) not in UNUSED_CSS
    ]
    return config


@event_priority(-100)
def on_pre_build(config: Any) -> None:
    """Prune the navigation once mkdocs-gallery has filled it in."""
    if config.get("nav"):
        config["nav"] = without_empty_sections(config["nav"])


def tidy_markdown(markdown: str, *, is_index: bool) -> str:
    """Return a generated gallery page's Markdown with the fixes above.

    Parameters
    ----------
    markdown : str
        The page's Markdown, as mkdocs-gallery wrote it.
    is_index : bool
        True for a gallery index page (several READMEs stacked).

    Returns
    -------
    str
        The Markdown with one level-1 heading on an index page and a
        download link that says what it does.
    """
    markdown = _CLICK_HERE.sub(
        "[Download the full example code](#download_links)", markdown
    )
    if is_index:
        first = _H1.search(markdown)
        if first is not None:
            head, tail = markdown[: first.end()], markdown[first.end() :]
            markdown = head + _H1.sub("## ", tail)
    return markdown


def on_page_markdown(markdown: str, page: Any, **kwargs: Any) -> str:
    """Apply :func:`tidy_markdown` to the pages mkdocs-gallery generated."""
    uri = page.file.src_uri
    if not uri.startswith("generated/gallery/"):
        return markdown
    return tidy_markdown(markdown, is_index=uri.endswith("index.md"))
