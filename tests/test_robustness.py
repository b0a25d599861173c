"""Hostile input: budgets before allocation, finite results, and a property test.

The rows of the robustness issue, one test each, then a Hypothesis test that
throws random shapes, dtypes, strides, dilations, paddings and borders at
every public computing function: each call returns the loop reference's
result or raises a ``ValueError``/``TypeError`` that names a parameter.
"""

from __future__ import annotations

import inspect
import math
import os
import re
import tracemalloc
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import strategies
from hostile import (
    write_bad_exif_jpeg,
    write_corrupt_tiff,
    write_png16,
    write_text_bomb_png,
    write_tiff16,
)
from hypothesis import event, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from numpy.testing import assert_allclose, assert_array_equal
from PIL import Image

from convdemo._reference import correlate2d_loop, pool2d_loop
from convdemo.animate import animate_correlation, animate_pooling, save_animation
from convdemo.backward import conv2d_backward, correlate2d_backward, pool2d_backward
from convdemo.draw import show_pooling
from convdemo.images import LUMA_THOUSANDTHS, load_image
from convdemo.kernels import parse_kernel
from convdemo.linear import conv_matrix, conv_transpose2d, im2col
from convdemo.ops import (
    MAX_VALUES,
    clipped_view,
    conv2d,
    convolve2d,
    correlate2d,
    global_pool,
    output_shape,
    pad,
    pool2d,
    pool_output_shape,
    pool_windows,
    relu,
    sliding_windows,
)

# Refusing must not allocate what was refused: a few MiB at most.
REFUSAL_BYTES = 4 << 20
# A 3000 × 3000 input that costs no memory (a read-only broadcast view).
LARGE = np.broadcast_to(1.0, (3000, 3000))


def refused_at_once(call: Callable[[], Any], name: str) -> str:
    """Assert that `call` raises a ValueError naming `name` without allocating.

    Returns the message. The peak of Python and NumPy allocations during the
    call (``tracemalloc``) must stay under a few MiB.
    """
    tracemalloc.start()
    try:
        with pytest.raises(ValueError, match=f"`{name}`") as caught:
            call()
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < REFUSAL_BYTES, f"allocated {peak:,} bytes before refusing"
    return str(caught.value)


# ---------------------------------------------------------------------------
# Budgets: sizes computed and refused before anything is allocated
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("padding", [9000, 10**6, 10**12])
def test_huge_padding_is_refused_naming_padding(padding) -> None:
    """correlate2d([[1.]], [[1.]], padding=9000 / 10**6 / 10**12) is refused."""
    message = refused_at_once(
        lambda: correlate2d([[1.0]], [[1.0]], padding=padding), "padding"
    )
    assert f"{MAX_VALUES:,}" in message


def test_full_padding_with_huge_dilation_is_refused_naming_dilation() -> None:
    """'full' padding grows with the dilation: the dilation is the cause."""
    refused_at_once(
        lambda: correlate2d(
            np.ones((300, 300)), np.ones((3, 3)), padding="full", dilation=20000
        ),
        "dilation",
    )


@pytest.mark.parametrize(
    ("call", "name"),
    [
        (lambda: convolve2d([[1.0]], [[1.0]], padding=10**5), "padding"),
        (lambda: pad([[1.0]], 10**5), "padding"),
        (lambda: pad([[1.0]], "same", kernel_shape=3, dilation=10**5), "dilation"),
        (lambda: sliding_windows([[1.0]], [[1.0]], padding=10**5), "padding"),
        (
            lambda: conv2d(np.ones((2, 2, 3)), np.ones((1, 1, 1, 3)), padding=10**4),
            "padding",
        ),
        (lambda: conv2d(LARGE, np.ones((10, 1, 1, 1))), "kernels"),
        (lambda: pool2d([[1.0]], 10**6, padding=5 * 10**5), "padding"),
        (lambda: pool_windows([[1.0]], 10**6, padding=5 * 10**5), "padding"),
        (lambda: im2col(LARGE, (5, 5)), "kernel_shape"),
        (lambda: im2col(np.ones((3, 3)), 3, padding=10**5), "padding"),
        (lambda: conv_matrix((3, 3), np.ones((3, 3)), padding=10**5), "padding"),
        (
            lambda: conv_transpose2d(np.ones((3, 3)), np.ones((3, 3)), stride=10**5),
            "stride",
        ),
        (
            lambda: conv_transpose2d(np.ones((3, 3)), np.ones((3, 3)), dilation=10**5),
            "dilation",
        ),
        (
            lambda: correlate2d_backward(
                np.ones((1, 1)), [[1.0]], [[1.0]], padding=10**5
            ),
            "padding",
        ),
        (
            lambda: conv2d_backward(
                np.ones((1, 1, 1)), np.ones((1, 1)), np.ones((1, 1, 1)), padding=10**5
            ),
            "padding",
        ),
        (
            lambda: pool2d_backward([[1.0]], [[1.0]], 10**6, padding=5 * 10**5),
            "padding",
        ),
    ],
)
def test_every_operation_checks_its_budget_first(call, name) -> None:
    """Padded inputs, outputs and matrices beyond MAX_VALUES are refused at once."""
    refused_at_once(call, name)


