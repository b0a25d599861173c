"""Keep repeated code out of the search index, which every page downloads.

Material's search fetches ``search/search_index.json`` on every first visit,
so each kilobyte in it counts against every page's weight. Two kinds of
block repeat words that the index already holds elsewhere:

- the code and printed output of the gallery's examples: the functions they
  call have their own reference entries, and their prose stays indexed;
- the signatures of the API reference: each parameter is listed again, with
  its type and its description, in the table below the signature.

These blocks get ``data-search-exclude``, which Material's search plugin
skips when it indexes the page (``on_page_context``, after this hook). The
page itself is unchanged for a reader: the attribute is not styled.
"""

from __future__ import annotations

import re
from typing import Any

__all__ = ["exclude_from_search", "on_page_content"]

#: The opening tag of a gallery example's code or output block.
_EXAMPLE_BLOCK = re.compile(r'<div class="(?:mkd-glr-script-out-disp )?highlight">')
#: The opening tag of an API signature.
_SIGNATURE = re.compile(r'<div class="doc-signature highlight">')
#: The gallery's example pages (not its index pages).
_EXAMPLE_PAGE = re.compile(r"^generated/gallery/[^/]+/plot_[^/]+\.md$")


def exclude_from_search(html: str, src_uri: str) -> str:
    """Mark the blocks of one page that the search index leaves out.

    >>> block = '<div class="highlight"><pre>x = 1</pre></div>'
    >>> exclude_from_search(block, "generated/gallery/1_story/plot_01_legend.md")
    '<div class="highlight" data-search-exclude><pre>x = 1</pre></div>'
    >>> exclude_from_search(block, "story/convolution.md") == block
    True
    >>> signature = '<div class="doc-signature highlight"><pre>f(x)</pre></div>'
    >>> exclude_from_search(signature, "reference/convolution.md")
    '<div class="doc-signature highlight" data-search-exclude><pre>f(x)</pre></div>'
    """
    if _EXAMPLE_PAGE.match(src_uri):
        pattern = _EXAMPLE_BLOCK
    elif src_uri.startswith("reference/"):
        pattern = _SIGNATURE
    else:
        return html
    return pattern.sub(lambda m: m.group(0)[:-1] + " data-search-exclude>", html)


def on_page_content(html: str, page: Any, **kwargs: Any) -> str:
    """MkDocs event: mark the page's repeated code before the search indexes it."""
    return exclude_from_search(html, page.file.src_uri)
