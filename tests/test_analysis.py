"""Tests for convdemo.analysis: receptive fields, the shift experiment, blur-pool."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from convdemo.analysis import (
    binomial_kernel,
    blur_pool,
    conv_parameters,
    coverage,
    receptive_field,
    receptive_field_table,
    shift_experiment,
)
from convdemo.images import grid_image, sample_photo
from convdemo.kernels import get_kernel
from convdemo.ops import (
    conv2d,
    convolve2d,
    correlate2d,
    global_pool,
    output_shape,
    pad,
    pool2d,
    pool_output_shape,
    relu,
)

# --------------------------------------------------------------------------
# Receptive fields
# --------------------------------------------------------------------------


def _sizes(layers):
    return [row.size for row in receptive_field(layers)]


def _jumps(layers):
    return [row.jump for row in receptive_field(layers)]


@pytest.mark.parametrize(
    ("layers", "sizes", "jumps"),
    [
        # Two 3 × 3 stride-1 convolutions, then a 3 × 3 stride 2.
        ([(3, 1), (3, 1), (3, 2)], [3, 5, 7], [1, 1, 2]),
        # ... followed by a 3 × 3 stride 1: it now adds 2 × 2 = 4 pixels.
        ([(3, 1), (3, 1), (3, 2), (3, 1)], [3, 5, 7, 11], [1, 1, 2, 2]),
        # conv 3, pool 2, conv 3, pool 2 (the stacking chapter's pipeline).
        ([(3, 1), (2, 2), (3, 1), (2, 2)], [3, 4, 8, 10], [1, 2, 2, 4]),
        # Five 3 × 3 convolutions (VGG style): 2 pixels per layer.
        ([(3, 1)] * 5, [3, 5, 7, 9, 11], [1] * 5),
        # Dilations 1, 2, 4 (Yu & Koltun): exponential growth.
        ([(3, 1, 1), (3, 1, 2), (3, 1, 4)], [3, 7, 15], [1, 1, 1]),
        # AlexNet's first layers: conv 11/4, pool 3/2, conv 5, pool 3/2, conv 3.
        (
            [(11, 4), (3, 2), (5, 1), (3, 2), (3, 1)],
            [11, 19, 51, 67, 99],
            [4, 8, 8, 16, 16],
        ),
        # A 1 × 1 convolution sees one pixel and changes nothing.
        ([(1, 1), (3, 1), (1, 1)], [1, 3, 3], [1, 1, 1]),
    ],
)
def test_receptive_field_hand_tables(layers, sizes, jumps):
    """Receptive fields and jumps match tables worked out by hand."""
    assert _sizes(layers) == sizes
    assert _jumps(layers) == jumps


def test_receptive_field_row_fields():
    """Each row echoes its layer and gives the dilated kernel's span."""
    row = receptive_field([(3, 2), (3, 1, 2)])[1]
    assert (row.layer, row.kernel, row.stride, row.dilation) == (2, 3, 1, 2)
    assert row.effective_kernel == 5
    assert row.size == 3 + 4 * 2


def _span_by_propagation(layers):
    """Input pixels that output 0 depends on, following indices backwards."""
    indices = {0}
    for kernel, stride, dilation in reversed(layers):
        indices = {i * stride + u * dilation for i in indices for u in range(kernel)}
    return min(indices), max(indices)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(1, 5), st.integers(1, 3), st.integers(1, 3)),
        min_size=1,
        max_size=5,
    )
)
def test_receptive_field_matches_propagation(layers):
    """The closed formula equals the span found by propagating indices."""
    rows = receptive_field(layers)
    first, last = _span_by_propagation(layers)
    assert (first, last) == (0, rows[-1].size - 1)
    assert rows[-1].span(0) == (first, last)


def test_span_moves_by_jump():
    """Neighbouring outputs see fields one jump apart."""
    row = receptive_field([(3, 1), (2, 2), (3, 1), (2, 2)])[-1]
    assert row.span(0) == (0, 9)
    assert row.span(1) == (4, 13)
    assert row.span(5) == (20, 29)


