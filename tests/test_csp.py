"""The Content-Security-Policy hook (hooks/csp.py), on small HTML documents.

The build-level checks (every built page) and the browser's verdict are in
``tests/site/test_csp.py``.
"""

from __future__ import annotations

import base64
import doctest
import hashlib
import re

import pytest
from project_files import load_hook

csp = load_hook("csp")

PAGE = """<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <title>t</title>
    <script>document.documentElement.className = "js"</script>
    <link rel="stylesheet" href="main.css">
    <script id="__config" type="application/json">{"base": "."}</script>
  </head>
  <body>
    <script src="bundle.js"></script>
    <script>var x = 1 < 2 && "</p>";</script>
  </body>
</html>
"""


def _policy(page: str) -> dict[str, list[str]]:
    """Return the directives of the policy <meta> in `page`."""
    metas = re.findall(
        r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">', page
    )
    assert len(metas) == 1
    directives: dict[str, list[str]] = {}
    for directive in metas[0].split("; "):
        name, *sources = directive.split(" ")
        directives[name] = sources
    return directives


def _sha256(text: str) -> str:
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def test_doctests_pass() -> None:
    """The examples in the hook's docstrings run and hold."""
    result = doctest.testmod(csp, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted >= 6
    assert result.failed == 0


def test_source_hash_is_base64_sha256_of_utf8() -> None:
    """A hash source is the base64 SHA-256 of the UTF-8 text, quoted."""
    text = 'document.title = "Faltung ⋆ Pooling"'
    assert csp.source_hash(text) == _sha256(text)


@pytest.mark.parametrize("newline", ["\r\n", "\r"])
def test_source_hash_normalises_line_breaks(newline: str) -> None:
    """CR LF and lone CR hash as LF, as the browser's parser sees them."""
    assert csp.source_hash(f"a(){newline}b()") == _sha256("a()\nb()")


def test_every_executed_inline_script_is_hashed() -> None:
    """Both inline scripts get their hash; the JSON block and src script do not."""
    scripts = _policy(csp.add_policy(PAGE))["script-src"]
    assert scripts == [
        "'self'",
        *sorted(
            [
                _sha256('document.documentElement.className = "js"'),
                _sha256('var x = 1 < 2 && "</p>";'),
            ]
        ),
    ]


@pytest.mark.parametrize(
    ("attributes", "runs"),
    [
        ("", True),
        (' type=""', True),
        (' type="text/javascript"', True),
        (' type=" Text/JavaScript "', True),
        (' type="module"', True),
        (' type="importmap"', True),
        (' language="javascript"', True),
        (' type="application/json"', False),
        (' type="application/ld+json"', False),
        (' type="text/x-template"', False),
    ],
)
def test_script_types_that_execute(attributes: str, runs: bool) -> None:
    """Only script types the browser executes are collected for hashing."""
    code = csp.find_inline_code(f"<script{attributes}>code()</script>")
    assert code.scripts == (["code()"] if runs else [])


def test_script_content_is_taken_verbatim() -> None:
    """Entities and markup inside a script are hashed as written, not decoded."""
    body = 'if (a &amp;&amp; b) { s = "<b>&lt;</b>"; }'
    assert csp.find_inline_code(f"<script>{body}</script>").scripts == [body]


def test_commented_out_markup_is_ignored() -> None:
    """A <script> inside an HTML comment does not run and is not hashed."""
    page = "<head><!-- <script>old()</script> --><script>new()</script></head>"
    assert csp.find_inline_code(page).scripts == ["new()"]


def test_inline_styles_are_hashed() -> None:
    """A <style> element gets its hash in style-src."""
    page = "<html><head><style>p { color: red }</style></head></html>"
    styles = _policy(csp.add_policy(page))["style-src"]
    assert styles == ["'self'", _sha256("p { color: red }")]


def test_identical_scripts_are_listed_once() -> None:
    """Two copies of one script give one hash source."""
    page = "<html><head><script>f()</script><script>f()</script></head></html>"
    assert _policy(csp.add_policy(page))["script-src"] == ["'self'", _sha256("f()")]


def test_style_attributes_and_handlers_are_reported() -> None:
    """style="" attributes and on* handlers are found (the policy blocks them)."""
    code = csp.find_inline_code(
        '<div style="--n: 3"><button onclick="go()">x</button></div>'
    )
    assert code.style_attributes == ["--n: 3"]
    assert code.handlers == ["onclick"]


def test_policy_directives() -> None:
    """The policy names only the site, data: images and hashes; nothing unsafe."""
    policy = _policy(csp.add_policy(PAGE))
    assert policy["default-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["img-src"] == ["'self'", "data:"]
    assert policy["worker-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert policy["form-action"] == ["'none'"]
    every_source = [source for sources in policy.values() for source in sources]
    assert all(
        source in ("'self'", "'none'", "data:") or source.startswith("'sha256-")
        for source in every_source
    )


def test_policy_goes_right_after_the_charset() -> None:
    """The <meta> follows <meta charset> and precedes every script and style."""
    out = csp.add_policy(PAGE)
    meta = out.index('<meta http-equiv="Content-Security-Policy"')
    assert out.index('<meta charset="utf-8">') < meta
    assert meta < min(out.index("<script"), out.index("<link"), out.index("<title"))


def test_policy_goes_right_after_head_without_charset() -> None:
    """Without <meta charset> the policy is the first child of <head>."""
    out = csp.add_policy('<html><head lang="en"><script>f()</script></head></html>')
    assert out.startswith(
        '<html><head lang="en"><meta http-equiv="Content-Security-Policy"'
    )


def test_nothing_else_changes() -> None:
    """Removing the inserted <meta> gives back the page byte for byte."""
    out = csp.add_policy(PAGE)
    assert re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", out) == (
        PAGE
    )


def test_policy_is_deterministic() -> None:
    """The same page always gets the same bytes (builds stay reproducible)."""
    assert csp.add_policy(PAGE) == csp.add_policy(PAGE)


def test_page_without_head_is_rejected() -> None:
    """A fragment without <head> has nowhere to put the policy: an error."""
    with pytest.raises(ValueError, match="no <head>"):
        csp.add_policy("<p>hello</p>")


def test_second_policy_is_rejected() -> None:
    """A page that declares its own policy is an error, not a silent merge."""
    page = csp.add_policy(PAGE)
    with pytest.raises(ValueError, match="already has a Content-Security-Policy"):
        csp.add_policy(page)


def test_script_before_head_is_rejected() -> None:
    """A script the policy would not cover (before <head>) is an error."""
    with pytest.raises(ValueError, match="before <head>"):
        csp.add_policy("<html><script>f()</script><head></head></html>")


def test_hook_names_the_page_on_error() -> None:
    """The MkDocs hook turns a bad page into a build error naming the page."""
    from mkdocs.exceptions import PluginError

    class _File:
        src_uri = "broken.md"

    class _Page:
        file = _File()

    with pytest.raises(PluginError, match=r"broken\.md"):
        csp.on_post_page("<p>no head</p>", page=_Page(), config={})


def test_hook_covers_html_templates_only() -> None:
    """404.html gets the policy; sitemap.xml is left as it is."""
    assert "Content-Security-Policy" in csp.on_post_template(
        PAGE, template_name="404.html", config={}
    )
    xml = '<?xml version="1.0"?><urlset></urlset>'
    assert csp.on_post_template(xml, template_name="sitemap.xml", config={}) == xml
