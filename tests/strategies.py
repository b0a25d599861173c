"""Hypothesis strategies shared by the tests of the sliding computations.

Used by the tests of convdemo.ops, convdemo.linear, convdemo.backward,
convdemo.frequency and convdemo.separable.

``pyproject.toml`` puts ``tests/`` on the import path (``pythonpath``), so a
test module imports these with ``from strategies import ...``.
"""

from __future__ import annotations

import numpy as np
from hypothesis import assume
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from convdemo.ops import BORDERS, output_shape

pairs = st.tuples(st.integers(1, 3), st.integers(1, 3))
paddings = st.one_of(
    st.sampled_from(["valid", "same", "full"]),
    st.integers(0, 3),
    st.tuples(st.integers(0, 3), st.integers(0, 3)),
    st.tuples(
        st.tuples(st.integers(0, 4), st.integers(0, 4)),
        st.tuples(st.integers(0, 4), st.integers(0, 4)),
    ),
)
borders = st.sampled_from(BORDERS)
small_floats = st.floats(-9, 9, allow_subnormal=False)
window_options = st.fixed_dictionaries(
    {"padding": paddings, "border": borders, "stride": pairs, "dilation": pairs}
)
"""Padding, border, stride and dilation, as the sliding functions take them."""


def output_shape_of(
    image_shape: tuple[int, ...], kernel_shape: tuple[int, ...], options: dict
) -> tuple[int, int] | None:
    """Return the output shape under `options`, or None if the kernel does not fit."""
    try:
        return output_shape(
            (image_shape[0], image_shape[1]),
            (kernel_shape[0], kernel_shape[1]),
            padding=options["padding"],
            stride=options["stride"],
            dilation=options["dilation"],
        )
    except ValueError:
        return None


@st.composite
def fitting_shapes(
    draw: st.DrawFn, options: dict
) -> tuple[tuple[int, int], tuple[int, int], tuple[int, int]]:
    """Draw an image shape (up to 7 × 7) and a kernel shape (up to 3 × 3) that fit.

    Returns the two shapes and the output shape under `options`.
    """
    image = draw(st.tuples(st.integers(1, 7), st.integers(1, 7)))
    kernel = draw(st.tuples(st.integers(1, 3), st.integers(1, 3)))
    shape = output_shape_of(image, kernel, options)
    assume(shape is not None)
    return image, kernel, shape  # type: ignore[return-value]


def matrices(max_side: int) -> st.SearchStrategy[np.ndarray]:
    """Return a strategy for 2-D float64 arrays of small values."""
    shapes = hnp.array_shapes(min_dims=2, max_dims=2, max_side=max_side)
    return hnp.arrays(np.float64, shapes, elements=small_floats)


@st.composite
def correlations(
    draw: st.DrawFn,
    padding: st.SearchStrategy = paddings,
    border: st.SearchStrategy = borders,
) -> dict:
    """Draw an image, a kernel, options whose kernel fits, and an output gradient.

    Returns a dict with ``image``, ``kernel``, ``options`` (padding, border,
    stride, dilation) and ``grad``, an array of the output's shape.
    """
    image = draw(matrices(max_side=7))
    kernel = draw(matrices(max_side=3))
    options = {
        "padding": draw(padding),
        "border": draw(border),
        "stride": draw(pairs),
        "dilation": draw(pairs),
    }
    shape = output_shape_of(image.shape, kernel.shape, options)
    assume(shape is not None)
    grad = draw(hnp.arrays(np.float64, shape, elements=small_floats))
    return {"image": image, "kernel": kernel, "options": options, "grad": grad}