def test_receptive_field_matches_impulse_response():
    """A stack of real convolutions and pools depends on exactly r × r pixels."""
    rng = np.random.default_rng(3)
    image = rng.uniform(size=(20, 20))
    kernel = rng.uniform(0.5, 1.0, size=(3, 3))

    def network(x):
        x = correlate2d(x, kernel)
        x = pool2d(x, 2, mode="avg")
        x = correlate2d(x, kernel)
        return pool2d(x, 2, mode="avg")

    base = network(image)
    touched = np.zeros(image.shape, dtype=bool)
    for r in range(image.shape[0]):
        for c in range(image.shape[1]):
            nudged = image.copy()
            nudged[r, c] += 1.0
            touched[r, c] = network(nudged)[0, 0] != base[0, 0]
    rows, cols = np.nonzero(touched)
    size = receptive_field([(3, 1), (2, 2), (3, 1), (2, 2)])[-1].size
    assert (rows.min(), rows.max(), cols.min(), cols.max()) == (0, 9, 0, 9)
    assert size == 10


def test_receptive_field_table_markdown():
    """The Markdown table has a header, a rule and one line per layer."""
    text = receptive_field_table([(3, 1), (2, 2)], names=["conv", "pool"])
    lines = text.splitlines()
    assert len(lines) == 4
    assert lines[3] == "| pool | 2 | 2 | 1 | 2 | 4 |"


@pytest.mark.parametrize(
    ("layers", "error", "match"),
    [
        ([], ValueError, "`layers`"),
        ("33", TypeError, "`layers`"),
        (5, TypeError, "`layers`"),
        ([(3,)], TypeError, "`layers` entry 0"),
        ([(3, 1), (3, 0)], ValueError, "`layers` entry 1"),
        ([(3, 1, 0)], ValueError, "`layers` entry 0"),
        ([(3.0, 1)], TypeError, "`layers` entry 0"),
        ([(True, 1)], TypeError, "`layers` entry 0"),
        ([(3, 1, 1, 1)], TypeError, "`layers` entry 0"),
    ],
)
def test_receptive_field_rejects_bad_layers(layers, error, match):
    """Bad layer lists raise errors that name `layers` and the entry."""
    with pytest.raises(error, match=match):
        receptive_field(layers)


def test_receptive_field_table_rejects_wrong_names():
    """A label list of the wrong length is refused."""
    with pytest.raises(ValueError, match="`names`"):
        receptive_field_table([(3, 1)], names=["a", "b"])


def test_span_rejects_negative_index():
    """A negative output index is refused."""
    with pytest.raises(ValueError, match="`index`"):
        receptive_field([(3, 1)])[0].span(-1)


# --------------------------------------------------------------------------
# Binomial kernel and blur-pool
# --------------------------------------------------------------------------


@pytest.mark.parametrize("size", [1, 2, 3, 4, 5])
def test_binomial_kernel_is_normalised_outer_product(size):
    """The kernel sums to 1, is symmetric and has binomial rows."""
    kernel = binomial_kernel(size)
    assert kernel.shape == (size, size)
    assert kernel.sum() == pytest.approx(1.0)
    np.testing.assert_array_equal(kernel, kernel.T)
    row = kernel[size // 2] / kernel[size // 2].min()
    expected = np.array([1, 4, 6, 4, 1])[:size] if size == 5 else None
    if expected is not None:
        np.testing.assert_allclose(row, expected)


def test_binomial_kernel_rejects_zero():
    """A kernel needs at least one tap."""
    with pytest.raises(ValueError, match="`size`"):
        binomial_kernel(0)


@pytest.mark.parametrize("mode", ["max", "avg", "min", "l2", "lp"])
@pytest.mark.parametrize(
    ("size", "stride"), [(2, 2), (3, 2), (2, 1), (3, 3), ((2, 3), (1, 2))]
)
def test_blur_pool_without_blur_is_pool2d(mode, size, stride):
    """blur=1 reduces to ordinary strided pooling, for every mode."""
    image = np.random.default_rng(1).normal(size=(11, 13))
    np.testing.assert_allclose(
        blur_pool(image, size, stride=stride, mode=mode, blur=1),
        pool2d(image, size, stride=stride, mode=mode),
        atol=1e-12,
    )


@pytest.mark.parametrize("blur", [1, 2, 3, 4, 5])
@pytest.mark.parametrize("shape", [(8, 8), (9, 7), (10, 13)])
def test_blur_pool_shape_matches_pooling(blur, shape):
    """Whatever the blur, the output has the shape of strided pooling."""
    image = np.arange(np.prod(shape), dtype=float).reshape(shape)
    assert blur_pool(image, 2, blur=blur).shape == pool2d(image, 2).shape


def test_blur_pool_size_one_is_subsampling():
    """size=1 and blur=1: keep every second pixel."""
    image = np.arange(49.0).reshape(7, 7)
    np.testing.assert_array_equal(blur_pool(image, 1, blur=1), image[::2, ::2])


def test_blur_pool_keeps_constants():
    """A normalised blur leaves a flat image flat, at every border."""
    for border in ("reflect", "replicate", "wrap"):
        out = blur_pool(np.full((9, 9), 0.7), 2, blur=3, border=border)
        np.testing.assert_allclose(out, 0.7)


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"size": 0}, ValueError, "`size`"),
        ({"stride": 0}, ValueError, "`stride`"),
        ({"mode": "mean"}, ValueError, "`mode`"),
        ({"blur": 0}, ValueError, "`blur`"),
        ({"border": "mirror"}, ValueError, "`border`"),
        ({"size": 20}, ValueError, "`size`"),
    ],
)
def test_blur_pool_rejects_bad_arguments(kwargs, error, match):
    """Each bad argument is named in the error."""
    with pytest.raises(error, match=match):
        blur_pool(np.ones((6, 6)), **kwargs)


