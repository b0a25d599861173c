"""Tidy what mkdocs-gallery generates and offers no option for.

- Each example page opens with a fixed "Click here to download the full
  example code"; the link text becomes "Download the full example code".
- mkdocs-gallery links all of its stylesheets from every page. Three style
  what this site never shows (Binder badges, pandas tables, HTML reprs);
  dropping them saves three requests per page.

Each gallery's README starts with a level-1 heading, the title of its index
page; the three galleries share no index (``hooks/gallery_index.py`` writes
the page that lists them), so mkdocs-gallery's menu needs no pruning.
"""

from __future__ import annotations

import re
from typing import Any

from mkdocs.plugins import event_priority

__all__ = ["UNUSED_CSS", "on_config", "on_page_markdown"]

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


@event_priority(-100)
def on_config(config: Any) -> Any:
    """Unlink mkdocs-gallery's unused stylesheets once its ``on_config`` added them."""
    config["extra_css"] = [c for c in config["extra_css"] if str(c) not in UNUSED_CSS]
    return config


def on_page_markdown(markdown: str, page: Any, **kwargs: Any) -> str:
    """Give the download link of the gallery's example pages a plain name."""
    if not page.file.src_uri.startswith("generated/gallery/"):
        return markdown
    link = "[Download the full example code](#download_links)"
    return _CLICK_HERE.sub(link, markdown)
