"""Tidy what mkdocs-gallery generates and offers no option for.

- mkdocs-gallery rewrites ``nav`` in its ``on_pre_build``: the ``Gallery``
  entry becomes the index page, one section per sub-folder, and one section
  for the scripts at the top of ``gallery/``. There are none there, and the
  empty section would show in the menu as a second "Gallery" pointing to the
  home page. This hook runs after mkdocs-gallery and removes empty sections.
- Each example page opens with a fixed "Click here to download the full
  example code"; the link text becomes "Download the full example code".
- mkdocs-gallery links all of its stylesheets from every page. Three style
  what this site never shows (Binder badges, pandas tables, HTML reprs);
  dropping them saves three requests per page.

The gallery index needs no help for its headings: the sub-folders' READMEs
start at level 2 (mkdocs-gallery takes a title from any heading level).
"""

from __future__ import annotations

import re
from typing import Any

from mkdocs.plugins import event_priority

__all__ = ["UNUSED_CSS", "on_config", "on_page_markdown", "on_pre_build"]

_CLICK_HERE = re.compile(
    r"Click \[here\]\(#download_links\)\s+to download the full example code"
)

#: mkdocs-gallery's stylesheets for features the site does not use.
UNUSED_CSS = frozenset(
    {
        "sg_gallery-binder.css",
        "sg_gallery-dataframe.css",
        "sg_gallery-rendered-html.css",
    }
)


def without_empty_sections(nav: Any) -> Any:
    """Return a copy of MkDocs' ``nav`` without sections that hold nothing."""
    if isinstance(nav, dict):
        return {title: without_empty_sections(value) for title, value in nav.items()}
    if not isinstance(nav, list):
        return nav
    pruned = [without_empty_sections(item) for item in nav]
    return [i for i in pruned if not (isinstance(i, dict) and [] in i.values())]


@event_priority(-100)
def on_config(config: Any) -> Any:
    """Unlink mkdocs-gallery's unused stylesheets once its ``on_config`` added them."""
    config["extra_css"] = [c for c in config["extra_css"] if str(c) not in UNUSED_CSS]
    return config


@event_priority(-100)
def on_pre_build(config: Any) -> None:
    """Prune the navigation once mkdocs-gallery has filled it in."""
    if config.get("nav"):
        config["nav"] = without_empty_sections(config["nav"])


def on_page_markdown(markdown: str, page: Any, **kwargs: Any) -> str:
    """Give the download link of the gallery's example pages a plain name."""
    if not page.file.src_uri.startswith("generated/gallery/"):
        return markdown
    link = "[Download the full example code](#download_links)"
    return _CLICK_HERE.sub(link, markdown)
