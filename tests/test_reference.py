"""The API reference's sources and the hooks that link it with the gallery.

No build: the reference pages' Markdown, the Griffe extension that reads
the docstrings, and the pure functions of ``hooks/api_links.py``. The built
pages are checked in ``tests/site/test_reference_site.py``.
"""

from __future__ import annotations

import doctest
import re

import griffe
import pytest
from project_files import ROOT, load_hook

import convdemo
import convdemo.style

REFERENCE = ROOT / "docs" / "reference"
DIRECTIVE = re.compile(r"^::: ([\w.]+)\s*$", re.M)
links = load_hook("api_links")
roles = load_hook("griffe_docstrings")


def _directives() -> list[str]:
    return [
        name
        for page in sorted(REFERENCE.glob("*.md"))
        for name in DIRECTIVE.findall(page.read_text(encoding="utf-8"))
    ]


def test_every_public_name_has_one_entry() -> None:
    """Each name of convdemo.__all__ is rendered once, as convdemo.NAME."""
    listed = _directives()
    expected = [f"convdemo.{name}" for name in convdemo.__all__]
    missing = sorted(set(expected) - set(listed))
    assert missing == [], f"add `::: NAME` lines to docs/reference/: {missing}"
    twice = sorted({name for name in listed if listed.count(name) > 1})
    assert twice == []


def test_style_names_have_entries() -> None:
    """The style's own public names (used by the gallery) are documented too."""
    listed = set(_directives())
    own = {n for n in convdemo.style.__all__ if n not in convdemo.__all__}
    assert {f"convdemo.style.{name}" for name in own} <= listed


def test_entries_are_public_targets() -> None:
    """Every entry is a public name: the pages list only the public API."""
    assert set(_directives()) <= roles.reference_targets()


def test_module_pages_declare_their_anchor() -> None:
    """Each documented module's page exists and carries the module's anchor."""
    for module, page in roles.MODULE_PAGES.items():
        text = (REFERENCE / page).read_text(encoding="utf-8")
        assert f"[](){{#{module}}}" in text, (module, page)


def test_reference_pages_are_in_the_nav() -> None:
    """Every reference page is listed in mkdocs.yml."""
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    for page in REFERENCE.glob("*.md"):
        assert f"reference/{page.name}" in config, page.name


@pytest.mark.parametrize(
    ("text", "module", "expected"),
    [
        (
            ":func:`correlate2d`",
            "convdemo.ops",
            "[`correlate2d`][convdemo.correlate2d]",
        ),
        (
            ":func:`convdemo.pooling.pool2d`",
            "convdemo",
            "[`convdemo.pooling.pool2d`][convdemo.pool2d]",
        ),
        (
            ":mod:`convdemo.style`",
            "convdemo.draw",
            "[`convdemo.style`][convdemo.style]",
        ),
        (
            ":data:`convdemo.style.GRAY`",
            "convdemo",
            "[`convdemo.style.GRAY`][convdemo.style.GRAY]",
        ),
        (":class:`~matplotlib.axes.Axes`", "convdemo.draw", "`Axes`"),
        (":func:`format_value`", "convdemo._format", "`format_value`"),
        (":mod:`convdemo._validate`", "convdemo.ops", "`convdemo._validate`"),
        (":func:`numpy.pad`", "convdemo.ops", "`numpy.pad`"),
    ],
)
def test_roles_become_links_or_code(text: str, module: str, expected: str) -> None:
    """A role with a documented target links to it; any other becomes code."""
    assert roles.convert_roles(text, module) == expected


def test_comment_above_a_constant_becomes_its_docstring() -> None:
    """Sphinx's `#:` comments document a constant that has no docstring."""
    loader = griffe.GriffeLoader(
        extensions=griffe.load_extensions(roles.ConvdemoDocstrings),
        search_paths=[str(ROOT)],
    )
    images = loader.load("convdemo.images")
    docstring = images["MAX_PIXELS"].docstring
    assert docstring is not None
    assert "50 megapixels" in docstring.value
    assert ":func:" not in docstring.value
    assert "[`load_image`][convdemo.load_image]" in docstring.value


def test_reference_entries_reads_directives() -> None:
    """`::: identifier` lines map to their page; other lines do not."""
    pages = {
        "reference/a.md": "# A\n\n::: convdemo.pad\n    options: x\n\n:::bad\n",
        "reference/b.md": "::: convdemo.style.GRAY\n",
    }
    assert links.reference_entries(pages) == {
        "convdemo.pad": "reference/a.md",
        "convdemo.style.GRAY": "reference/b.md",
    }


def test_identifier_prefers_the_public_name() -> None:
    """mkdocs-gallery's guesses resolve to the entry the reference renders."""
    entries = {"convdemo.correlate2d", "convdemo.Kernel", "convdemo.style.GRAY"}
    function = [
        {"module": "builtins", "module_short": "builtins", "name": "function"},
        {"module": "convdemo.ops", "module_short": "convdemo", "name": "correlate2d"},
    ]
    assert links.identifier_of(function, entries, exact=True) == "convdemo.correlate2d"
    style = [
        {"module": "convdemo.style", "module_short": "convdemo.style", "name": "GRAY"}
    ]
    assert links.identifier_of(style, entries, exact=True) == "convdemo.style.GRAY"
    numpy = [{"module": "numpy", "module_short": "numpy", "name": "pad"}]
    assert links.identifier_of(numpy, entries, exact=False) is None


def test_examples_follow_each_entry() -> None:
    """Each directive block is followed by the examples using it, in order."""
    first = links.Example("g/1/plot_01.md", "First", {}, frozenset({"convdemo.pad"}))
    second = links.Example(
        "g/2/plot_02.md", "Second [x]", {}, frozenset({"convdemo.pad", "convdemo.relu"})
    )
    markdown = (
        "# P\n\n::: convdemo.pad\n    options:\n      a: 1\n\n::: convdemo.relu\n"
    )
    out = links.insert_examples(markdown, "reference/p.md", [first, second])
    pad = out.index("::: convdemo.pad")
    relu = out.index("::: convdemo.relu")
    block = out[pad:relu]
    assert "      a: 1" in block
    assert block.index("[First](../g/1/plot_01.md)") < block.index("Second \\[x\\]")
    assert out[relu:].count("<li>") == 0
    assert "Examples using <code>relu</code>" in out[relu:]
    assert "First" not in out[relu:]


def test_link_code_wraps_whole_names_only() -> None:
    """Dotted and plain names link; a longer name that contains one does not."""
    html = (
        '<span class="n">convdemo</span><span class="o">.</span>'
        '<span class="n">pad</span><span class="p">(</span>'
        '<span class="n">pad_width</span> <span class="n">pad</span>'
    )
    out = links.link_code(html, {"convdemo.pad": "r/#convdemo.pad", "pad": "r/#p"})
    assert out.count('<a class="convdemo-api"') == 2
    assert '<span class="n">pad_width</span>' in out
    assert out.startswith('<a class="convdemo-api" href="r/#convdemo.pad"')
    assert links.link_code(html, {}) == html


@pytest.mark.parametrize(
    "name", ["api_links", "griffe_docstrings", "notebooks", "social"]
)
def test_hook_doctests_pass(name: str) -> None:
    """The examples in the new hooks' docstrings run."""
    module = load_hook(name)
    failures, tried = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert tried > 0
    assert failures == 0
