"""Give every built page a Content-Security-Policy, as ``<meta http-equiv>``.

The site promises that nothing is loaded from another host and that the
playground's files never leave the browser. The policy makes the browser
enforce both: a page may load scripts, styles, images, fonts, workers and
data from its own origin only, and runs no inline script or style unless
this hook listed its SHA-256 hash. GitHub Pages cannot send headers, so the
policy is a ``<meta>`` element, inserted first thing in ``<head>`` (after
``<meta charset>``), before any script or style that it governs.

The policy of every page, with one hash per inline script of that page::

    default-src 'self';
    script-src 'self' 'sha256-...' ...;
    style-src 'self';
    img-src 'self' data:;
    worker-src 'self';
    object-src 'none';
    base-uri 'self';
    form-action 'none'

- ``default-src 'self'``: fonts, ``fetch`` (the search index, the
  playground's images and kernels), media and frames come from the site
  itself or not at all. No other host appears anywhere in the policy.
- ``script-src``: the site's own script files, plus exactly the inline
  scripts of the page, each by its hash: Material's start-up script (its
  base path differs per page, hence per-page hashes), the overrides'
  palette and ``js`` class scripts, and Material's ``#__palette`` one.
  No ``'unsafe-inline'``, no ``'unsafe-eval'``: an injected script or
  ``onclick=`` attribute does not run. Data blocks such as Material's
  ``<script type="application/json" id="__config">`` never execute and
  need no hash.
- ``style-src 'self'``: the stylesheets of the site. The pages have no
  ``<style>`` element and no ``style="..."`` attribute (the tests check the
  built HTML); scripts set styles through the CSSOM (``element.style``),
  which the policy does not restrict. An inline ``<style>`` would get its
  hash here, like a script.
- ``img-src 'self' data:``: Material's stylesheet draws its icons (admonition
  markers, the search and navigation arrows) as ``data:`` SVG images.
- ``worker-src 'self'``: the search worker and the playground's worker are
  files of the site. No ``blob:``: the playground decodes a reader's image
  from the ``File`` object itself (``createImageBitmap`` in its worker) and
  draws it on a canvas, without object URLs.
- ``object-src 'none'``, ``base-uri 'self'`` and ``form-action 'none'``: no
  plugins, no ``<base>`` pointing elsewhere, and no form submits anywhere
  (search and the palette toggle are scripted, not submitted).

``frame-ancestors``, ``report-uri`` and ``sandbox`` are ignored in a
``<meta>`` policy, so they are not used.

The hashes are computed here from the final HTML (``on_post_page`` for
Markdown pages, ``on_post_template`` for ``404.html``), after every other
hook and plugin changed the page: this hook runs last.
"""

from __future__ import annotations

import base64
import hashlib
import re
from html.parser import HTMLParser
from typing import Any

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

__all__ = [
    "POLICY_NAME",
    "InlineCode",
    "add_policy",
    "find_inline_code",
    "on_post_page",
    "on_post_template",
    "page_policy",
    "source_hash",
]

#: The ``http-equiv`` value of the policy's ``<meta>`` element.
POLICY_NAME = "Content-Security-Policy"

# Script types that a browser executes, so a policy governs their inline
# content: no type, an empty one, a JavaScript MIME type (HTML's list),
# modules, import maps and speculation rules.
_JAVASCRIPT_TYPES = frozenset(
    {
        "",
        "application/ecmascript",
        "application/javascript",
        "application/x-ecmascript",
        "application/x-javascript",
        "text/ecmascript",
        "text/javascript",
        "text/javascript1.0",
        "text/javascript1.1",
        "text/javascript1.2",
        "text/javascript1.3",
        "text/javascript1.4",
        "text/javascript1.5",
        "text/jscript",
        "text/livescript",
        "text/x-ecmascript",
        "text/x-javascript",
        "module",
        "importmap",
        "speculationrules",
    }
)

_HEAD = re.compile(r"<head\b[^>]*>", re.IGNORECASE)
_CHARSET = re.compile(r"\s*<meta\s+charset\s*=\s*[\"']?[\w-]+[\"']?\s*/?>", re.I)
_EXISTING = re.compile(
    r"<meta\b[^>]*http-equiv\s*=\s*[\"']?content-security-policy", re.IGNORECASE
)


