"""Render the Markdown anchors of mkdocs-autorefs as targets, not as empty links.

Each page of the API reference declares its module's identifier with
mkdocs-autorefs' Markdown anchor, ``[](){#convdemo.ops}``, so that
``[convdemo.ops][]`` anywhere links to it. Python-Markdown renders that
syntax as an empty link to the page itself, ``<a href="" id="convdemo.ops"></a>``:
a link with no name for a screen reader (axe's ``link-name``, serious) and
an invisible stop for the keyboard. The anchor needs only its ``id``; this
hook drops the empty ``href``. autorefs has registered the anchor while the
Markdown was converted, so its links are unchanged.
"""

from __future__ import annotations

import re
from typing import Any

__all__ = ["on_page_content", "plain_anchors"]

# Python-Markdown's rendering of `[](){#id}` (attr_list adds the id after href).
_EMPTY_LINK = re.compile(r'<a href="" id="(?P<id>[^"]+)"></a>')


def plain_anchors(html: str) -> str:
    """Return `html` with each empty link to itself turned into a plain anchor.

    Parameters
    ----------
    html : str
        A page's content, as Python-Markdown renders it.

    Returns
    -------
    str
        The same HTML, with ``<a href="" id="X"></a>`` written ``<a id="X"></a>``.
        A link with text or with a real target is left alone.

    Examples
    --------
    >>> plain_anchors('<p><a href="" id="convdemo.ops"></a></p>')
    '<p><a id="convdemo.ops"></a></p>'
    >>> plain_anchors('<a href="" id="top">Top</a>')
    '<a href="" id="top">Top</a>'
    """
    return _EMPTY_LINK.sub(r'<a id="\g<id>"></a>', html)


def on_page_content(html: str, **kwargs: Any) -> str:
    """MkDocs hook: plain anchors on every page."""
    return plain_anchors(html)
