"""The playground's arithmetic, ``core.js``, against convdemo, without the site.

``docs/assets/playground/core.js`` is what the playground page and its worker
compute with. It is loaded here into a blank page in Chromium, with nothing
built, and its correlation, convolution (the kernel flipped), 2 × 2 pooling,
paddings, borders, strides and per-pixel arithmetic are compared with
``convdemo`` to 1e-9: on the grid with every registered kernel, and on
generated images and kernels of every shape. The playground's own tests
(``tests/site/test_playground.py``) then only check that its controls reach
this code.

Chromium is Debian's ``chromium`` package. Without it these tests skip
locally, loudly, and fail in CI (``CI=true``).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from project_files import ROOT

from convdemo.images import grid_image
from convdemo.kernels import KERNELS
from convdemo.ops import convolve2d, correlate2d, padding_amounts, sliding_windows

from .browser_tools import (
    PLAYGROUND_CASES,
    TOLERANCE,
    PlaygroundCase,
    assert_close,
    control_settings,
    expected_output,
    from_base64,
    script_page,
    to_base64,
)

pytestmark = pytest.mark.browser

CORE_JS = ROOT / "docs" / "assets" / "playground" / "core.js"
# What the playground offers: its controls' choices.
PADDINGS = ("valid", "same")
BORDERS = ("zeros", "reflect", "replicate", "wrap")
STRIDES = (1, 2)
POOLS = ("none", "max", "avg", "min")


# run() computes one image and kernel under a list of settings; the arrays
# travel as base64 (browser_tools.FLOAT64_BASE64_JS).
_HELPERS = """
window.coreTest = {
  run(image, h, w, kernel, kh, kw, settings) {
    const {decode, encode} = window.float64Base64;
    const pixels = decode(image);
    const weights = decode(kernel);
    return settings.map((opts) => {
      try {
        const out = window.ConvdemoCore.run(pixels, h, w, weights, kh, kw, opts).output;
        return {data: encode(out.data), shape: [out.height, out.width]};
      } catch (error) {
        return {error: String(error.message || error)};
      }
    });
  },
};
"""


def run_core(
    page: Any, image: np.ndarray, kernel: np.ndarray, settings: list[dict[str, Any]]
) -> list[np.ndarray | str]:
    """Compute in core.js under each setting; return outputs or the messages thrown."""
    results = page.evaluate(
        "(a) => window.coreTest.run(...a)",
        [to_base64(image), *image.shape, to_base64(kernel), *kernel.shape, settings],
    )
    return [
        str(r["error"]) if "error" in r else from_base64(r["data"]).reshape(r["shape"])
        for r in results
    ]


@pytest.fixture(scope="module")
def core() -> Iterator[Any]:
    """A blank page in Chromium with core.js loaded (``window.ConvdemoCore``)."""
    script = CORE_JS.read_text(encoding="utf-8")
    with script_page(script, _HELPERS, namespace="ConvdemoCore") as page:
        yield page


@pytest.mark.parametrize("case", PLAYGROUND_CASES, ids=PlaygroundCase.id)
def test_grid_output_matches_convdemo(core: Any, case: PlaygroundCase) -> None:
    """On the 300 × 300 grid, core.js computes what convdemo computes."""
    settings = case.settings()
    kernel = KERNELS[case.preset].values
    expected = expected_output(grid_image(), kernel, **settings)
    [actual] = run_core(core, grid_image(), kernel, [settings])
    assert_close(actual, expected)


@pytest.mark.parametrize("name", list(KERNELS))
def test_every_kernel_in_every_setting(core: Any, name: str) -> None:
    """Each registered kernel, under every padding, border, stride, flip and pooling."""
    image = np.random.default_rng(0).random((13, 11))
    kernel = KERNELS[name].values
    every = [
        control_settings(padding=padding, border=border, stride=s, flip=f, pool=pool)
        for padding, border, s, f, pool in itertools.product(
            PADDINGS, BORDERS, STRIDES, (False, True), POOLS
        )
    ]
    for settings, actual in zip(
        every, run_core(core, image, kernel, every), strict=True
    ):
        assert_close(actual, expected_output(image, kernel, **settings))


def _convdemo_or_none(
    image: np.ndarray, kernel: np.ndarray, settings: dict[str, Any]
) -> np.ndarray | None:
    """convdemo's output, or None when it refuses the input."""
    try:
        return expected_output(image, kernel, **settings)
    except ValueError:
        return None


