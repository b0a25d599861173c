"""Hypothesis strategies shared by the tests of convdemo.linear and convdemo.backward.

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
    shape_options = {k: options[k] for k in ("padding", "stride", "dilation")}
    try:
        shape = output_shape(image.shape, kernel.shape, **shape_options)
    except ValueError:
        assume(False)
    grad = draw(hnp.arrays(np.float64, shape, elements=small_floats))
    return {"image": image, "kernel": kernel, "options": options, "grad": grad}