def source_hash(text: str) -> str:
    """Return the CSP hash source of an inline script or style.

    Parameters
    ----------
    text : str
        The element's content exactly as it stands between its tags.

    Returns
    -------
    str
        ``'sha256-<base64 digest>'``, quotes included. Line breaks are first
        normalised as an HTML parser does (CR LF and CR become LF), so the
        hash is the one the browser computes.

    Examples
    --------
    >>> source_hash("alert(1)")
    "'sha256-bhHHL3z2vDgxUt0W3dWQOrprscmda2Y5pLsLg4GF+pI='"
    >>> source_hash("a\\r\\nb") == source_hash("a\\nb")
    True
    """
    normalised = text.replace("\r\n", "\n").replace("\r", "\n")
    digest = hashlib.sha256(normalised.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


class InlineCode:
    """The inline code of one page, as the browser's policy check sees it.

    Attributes
    ----------
    scripts : list of str
        The content of every ``<script>`` without ``src`` whose type the
        browser executes, in document order.
    styles : list of str
        The content of every ``<style>`` element.
    style_attributes : list of str
        The value of every ``style="..."`` attribute.
    handlers : list of str
        The names of event-handler attributes (``onclick`` ...) found.
    first_governed : int or None
        The offset in the page of the first ``<script>``, ``<style>`` or
        ``<link>`` start tag, the elements a policy must precede.
    """

    def __init__(self) -> None:
        self.scripts: list[str] = []
        self.styles: list[str] = []
        self.style_attributes: list[str] = []
        self.handlers: list[str] = []
        self.first_governed: int | None = None


class _Collector(HTMLParser):
    """Collect a page's inline scripts and styles with the standard parser."""

    def __init__(self, page: str) -> None:
        super().__init__(convert_charrefs=False)
        self.found = InlineCode()
        self._line_starts = [0] + [m.end() for m in re.finditer("\n", page)]
        self._open: str | None = None  # "script" or "style" being read
        self._chunks: list[str] = []

    def _offset(self) -> int:
        line, column = self.getpos()
        return self._line_starts[line - 1] + column

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        for name, value in attrs:
            if name == "style":
                self.found.style_attributes.append(value or "")
            elif name.startswith("on"):
                self.found.handlers.append(name)
        if tag in ("script", "style", "link") and self.found.first_governed is None:
            self.found.first_governed = self._offset()
        if tag == "style":
            self._open, self._chunks = "style", []
        elif tag == "script" and "src" not in values and _executes(values):
            self._open, self._chunks = "script", []

    def handle_data(self, data: str) -> None:
        if self._open is not None:
            self._chunks.append(data)

    def handle_endtag(self, tag: str) -> None:
        if self._open is not None and tag == self._open:
            target = self.found.scripts if tag == "script" else self.found.styles
            target.append("".join(self._chunks))
            self._open = None


def _executes(attributes: dict[str, str]) -> bool:
    """Tell whether a script element with these attributes runs (HTML's rule)."""
    if "type" in attributes:
        kind = attributes["type"]
    elif attributes.get("language"):
        kind = "text/" + attributes["language"]
    else:
        kind = ""
    return kind.strip().lower() in _JAVASCRIPT_TYPES


def find_inline_code(page: str) -> InlineCode:
    """Find the inline scripts, styles and style attributes of an HTML page.

    Parameters
    ----------
    page : str
        A whole HTML document.

    Returns
    -------
    InlineCode
        What the page runs or applies inline, as the browser parses it:
        scripts with a ``src``, JSON data blocks and markup inside comments
        are left out.

    Examples
    --------
    >>> code = find_inline_code(
    ...     '<head><script>go()</script><script type="application/json">{}'
    ...     '</script><!-- <script>no()</script> --></head>'
    ...     '<body><p style="color: red">x</p></body>'
    ... )
    >>> code.scripts, code.styles, code.style_attributes
    (['go()'], [], ['color: red'])
    """
    collector = _Collector(page)
    collector.feed(page)
    collector.close()
    return collector.found


def page_policy(code: InlineCode) -> str:
    """Return the policy for a page with this inline code.

    Parameters
    ----------
    code : InlineCode
        The page's inline code, from :func:`find_inline_code`.

    Returns
    -------
    str
        The directives, separated by ``"; "``. Each distinct inline script
        and style is allowed by its hash, in sorted order.

    Examples
    --------
    >>> code = find_inline_code("<script>alert(1)</script>")
    >>> page_policy(code).split("; ")[1]
    "script-src 'self' 'sha256-bhHHL3z2vDgxUt0W3dWQOrprscmda2Y5pLsLg4GF+pI='"
    >>> len(page_policy(code).split("; "))
    8
    """
    scripts = " ".join(sorted({source_hash(text) for text in code.scripts}))
    styles = " ".join(sorted({source_hash(text) for text in code.styles}))
    directives = [
        "default-src 'self'",
        f"script-src 'self' {scripts}".rstrip(),
        f"style-src 'self' {styles}".rstrip(),
        "img-src 'self' data:",
        "worker-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'none'",
    ]
    return "; ".join(directives)


def add_policy(page: str) -> str:
    """Insert the page's Content-Security-Policy ``<meta>`` into its head.

    Parameters
    ----------
    page : str
        A whole HTML document with a ``<head>``.

    Returns
    -------
    str
        The same document with ``<meta http-equiv="Content-Security-Policy"
        content="...">`` right after ``<head>`` and its ``<meta charset>``.

    Raises
    ------
    ValueError
        If the page has no ``<head>``, already declares a policy, or has a
        script, style or stylesheet before the place of the policy (it would
        escape it).

    Examples
    --------
    >>> out = add_policy('<html><head><meta charset="utf-8"><title>t</title>')
    >>> out.startswith('<html><head><meta charset="utf-8"><meta http-equiv=')
    True
    """
    if _EXISTING.search(page):
        raise ValueError("the page already has a Content-Security-Policy <meta>")
    head = _HEAD.search(page)
    if head is None:
        raise ValueError("the page has no <head> to put the policy in")
    at = head.end()
    charset = _CHARSET.match(page, at)
    if charset is not None:
        at = charset.end()
    code = find_inline_code(page)
    if code.first_governed is not None and code.first_governed < at:
        raise ValueError(
            "a <script>, <style> or <link> comes before <head>: the policy "
            "placed in <head> would not cover it"
        )
    meta = f'<meta http-equiv="{POLICY_NAME}" content="{page_policy(code)}">'
    return page[:at] + meta + page[at:]


def _with_policy(output: str, where: str) -> str:
    try:
        return add_policy(output)
    except ValueError as error:
        raise PluginError(f"csp hook: {where}: {error}") from error


@event_priority(-100)
def on_post_page(output: str, page: Any, config: Any) -> str:
    """Add the policy to a Markdown page, after every other hook changed it."""
    return _with_policy(output, page.file.src_uri)


@event_priority(-100)
def on_post_template(output_content: str, template_name: str, config: Any) -> str:
    """Add the policy to the theme's HTML pages of their own (``404.html``)."""
    if not template_name.endswith(".html"):
        return output_content
    return _with_policy(output_content, template_name)