@given(
    shape=st.tuples(st.integers(1, 12), st.integers(1, 12)),
    kernel_shape=st.tuples(st.integers(1, 5), st.integers(1, 5)),
    padding=st.sampled_from(PADDINGS),
    border=st.sampled_from(BORDERS),
    stride=st.sampled_from(STRIDES),
    flip=st.booleans(),
    pool=st.sampled_from(POOLS),
    seed=st.integers(0, 2**32 - 1),
)
def test_generated_shapes_match_convdemo(
    core: Any,
    shape: tuple[int, int],
    kernel_shape: tuple[int, int],
    padding: str,
    border: str,
    stride: int,
    flip: bool,
    pool: str,
    seed: int,
) -> None:
    """Any image and kernel shape: the same output, or both refuse the input."""
    rng = np.random.default_rng(seed)
    image = rng.normal(size=shape)
    kernel = rng.integers(-4, 5, size=kernel_shape) / rng.integers(1, 17)
    settings = control_settings(
        padding=padding, border=border, stride=stride, flip=flip, pool=pool
    )
    [actual] = run_core(core, image, kernel, [settings])
    expected = _convdemo_or_none(image, kernel, settings)
    if expected is None or expected.size == 0:
        assert isinstance(actual, str), "core.js computed what convdemo refuses"
    else:
        assert_close(actual, expected)


@pytest.mark.parametrize("padding", PADDINGS)
@pytest.mark.parametrize("kernel_shape", [(1, 1), (2, 3), (3, 3), (4, 2), (5, 5)])
def test_padding_amounts_match(
    core: Any, padding: str, kernel_shape: tuple[int, int]
) -> None:
    """core.js pads each side as ops.padding_amounts does (extra cell bottom/right)."""
    actual = core.evaluate(
        "([p, kh, kw]) => window.ConvdemoCore.paddingAmounts(p, kh, kw)",
        [padding, *kernel_shape],
    )
    expected = padding_amounts(padding, kernel_shape)
    assert [tuple(side) for side in actual] == [tuple(side) for side in expected]


@pytest.mark.parametrize("border", BORDERS)
def test_border_cells_match_convdemo(core: Any, border: str) -> None:
    """Each padded cell, far past the edge too, reads the cell convdemo reads."""
    image = np.arange(1.0, 6.0)[None, :]
    settings = control_settings(padding="same", border=border)
    for column in range(15):
        kernel = np.roll(np.eye(1, 15), column, axis=1)
        [actual] = run_core(core, image, kernel, [settings])
        assert_close(actual, expected_output(image, kernel, **settings))


_STEP = """([image, h, w, kernel, kh, kw, opts, i, j]) => {
  const s = window.ConvdemoCore.step(Float64Array.from(image), h, w,
    Float64Array.from(kernel), kh, kw, opts, i, j);
  return {window: Array.from(s.window), products: Array.from(s.products),
          valid: s.valid, value: s.value};
}"""


@pytest.mark.parametrize(
    ("padding", "border", "stride", "flip"),
    [
        ("same", "reflect", 2, True),
        ("same", "zeros", 1, False),
        ("valid", "zeros", 2, False),
        ("same", "wrap", 1, True),
    ],
)
def test_one_pixels_arithmetic_matches_sliding_windows(
    core: Any, padding: str, border: str, stride: int, flip: bool
) -> None:
    """The read-out's window, products, padding mask and sum are convdemo's steps."""
    image = np.arange(42.0).reshape(6, 7) / 7
    kernel = KERNELS["sobel_x"].values
    options = {"padding": padding, "border": border, "stride": stride}
    steps = list(sliding_windows(image, kernel, flip=flip, **options))
    out = (convolve2d if flip else correlate2d)(image, kernel, **options)
    assert len(steps) == out.size
    for (i, j), step in zip(np.ndindex(out.shape), steps, strict=True):
        found = core.evaluate(
            _STEP,
            [
                image.ravel().tolist(),
                *image.shape,
                kernel.ravel().tolist(),
                *kernel.shape,
                {**options, "flip": flip},
                i,
                j,
            ],
        )
        assert np.array_equal(np.reshape(found["window"], (3, 3)), step.window)
        assert np.array_equal(np.reshape(found["products"], (3, 3)), step.products)
        assert np.array_equal(np.reshape(found["valid"], (3, 3)), step.valid)
        assert abs(found["value"] - out[i, j]) <= TOLERANCE


def test_bad_border_is_refused_by_name(core: Any) -> None:
    """An unknown border throws an error naming `border` and the value."""
    settings = control_settings(padding="same", border="mirror")
    [message] = run_core(core, np.ones((4, 4)), np.ones((3, 3)), [settings])
    assert isinstance(message, str)
    assert "`border`" in message
    assert "'mirror'" in message
