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

import importlib
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
from convdemo.backward import conv2d_backward, correlate2d_backward, pool2d_backward
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
from convdemo.linear import conv_matrix, conv_transpose2d, im2col
from convdemo.ops import (
    Step,
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
    from convdemo.animate import animate_correlation, animate_pooling, save_animation
    from convdemo.draw import (
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
    from convdemo.style import get_alt_text, save_figure, set_alt_text, signed_norm

__version__ = "0.1.0"

# Names that live in a Matplotlib-backed module, loaded on first access.
_LAZY = {
    "animate_correlation": "convdemo.animate",
    "animate_pooling": "convdemo.animate",
    "save_animation": "convdemo.animate",
    "draw_crop": "convdemo.draw",
    "draw_image": "convdemo.draw",
    "draw_matrix": "convdemo.draw",
    "format_step": "convdemo.draw",
    "show_arithmetic": "convdemo.draw",
    "show_filter": "convdemo.draw",
    "show_filters": "convdemo.draw",
    "show_legend": "convdemo.draw",
    "show_matrix": "convdemo.draw",
    "show_pooling": "convdemo.draw",
    "show_step": "convdemo.draw",
    "get_alt_text": "convdemo.style",
    "save_figure": "convdemo.style",
    "set_alt_text": "convdemo.style",
    "signed_norm": "convdemo.style",
}

__all__ = [
    "KERNELS",
    "Kernel",
    "LearningHistory",
    "ReceptiveField",
    "ShiftResult",
    "Step",
    "__version__",
    "animate_correlation",
    "animate_pooling",
    "binomial_kernel",
    "blur_pool",
    "conv2d",
    "conv2d_backward",
    "conv_matrix",
    "conv_parameters",
    "conv_transpose2d",
    "convolve2d",
    "correlate2d",
    "correlate2d_backward",
    "coverage",
    "draw_crop",
    "draw_image",
    "draw_matrix",
    "example_pairs",
    "format_step",
    "get_alt_text",
    "get_kernel",
    "global_pool",
    "grid_image",
    "im2col",
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
    "pool2d_backward",
    "pool_output_shape",
    "pool_windows",
    "receptive_field",
    "receptive_field_table",
    "relu",
    "sample_photo",
    "save_animation",
    "save_figure",
    "save_image",
    "set_alt_text",
    "shift_experiment",
    "show_arithmetic",
    "show_filter",
    "show_filters",
    "show_legend",
    "show_matrix",
    "show_pooling",
    "show_step",
    "signed_norm",
    "sliding_windows",
    "to_uint8",
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