# --------------------------------------------------------------------------
# The shift experiment
# --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def grid_result():
    return shift_experiment(grid_image(), range(4))


def test_shift_experiment_shapes(grid_result):
    """One entry per shift; views are 300 − 3 pixels wide."""
    result = grid_result
    assert result.shifts.tolist() == [0, 1, 2, 3]
    assert result.images.shape == (4, 300, 297)
    assert result.conv.shape == (4, 298, 295)
    assert result.pooled.shape == (4, 149, 147)


def test_shift_experiment_views_are_crops_not_rolls(grid_result):
    """The view for shift s is the unshifted view moved right by s pixels."""
    images = grid_result.images
    for s in (1, 2, 3):
        np.testing.assert_array_equal(images[s][:, s:], images[0][:, :-s])
    image = grid_image()
    np.testing.assert_array_equal(images[3], image[:, 0:297])
    np.testing.assert_array_equal(images[0], image[:, 3:300])


@pytest.mark.parametrize(
    "image",
    [grid_image(), np.random.default_rng(0).uniform(size=(40, 50))],
    ids=["grid", "noise"],
)
@pytest.mark.parametrize("axis", [0, 1])
def test_convolution_is_equivariant(image, axis):
    """Convolving a shifted view equals shifting the convolution, on the overlap."""
    result = shift_experiment(image, range(5), axis=axis, kernel="sobel_x")
    assert np.all(result.conv_equivariance_error <= 1e-12)
    # ... while the maps at the same positions do change.
    assert result.conv_change[0] == 0
    assert np.all(result.conv_change[1:] > 0.1)


def test_shift_experiment_is_reproducible():
    """Two runs give identical arrays, bit for bit."""
    first = shift_experiment(sample_photo(), range(4), blur=3)
    second = shift_experiment(sample_photo(), range(4), blur=3)
    for name in ("images", "conv", "pooled", "conv_change", "pooled_changed"):
        np.testing.assert_array_equal(getattr(first, name), getattr(second, name))


def test_shift_by_the_pool_size_shifts_the_pooled_map():
    """A shift of exactly `pool` pixels moves the pooled map by one cell."""
    image = np.random.default_rng(2).uniform(size=(30, 40))
    result = shift_experiment(image, [0, 2], pool=2, kernel="vertical")
    pooled = result.pooled
    np.testing.assert_allclose(pooled[1][:, 1:], pooled[0][:, :-1], atol=1e-12)


def test_shift_larger_than_the_map_has_no_overlap():
    """A shift wider than the convolution map leaves nothing to compare."""
    image = np.random.default_rng(3).uniform(size=(8, 40))
    result = shift_experiment(image, [0, 30], kernel=np.ones((1, 3)), pool=1)
    assert result.conv.shape == (2, 8, 8)
    assert result.conv_equivariance_error.tolist() == [0.0, 0.0]


@pytest.mark.parametrize("pool", [2, 3])
def test_shift_by_whole_windows_leaves_nothing_but_the_move(pool):
    """Against the nearest shifted copy, a shift of k·pool pixels changes nothing."""
    image = np.random.default_rng(4).uniform(size=(30, 60))
    shifts = [0, pool, 2 * pool]
    result = shift_experiment(image, shifts, pool=pool)
    assert result.pooled_offset.tolist() == [0, 1, 2]
    np.testing.assert_allclose(result.pooled_copy_change, 0.0, atol=1e-12)
    assert result.pooled_copy_changed.tolist() == [0.0, 0.0, 0.0]
    # ... while the same-position measure calls it a large change.
    assert np.all(result.pooled_change[1:] > 0.3)


