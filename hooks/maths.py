"""Turn the maths on every page into MathML while the site builds.

``pymdownx.arithmatex`` (``generic: true``) leaves ``$...$`` as
``<span class="arithmatex">\\(...\\)</span>`` and ``$$...$$`` as
``<div class="arithmatex">\\[...\\]</div>``, HTML-escaped. This hook
unescapes the TeX and replaces it with MathML from latex2mathml, which
browsers render natively (MathML Core): no JavaScript, no web font and no
CDN. A formula that latex2mathml cannot read fails the build and names the
page.
"""

from __future__ import annotations

import re
from html import unescape
from typing import Any

from latex2mathml.converter import convert
from mkdocs.exceptions import PluginError

__all__ = ["on_page_content", "tex_to_mathml"]

_INLINE = re.compile(r'<span class="arithmatex">\\\((.*?)\\\)</span>', re.DOTALL)
_BLOCK = re.compile(r'<div class="arithmatex">\\\[(.*?)\\\]</div>', re.DOTALL)
# An ampersand that does not start a character reference (latex2mathml
# writes `&` of alignment points literally).
_BARE_AMP = re.compile(r"&(?!#[0-9]+;|#x[0-9A-Fa-f]+;|[A-Za-z][A-Za-z0-9]*;)")


def tex_to_mathml(tex: str, *, display: bool = False) -> str:
    """Return the MathML for a TeX formula.

    Parameters
    ----------
    tex : str
        The formula, without ``$`` delimiters and not HTML-escaped.
    display : bool
        True for a display (block) formula.

    Returns
    -------
    str
        A ``<math>`` element; ``display="block"`` when `display` is true.
    """
    mathml = convert(tex.strip(), display="block" if display else "inline")
    return _BARE_AMP.sub("&amp;", mathml)


def _replace(pattern: re.Pattern[str], text: str, *, display: bool, where: str) -> str:
    def one(match: re.Match[str]) -> str:
        tex = unescape(match.group(1))
        try:
            mathml = tex_to_mathml(tex, display=display)
        except Exception as error:
            raise PluginError(
                f"maths: cannot convert {tex!r} on page {where!r}: {error}"
            ) from error
        tag = "div" if display else "span"
        return f'<{tag} class="arithmatex">{mathml}</{tag}>'

    return pattern.sub(one, text)


def on_page_content(html: str, page: Any, **kwargs: Any) -> str:
    """Replace arithmatex's TeX with MathML in the page's HTML."""
    where = page.file.src_uri
    html = _replace(_BLOCK, html, display=True, where=where)
    return _replace(_INLINE, html, display=False, where=where)