def test_budget_leaves_room_for_a_large_photo() -> None:
    """A 50-megapixel image with 'same' padding fits the budget."""
    assert MAX_VALUES >= 7072 * 7072  # 50 MP padded by a 3 × 3 kernel's border
    assert output_shape((7070, 7070), (3, 3), padding="same") == (7070, 7070)


# ---------------------------------------------------------------------------
# Finite inputs give the finite result, or an error naming the inputs
# ---------------------------------------------------------------------------


def test_average_of_huge_values_is_finite() -> None:
    """The average of 1e308s is 1e308, not inf (pool2d and global_pool)."""
    huge = np.full((4, 4), 1e308)
    assert_array_equal(pool2d(huge, mode="avg"), np.full((2, 2), 1e308))
    assert global_pool(huge) == 1e308
    assert_array_equal(global_pool(np.dstack([huge, -huge])), [1e308, -1e308])
    steps = pool_windows(huge, mode="avg")
    assert [step.value for step in steps] == [1e308] * 4


def test_lp_with_large_p_is_finite() -> None:
    """Lp pooling with p = 400 of four 10s is 10·4^(1/400) = 10.03, not inf."""
    expected = 10 * 4 ** (1 / 400)
    tens = np.full((2, 2), 10.0)
    assert pool2d(tens, mode="lp", p=400)[0, 0] == pytest.approx(expected, rel=1e-14)
    assert global_pool(tens, "lp", p=400) == pytest.approx(expected, rel=1e-14)
    assert next(pool_windows(tens, mode="lp", p=400)).value == pytest.approx(
        expected, rel=1e-14
    )


def test_lp_with_large_p_does_not_underflow() -> None:
    """Lp pooling with p = 400 of 0.001s is 0.001·4^(1/400), not 0."""
    small = np.full((2, 2), 1e-3)
    out = pool2d(small, mode="lp", p=400)
    assert out[0, 0] == pytest.approx(1e-3 * 4 ** (1 / 400), rel=1e-14)


def test_lp_with_tiny_p_is_refused_naming_p() -> None:
    """p = 0.001 makes the norm of four 1s 4^1000: no float64, the error names p."""
    for p in (1e-3, 1e-300):
        with pytest.raises(ValueError, match="`p`"):
            pool2d(np.ones((2, 2)), mode="lp", p=p)


def test_l2_pooling_is_the_plain_formula_bit_for_bit() -> None:
    """Scaling by powers of two changes no digit of an ordinary l2 pooling."""
    x = np.random.default_rng(0).standard_normal((6, 6)) * 7
    windows = x.reshape(3, 2, 3, 2).transpose(0, 2, 1, 3).reshape(3, 3, 4)
    plain = np.sqrt(
        ((windows[..., 0] ** 2 + windows[..., 1] ** 2) + windows[..., 2] ** 2)
        + windows[..., 3] ** 2
    )
    assert_array_equal(pool2d(x, mode="l2"), plain)


