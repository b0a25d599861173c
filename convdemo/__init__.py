"""Convolution, cross-correlation and pooling, computed exactly and drawn.

The computing modules (:mod:`convdemo.ops`, :mod:`convdemo.images`,
:mod:`convdemo.kernels`, :mod:`convdemo.analysis`, :mod:`convdemo.learn`) are
pure NumPy and are imported with the package. The drawing modules
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

from convdemo.analysis import (
    ReceptiveField,
    ShiftResult,
    binomial_kernel,
    blur_pool,
    conv_parameters,
    coverage,
    receptive_field,
    receptive_field_table,
    shift_experiment,
)
from convdemo.images import (
    grid_image,
    isometric_image,
    load_image,
    sample_photo,
    save_image,
    to_uint8,
)
from convdemo.kernels import KERNELS, Kernel, get_kernel, kernel_names, parse_kernel
from convdemo.learn import (
    LearningHistory,
    example_pairs,
    learn_kernel,
    loss_and_gradient,
)
from convdemo.ops import (
    ConvolutionStep,
    PoolingStep,
    Step,
    clipped_view,
    conv2d,
    convolve2d,
    correlate2d,
    global_pool,
    output_shape,
    pad,
    padding_amounts,
    pool2d,
    pool_output_shape,
    pool_windows,
    relu,
    sliding_windows,
)

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
    "KERNELS",
    "ConvolutionStep",
    "Kernel",
    "LearningHistory",
    "PoolingStep",
    "ReceptiveField",
    "ShiftResult",
    "Step",
    "__version__",
    "binomial_kernel",
    "blur_pool",
    "clipped_view",
    "conv2d",
    "conv_parameters",
    "convolve2d",
    "correlate2d",
    "coverage",
    "example_pairs",
    "get_kernel",
    "global_pool",
    "grid_image",
    "isometric_image",
    "kernel_names",
    "learn_kernel",
    "load_image",
    "loss_and_gradient",
    "output_shape",
    "pad",
    "padding_amounts",
    "parse_kernel",
    "pool2d",
    "pool_output_shape",
    "pool_windows",
    "receptive_field",
    "receptive_field_table",
    "relu",
    "sample_photo",
    "save_image",
    "shift_experiment",
    "sliding_windows",
    "to_uint8",
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
