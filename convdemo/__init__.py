"""Convolution, cross-correlation and pooling, computed exactly and drawn.

The computing modules (:mod:`convdemo.ops`, with :mod:`convdemo.pooling`,
:mod:`convdemo.images`, :mod:`convdemo.kernels`, :mod:`convdemo.analysis`,
:mod:`convdemo.learn`) are pure NumPy and are imported with the package, every
name of their ``__all__`` with them. The drawing modules
(:mod:`convdemo.style`, :mod:`convdemo.draw`, :mod:`convdemo.animate`) import
Matplotlib, so their names are loaded on first use: ``import convdemo`` stays
fast and needs no display.

Examples
--------
>>> import numpy as np
>>> import convdemo
>>> image = np.arange(9).reshape(3, 3)
>>> convdemo.correlate2d(image, np.arange(4).reshape(2, 2))
array([[19., 25.],
       [37., 43.]])
"""

from __future__ import annotations

import ast
import importlib
from pathlib import Path
from typing import TYPE_CHECKING, Any

from convdemo import analysis, images, kernels, learn, ops

# Every public name of the computing modules (their `__all__`).
from convdemo.analysis import *  # noqa: F403
from convdemo.images import *  # noqa: F403
from convdemo.kernels import *  # noqa: F403
from convdemo.learn import *  # noqa: F403
from convdemo.ops import *  # noqa: F403

if TYPE_CHECKING:
    # The names of the Matplotlib-backed modules, loaded on first access.
    # This block is their only list: type checkers read it as imports, and
    # `_lazy_names` reads it to know where each name lives (`__all__` lists
    # them from there, which ruff does not see: hence the noqa).
    from convdemo.animate import (  # noqa: F401
        animate_correlation,
        animate_pooling,
        save_animation,
    )
    from convdemo.draw import (  # noqa: F401
        ImageArtists,
        MatrixArtists,
        draw_crop,
        draw_image,
        draw_matrix,
        format_step,
        show_arithmetic,
        show_filter,
        show_filters,
        show_legend,
        show_matrix,
        show_pooling,
        show_step,
    )
    from convdemo.style import (  # noqa: F401
        get_alt_text,
        save_figure,
        set_alt_text,
        signed_norm,
    )

__version__ = "0.1.0"


def _lazy_names() -> dict[str, str]:
    """Map each name imported in this file's ``if TYPE_CHECKING:`` block to
    its module, reading the block from the source (as Scientific Python's
    SPEC 1 lazy loader reads a stub)."""
    tree = ast.parse(Path(__file__).read_text(encoding="utf-8"))
    block = next(
        node
        for node in tree.body
        if isinstance(node, ast.If)
        and isinstance(node.test, ast.Name)
        and node.test.id == "TYPE_CHECKING"
    )
    return {
        alias.name: node.module
        for node in block.body
        if isinstance(node, ast.ImportFrom) and node.module is not None
        for alias in node.names
    }


_LAZY = _lazy_names()

__all__ = [
    "__version__",
    *analysis.__all__,
    *images.__all__,
    *kernels.__all__,
    *learn.__all__,
    *ops.__all__,
    *_LAZY,
]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'convdemo' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))
