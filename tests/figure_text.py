"""Read the numbers and the arithmetic that figures write, back as numbers.

The figure tests compare what a figure says with what the library computed:
a cell's label, or a caption's sum of products. ``pyproject.toml`` puts
``tests/`` on the import path, so a test module imports these with
``from figure_text import ...``.
"""

from __future__ import annotations

import re
from typing import Any

__all__ = ["evaluate_caption", "label_number"]


def label_number(text: str) -> float:
    """Parse a label written with a true minus sign back into a float."""
    return float(text.replace("\N{MINUS SIGN}", "-"))


def evaluate_caption(expression: str) -> Any:
    """Evaluate a caption's arithmetic written with ×, − and parentheses."""
    python = expression.replace("×", "*").replace("\N{MINUS SIGN}", "-")
    python = python.replace("\n", " ")
    assert re.fullmatch(r"[0-9.+\-*/() ,maxin]*", python), python
    functions = {"max": lambda *v: max(v), "min": lambda *v: min(v)}
    return eval(python, {"__builtins__": {}}, functions)