def test_overflowing_correlation_is_refused_naming_its_inputs() -> None:
    """1e308 × 10 has no float64 value: the error names `image` and `kernel`."""
    with pytest.raises(ValueError, match=r"`image`.*`kernel`.*overflows"):
        correlate2d([[1e308]], [[10.0]])
    with pytest.raises(ValueError, match="`kernels`"):
        conv2d(np.full((2, 2, 2), 1e308), np.full((1, 1, 1, 2), 1.0))
    with pytest.raises(ValueError, match="`kernel`"):
        list(sliding_windows([[1e308]], [[10.0]]))
    with pytest.raises(ValueError, match=r"`image`.*`kernel`"):
        conv_transpose2d([[1e308]], [[10.0]])
    with pytest.raises(ValueError, match="`grad_output`"):
        correlate2d_backward([[1e308]], [[10.0]], [[1.0]])
    with pytest.raises(ValueError, match="`kernel`"):
        conv_matrix((1, 3), [[1e308, 1e308, 1e308]], padding="same", border="replicate")


def test_cancelling_products_give_the_exact_result() -> None:
    """10·1e308 − 10·1e308 = 0: the products overflow, the sum does not."""
    image = np.array([[1e308, 1e308, 1e308]])
    assert_array_equal(correlate2d(image, [[10.0, -10.0]]), [[0.0, 0.0]])
    assert_array_equal(convolve2d(image, [[10.0, -10.0]]), [[0.0, 0.0]])
    layer = conv2d(image[..., np.newaxis], np.array([[[[10.0], [-10.0]]]]))
    assert_array_equal(layer[..., 0], [[0.0, 0.0]])
    sum_first = np.array([[1e308, 1e308, -1e308]])  # 1e308 + 1e308 − 1e308
    assert_array_equal(correlate2d(sum_first, [[1.0, 1.0, 1.0]]), [[1e308]])


def test_clipped_view_of_huge_kernel_divides_exactly() -> None:
    """A kernel summing beyond float64 still divides: 1e308 / (2·1e308) = 0.5."""
    assert_array_equal(clipped_view([[1e308]], [[1e308, 1e308]]), [[0.5]])


def test_masked_arrays_are_refused() -> None:
    """A masked cell would be read as its hidden value: refused, naming `image`."""
    masked = np.ma.masked_array([[1.0, 2.0]], mask=[[False, True]])
    with pytest.raises(ValueError, match="`image` must not have masked cells"):
        correlate2d(masked, [[1.0]])
    with pytest.raises(ValueError, match="`kernel`"):
        correlate2d([[1.0, 2.0]], np.ma.masked_array([[1.0]], mask=[[True]]))
    unmasked = np.ma.masked_array([[1.0, 2.0]], mask=False)
    assert_array_equal(correlate2d(unmasked, [[2.0]]), [[2.0, 4.0]])


def test_long_double_beyond_float64_is_named() -> None:
    """A long double of 1e400 is finite, but not a float64: the message says so."""
    big = np.array([[np.longdouble("1e400")]])
    if not np.isfinite(big).all():
        pytest.skip("this platform's long double is float64")
    with pytest.raises(ValueError, match="range of float64"):
        correlate2d(big, [[1.0]])


# ---------------------------------------------------------------------------
# Files: regular files only, names in every message, 16 bits kept, memory
# ---------------------------------------------------------------------------

needs_posix = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs POSIX")


@needs_posix
def test_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    """A FIFO named like an image is refused at once (reading it would wait)."""
    fifo = tmp_path / "fifo.png"
    os.mkfifo(fifo)
    with pytest.raises(ValueError, match=r"fifo\.png.*not a regular file"):
        load_image(fifo)


def test_symlink_loop_is_one_clear_error(tmp_path: Path) -> None:
    """A symlink to itself gives a ValueError that names the path."""
    loop = tmp_path / "loop.png"
    loop.symlink_to(loop)
    with pytest.raises(ValueError, match=r"loop\.png.*symbolic links"):
        load_image(loop)


def test_text_bomb_error_names_the_file(tmp_path: Path) -> None:
    """A 64 MiB zTXt chunk: Pillow's refusal comes with the file's name."""
    bomb = write_text_bomb_png(tmp_path / "bomb.png")
    with pytest.raises(ValueError, match=r"bomb\.png.*Decompressed data too large"):
        load_image(bomb)


def test_corrupt_tiff_error_carries_libtiffs_message(tmp_path: Path, capfd) -> None:
    """libtiff's own complaint joins the error; nothing reaches descriptor 2."""
    corrupt = write_corrupt_tiff(tmp_path / "corrupt.tif")
    with pytest.raises(ValueError, match=r"corrupt.tif.*\(.+\)"):
        load_image(corrupt)
    assert capfd.readouterr().err == ""


