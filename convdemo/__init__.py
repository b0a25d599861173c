"""Convolution, cross-correlation and pooling, computed exactly and drawn.

The computing modules (:mod:`convdemo.ops`, with :mod:`convdemo.pooling`,
:mod:`convdemo.images`, :mod:`convdemo.kernels`, :mod:`convdemo.analysis`,
:mod:`convdemo.learn`, :mod:`convdemo.frequency`, :mod:`convdemo.separable`,
:mod:`convdemo.linear`, :mod:`convdemo.backward`, :mod:`convdemo.cnn`) are
pure NumPy and are imported with the package, every name of their ``__all__``
with them. The drawing modules
(:mod:`convdemo.style`, :mod:`convdemo.draw`, :mod:`convdemo.animate`,
:mod:`convdemo.notebook`) import Matplotlib, so their names are loaded on
first use: ``import convdemo`` stays fast and needs no display.

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
import importlib.util
from pathlib import Path
from typing import TYPE_CHECKING, Any

from convdemo import (
    analysis,
    backward,
    cnn,
    frequency,
    images,
    kernels,
    learn,
    linear,
    ops,
    separable,
)

# Every public name of the computing modules (their `__all__`).
from convdemo.analysis import *  # noqa: F403
from convdemo.backward import *  # noqa: F403
from convdemo.cnn import *  # noqa: F403
from convdemo.frequency import *  # noqa: F403
from convdemo.images import *  # noqa: F403
from convdemo.kernels import *  # noqa: F403
from convdemo.learn import *  # noqa: F403
from convdemo.linear import *  # noqa: F403
from convdemo.ops import *  # noqa: F403
from convdemo.separable import *  # noqa: F403

if TYPE_CHECKING:
    # The Matplotlib-backed modules, whose names load on first access. Each
    # name is listed once, in its module's `__all__`: type checkers read this
    # block as imports, and `_lazy_names` reads the same `__all__` lists from
    # the modules' source, without importing Matplotlib.
    from convdemo.animate import *  # noqa: F403
    from convdemo.draw import *  # noqa: F403
    from convdemo.notebook import *  # noqa: F403
    from convdemo.style import (  # noqa: F401
        get_alt_text,
        get_figure_animation,
        get_figure_name,
        save_figure,
        set_alt_text,
        signed_norm,
    )

__version__ = "0.1.0"


def _lazy_names() -> dict[str, str]:
    """Map each name of this file's ``if TYPE_CHECKING:`` imports to its module.

    A star import stands for the module's ``__all__``, read from its source:
    the modules are not imported (that is the point of loading them lazily).
    """

    def tree(path: str) -> ast.Module:
        return ast.parse(Path(path).read_text(encoding="utf-8"))

    block = next(
        node
        for node in tree(__file__).body
        if isinstance(node, ast.If)
        and isinstance(node.test, ast.Name)
        and node.test.id == "TYPE_CHECKING"
    )
    names: dict[str, str] = {}
    for node in block.body:
        if not isinstance(node, ast.ImportFrom) or node.module is None:
            continue
        listed = [alias.name for alias in node.names]
        if listed == ["*"]:
            spec = importlib.util.find_spec(node.module)
            if spec is None or spec.origin is None:
                raise ImportError(f"convdemo: cannot find {node.module}")
            listed = next(
                ast.literal_eval(statement.value)
                for statement in tree(spec.origin).body
                if isinstance(statement, ast.Assign)
                and [getattr(t, "id", None) for t in statement.targets] == ["__all__"]
            )
        names.update(dict.fromkeys(listed, node.module))
    return names


_LAZY = _lazy_names()

__all__ = [
    "__version__",
    *analysis.__all__,
    *backward.__all__,
    *cnn.__all__,
    *frequency.__all__,
    *images.__all__,
    *kernels.__all__,
    *learn.__all__,
    *linear.__all__,
    *ops.__all__,
    *separable.__all__,
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