def test_nearest_copy_is_the_better_of_the_two_neighbouring_offsets():
    """Shift s under pool p compares with ⌊s/p⌋ or ⌈s/p⌉ cells, whichever is closer."""
    image = np.random.default_rng(5).uniform(size=(24, 48))
    result = shift_experiment(image, range(6), pool=2, kernel="sobel_x")
    pooled = result.pooled
    for index, shift in enumerate(result.shifts.tolist()):
        changes = {}
        for offset in {shift // 2, -(-shift // 2)}:
            keep = pooled.shape[2] - offset
            new = pooled[index][:, offset:]
            old = pooled[0][:, :keep]
            changes[offset] = np.linalg.norm(new - old) / np.linalg.norm(old)
        best = min(changes, key=lambda offset: (changes[offset], offset))
        assert result.pooled_offset[index] == best
        assert result.pooled_copy_change[index] == pytest.approx(changes[best])
    assert result.pooled_offset.tolist()[::2] == [0, 1, 2]


def test_nearest_copy_without_shared_cells_is_nan():
    """A shift beyond the pooled map leaves no cell to compare: NaN, not 0."""
    image = np.random.default_rng(3).uniform(size=(8, 40))
    result = shift_experiment(image, [0, 30], kernel=np.ones((1, 3)), pool=1)
    assert result.pooled_copy_change[0] == 0
    assert np.isnan(result.pooled_copy_change[1])
    assert np.isnan(result.pooled_copy_changed[1])


def test_shift_experiment_accepts_kernel_values():
    """An explicit array works like the kernel's name."""
    by_name = shift_experiment(grid_image(60), [0, 1])
    by_values = shift_experiment(grid_image(60), [0, 1], kernel=get_kernel("vertical"))
    np.testing.assert_array_equal(by_name.pooled, by_values.pooled)


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"shifts": []}, ValueError, "`shifts`"),
        ({"shifts": [0, -1]}, ValueError, "`shifts`"),
        ({"shifts": 3}, TypeError, "`shifts`"),
        ({"shifts": [0, 28]}, ValueError, "`shifts`"),
        ({"kernel": "vertikal"}, ValueError, "vertikal"),
        ({"pool": 0}, ValueError, "`pool`"),
        ({"mode": "mean"}, ValueError, "`mode`"),
        ({"axis": 2}, ValueError, "`axis`"),
        ({"blur": 0}, ValueError, "`blur`"),
        ({"atol": -1.0}, ValueError, "`atol`"),
    ],
)
def test_shift_experiment_rejects_bad_arguments(kwargs, error, match):
    """Each bad argument is named in the error."""
    with pytest.raises(error, match=match):
        shift_experiment(np.ones((30, 30)), **kwargs)


# --------------------------------------------------------------------------
# Coverage and parameter counts
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("n", "k", "padding", "stride", "dilation"),
    [
        (7, 3, 0, 2, 1),
        (6, 3, 0, 2, 1),
        (9, 2, 0, 2, 1),
        (7, 3, 1, 2, 1),
        (9, 3, 0, 1, 3),
    ],
)
def test_coverage_counts_windows_reading_each_cell(n, k, padding, stride, dilation):
    """The counts equal a tally over the steps of sliding_windows."""
    from convdemo.ops import sliding_windows

    counts = coverage(n, k, padding=padding, stride=stride, dilation=dilation)
    expected = np.zeros_like(counts)
    image = np.zeros((n, n))
    for step in sliding_windows(
        image, np.ones((k, k)), padding=padding, stride=stride, dilation=dilation
    ):
        expected[np.ix_(step.rows, step.cols)] += 1
    np.testing.assert_array_equal(counts, expected)