def test_corrupt_exif_warns_once_naming_the_file(tmp_path: Path) -> None:
    """Pillow's EXIF warning is passed on with the file name; the pixels are read."""
    jpeg = write_bad_exif_jpeg(tmp_path / "exif.jpg")
    with pytest.warns(UserWarning, match="exif.jpg") as caught:
        image = load_image(jpeg)
    assert len(caught) == 1
    assert image.shape == (8, 8)


@pytest.mark.parametrize("channels", [2, 3, 4])
def test_sixteen_bit_png_keeps_its_precision(tmp_path: Path, channels: int) -> None:
    """16-bit grey + alpha, RGB and RGBA PNGs: every bit of every sample is kept."""
    rng = np.random.default_rng(channels)
    samples = rng.integers(0, 65536, (7, 9, channels))
    path = write_png16(tmp_path / "deep.png", samples)
    values = samples / 65535.0
    alpha = values[..., -1:] if channels in (2, 4) else 1.0
    colour = values[..., :-1] if channels in (2, 4) else values
    composited = np.clip(colour * alpha + (1.0 - alpha), 0, 1)
    if channels == 2:
        expected_grey = composited[..., 0]
        expected_colour = np.repeat(composited, 3, axis=2)
    else:
        weights = np.array(LUMA_THOUSANDTHS, dtype=np.float64)
        expected_grey = np.clip(composited @ weights / 1000.0, 0, 1)
        expected_colour = composited
    assert_array_equal(load_image(path, gray=False), expected_colour)
    assert_array_equal(load_image(path), expected_grey)


