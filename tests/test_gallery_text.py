"""The gallery scripts' own text, as a reader's page gets it (no site build)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from project_files import ROOT

SCRIPTS = sorted(ROOT.glob("gallery/*/plot_*.py"))
# What a backslash sequence makes of LaTeX in a plain string: "\times" starts
# with a tab, "\frac" with a form feed, "\beta" with a backspace.
CONTROL = set("\t\a\b\v\f\r")


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_docstring_keeps_its_backslashes(script: Path) -> None:
    """A script's page text holds no control character: its LaTeX reached it."""
    tree = ast.parse(script.read_text(encoding="utf-8"))
    text = ast.get_docstring(tree, clean=False)
    assert text is not None
    assert CONTROL.isdisjoint(text), sorted(CONTROL & set(text))