@pytest.mark.parametrize(
    ("n", "size", "stride", "padding"),
    [(5, 2, 2, 0), (7, 3, 2, 1), (6, 3, 2, 0), (7, 2, 3, 0), (5, 3, 2, 1)],
)
def test_coverage_with_ceil_mode_counts_the_pooling_windows(n, size, stride, padding):
    """With ceil_mode the counts equal a tally over pool_windows' steps."""
    from convdemo.pooling import pool_windows

    counts = coverage(n, size, padding=padding, stride=stride, ceil_mode=True)
    expected = np.zeros_like(counts)
    steps = pool_windows(
        np.zeros((n, n)), size, stride=stride, padding=padding, ceil_mode=True
    )
    for step in steps:
        rows = step.rows[step.rows < counts.shape[0]]
        cols = step.cols[step.cols < counts.shape[1]]
        expected[np.ix_(rows, cols)] += 1
    np.testing.assert_array_equal(counts, expected)


def test_conv_parameters_match_array_sizes():
    """F·k·k·C + F equals the number of values in the kernels and bias."""
    for k, c, f in [(3, 3, 1), (3, 3, 4), (1, 3, 2), (5, 2, 7)]:
        kernels, bias = np.zeros((f, k, k, c)), np.zeros(f)
        assert conv_parameters(k, c, f) == kernels.size + bias.size
        assert conv_parameters(k, c, f, bias=False) == kernels.size


@pytest.mark.parametrize(
    ("args", "kwargs", "error", "match"),
    [
        ((0, 3), {}, ValueError, "`kernel_size`"),
        ((3, 0), {}, ValueError, "`in_channels`"),
        ((3, 3, 0), {}, ValueError, "`out_channels`"),
        ((3, 3), {"bias": 1}, TypeError, "`bias`"),
    ],
)
def test_conv_parameters_rejects_bad_arguments(args, kwargs, error, match):
    """Each bad argument is named in the error."""
    with pytest.raises(error, match=match):
        conv_parameters(*args, **kwargs)


def test_coverage_rejects_a_kernel_larger_than_the_input():
    """The output-size check of ops applies."""
    with pytest.raises(ValueError, match="kernel"):
        coverage(2, 3)


# --------------------------------------------------------------------------
# Every number quoted in the "Going further" chapters
# --------------------------------------------------------------------------

DOCS = Path(__file__).resolve().parents[1] / "docs" / "beyond"


def _table(page, first_header):
    """Return the rows (lists of cell strings) of the table whose header starts so."""
    lines = (DOCS / page).read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(first_header))
    rows = []
    for line in lines[start + 2 :]:
        if not line.startswith("|"):
            break
        rows.append([cell.strip() for cell in line.strip("|").split("|")])
    return rows


def test_flipping_chapter():
    """Correlating an impulse gives the kernel turned round; Prewitt flips sign."""
    impulse = np.zeros((5, 5))
    impulse[2, 2] = 1
    kernel = np.arange(1.0, 10.0).reshape(3, 3)
    correlated = correlate2d(impulse, kernel, padding="same")[1:4, 1:4]
    np.testing.assert_array_equal(correlated, kernel[::-1, ::-1])
    convolved = convolve2d(impulse, kernel, padding="same")[1:4, 1:4]
    np.testing.assert_array_equal(convolved, kernel)
    vertical = get_kernel("vertical")
    np.testing.assert_array_equal(vertical[::-1, ::-1], -vertical)
    image = grid_image()[15:75, 15:75]
    total = correlate2d(image, vertical) + convolve2d(image, vertical)
    assert np.abs(total).max() == 0


def test_flipping_depends_on_half_turn_symmetry_not_mirror_symmetry():
    """Flipping leaves a kernel alone iff a half-turn does; Prewitt y is mirrored
    onto itself yet negated; a centred motion blur is half-turn symmetric."""
    horizontal = get_kernel("horizontal")
    np.testing.assert_array_equal(horizontal[:, ::-1], horizontal)
    np.testing.assert_array_equal(horizontal[::-1, ::-1], -horizontal)
    image = np.random.default_rng(6).normal(size=(12, 12))
    np.testing.assert_allclose(
        convolve2d(image, horizontal), -correlate2d(image, horizontal)
    )
    motion = np.eye(5) / 5  # a diagonal motion-blur line through the centre
    np.testing.assert_array_equal(motion[::-1, ::-1], motion)
    np.testing.assert_allclose(convolve2d(image, motion), correlate2d(image, motion))
    emboss = get_kernel("emboss")
    assert not np.array_equal(emboss[::-1, ::-1], emboss)
    assert not np.array_equal(emboss[::-1, ::-1], -emboss)
    for name in ("sobel_x", "sobel_y", "vertical"):
        kernel = get_kernel(name)
        np.testing.assert_array_equal(kernel[::-1, ::-1], -kernel)
    for name in ("box_blur", "gaussian_blur", "laplacian", "outline"):
        kernel = get_kernel(name)
        np.testing.assert_array_equal(kernel[::-1, ::-1], kernel)
    text = " ".join((DOCS / "flipping.md").read_text(encoding="utf-8").split())
    assert "symmetric filter such as" not in text
    assert "exactly when a half-turn (a rotation by 180°) leaves the filter" in text
    assert "assumes true convolution" not in text


