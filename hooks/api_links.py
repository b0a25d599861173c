"""Link the gallery and the API reference, both ways.

- On an example page, each name of the code that the example takes from
  convdemo links to its entry in the reference: ``correlate2d`` in
  ``from convdemo.ops import correlate2d``, ``convdemo.pad(...)``, and a
  variable holding a convdemo object (``first = next(sliding_windows(...))``
  links to ``ConvolutionStep``), as sphinx-gallery sites do.
- In the reference, each entry (a ``::: identifier`` line of a page under
  ``docs/reference/``) ends with the examples that use it: the name itself,
  or for a class, any of its attributes.

Both come from the names mkdocs-gallery resolved in each example, with
``doc_module: [convdemo]``: the example's ``*_codeobj.pickle``, written next
to its page whenever the script runs, and kept when it is skipped as
unchanged. mkdocs-gallery's ``backreferences_dir`` files are not used: they
are written only for the scripts that ran in the current build, so after a
build that re-ran one script they would list that script alone.

An identifier is what a reference page renders: ``convdemo.NAME`` for the
names the package exports, ``convdemo.style.NAME`` for the style's own.
"""

from __future__ import annotations

import pickle
import posixpath
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from html import escape
from pathlib import Path, PurePosixPath
from typing import Any

__all__ = [
    "Example",
    "examples_block",
    "identifier_of",
    "insert_examples",
    "link_code",
    "on_files",
    "on_page_content",
    "on_page_markdown",
    "reference_entries",
]

#: Where the reference pages are, in ``docs/``.
REFERENCE = PurePosixPath("reference")
_DIRECTIVE = re.compile(r"^::: (?P<identifier>[\w.]+)[ \t]*$", re.M)
_PICKLE = "_codeobj.pickle"


@dataclass(frozen=True)
class Example:
    """A gallery example: its page (in ``docs/``), title and the names it uses."""

    page: str
    title: str
    # name as written in the code -> the reference identifier it resolves to
    links: Mapping[str, str]
    # every identifier the example uses, classes through their attributes too
    uses: frozenset[str]


# This build's reference entries (identifier -> page) and examples.
_entries: dict[str, str] = {}
_examples: list[Example] = []


def reference_entries(pages: Mapping[str, str]) -> dict[str, str]:
    """Map each identifier of the reference pages' ``:::`` lines to its page.

    Examples
    --------
    >>> reference_entries({"reference/pooling.md": "::: convdemo.pool2d\\n"})
    {'convdemo.pool2d': 'reference/pooling.md'}
    """
    found: dict[str, str] = {}
    for page, markdown in sorted(pages.items()):
        for match in _DIRECTIVE.finditer(markdown):
            found[match["identifier"]] = page
    return found


def identifier_of(
    resolved: Iterable[Mapping[str, Any]], entries: Iterable[str], *, exact: bool
) -> str | None:
    """Return the reference identifier of a name, from mkdocs-gallery's guesses.

    Parameters
    ----------
    resolved : iterable of dict
        mkdocs-gallery's candidates for one name of the code, best first,
        each with ``module``, ``module_short`` and ``name``.
    entries : iterable of str
        The identifiers the reference renders.
    exact : bool
        True: the candidate itself must be an entry (a link in the code).
        False: an attribute counts for its class (``convdemo.Kernel.values``
        for ``convdemo.Kernel``).

    Examples
    --------
    >>> guess = [{"module": "convdemo.ops", "module_short": "convdemo",
    ...           "name": "pad"}]
    >>> identifier_of(guess, {"convdemo.pad"}, exact=True)
    'convdemo.pad'
    >>> attribute = [{"module": "convdemo.kernels", "module_short": "convdemo",
    ...               "name": "Kernel.values"}]
    >>> identifier_of(attribute, {"convdemo.Kernel"}, exact=True) is None
    True
    >>> identifier_of(attribute, {"convdemo.Kernel"}, exact=False)
    'convdemo.Kernel'
    """
    known = set(entries)
    for guess in resolved:
        for module in (guess["module_short"], guess["module"]):
            candidate = f"{module}.{guess['name']}"
            while candidate.startswith("convdemo."):
                if candidate in known:
                    return candidate
                if exact:
                    break
                candidate = candidate.rpartition(".")[0]
    return None


def _title(markdown: str) -> str:
    match = re.search(r"^# (.+)$", markdown, re.M)
    return match.group(1).strip() if match else ""


def _read_examples(
    galleries: list[tuple[Path, Path]], docs: Path, entries: Iterable[str]
) -> list[Example]:
    """Read every example's names, for the scripts that still exist."""
    examples = []
    for source, generated in galleries:
        for found in sorted(generated.rglob(f"*{_PICKLE}")):
            stem = found.name[: -len(_PICKLE)]
            relative = found.parent.relative_to(generated) / stem
            page = generated / f"{relative}.md"
            if not (source / f"{relative}.py").is_file() or not page.is_file():
                continue  # a deleted script's leftovers, until `make clean`
            with found.open("rb") as stream:
                names: dict[str, list[dict[str, Any]]] = pickle.load(stream)
            links = {}
            uses = set()
            for written, resolved in names.items():
                exact = identifier_of(resolved, entries, exact=True)
                if exact is not None:
                    links[written] = exact
                used = identifier_of(resolved, entries, exact=False)
                if used is not None:
                    uses.add(used)
            examples.append(
                Example(
                    page=page.relative_to(docs).as_posix(),
                    title=_title(page.read_text(encoding="utf-8")),
                    links=links,
                    uses=frozenset(uses),
                )
            )
    return examples


