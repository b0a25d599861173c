"""Read convdemo's docstrings as the API reference shows them (a Griffe extension).

The library's docstrings are numpydoc, written for ``help()`` and Sphinx
habits; mkdocstrings renders them as Markdown. Two habits need a word:

- Sphinx roles, ``:func:`correlate2d```, ``:class:`~matplotlib.axes.Axes```,
  ``:mod:`convdemo.style```: a role whose target is documented in the
  reference becomes a cross-reference that mkdocs-autorefs resolves to its
  entry, ``[`correlate2d`][convdemo.correlate2d]``; any other target becomes
  plain code (with ``~``, its last part only), so no role is ever printed.
- ``#:`` comments above a module-level constant, Sphinx's way of documenting
  it: they become the constant's docstring when it has none.

What "documented" means is :func:`reference_targets`: every name of
``convdemo.__all__`` as ``convdemo.NAME``, the public names of
``convdemo.style`` that the package does not re-export as
``convdemo.style.NAME``, and the modules with a page of their own
(:data:`MODULE_PAGES`), each of which declares its module's anchor.
"""

from __future__ import annotations

import importlib
import re
from functools import cache
from typing import Any

import griffe

__all__ = ["MODULE_PAGES", "ConvdemoDocstrings", "convert_roles", "reference_targets"]

#: Each module with a reference page, and that page (under ``docs/reference``).
MODULE_PAGES = {
    "convdemo": "index.md",
    "convdemo.ops": "convolution.md",
    "convdemo.pooling": "pooling.md",
    "convdemo.linear": "linear.md",
    "convdemo.backward": "gradients.md",
    "convdemo.images": "images.md",
    "convdemo.kernels": "kernels.md",
    "convdemo.analysis": "analysis.md",
    "convdemo.learn": "learning.md",
    "convdemo.cnn": "cnn.md",
    "convdemo.draw": "drawing.md",
    "convdemo.animate": "animation.md",
    "convdemo.notebook": "animation.md",
    "convdemo.style": "style.md",
}

_ROLE = re.compile(
    r":(?:py:)?(?:func|meth|class|mod|data|attr|obj|exc|const)"
    r":`(?P<tilde>~?)(?P<target>[\w.]+)(?:\(\))?`"
)
_COMMENT = re.compile(r"^\s*#:\s?(.*)$")


@cache
def reference_targets() -> frozenset[str]:
    """Return every identifier that has an entry in the API reference.

    Examples
    --------
    >>> "convdemo.correlate2d" in reference_targets()
    True
    >>> "convdemo.style.apply_style" in reference_targets()
    True
    """
    convdemo = importlib.import_module("convdemo")
    style = importlib.import_module("convdemo.style")
    names = {f"convdemo.{name}" for name in convdemo.__all__}
    names |= {
        f"convdemo.style.{name}"
        for name in style.__all__
        if name not in convdemo.__all__
    }
    return frozenset(names | set(MODULE_PAGES))


def _resolve(target: str, module: str) -> str | None:
    """Return the reference identifier a role's target names, or None.

    A dotted target outside convdemo has no entry. A short one is read in
    `module`. Either is documented under ``convdemo.NAME`` when the package
    exports that very object (``convdemo.ops.pool2d`` is ``convdemo.pool2d``).
    """
    targets = reference_targets()
    if target in targets:
        return target
    owner, _, name = target.rpartition(".")
    if owner and not owner.startswith("convdemo"):
        return None
    owner = owner or module
    if f"{owner}.{name}" in targets:
        return f"{owner}.{name}"
    public = f"convdemo.{name}"
    if public not in targets:
        return None
    try:
        found = getattr(importlib.import_module(owner), name)
    except (ImportError, AttributeError):
        # A sibling module's name, cited without its module.
        return public if owner == module else None
    return (
        public if found is getattr(importlib.import_module("convdemo"), name) else None
    )


def convert_roles(text: str, module: str = "convdemo") -> str:
    """Turn the Sphinx roles of a docstring into Markdown.

    Parameters
    ----------
    text : str
        A docstring.
    module : str
        The module the docstring belongs to: short targets are looked up there.

    Returns
    -------
    str
        `text` with each role replaced by a cross-reference to its reference
        entry, or by inline code when the target has none.

    Examples
    --------
    >>> convert_roles("See :func:`correlate2d`.", "convdemo.ops")
    'See [`correlate2d`][convdemo.correlate2d].'
    >>> convert_roles("An :class:`~matplotlib.axes.Axes`.")
    'An `Axes`.'
    """

    def one(match: re.Match[str]) -> str:
        target = match["target"]
        shown = target.rsplit(".", 1)[-1] if match["tilde"] else target
        identifier = _resolve(target, module)
        return f"[`{shown}`][{identifier}]" if identifier else f"`{shown}`"

    return _ROLE.sub(one, text)


def _module_of(obj: griffe.Object) -> str:
    current: Any = obj
    while not current.is_module:
        current = current.parent
    return str(current.path)


class ConvdemoDocstrings(griffe.Extension):
    """Convert roles and ``#:`` comments as Griffe loads convdemo."""

    def on_instance(self, *, obj: griffe.Object, **kwargs: Any) -> None:
        """Give a commented constant its docstring; rewrite every docstring's roles."""
        if obj.docstring is None and obj.is_attribute and obj.parent is not None:
            comment = self._comment_above(obj)
            if comment:
                obj.docstring = griffe.Docstring(comment, parent=obj)
        if obj.docstring is not None:
            obj.docstring.value = convert_roles(obj.docstring.value, _module_of(obj))

    @staticmethod
    def _comment_above(obj: griffe.Object) -> str:
        """Return the ``#:`` lines right above an attribute's assignment."""
        if obj.lineno is None or not obj.parent or not obj.parent.is_module:
            return ""
        lines = obj.parent.lines
        found: list[str] = []
        number = obj.lineno - 2  # 0-based index of the line above
        while number >= 0 and (match := _COMMENT.match(lines[number])):
            found.insert(0, match.group(1))
            number -= 1
        return "\n".join(found).strip()