def test_padding_chapter():
    """valid, same and full give 3, 5 and 7 for a 5 × 5 input and 3 × 3 kernel."""
    sizes = {
        rule: output_shape((5, 5), (3, 3), padding=rule)
        for rule in ("valid", "same", "full")
    }
    assert sizes == {"valid": (3, 3), "same": (5, 5), "full": (7, 7)}
    rows = _table("padding.md", "| rule")
    assert [row[2] for row in rows] == ["3 × 3", "5 × 5", "7 × 7"]


def test_stride_dilation_calculator_table():
    """Every row of the chapter's calculator table is what the library computes."""
    rows = _table("stride-dilation.md", "| n | k |")
    assert len(rows) == 11
    for row in rows:
        n, k, p, s, d, out, left = (int(cell) for cell in row)
        assert output_shape((n, n), (k, k), padding=p, stride=s, dilation=d) == (
            out,
            out,
        )
        counts = coverage(
            (1, n), (1, k), padding=((0, 0), (p, p)), stride=s, dilation=d
        )[0]
        tail = len(counts) - 1 - np.flatnonzero(counts).max()
        assert tail == left


def test_stride_dilation_numbers():
    """6 × 6 with k=3, s=2 leaves 11 cells unread; 7 × 7 none; centre window −6."""
    assert int((coverage(6, 3, stride=2) == 0).sum()) == 11
    assert int((coverage(7, 3, stride=2) == 0).sum()) == 0
    image = 10.0 * np.indices((5, 5))[0] + np.indices((5, 5))[1]
    out = correlate2d(image, get_kernel("vertical"), padding=1, stride=2)
    assert out.shape == (3, 3)
    assert out[1, 1] == -6
    wide = 10.0 * np.indices((7, 7))[0] + np.indices((7, 7))[1]
    dilated = correlate2d(wide, get_kernel("vertical"), dilation=2)
    np.testing.assert_array_equal(dilated, np.full((3, 3), -12.0))
    assert [row.size for row in receptive_field([(3, 1, 1), (3, 1, 2), (3, 1, 4)])][
        -1
    ] == 15


def test_channels_chapter():
    """Shapes and parameter counts quoted in 'Colour images and many filters'."""
    photo = sample_photo(gray=False)[:300:2, :300:2]
    kernel = get_kernel("vertical")[:, :, None] * np.array([0.299, 0.587, 0.114])
    assert conv2d(photo, kernel, bias=[-0.1]).shape == (148, 148, 1)
    rows = _table("channels.md", "| layer | parameters")
    counts = [int(row[1].replace(",", "")) for row in rows]
    expected = [
        conv_parameters(k, c, f)
        for k, c, f in [(3, 3, 1), (3, 3, 4), (1, 3, 2), (3, 3, 64), (3, 64, 64)]
    ]
    assert counts == expected == [28, 112, 8, 1792, 36928]
    assert photo.size == 67_500
    assert f"{photo.size**2 / 1e9:.1f}" == "4.6"


def test_pooling_zoo_chapter():
    """The five summaries of the window 1, 2, 3, 4 and the output-size table."""
    window = np.array([[1.0, 2.0], [3.0, 4.0]])
    values = {
        mode: pool2d(window, 2, mode=mode, p=4)[0, 0]
        for mode in ("max", "avg", "min", "l2", "lp")
    }
    assert (values["max"], values["avg"], values["min"]) == (4, 2.5, 1)
    assert f"{values['l2']:.3f}" == "5.477"
    assert f"{values['lp']:.3f}" == "4.338"
    rows = _table("pooling-zoo.md", "| mode")
    assert [row[2] for row in rows] == ["4", "2.5", "1", "5.477", "4.338"]
    sizes = [
        pool_output_shape((7, 7), 2),
        pool_output_shape((7, 7), 3, stride=2),
        pool_output_shape((7, 7), 2, ceil_mode=True),
        pool_output_shape((7, 7), 3, stride=2, padding=1),
    ]
    assert sizes == [(3, 3), (3, 3), (4, 4), (4, 4)]
    rows = _table("pooling-zoo.md", "| window")
    assert [row[4] for row in rows] == [f"{a} × {b}" for a, b in sizes]