def examples_block(identifier: str, examples: list[Example], page: str) -> str:
    """Return the Markdown that lists the examples using an entry.

    Parameters
    ----------
    identifier : str
        The entry, such as ``"convdemo.pad"``.
    examples : list of Example
        The examples that use it, in gallery order.
    page : str
        The reference page (in ``docs/``) the list goes on, for relative links.

    Examples
    --------
    >>> used = Example("generated/gallery/plot_02_x.md", "A title", {}, frozenset())
    >>> print(examples_block("convdemo.pad", [used], "reference/convolution.md"))
    <BLANKLINE>
    <div class="convdemo-examples" markdown>
    <p class="convdemo-examples__title">Examples using <code>pad</code></p>
    <BLANKLINE>
    - [A title](../generated/gallery/plot_02_x.md)
    <BLANKLINE>
    </div>
    <BLANKLINE>
    """
    short = identifier.rpartition(".")[2]
    base = posixpath.dirname(page)
    items = "".join(
        f"- [{_markdown_text(e.title)}]({posixpath.relpath(e.page, base)})\n"
        for e in examples
    )
    return (
        '\n<div class="convdemo-examples" markdown>\n'
        f'<p class="convdemo-examples__title">Examples using <code>{escape(short)}'
        f"</code></p>\n\n{items}\n</div>\n"
    )


def _markdown_text(text: str) -> str:
    return re.sub(r"([\\`*_\[\]<>])", r"\\\1", text)


def insert_examples(markdown: str, page: str, examples: list[Example]) -> str:
    """Add, after each ``::: identifier`` block of a page, the examples using it."""
    lines = markdown.split("\n")
    out: list[str] = []
    pending: str | None = None
    for line in lines:
        if pending is not None and line.strip() and not line.startswith((" ", "\t")):
            out.append(_block_for(pending, page, examples))
            pending = None
        out.append(line)
        match = _DIRECTIVE.match(line)
        if match:
            pending = match["identifier"]
    if pending is not None:
        out.append(_block_for(pending, page, examples))
    return "\n".join(out)


def _block_for(identifier: str, page: str, examples: list[Example]) -> str:
    using = [e for e in examples if identifier in e.uses]
    return examples_block(identifier, using, page) if using else ""


def _token_pattern(written: str) -> str:
    parts = written.split(".")
    spans = [f'<span class="n">{re.escape(part)}</span>' for part in parts]
    return '<span class="o">\\.</span>'.join(spans)


def link_code(html: str, links: Mapping[str, str]) -> str:
    """Wrap the highlighted names of `links` in the page's code blocks in links.

    Parameters
    ----------
    html : str
        The page's HTML, its code highlighted by Pygments.
    links : dict
        Name as written in the code -> the URL of its reference entry.

    Returns
    -------
    str
        The HTML with each such name, dotted or not, inside
        ``<a class="convdemo-api" href="...">``.

    Examples
    --------
    >>> code = ('<span class="n">convdemo</span><span class="o">.</span>'
    ...         '<span class="n">pad</span>')
    >>> link_code(code, {"convdemo.pad": "../ref/#convdemo.pad"}).startswith(
    ...     '<a class="convdemo-api" href="../ref/#convdemo.pad"')
    True
    """
    if not links:
        return html
    ordered = sorted(links, key=lambda name: (-len(name), name))
    pattern = re.compile(
        "|".join(f"(?P<n{i}>{_token_pattern(name)})" for i, name in enumerate(ordered))
    )

    def one(match: re.Match[str]) -> str:
        name = ordered[int(next(k for k, v in match.groupdict().items() if v)[1:])]
        url = escape(links[name], quote=True)
        title = escape(links[name].rpartition("#")[2], quote=True)
        return f'<a class="convdemo-api" href="{url}" title="{title}">{match[0]}</a>'

    return pattern.sub(one, html)


def on_files(files: Any, config: Any) -> Any:
    """Read the reference's entries and the examples' names (MkDocs hook)."""
    docs = Path(config["docs_dir"]).resolve()
    pages = {
        f.src_uri: f.content_string
        for f in files.documentation_pages()
        if PurePosixPath(f.src_uri).is_relative_to(REFERENCE)
    }
    _entries.clear()
    _entries.update(reference_entries(pages))
    gallery = config.plugins["gallery"].config
    galleries = [
        (Path(src).resolve(), Path(out).resolve())
        for src, out in zip(
            gallery["examples_dirs"], gallery["gallery_dirs"], strict=True
        )
    ]
    _examples[:] = _read_examples(galleries, docs, _entries)
    return files


def on_page_markdown(markdown: str, page: Any, **kwargs: Any) -> str:
    """List the examples under each entry of a reference page (MkDocs hook)."""
    if not PurePosixPath(page.file.src_uri).is_relative_to(REFERENCE):
        return markdown
    return insert_examples(markdown, page.file.src_uri, _examples)


def on_page_content(html: str, page: Any, config: Any, files: Any) -> str:
    """Link an example page's convdemo names to the reference (MkDocs hook)."""
    example = next((e for e in _examples if e.page == page.file.src_uri), None)
    if example is None:
        return html
    base = page.url if page.url.endswith("/") else posixpath.dirname(page.url)
    links = {}
    for written, identifier in example.links.items():
        target = files.get_file_from_path(_entries[identifier])
        url = posixpath.relpath(target.url, base or ".")
        links[written] = f"{url.rstrip('/')}/#{identifier}"
    return link_code(html, links)
