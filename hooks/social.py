"""Link previews: ``og:`` and ``twitter:`` tags, a card image and a favicon.

A link to any page, shared in a chat or a post, previews with the page's
title, a description and the card that :func:`convdemo._card.card_png`
draws at build time (1200 × 630 pixels). The favicon is drawn the same way
and replaces Material's. No network, no web font: Matplotlib's DejaVu Sans.

- ``on_config`` gives the template (``overrides/main.html``) the card's
  absolute address, built from ``site_url``, and its size and alt text.
- ``on_files`` adds the card and the favicon to the site.
- ``on_page_content`` gives each page without a ``description`` in its
  front matter the first paragraph of its text (shortened to about 200
  characters at a word), which becomes its ``<meta name="description">``
  and ``og:description``.
"""

from __future__ import annotations

import re
from html import unescape
from typing import Any

from convdemo._card import CARD_SIZE, card_png, favicon_png

__all__ = ["CARD", "FAVICON", "describe", "on_config", "on_files", "on_page_content"]

#: The card and the favicon in the site (``theme.favicon`` names the latter).
CARD = "assets/images/card.png"
FAVICON = "assets/images/favicon.png"
_PARAGRAPH = re.compile(r"<p\b[^>]*>(.*?)</p>", re.S)
_TAG = re.compile(r"<[^>]+>")
_LONGEST = 200


def _tagline(config: Any) -> str:
    """The first sentence of the site's description, for the card."""
    description = " ".join(str(config["site_description"]).split())
    return description.split(": ")[0].split(". ")[0].rstrip(".") + "."


def describe(html: str, limit: int = _LONGEST) -> str:
    """Return the first paragraph of a page's HTML as plain text, shortened.

    Paragraphs of fewer than 40 characters (a download link, a note) are
    skipped; without a longer one the result is empty.

    Examples
    --------
    >>> describe("<h1>T</h1><p>Short.</p><p>A <em>longer</em> first paragraph "
    ...          "that says what the page is about.</p>")
    'A longer first paragraph that says what the page is about.'
    >>> shortened = describe("<p>" + "word " * 100 + "</p>")
    >>> len(shortened) <= 200, shortened[-5:]
    (True, 'word…')
    """
    for match in _PARAGRAPH.finditer(html):
        text = " ".join(unescape(_TAG.sub("", match.group(1))).split())
        if len(text) < 40:
            continue
        if len(text) <= limit:
            return text
        return text[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:") + "…"
    return ""


def on_config(config: Any) -> Any:
    """Tell the template where the card is and what it shows."""
    width, height = CARD_SIZE
    site_url = config["site_url"] or ""
    config["extra"]["social_card"] = {
        "url": f"{site_url}{CARD}",
        "width": width,
        "height": height,
        "alt": f"{config['site_name']}: {_tagline(config)} An input, a kernel and "
        "the output of their correlation, with their numbers.",
    }
    return config


def on_files(files: Any, config: Any) -> Any:
    """Add the card and the favicon, drawn now, to the site."""
    from mkdocs.structure.files import File

    card = card_png(str(config["site_name"]), _tagline(config))
    files.append(File.generated(config, CARD, content=card))
    files.append(File.generated(config, FAVICON, content=favicon_png()))
    return files


def on_page_content(html: str, page: Any, **kwargs: Any) -> str:
    """Give the page a description from its first paragraph, unless it has one."""
    if not page.meta.get("description"):
        found = describe(html)
        if found:
            page.meta["description"] = found
    return html