def test_pooling_zoo_norms_are_not_means():
    """A p-norm runs from the sum (p = 1) down to the max; a power mean from the
    average up to the max. pool2d's 'lp' is the norm."""
    window = np.array([[1.0, 2.0], [3.0, 4.0]])
    norms = {p: pool2d(window, 2, mode="lp", p=p)[0, 0] for p in (1, 2, 4, 64)}
    means = {p: np.mean(window**p) ** (1 / p) for p in (1, 2, 4, 64)}
    assert norms[1] == window.sum() == 10
    assert norms[2] > window.max()
    assert means[1] == window.mean()
    assert means[64] < window.max() < norms[64]
    assert list(norms.values()) == sorted(norms.values(), reverse=True)
    assert list(means.values()) == sorted(means.values())
    text = (DOCS / "pooling-zoo.md").read_text(encoding="utf-8")
    assert "sit between average and max" not in text
    for quoted in (
        f"({norms[1]:.0f} for this window)",
        f"{norms[2]:.3f} for L2 where the maximum\nis {window.max():.0f}",
        f"2.5 at $p = 1$ (the average), {means[2]:.3f} at $p = 2$, {means[4]:.3f}",
    ):
        assert quoted in text


def test_pooling_zoo_padding_conventions():
    """Padded cells ignored give [[3, 4], [6, 7]]; counted as zeros, PyTorch's."""
    grid = np.arange(1.0, 10.0).reshape(3, 3)
    ignored = pool2d(grid, 3, stride=2, padding=1, mode="avg")
    as_zeros = pool2d(pad(grid, 1), 3, stride=2, mode="avg")
    np.testing.assert_array_equal(ignored, [[3, 4], [6, 7]])
    np.testing.assert_allclose(as_zeros, np.array([[12, 16], [24, 28]]) / 9)
    rows = _table("pooling-zoo.md", "| rule | result")
    assert [row[1] for row in rows] == [
        str(ignored.astype(int).tolist()),
        str(as_zeros.round(2).tolist()),
    ]


def test_pooling_zoo_global_numbers():
    """The global L2 (a sum, 20.8) and max (1.42) of the zoo's feature map."""
    photo = sample_photo()[150:278, 150:278]
    response = correlate2d(
        photo, get_kernel("vertical"), padding="same", border="reflect"
    )
    feature_map = relu(response)
    assert feature_map.size == 16_384
    assert f"{global_pool(feature_map, 'l2'):.1f}" == "20.8"
    assert f"{global_pool(feature_map, 'max'):.2f}" == "1.42"
    text = (DOCS / "pooling-zoo.md").read_text(encoding="utf-8")
    assert "20.8, is a sum over 16,384 cells" in text


@pytest.fixture(scope="module")
def photo_shifts():
    photo = sample_photo()
    return {
        "two": shift_experiment(photo, range(4), pool=2),
        "four": shift_experiment(photo, range(4), pool=4),
        "blur": shift_experiment(photo, range(4), pool=2, blur=3),
    }


def test_invariance_chapter_percentages(photo_shifts):
    """The table of cells that differ from the nearest shifted copy."""
    two, four = photo_shifts["two"], photo_shifts["four"]

    def percent(values):
        return [f"{v:.0%}" for v in values[1:]]

    assert np.all(two.conv_equivariance_error == 0)
    assert percent(two.pooled_copy_changed) == ["74%", "0%", "74%"]
    assert percent(four.pooled_copy_changed) == ["42%", "66%", "43%"]
    assert two.pooled_offset.tolist() == [0, 0, 1, 1]
    assert four.pooled_offset.tolist() == [0, 0, 0, 1]
    rows = _table("invariance.md", "| shift | convolution")
    assert [row[1:] for row in rows] == [
        ["0%", *column]
        for column in zip(
            percent(two.pooled_copy_changed),
            percent(four.pooled_copy_changed),
            strict=True,
        )
    ]


def test_invariance_chapter_same_position_measure(photo_shifts):
    """At the same cells, a 2-px shift 'changes' 99% of cells, 1.11 relative."""
    two = photo_shifts["two"]
    assert f"{two.pooled_changed[2]:.0%}" == "99%"
    assert f"{two.pooled_change[2]:.2f}" == "1.11"
    text = (DOCS / "invariance.md").read_text(encoding="utf-8")
    assert "99% of its cells at 2 px (a relative change of 1.11)" in text