def test_sixteen_bit_tiff_reports_the_reduction(tmp_path: Path) -> None:
    """Pillow reads a 16-bit RGB TIFF at 8 bits: a warning says so."""
    samples = np.random.default_rng(0).integers(0, 65536, (4, 5, 3))
    path = write_tiff16(tmp_path / "deep.tif", samples)
    with pytest.warns(UserWarning, match="deep.tif.*8 bits"):
        colour = load_image(path, gray=False)
    assert_array_equal(colour, (samples // 256) / 255.0)


def test_load_image_makes_no_float_copy_of_the_colour_image(tmp_path: Path) -> None:
    """Reading RGB: the traced peak stays near the grey result, far from 4× it.

    tracemalloc sees NumPy's arrays (Pillow's own buffer is not traced): the
    result, and one band of rows at a time; no float copy of the colours.
    """
    rng = np.random.default_rng(0)
    pixels = rng.integers(0, 256, (1200, 1600, 3), dtype=np.uint8)
    path = tmp_path / "photo.png"
    Image.fromarray(pixels).save(path, compress_level=1)
    tracemalloc.start()
    try:
        image = load_image(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 1.5 * image.nbytes
    weights = np.array(LUMA_THOUSANDTHS, dtype=np.float64)
    assert_array_equal(image, np.clip(pixels / 255.0 @ weights / 1000.0, 0, 1))


# ---------------------------------------------------------------------------
# Animations, figures and kernels typed as text
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("interval", "error"),
    [("fast", TypeError), (-5, ValueError), (math.nan, ValueError), (1e9, ValueError)],
)
def test_animation_interval_is_checked(interval, error) -> None:
    """interval='fast', -5, nan and a billion milliseconds name `interval`."""
    with pytest.raises(error, match="`interval`"):
        animate_correlation(np.ones((3, 3)), np.ones((2, 2)), interval=interval)
    with pytest.raises(error, match="`interval`"):
        animate_pooling(np.ones((4, 4)), interval=interval)


def test_save_animation_checks_its_arguments(tmp_path: Path) -> None:
    """No animation, fps out of range and an endless last frame name the parameter."""
    anim = animate_pooling(np.arange(16).reshape(4, 4), 2)
    with pytest.raises(TypeError, match="`anim`"):
        save_animation(None, tmp_path / "a.gif")  # type: ignore[arg-type]
    for fps in (0.001, 1e-6, 1000):
        with pytest.raises(ValueError, match="`fps`"):
            save_animation(anim, tmp_path / "a.webp", fps=fps)
    with pytest.raises(ValueError, match="`hold_last`"):
        save_animation(anim, tmp_path / "a.gif", hold_last=1e9)
    with pytest.raises(TypeError, match="`path`"):
        save_animation(anim, None)  # type: ignore[arg-type]
    assert not list(tmp_path.iterdir())
    assert save_animation(anim, tmp_path / "a.gif", fps=100).exists()


def test_show_pooling_refuses_a_large_map_before_pooling_it(monkeypatch) -> None:
    """A 600 × 600 map is refused by its size, before any window is built."""
    import convdemo._pooling_figures as figures

    def no_windows(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("the windows were computed before refusing")

    monkeypatch.setattr(figures, "pooling_picture", no_windows)
    with pytest.raises(ValueError, match="`feature_map` is too large"):
        show_pooling(np.zeros((600, 600)))


def test_long_kernel_text_is_quoted_shortened() -> None:
    """A 120 KB kernel ending in 'x': the message stays short but shows both ends."""
    text = "1 0 -1; " * 15000 + "x"
    with pytest.raises(ValueError, match="`kernel`") as caught:
        parse_kernel(text)
    message = str(caught.value)
    assert len(message) < 300
    assert "'1 0 -1; 1 0 -1;" in message
    assert "x' (120,001 characters)" in message


# ---------------------------------------------------------------------------
# Property: a correct result or an error that names a parameter, nothing else
# ---------------------------------------------------------------------------

DTYPES = [
    np.float64,
    np.float32,
    np.float16,
    np.int8,
    np.int64,
    np.uint8,
    np.bool_,
    np.complex128,
]


def mostly(good: st.SearchStrategy[Any], bad: st.SearchStrategy[Any]) -> Any:
    """Draw from `good` seven times in eight, else from `bad`."""
    return st.integers(0, 7).flatmap(lambda n: bad if n == 7 else good)


@st.composite
def any_arrays(draw: st.DrawFn, max_dims: int = 3) -> Any:
    """Draw an array of any of DTYPES and shape (sides 0 to 5), or a non-array."""
    dtype = np.dtype(draw(st.sampled_from(DTYPES)))
    shape = draw(
        hnp.array_shapes(min_dims=1, max_dims=max_dims, min_side=0, max_side=5)
    )
    if dtype.kind == "f":
        info = np.finfo(dtype)
        extremes = [info.max, -info.max, info.tiny, info.smallest_subnormal]
        elements = st.one_of(
            st.integers(-9, 9).map(float),
            st.sampled_from([*map(float, extremes), math.nan, math.inf]),
        )
    elif dtype.kind in "iu":
        info_int = np.iinfo(dtype)
        elements = st.integers(info_int.min, info_int.max)
    elif dtype.kind == "b":
        elements = st.booleans()
    else:
        elements = st.complex_numbers(max_magnitude=9, allow_nan=False)
    array = draw(hnp.arrays(dtype, shape, elements=elements))
    odd = st.sampled_from(["abc", None, [[1, 2], [3]], [], [["1", "2"]], 3.5])
    return draw(st.one_of(st.just(array), st.just(array.tolist()), odd))


# Finite values, mostly small, sometimes near the limits of float64.
values = mostly(
    st.integers(-9, 9).map(float),
    st.sampled_from([1e308, -1e308, 1e-300, 5e-324, 0.1, 1e154]),
)


def maps(shape: st.SearchStrategy[tuple[int, ...]]) -> st.SearchStrategy[Any]:
    """Arrays of `shape` with `values`, mostly float64, else ints or booleans."""
    return mostly(
        hnp.arrays(np.float64, shape, elements=values),
        st.one_of(
            hnp.arrays(np.int16, shape, elements=st.integers(-9, 9)),
            hnp.arrays(np.bool_, shape),
            hnp.arrays(np.float32, shape, elements=st.integers(-9, 9)),
        ),
    )


def images(max_side: int = 6) -> st.SearchStrategy[Any]:
    """(H, W) arrays, mostly; any array or non-array sometimes."""
    shape = st.tuples(st.integers(1, max_side), st.integers(1, max_side))
    return mostly(maps(shape), any_arrays())


pairs = st.tuples(st.integers(1, 3), st.integers(1, 3))
steps = mostly(
    st.one_of(st.integers(1, 3), pairs),
    st.sampled_from([0, -1, 1.5, "2", None, True, (1, 2, 3), (0, 1), 10**9]),
)
paddings = mostly(
    strategies.paddings,
    st.sampled_from(["bogus", -1, 10**6, 10**12, 1.5, None, (1,), ((1, 2), 3)]),
)
borders = mostly(
    st.sampled_from(["zeros", "reflect", "replicate", "wrap"]),
    st.sampled_from(["mirror", 0, None]),
)
pool_modes = mostly(
    st.sampled_from(["max", "avg", "min", "l2", "lp"]),
    st.sampled_from(["mean", None, "MAX"]),
)
exponents = mostly(
    st.floats(0.25, 6),
    st.sampled_from([0, -1, 1e-3, 1e-300, 400, 5000, math.nan, math.inf, "2"]),
)
flags = mostly(st.booleans(), st.sampled_from(["yes", 1, None]))
pool_paddings = mostly(
    st.one_of(st.integers(0, 1), st.tuples(st.integers(0, 1), st.integers(0, 1))),
    st.sampled_from([-1, 10**6, (1, 0, 1), 0.5]),
)


def correlation_options(draw: st.DrawFn) -> dict[str, Any]:
    """Draw padding, border, stride and dilation, valid or not."""
    return {
        "padding": draw(paddings),
        "border": draw(borders),
        "stride": draw(steps),
        "dilation": draw(steps),
    }


def pooling_options(draw: st.DrawFn) -> dict[str, Any]:
    """Draw stride, mode, p, padding, ceil_mode and count_include_pad."""
    return {
        "stride": draw(st.one_of(st.none(), steps)),
        "mode": draw(pool_modes),
        "p": draw(exponents),
        "padding": draw(pool_paddings),
        "ceil_mode": draw(flags),
        "count_include_pad": draw(flags),
    }


def check_against(result: Any, reference: Callable[[], Any]) -> None:
    """Compare a result with its loop reference, where the reference is finite.

    The reference sums in another order, so the tolerance is relative to the
    largest value involved.
    """
    with np.errstate(all="ignore"):
        expected = np.asarray(reference(), dtype=np.float64)
    if not np.isfinite(expected).all():
        return
    scale = max(1.0, float(np.abs(expected).max()), float(np.abs(result).max()))
    assert_allclose(result, expected, rtol=1e-9, atol=1e-9 * scale)


def pool_loop(image: Any, size: Any, **options: Any) -> Any:
    """The loop reference of `pool2d`, channel by channel and image by image."""
    array = np.asarray(image, dtype=np.float64)
    if array.ndim == 2:
        return pool2d_loop(array, size, **options)
    if array.ndim == 3:
        planes = [
            pool2d_loop(array[..., c], size, **options) for c in range(array.shape[2])
        ]
        return np.stack(planes, axis=-1)
    return np.stack([pool_loop(one, size, **options) for one in array])


@st.composite
def calls(
    draw: st.DrawFn,
) -> tuple[Callable[..., Any], tuple[Any, ...], dict[str, Any], Any]:
    """Draw a public function, its arguments and a check of its result."""
    name = draw(
        st.sampled_from(
            [
                "correlate2d",
                "convolve2d",
                "sliding_windows",
                "pad",
                "conv2d",
                "pool2d",
                "pool_windows",
                "global_pool",
                "im2col",
                "conv_matrix",
                "conv_transpose2d",
                "correlate2d_backward",
                "pool2d_backward",
                "output_shape",
                "pool_output_shape",
                "relu",
                "clipped_view",
            ]
        )
    )
    image = draw(images())
    kernel = draw(images(max_side=3))
    if name in ("correlate2d", "convolve2d", "sliding_windows"):
        options = correlation_options(draw)
        function = {"correlate2d": correlate2d, "convolve2d": convolve2d}.get(
            name, sliding_windows
        )

        def check(result: Any) -> None:
            if name == "sliding_windows":
                result = np.array([step.value for step in result])
                expected = correlate2d(image, kernel, **options).ravel()
                assert_allclose(result, expected, rtol=1e-12, atol=1e-300)
                return
            weights = np.asarray(kernel, dtype=np.float64)
            if name == "convolve2d":
                weights = weights[::-1, ::-1]
            check_against(result, lambda: correlate2d_loop(image, weights, **options))

        return function, (image, kernel), options, check
    if name == "pad":
        options = {"border": draw(borders), "kernel_shape": draw(steps)}
        options["dilation"] = draw(steps)
        return pad, (image, draw(paddings)), options, None
    if name == "conv2d":
        h, w, c, f, kh, kw = (draw(st.integers(1, n)) for n in (6, 6, 3, 3, 3, 3))
        image = draw(mostly(maps(st.just((h, w, c))), any_arrays(max_dims=4)))
        kernel = draw(mostly(maps(st.just((f, kh, kw, c))), any_arrays(max_dims=4)))
        bias = draw(mostly(st.none(), st.one_of(maps(st.just((f,))), any_arrays())))
        return conv2d, (image, kernel, bias), correlation_options(draw), None
    if name in ("pool2d", "pool_windows", "pool2d_backward"):
        options = pooling_options(draw)
        size = draw(steps)
        if name == "pool2d_backward":
            return pool2d_backward, (kernel, image, size), options, None
        if name == "pool_windows":
            del options["count_include_pad"]
            return pool_windows, (image, size), options, None

        def check_pool(result: Any) -> None:
            check_against(result, lambda: pool_loop(image, size, **options))

        return pool2d, (image, size), options, check_pool
    if name == "global_pool":
        options = {"p": draw(exponents)}
        return global_pool, (image, draw(pool_modes)), options, None
    if name == "im2col":
        return im2col, (image, draw(steps)), correlation_options(draw), None
    if name == "conv_matrix":
        shape = draw(st.one_of(st.tuples(st.integers(0, 5), st.integers(1, 5)), steps))
        return conv_matrix, (shape, kernel), correlation_options(draw), None
    if name == "conv_transpose2d":
        options = {
            "stride": draw(steps),
            "padding": draw(
                st.one_of(st.integers(-1, 3), st.sampled_from([(1, 2), "same"]))
            ),
            "output_padding": draw(st.integers(-1, 2)),
            "dilation": draw(steps),
        }
        return conv_transpose2d, (image, kernel), options, None
    if name == "correlate2d_backward":
        grad = draw(images())
        return (
            correlate2d_backward,
            (grad, image, kernel),
            correlation_options(draw),
            None,
        )
    if name == "output_shape":
        shapes = st.one_of(st.tuples(st.integers(-1, 6), st.integers(1, 6)), steps)
        options = {
            "padding": draw(paddings),
            "stride": draw(steps),
            "dilation": draw(steps),
        }
        return output_shape, (draw(shapes), draw(shapes)), options, None
    if name == "pool_output_shape":
        shape = draw(st.one_of(st.tuples(st.integers(-1, 6), st.integers(1, 6)), steps))
        options = pooling_options(draw)
        del options["mode"], options["p"], options["count_include_pad"]
        return pool_output_shape, (shape, draw(steps)), options, None
    if name == "relu":
        return relu, (image,), {}, None
    return clipped_view, (image, kernel), {"white": draw(exponents)}, None


def named_parameters(error: Exception, function: Callable[..., Any]) -> set[str]:
    """Return the parameters of `function` that the message of `error` names."""
    named = set(re.findall(r"`(\w+)`", str(error)))
    return named & set(inspect.signature(function).parameters)


@settings(max_examples=300, deadline=timedelta(seconds=10))
@given(call=calls())
def test_public_functions_return_right_or_name_a_parameter(call) -> None:
    """Any input: the reference's result, or ValueError/TypeError naming a parameter.

    Never another exception, never a warning (warnings are errors here), and
    never a hang: sizes are small or refused by the budget, and each example
    has a deadline.
    """
    function, args, options, check = call
    refusal: Exception | None = None
    try:
        result = function(*args, **options)
        if inspect.isgenerator(result):
            result = list(result)
    except (ValueError, TypeError) as error:
        refusal = error
    if refusal is not None:
        event(f"{function.__name__}: {type(refusal).__name__}")
        assert named_parameters(refusal, function), f"{function.__name__}: {refusal}"
        return
    event(f"{function.__name__}: result")
    if check is not None:
        check(result)
    for value in result if isinstance(result, tuple | list) else [result]:
        numbers = getattr(value, "value", value)
        if isinstance(numbers, np.ndarray | float):
            assert np.isfinite(numbers).all(), f"{function.__name__} gave {numbers}"