def test_invariance_chapter_blur_pool(photo_shifts):
    """BlurPool lowers the change from the nearest copy at half-cell shifts."""
    plain, blurred = photo_shifts["two"], photo_shifts["blur"]
    plain_change = [f"{v:.2f}" for v in plain.pooled_copy_change[1:]]
    blurred_change = [f"{v:.2f}" for v in blurred.pooled_copy_change[1:]]
    assert plain_change == ["0.72", "0.00", "0.72"]
    assert blurred_change == ["0.51", "0.02", "0.51"]
    rows = _table("invariance.md", "| shift | 2 × 2 max")
    assert [row[1:] for row in rows] == [
        list(pair) for pair in zip(plain_change, blurred_change, strict=True)
    ]
    # ... while more cells change a little.
    changed = (plain.pooled_copy_changed[1], blurred.pooled_copy_changed[1])
    assert [f"{v:.1%}" for v in changed] == ["74.3%", "99.8%"]
    text = (DOCS / "invariance.md").read_text(encoding="utf-8")
    assert "99.8% of them at 1 px, where plain max pooling changes 74.3%" in text


def test_invariance_chapter_stripes():
    """Fine stripes alias into coarse ones; a [1, 2, 1]/4 blur removes 90 %."""
    fine = 0.5 + 0.5 * np.cos(2 * np.pi * np.arange(40) / 2.5)
    blurred = correlate2d(
        fine[None, :], np.array([[1, 2, 1]]) / 4, padding="same", border="wrap"
    )[0]
    kept = fine[::2]
    # Every second sample of a 2.5-pixel period repeats every 5 samples.
    np.testing.assert_allclose(kept[:5], kept[5:10])
    assert f"{np.ptp(kept):.2f}" == "0.90"
    assert f"{np.ptp(blurred[::2]):.2f}" == "0.09"
    text = (DOCS / "invariance.md").read_text(encoding="utf-8")
    assert "drops from 0.90 to 0.09" in text


def _count_lines(row):
    dark = np.concatenate([[0], (row < 0.9).astype(int)])
    return int(np.count_nonzero(np.diff(dark) == 1))


def test_invariance_chapter_aliasing():
    """Subsampling keeps all or none of the one-pixel lines; blurring keeps all."""
    grid = grid_image(line_width=1)
    counts = {}
    for name, view in {"0": grid[:, :-2], "1": grid[:, 1:-1]}.items():
        counts[name, "there"] = _count_lines(view[15])
        for blur in (1, 3):
            counts[name, blur] = _count_lines(
                blur_pool(view, 1, stride=2, blur=blur)[7]
            )
    assert counts == {
        ("0", "there"): 10,
        ("0", 1): 10,
        ("0", 3): 10,
        ("1", "there"): 9,
        ("1", 1): 0,
        ("1", 3): 9,
    }
    signal = np.array([[0, 0, 1, 1, 0, 0, 1, 1, 0]], dtype=float)
    np.testing.assert_array_equal(pool2d(signal[:, :-1], (1, 2)), [[0, 1, 0, 1]])
    np.testing.assert_array_equal(pool2d(signal[:, 1:], (1, 2)), [[1, 1, 1, 1]])


def test_stacking_chapter():
    """Map sizes 300 → 298 → 149 → 147 → 73 and the receptive-field table."""
    x = grid_image()
    sizes = [x.shape[0]]
    for kernel in ("vertical", "horizontal"):
        x = correlate2d(x, get_kernel(kernel))
        sizes.append(x.shape[0])
        x = pool2d(relu(x), 2)
        sizes.append(x.shape[0])
    assert sizes == [300, 298, 149, 147, 73]
    layers = [(3, 1), (2, 2), (3, 1), (2, 2)]
    table = receptive_field_table(
        layers, names=["conv 1", "pool 1", "conv 2", "pool 2"]
    )
    text = (DOCS / "stacking.md").read_text(encoding="utf-8")
    assert table in text
    assert [row.size for row in receptive_field([(3, 1)] * 5)][-1] == 11
    spans = [
        row.span(cell)
        for row, cell in zip(receptive_field(layers), [30, 15, 14, 7], strict=True)
    ]
    assert spans == [(30, 32), (30, 33), (28, 35), (28, 37)]
