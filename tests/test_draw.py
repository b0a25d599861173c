"""Tests for convdemo.draw: the artists each function returns and each figure."""

import re

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest
from figure_text import evaluate_caption, label_number
from matplotlib.colors import to_rgba
from matplotlib.patches import Circle, Rectangle
from matplotlib.text import Text

from convdemo._format import format_value
from convdemo.draw import (
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
from convdemo.images import grid_image
from convdemo.kernels import KERNELS, kernel_names
from convdemo.ops import (
    clipped_view,
    correlate2d,
    output_shape,
    pool2d,
    pool_windows,
    sliding_windows,
)
from convdemo.style import (
    BACKGROUNDS,
    DIVERGING,
    GRAY,
    WINDOW,
    contrast_ratio,
    get_alt_text,
    save_figure,
)

D2L_IMAGE = np.arange(9).reshape(3, 3)
D2L_KERNEL = np.arange(4).reshape(2, 2)
VERTICAL = np.array([[1, 0, -1], [1, 0, -1], [1, 0, -1]])


# Close every figure a test opened (the fixture is in conftest.py).
pytestmark = pytest.mark.usefixtures("close_figures")


def _caption(fig):
    """Return the text of the figure's caption."""
    (caption,) = [t.get_text() for t in fig.texts if t.get_gid() == "caption"]
    return caption


def _fill_under(text):
    """Return the fill of the topmost opaque rectangle under a text."""
    x, y = text.get_position()
    under = []
    for patch in text.axes.patches:
        if not (isinstance(patch, Rectangle) and patch.get_fill()):
            continue
        left, bottom = patch.get_xy()
        right, top = left + patch.get_width(), bottom + patch.get_height()
        if min(left, right) <= x <= max(left, right) and min(bottom, top) <= y <= max(
            bottom, top
        ):
            under.append(patch)
    assert under, text.get_text()
    return max(under, key=lambda patch: patch.get_zorder()).get_facecolor()


def _check_text_contrast(fig):
    """Every visible text reads: cells at 4.5:1, boxed text at 4.5:1, the rest 3:1.

    Text without a box sits on the transparent background, so it has to read
    on both the light and the dark theme.
    """
    fig.canvas.draw()
    checked = 0
    for text in fig.findobj(Text):
        if not text.get_visible() or not text.get_text().strip():
            continue
        color = text.get_color()
        if text.get_gid() == "cell":
            assert contrast_ratio(color, _fill_under(text)) >= 4.5, text.get_text()
        elif text.get_bbox_patch() is not None:
            fill = text.get_bbox_patch().get_facecolor()
            assert fill[3] == 1.0
            assert contrast_ratio(color, fill) >= 4.5, text.get_text()
        else:
            for background in BACKGROUNDS.values():
                assert contrast_ratio(color, background) >= 3.0, text.get_text()
        checked += 1
    assert checked > 0


# -- numbers as text ---------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "label"),
    [
        (3, "3"),
        (3.0, "3"),
        (-7.0, "\N{MINUS SIGN}7"),
        (0.5, "0.5"),
        (1 / 3, "0.333"),
        (-2 / 3, "\N{MINUS SIGN}0.667"),
        (12.345, "12.3"),
        (1234.56, "1234.6"),
        (-0.0, "0"),
        (np.nan, ""),
    ],
)
def test_format_value_writes_integers_as_integers(value, label):
    """Integers lose their decimal point; other numbers keep 3 digits."""
    assert format_value(value) == label


def test_format_step_writes_the_d2l_example():
    """The first window of the d2l example reads 0×0 + 1×1 + 3×2 + 4×3 = 19."""
    step = next(sliding_windows(D2L_IMAGE, D2L_KERNEL))
    assert format_step(step, D2L_KERNEL) == "0×0 + 1×1 + 3×2 + 4×3 = 19"


def test_format_step_parenthesises_negative_factors():
    """Negative factors are written in parentheses with a true minus sign."""
    step = next(sliding_windows(np.ones((3, 3)), VERTICAL))
    text = format_step(step, VERTICAL)
    assert text.startswith("1×1 + 1×0 + 1×(\N{MINUS SIGN}1)")
    assert text.endswith("= 0")


@pytest.mark.parametrize("flip", [False, True])
def test_format_step_arithmetic_equals_the_output(flip):
    """Each step's written arithmetic evaluates to the library's output."""
    image = np.arange(20).reshape(4, 5) % 7
    kernel = np.array([[1, 2], [-1, 3]])
    for step in sliding_windows(image, kernel, flip=flip, padding=1):
        left, right = format_step(step, kernel).split(" = ")
        assert evaluate_caption(left) == pytest.approx(step.value)
        assert label_number(right) == pytest.approx(step.value)


def test_format_step_writes_the_flipped_kernel_of_a_convolution():
    """A convolution step is written with the kernel it applied, even on zeros."""
    kernel = np.array([[1, 2], [3, 4]])
    step = next(sliding_windows(np.zeros((3, 3)), kernel, flip=True))
    assert format_step(step) == "0×4 + 0×3 + 0×2 + 0×1 = 0"
    assert format_step(step, kernel) == format_step(step)


def test_format_step_rejects_a_kernel_the_step_did_not_apply():
    """A kernel passed along must be the one given to sliding_windows."""
    step = next(sliding_windows(D2L_IMAGE, D2L_KERNEL, flip=True))
    with pytest.raises(ValueError, match="`kernel` must be the kernel given"):
        format_step(step, D2L_KERNEL[::-1, ::-1])
    pooling = next(pool_windows(D2L_IMAGE, 2))
    with pytest.raises(ValueError, match="`kernel` is not used"):
        format_step(pooling, D2L_KERNEL)


@pytest.mark.parametrize(
    ("mode", "text"),
    [
        ("max", "max(0, 1, 3, 4) = 4"),
        ("min", "min(0, 1, 3, 4) = 0"),
        ("avg", "(0 + 1 + 3 + 4) / 4 = 2"),
        ("l2", "√(0² + 1² + 3² + 4²) = 5.1"),
        ("lp", "(|0|^3 + |1|^3 + |3|^3 + |4|^3)^(1/3) = 4.51"),
    ],
)
def test_format_step_writes_a_pooling_window(mode, text):
    """A pooling step carries its mode, so format_step writes its reduction."""
    step = next(pool_windows(D2L_IMAGE, 2, mode=mode, p=3))
    assert format_step(step) == text


def test_draw_matrix_returns_named_artists_and_can_leave_cells_blank():
    """MatrixArtists names its lists; show_text=False writes no label."""
    _, ax = plt.subplots()
    artists = draw_matrix(ax, np.ones((2, 3)), show_text=False, indices=True)
    assert isinstance(artists, MatrixArtists)
    assert artists.texts == []
    assert len(artists.cells) == 6
    labels = draw_matrix(ax, np.ones((2, 2)), indices=True, index_origin=(5, 7))
    assert [t.get_text() for t in labels.indices] == ["5", "6", "7", "8"]


def test_show_filter_clipped_view_is_the_shared_clipped_view():
    """The figure's clipped panel is ops.clipped_view of the 0–255 output."""
    image = np.zeros((8, 8))
    image[:, 4:] = 1
    _, axes = show_filter(image, "box_blur", clipped=True)
    result = correlate2d(image, KERNELS["box_blur"].values, padding="same")
    shown = np.asarray(axes[4].images[0].get_array())
    np.testing.assert_array_equal(
        shown, clipped_view(result * 255, KERNELS["box_blur"].values)
    )


def test_format_step_rejects_a_kernel_of_another_shape():
    """The kernel must match the window."""
    step = next(sliding_windows(D2L_IMAGE, D2L_KERNEL))
    with pytest.raises(ValueError, match="`kernel` must have the shape"):
        format_step(step, np.ones((3, 3)))


# -- draw_matrix ---------------------------------------------------------------


@pytest.mark.parametrize(
    "values",
    [
        np.arange(12).reshape(3, 4) - 5,
        np.array([[0.25, 1 / 3], [-1.5, 100.0]]),
        np.array([[True, False]]),
    ],
)
def test_draw_matrix_texts_equal_the_values(values):
    """Each cell's label reads back as its value (to the digits shown)."""
    _, ax = plt.subplots()
    artists = draw_matrix(ax, values)
    texts = [text.get_text() for text in artists.texts]
    assert len(texts) == values.size == len(artists.cells)
    for text, value in zip(texts, np.asarray(values, dtype=float).ravel(), strict=True):
        assert label_number(text) == pytest.approx(value, rel=2e-3)
    positions = [text.get_position() for text in artists.texts]
    rows, cols = values.shape
    assert positions == [(c, r) for r in range(rows) for c in range(cols)]


def test_draw_matrix_shows_integers_without_decimals():
    """Whole numbers stored as floats are written as integers."""
    _, ax = plt.subplots()
    artists = draw_matrix(ax, np.array([[1.0, -2.0], [0.0, 255.0]]))
    labels = [text.get_text() for text in artists.texts]
    assert labels == ["1", "\N{MINUS SIGN}2", "0", "255"]


def test_draw_matrix_uses_a_format_string():
    """fmt overrides the default number format."""
    _, ax = plt.subplots()
    artists = draw_matrix(ax, [[1, 2]], fmt="{:.2f}")
    assert [text.get_text() for text in artists.texts] == ["1.00", "2.00"]


@pytest.mark.parametrize(
    ("role", "cmap"),
    [
        ("input", None),
        ("kernel", None),
        ("output", None),
        ("input", "gray"),
        ("output", "RdBu_r"),
    ],
)
def test_draw_matrix_text_contrasts_with_its_cell(role, cmap):
    """Every label reaches 4.5:1 against its own cell's fill."""
    _, ax = plt.subplots()
    values = np.linspace(-10, 10, 25).reshape(5, 5)
    artists = draw_matrix(ax, values, role=role, cmap=cmap, padding=1)
    for cell, text in zip(artists.cells, artists.texts, strict=True):
        assert cell.get_facecolor()[3] == 1.0
        assert contrast_ratio(text.get_color(), cell.get_facecolor()) >= 4.5


def test_draw_matrix_highlight_box_sits_on_the_cells():
    """A (row, col, height, width) box outlines exactly those cells."""
    _, ax = plt.subplots()
    artists = draw_matrix(ax, np.zeros((4, 5)), highlight=[(1, 2, 2, 3)])
    (box,) = artists.highlights
    assert box.get_xy() == (1.5, 0.5)
    assert (box.get_width(), box.get_height()) == (3, 2)
    assert to_rgba(box.get_edgecolor()) == to_rgba(WINDOW)


def test_draw_matrix_highlight_mask_outlines_each_cell():
    """A boolean mask outlines each True cell."""
    _, ax = plt.subplots()
    mask = np.zeros((3, 3), dtype=bool)
    mask[0, 0] = mask[2, 1] = True
    artists = draw_matrix(ax, np.ones((3, 3)), highlight=mask)
    corners = sorted(patch.get_xy() for patch in artists.highlights)
    assert corners == [(-0.5, -0.5), (0.5, 1.5)]


def test_draw_matrix_padding_cells_are_dashed():
    """The padding ring is dashed and the real cells are solid."""
    _, ax = plt.subplots()
    artists = draw_matrix(ax, np.zeros((5, 6)), padding=((1, 1), (1, 2)))
    dashed = [cell for cell in artists.cells if cell.get_linestyle() == "--"]
    assert len(dashed) == 5 * 6 - 3 * 3
    assert dashed == artists.padding
    solid = [cell for cell in artists.cells if cell.get_linestyle() == "-"]
    assert sorted(cell.get_xy() for cell in solid)[0] == (0.5, 0.5)


def test_draw_matrix_indices_count_real_cells_only():
    """Row and column indices start at the first real (not padding) cell."""
    _, ax = plt.subplots()
    artists = draw_matrix(ax, np.zeros((4, 4)), padding=1, indices=True)
    assert [text.get_text() for text in artists.indices] == ["0", "1"] * 2


def test_draw_matrix_draws_nan_as_an_empty_cell():
    """NaN (a padded pooling cell) has an empty label."""
    _, ax = plt.subplots()
    artists = draw_matrix(ax, [[np.nan, 1.0]])
    assert [text.get_text() for text in artists.texts] == ["", "1"]


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        (
            {"values": np.zeros((2, 2, 2))},
            ValueError,
            "`values` must be a non-empty 2-D",
        ),
        ({"values": [["a"]]}, TypeError, "`values` must hold real numbers"),
        ({"values": [[np.inf]]}, ValueError, "`values` must not contain infinity"),
        ({"role": "image"}, ValueError, "`role` must be one of"),
        ({"padding": 2}, ValueError, "`padding` 2 leaves no real cells"),
        ({"padding": -1}, ValueError, "`padding` must be a non-negative integer"),
        ({"highlight": np.zeros((1, 1), bool)}, ValueError, "`highlight` mask"),
        ({"highlight": [(0, 0, 1)]}, ValueError, "`highlight` must be a boolean"),
    ],
)
def test_draw_matrix_rejects_bad_input(kwargs, error, match):
    """Bad arguments raise errors that name the parameter."""
    _, ax = plt.subplots()
    arguments = {"values": np.zeros((3, 3)), **kwargs}
    with pytest.raises(error, match=match):
        draw_matrix(ax, **arguments)


# -- draw_image and draw_crop ------------------------------------------------------


def test_draw_image_scales_unit_images_to_0_1():
    """Images in [0, 1] are shown on a fixed 0–1 scale, not stretched."""
    _, ax = plt.subplots()
    artists = draw_image(ax, np.full((4, 4), 0.5))
    assert artists.image.norm.vmin == 0.0
    assert artists.image.norm.vmax == 1.0
    assert artists.grid is None
    assert artists.title is None


def test_draw_image_pixel_grid_has_a_line_between_pixels():
    """The pixel grid has H + 1 + W + 1 lines on pixel borders."""
    _, ax = plt.subplots()
    artists = draw_image(ax, np.zeros((3, 5)), pixel_grid=True, title="Input")
    segments = artists.grid.get_segments()
    assert len(segments) == 4 + 6
    assert segments[0][0].tolist() == [-0.5, -0.5]
    assert artists.title.get_text() == "Input"


def test_draw_image_rejects_two_channels():
    """A colour image needs three channels."""
    _, ax = plt.subplots()
    with pytest.raises(ValueError, match="`image` must have 3 colour channels"):
        draw_image(ax, np.zeros((2, 2, 2)))


def test_draw_crop_shows_the_crop_with_image_indices():
    """A crop's cells hold the image values and its indices the image's."""
    _, ax = plt.subplots()
    image = 10 * np.arange(6)[:, None] + np.arange(6)
    artists = draw_crop(ax, image, slice(1, 3), (3, 5))
    assert [text.get_text() for text in artists.texts] == ["13", "14", "23", "24"]
    assert [text.get_text() for text in artists.indices] == ["1", "2", "3", "4"]


def test_draw_crop_rejects_an_empty_selection():
    """An empty row range names `rows`."""
    _, ax = plt.subplots()
    with pytest.raises(ValueError, match="`rows` must select"):
        draw_crop(ax, np.zeros((4, 4)), (3, 3), (0, 2))


# -- figure builders -----------------------------------------------------------


@pytest.mark.parametrize("name", kernel_names())
def test_show_filter_renders_every_registry_kernel(name):
    """Every registry kernel renders, titled, with a colourbar and alt text."""
    image = grid_image(48, cell=12)
    fig, axes = show_filter(image, name)
    assert axes[1].get_title().replace("\n", " ") == f"Kernel '{name}'"
    kernel = KERNELS[name].values
    texts = [t.get_text() for t in axes[1].texts if t.get_gid() == "cell"]
    # A normalised kernel is written as whole numbers, "each ÷ divisor".
    divisors = [
        float(t.get_text().removeprefix("each ÷ "))
        for t in axes[1].texts
        if t.get_text().startswith("each ÷ ")
    ]
    divisor = divisors[0] if divisors else 1.0
    assert len(texts) == kernel.size
    for text, value in zip(texts, kernel.ravel(), strict=True):
        assert label_number(text) / divisor == pytest.approx(value, rel=2e-3, abs=1e-3)
    shown = axes[2].images[0].get_array()
    np.testing.assert_allclose(shown, correlate2d(image, kernel, padding="same"))
    norm = axes[2].images[0].norm
    if shown.min() < 0:
        assert norm.vmin == -norm.vmax
        assert axes[2].images[0].get_cmap().name == DIVERGING
        assert axes[2].get_title().endswith("signed")
    else:
        assert norm.vmin == 0
        assert axes[2].images[0].get_cmap().name == GRAY
        assert axes[2].get_title().endswith("≥ 0")
    assert axes[2].images[0].colorbar is not None
    assert axes[2].images[0].colorbar.ax is axes[3]
    assert name in get_alt_text(fig)
    fig.canvas.draw()


def test_show_filter_clipped_view_hides_negative_values():
    """The clipped view is the post's 0–255 result; negatives become 0."""
    image = np.zeros((10, 10))
    image[:, 5:] = 1.0
    fig, axes = show_filter(image, VERTICAL, clipped=True)
    assert len(axes) == 5
    assert "Clipped" in axes[4].get_title()
    clipped = np.asarray(axes[4].images[0].get_array())
    signed = correlate2d(image * 255, VERTICAL, padding="same")
    np.testing.assert_allclose(clipped, np.clip(signed, 0, 255))
    assert signed.min() < 0
    assert "clipped" in get_alt_text(fig)


def _rendered(ax):
    """Return the RGBA colours an Axes' first image gives its pixels."""
    image = ax.images[0]
    return image.to_rgba(np.asarray(image.get_array()))


def test_show_filter_draws_the_identity_output_like_its_input():
    """No negative value: the output is gray, on the input's scale, alike."""
    image = grid_image(60, cell=15)
    fig, axes = show_filter(image, "identity", clipped=True)
    shown = axes[2].images[0]
    assert shown.get_cmap().name == GRAY
    assert (shown.norm.vmin, shown.norm.vmax) == (0.0, 1.0)
    np.testing.assert_array_equal(_rendered(axes[2]), _rendered(axes[0]))
    assert axes[2].get_title() == "Output 60×60, ≥ 0"
    assert shown.colorbar is not None
    assert "black 0, white 1" in [t.get_text() for t in axes[2].texts]
    assert "gray like the input" in get_alt_text(fig)
    assert "diverging" not in get_alt_text(fig)


def test_show_filter_draws_a_positive_output_beyond_the_input_from_0():
    """The box blur's sums reach 9: black is 0, white the largest value."""
    image = grid_image(60, cell=15)
    _, axes = show_filter(image, "box_blur")
    norm = axes[2].images[0].norm
    result = correlate2d(image, KERNELS["box_blur"].values, padding="same")
    assert axes[2].images[0].get_cmap().name == GRAY
    assert (norm.vmin, norm.vmax) == (0.0, result.max())
    assert "black 0, white 9" in [t.get_text() for t in axes[2].texts]


def test_show_filter_keeps_signed_outputs_on_the_diverging_map():
    """An output with a negative value stays diverging, centred at 0."""
    image = grid_image(60, cell=15)
    fig, axes = show_filter(image, "sharpen")
    shown = axes[2].images[0]
    assert np.asarray(shown.get_array()).min() < 0
    assert shown.get_cmap().name == DIVERGING
    assert shown.norm.vmin == -shown.norm.vmax
    assert axes[2].get_title().endswith(", signed")
    assert "diverging" in get_alt_text(fig)


def _bars(fig, axes):
    """Return the colour bars of a bank: the Axes after its panels, titled."""
    return [ax for ax in fig.axes[axes.size :] if ax.get_title()]


def test_show_filters_draws_each_panel_on_the_map_of_its_sign():
    """Identity and blurs in gray (identity alike the input); edges diverging."""
    image = grid_image(60, cell=15)
    fig, axes = show_filters(image, ["identity", "vertical", "gaussian_blur"], ncols=4)
    panels = axes.ravel()
    maps = [ax.images[0].get_cmap().name for ax in panels]
    assert maps == [GRAY, GRAY, DIVERGING, GRAY]
    np.testing.assert_array_equal(_rendered(panels[1]), _rendered(panels[0]))
    assert panels[2].images[0].norm.vmin == -panels[2].images[0].norm.vmax
    assert [bar.get_title() for bar in _bars(fig, axes)] == ["signed", "gray"]
    alt = get_alt_text(fig)
    assert "signed outputs (Vertical edges (Prewitt x))" in alt
    assert "in gray like an image (Identity" in alt


@pytest.mark.parametrize("name", ["sharpen", "emboss", "edges", "gaussian_blur"])
def test_show_filters_draws_kernels_adding_to_one_as_clipped_images(name):
    """Weights adding up to 1: gray on the input's 0–1 scale, beyond it clipped."""
    image = grid_image(60, cell=15)
    fig, axes = show_filters(image, [name], show_input=False)
    shown = axes.ravel()[0].images[0]
    assert shown.get_cmap().name == GRAY
    assert (shown.norm.vmin, shown.norm.vmax) == (0.0, 1.0)
    result = correlate2d(image, KERNELS[name].values, padding="same")
    (bar,) = _bars(fig, axes)
    assert bar.get_title() == "gray"
    beyond = {"neither": (False, False), "min": (True, False), "max": (False, True)}
    expected = beyond.get(bar._colorbar.extend, (True, True))
    assert expected == (bool(result.min() < 0), bool(result.max() > 1))


def test_show_filters_with_signed_outputs_only_has_one_colourbar():
    """No gray panel, no gray colourbar."""
    fig, axes = show_filters(grid_image(36, cell=12), ["vertical"], show_input=False)
    assert [bar.get_title() for bar in _bars(fig, axes)] == ["signed"]


def test_show_filter_flip_convolves():
    """flip=True shows the convolution and a ∗ sign."""
    image = np.arange(25.0).reshape(5, 5)
    kernel = np.array([[1.0, 2.0], [3.0, 4.0]])
    fig, axes = show_filter(image, kernel, flip=True, padding="valid")
    expected = correlate2d(image, kernel[::-1, ::-1])
    np.testing.assert_allclose(axes[2].images[0].get_array(), expected)
    assert "∗" in [t.get_text() for t in fig.texts if t.get_gid() == "operator"]


def test_show_filter_rejects_an_unknown_kernel_name():
    """An unknown kernel name lists the registry."""
    with pytest.raises(ValueError, match="`kernel` must be one of 'identity'"):
        show_filter(np.zeros((5, 5)), "blurry")


def test_show_filters_makes_one_panel_per_kernel():
    """Small multiples: the input, then one panel per kernel; extras hidden."""
    image = grid_image(36, cell=12)
    fig, axes = show_filters(image, ["vertical", "horizontal", "edges"], ncols=3)
    assert axes.shape == (2, 3)
    visible = [ax for ax in axes.ravel() if ax.get_visible()]
    # Long titles break into lines that fit their column.
    assert [ax.get_title().replace("\n", " ") for ax in visible] == [
        "Input 36×36",
        KERNELS["vertical"].title,
        KERNELS["horizontal"].title,
        KERNELS["edges"].title,
    ]
    assert "3 kernels" in get_alt_text(fig)


def test_show_filters_accepts_a_mapping():
    """A mapping gives the panel titles."""
    _, axes = show_filters(np.eye(6), {"mine": np.ones((2, 2))}, show_input=False)
    assert axes.ravel()[0].get_title() == "mine"


def test_show_pooling_marks_the_maximum_of_each_group():
    """Max pooling circles each group's winner; the output holds the maxima."""
    feature_map = np.array([[1, 3, 2, 1], [4, 6, 5, 0], [3, 1, 1, 2], [0, 2, 4, 8]])
    fig, axes = show_pooling(feature_map, 2)
    picks = sorted(
        patch.center for patch in axes[0].patches if isinstance(patch, Circle)
    )
    assert picks == [(0, 2), (1, 1), (2, 1), (3, 3)]
    out = [t.get_text() for t in axes[1].texts if t.get_gid() == "cell"]
    assert out == ["6", "5", "3", "8"]
    left, right = _caption(fig).split(" = ", 1)[1].split(" = ")
    assert evaluate_caption(left) == label_number(right) == 6
    _check_text_contrast(fig)


@pytest.mark.parametrize("mode", ["avg", "min", "max"])
def test_show_pooling_caption_matches_the_library(mode):
    """The caption's arithmetic equals pool2d's first value."""
    feature_map = np.arange(25).reshape(5, 5) % 6
    fig, axes = show_pooling(feature_map, 2, mode=mode, padding=1)
    expected = pool2d(feature_map, 2, mode=mode, padding=1)
    left, right = _caption(fig).split(" = ", 1)[1].split(" = ")
    assert evaluate_caption(left) == pytest.approx(expected[0, 0])
    assert label_number(right) == pytest.approx(expected[0, 0])
    out = [label_number(t.get_text()) for t in axes[1].texts if t.get_gid() == "cell"]
    np.testing.assert_allclose(out, expected.ravel(), rtol=2e-3)
    dashed = [p for p in axes[0].patches if p.get_linestyle() == "--"]
    assert len(dashed) == 7 * 7 - 5 * 5


def test_show_pooling_with_ceil_mode_shows_the_extra_cells():
    """ceil_mode windows that reach past the edge are drawn on padding cells."""
    steps = list(pool_windows(np.ones((5, 5)), 2, ceil_mode=True))
    _, axes = show_pooling(np.ones((5, 5)), 2, ceil_mode=True)
    assert len(steps) == 9
    cells = [t for t in axes[0].texts if t.get_gid() == "cell"]
    assert len(cells) == 6 * 6


def test_show_step_writes_the_arithmetic_of_the_cell():
    """The caption, the window and the output cell agree with the library."""
    image = np.arange(36).reshape(6, 6) % 7
    fig, axes = show_step(image, VERTICAL, 1, 2, padding=1)
    result = correlate2d(image, VERTICAL, padding=1)
    label, left, right = _caption(fig).split(" = ")
    assert label == "Output[1, 2]"
    assert evaluate_caption(left) == label_number(right) == result[1, 2]
    (window,) = [p for p in axes[0].patches if p.get_fill() is False]
    assert window.get_xy() == (1.5, 0.5)
    assert (window.get_width(), window.get_height()) == (3, 3)
    (current,) = [p for p in axes[3].patches if p.get_fill() is False]
    assert current.get_xy() == (1.5, 0.5)
    step = next(
        s for s in sliding_windows(image, VERTICAL, padding=1) if s.position == (1, 2)
    )
    products = [
        label_number(t.get_text()) for t in axes[2].texts if t.get_gid() == "cell"
    ]
    np.testing.assert_array_equal(products, step.products.ravel())
    _check_text_contrast(fig)


def test_show_step_outlines_each_tap_of_a_dilated_kernel():
    """With dilation the window is outlined tap by tap."""
    _, axes = show_step(np.arange(25).reshape(5, 5), np.ones((2, 2)), 0, 0, dilation=2)
    outlines = [p for p in axes[0].patches if p.get_fill() is False]
    assert sorted(p.get_xy() for p in outlines) == [
        (-0.5, -0.5),
        (-0.5, 1.5),
        (1.5, -0.5),
        (1.5, 1.5),
    ]


def test_show_step_rejects_a_cell_outside_the_output():
    """row and col must lie inside the output."""
    with pytest.raises(ValueError, match="`row` must be below the output's 2 rows"):
        show_step(D2L_IMAGE, D2L_KERNEL, 2, 0)
    with pytest.raises(ValueError, match="`col` must be below"):
        show_step(D2L_IMAGE, D2L_KERNEL, 0, 5)


@pytest.mark.parametrize(
    ("size", "kernel", "padding", "stride", "dilation"),
    [(5, 3, 1, 2, 1), (6, 3, 0, 2, 1), (7, 3, 0, 1, 2), ((5, 7), (3, 2), 0, (1, 2), 1)],
)
def test_show_arithmetic_caption_gives_the_output_size(
    size, kernel, padding, stride, dilation
):
    """Each formula line evaluates to output_shape, which the grid has."""
    fig, axes = show_arithmetic(
        size, kernel, padding=padding, stride=stride, dilation=dilation
    )
    expected = output_shape(
        (size, size) if isinstance(size, int) else size,
        (kernel, kernel) if isinstance(kernel, int) else kernel,
        padding=padding,
        stride=stride,
        dilation=dilation,
    )
    lines = _caption(fig).split("\n")[1:]
    values = []
    for line in lines:
        formula, result = line.rsplit(" = ", 1)
        formula = formula.split("= ")[-1].split(": ")[-1]
        python = formula.replace("·", "*").replace("−", "-")
        python = python.replace("⌊", "(").replace("⌋ + 1", ")//1 + 1")
        python = re.sub(r"\)/(\d+)\)", r")//\1)", python)
        assert int(eval(python, {"__builtins__": {}})) == int(result)
        values.append(int(result))
    assert tuple(values) in {expected, (expected[0],)}
    assert axes[1].get_title() == f"Output {expected[0]}×{expected[1]}"


def test_show_arithmetic_hatches_cells_no_window_reaches():
    """A 6-wide input with a 3-kernel and stride 2 leaves the last row and column."""
    _, axes = show_arithmetic(6, 3, stride=2)
    leftover = [p for p in axes[0].patches if p.get_gid() == "leftover"]
    assert len(leftover) == 6 + 6 - 1
    assert {p.get_xy()[0] for p in leftover} | {p.get_xy()[1] for p in leftover} >= {
        4.5
    }
    _, axes = show_arithmetic(5, 3, stride=2)
    assert not [p for p in axes[0].patches if p.get_gid() == "leftover"]


def test_show_arithmetic_hatches_the_gaps_of_a_stride_wider_than_the_window():
    """Stride 3 with a 1×1 window on 7 cells reads 0, 3 and 6: 40 cells unread."""
    fig, axes = show_arithmetic(7, 1, stride=3)
    hatched = {
        (round(p.get_xy()[1] + 0.5), round(p.get_xy()[0] + 0.5))
        for p in axes[0].patches
        if p.get_gid() == "leftover"
    }
    read = {0, 3, 6}
    assert hatched == {
        (r, c) for r in range(7) for c in range(7) if r not in read or c not in read
    }
    alt = get_alt_text(fig)
    assert "; 40 cells are reached by no window" in alt
    _, axes = show_arithmetic(6, 3, stride=2)
    assert "at the bottom or right" in get_alt_text(axes[0].figure)


def test_show_arithmetic_marks_dilated_taps_and_padding():
    """The taps of a dilated kernel are marked; the padding ring is dashed."""
    _, axes = show_arithmetic(5, 2, padding=1, dilation=3)
    taps = sorted(p.get_xy() for p in axes[0].patches if p.get_gid() == "tap")
    assert taps == [(-0.5, -0.5), (-0.5, 2.5), (2.5, -0.5), (2.5, 2.5)]
    dashed = [p for p in axes[0].patches if p.get_linestyle() == "--"]
    assert len(dashed) == 7 * 7 - 5 * 5
    (window,) = [p for p in axes[0].patches if p.get_gid() == "window"]
    assert (window.get_width(), window.get_height()) == (4, 4)


def test_show_legend_names_every_role():
    """The legend names each role and the diverging scale."""
    fig, ax = show_legend()
    labels = [t.get_text() for t in ax.texts if t.get_gid() == "label"]
    assert [label.rstrip(":") for label in labels] == [
        "Input",
        "Kernel",
        "Output",
        "Padding (dashed)",
        "Current window",
        "Signed values",
        "Values ≥ 0",
    ]
    assert "vermillion" in get_alt_text(fig)
    assert "black (0)" in get_alt_text(fig)
    _check_text_contrast(fig)


def test_show_matrix_titles_with_role_and_shape():
    """show_matrix titles the matrix and describes it in the alt text."""
    fig, ax = show_matrix(np.arange(6).reshape(2, 3), role="output", indices=True)
    assert ax.get_title() == "Output 2×3"
    assert get_alt_text(fig) == "Output 2×3 matrix [[0, 1, 2], [3, 4, 5]]"


BUILDERS = {
    "matrix": lambda: show_matrix(np.arange(9).reshape(3, 3) - 4, padding=1),
    "filter": lambda: show_filter(grid_image(30, cell=10), "edges", clipped=True),
    "filters": lambda: show_filters(grid_image(30, cell=10), ["vertical", "outline"]),
    "pooling": lambda: show_pooling(np.arange(16).reshape(4, 4), 2, mode="avg"),
    "step": lambda: show_step(D2L_IMAGE, D2L_KERNEL, 1, 1),
    "arithmetic": lambda: show_arithmetic(5, 3, padding=1, stride=2),
    "legend": show_legend,
}


@pytest.mark.parametrize("name", sorted(BUILDERS))
def test_builders_set_alt_text_and_readable_text(name):
    """Every builder sets alt text; all its text reads on both themes."""
    fig, _ = BUILDERS[name]()
    alt = get_alt_text(fig)
    assert alt is not None
    assert len(alt) > 40
    _check_text_contrast(fig)


@pytest.mark.parametrize("name", sorted(BUILDERS))
def test_builders_fit_a_documentation_page(name):
    """No figure is wider than 7.5 inches (750 px at 100 dpi)."""
    fig, _ = BUILDERS[name]()
    assert fig.get_size_inches()[0] <= 7.5 + 1e-9


@pytest.mark.parametrize("name", ["step", "filter", "legend"])
def test_builders_save_byte_identical_files(name, tmp_path):
    """The same figure built twice saves to the same bytes."""
    first = save_figure(BUILDERS[name]()[0], tmp_path / "a.png").read_bytes()
    plt.close("all")
    second = save_figure(BUILDERS[name]()[0], tmp_path / "b.png").read_bytes()
    assert first == second


def test_builders_apply_the_style_themselves():
    """After rcdefaults (as mkdocs-gallery does) figures still use the style."""
    plt.rcdefaults()
    fig, ax = show_matrix(np.eye(2))
    assert fig.get_facecolor()[3] == 0.0
    assert ax.title.get_fontfamily()[0] in ("sans-serif", "DejaVu Sans")
    assert ax.title.get_fontname() == "DejaVu Sans"


@pytest.mark.parametrize(
    ("build", "name"),
    [
        (lambda: show_matrix(np.zeros((30, 5))), "values"),
        (
            lambda: show_step(np.zeros((23, 23)), np.ones((3, 3)), 0, 0, padding=1),
            "image",
        ),
        (lambda: show_pooling(np.zeros((40, 40)), 2), "feature_map"),
        (lambda: show_arithmetic(30, 3), "input_size"),
    ],
)
def test_builders_refuse_matrices_too_large_to_write_out(build, name):
    """Cell-by-cell figures ask for a crop instead of drawing thousands of cells."""
    with pytest.raises(ValueError, match=f"`{name}` is too large to draw as numbers"):
        build()


def test_show_filters_draws_each_kernel_as_a_small_matrix():
    """Under each panel the kernel's numbers, a normalised one as whole ÷ n."""
    fig, axes = show_filters(np.eye(8), ["gaussian_blur", "vertical"], show_input=False)
    matrices = fig.axes[axes.size + len(_bars(fig, axes)) :]
    cells = [
        [t.get_text() for t in ax.texts if t.get_gid() == "cell"] for ax in matrices
    ]
    assert cells == [
        ["1", "2", "1", "2", "4", "2", "1", "2", "1"],
        ["1", "0", "\N{MINUS SIGN}1"] * 3,
    ]
    notes = [
        [t.get_text() for t in ax.texts if t.get_gid() != "cell"] for ax in matrices
    ]
    assert notes == [["÷ 16"], []]
    for panel, matrix in zip(axes.ravel()[:2], matrices, strict=True):
        assert matrix.get_position().y1 < panel.get_position().y0


# -- every text inside the figure, page width ------------------------------------


def _drawn_text_boxes(fig):
    """Return (text, [box, rounded box if any]) for each text a draw shows."""
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    # Tick labels of an Axes with its axis off (or hidden) are not drawn.
    hidden = {
        id(text)
        for ax in fig.axes
        if not (ax.axison and ax.get_visible())
        for text in ax.xaxis.findobj(Text) + ax.yaxis.findobj(Text)
    }
    found = []
    for text in fig.findobj(Text):
        if not text.get_visible() or not text.get_text().strip():
            continue
        if id(text) in hidden or (text.axes and not text.axes.get_visible()):
            continue
        boxes = [text.get_window_extent(renderer)]
        if text.get_bbox_patch() is not None:
            boxes.append(text.get_bbox_patch().get_window_extent(renderer))
        found.append((text, boxes))
    return found


def _texts_outside(fig):
    """Return the drawn texts (or their rounded boxes) that cross the figure edge."""
    frame = fig.bbox
    outside = []
    for text, boxes in _drawn_text_boxes(fig):
        for box in boxes:
            if (
                box.x0 < frame.x0 - 0.5
                or box.x1 > frame.x1 + 0.5
                or box.y0 < frame.y0 - 0.5
                or box.y1 > frame.y1 + 0.5
            ):
                outside.append(text.get_text())
                break
    return outside


# An orthogonal array over dilation, stride and padding 1–3, 1–3, 0–2 (every
# pair of values appears once), each with a small and a larger input.
ARITHMETIC_CASES = [
    (n, k, p, s, d)
    for d, s, p in [
        (1, 1, 0),
        (1, 2, 1),
        (1, 3, 2),
        (2, 1, 1),
        (2, 2, 2),
        (2, 3, 0),
        (3, 1, 2),
        (3, 2, 0),
        (3, 3, 1),
    ]
    for n, k in [(3, 2), (6, 3)]
    if d * (k - 1) + 1 <= n + 2 * p
] + [
    (10, 4, 0, 1, 3),
    (8, 4, 1, 1, 3),
    (5, 3, 0, 1, 2),
    (6, 3, 0, 2, 1),
    (4, 1, 2, 3, 1),
]


@pytest.mark.parametrize(("n", "k", "padding", "stride", "dilation"), ARITHMETIC_CASES)
def test_show_arithmetic_keeps_every_text_inside_the_figure(
    n, k, padding, stride, dilation
):
    """Titles (a 1×1 output's too), notes and caption lie inside the figure."""
    fig, _ = show_arithmetic(n, k, padding=padding, stride=stride, dilation=dilation)
    assert _texts_outside(fig) == []
    assert fig.get_size_inches()[0] * fig.dpi <= 750 + 1e-6


def test_show_arithmetic_wraps_its_notes_under_the_input():
    """The key under the input breaks into lines no wider than the figure."""
    fig, axes = show_arithmetic(6, 3, padding=1, stride=2)
    (note,) = [t for t in axes[0].texts if t.get_gid() == "note"]
    assert "next window" in note.get_text()
    assert "padding" in note.get_text()
    assert "\n" in note.get_text()
    assert _texts_outside(fig) == []


def _overlapping_texts(fig):
    """Return pairs of drawn texts of one figure whose boxes overlap."""
    boxes = [(text.get_text(), found[-1]) for text, found in _drawn_text_boxes(fig)]
    return [
        (a, b)
        for i, (a, box_a) in enumerate(boxes)
        for b, box_b in boxes[i + 1 :]
        if box_a.overlaps(box_b)
    ]


@pytest.mark.parametrize("ncols", [2, 3, 4, 5])
def test_show_filters_titles_and_notes_never_overlap(ncols):
    """Long titles wrap and wide kernel notes stack, in every column count."""
    fig, _ = show_filters(grid_image(48, cell=12), kernel_names(), ncols=ncols)
    assert _overlapping_texts(fig) == []
    assert _texts_outside(fig) == []
    assert fig.get_size_inches()[0] * fig.dpi <= 750 + 1e-6
    plt.close(fig)


def test_show_filter_writes_a_normalised_kernel_as_integers_and_divisor():
    """The 5×5 Gaussian is drawn as 1 4 6 4 1 … with "each ÷ 256" under it."""
    _, axes = show_filter(grid_image(48, cell=12), "gaussian_blur_5x5")
    cells = [t.get_text() for t in axes[1].texts if t.get_gid() == "cell"]
    assert cells[:5] == ["1", "4", "6", "4", "1"]
    assert "each ÷ 256" in [t.get_text() for t in axes[1].texts]
    _, axes = show_filter(grid_image(48, cell=12), "vertical")
    assert not any("÷" in t.get_text() for t in axes[1].texts)


WIDE_BUILDERS = {
    "matrix_indices": lambda: show_matrix(
        np.arange(24 * 24).reshape(24, 24) % 10, indices=True
    ),
    "matrix_1x1": lambda: show_matrix([[7]], role="output", title="Output 1×1 map"),
    "filter_clipped_titled": lambda: show_filter(
        grid_image(64, cell=16),
        "gaussian_blur_5x5",
        clipped=True,
        title="Blur, then the post's clipped view",
    ),
    "filter_5x5": lambda: show_filter(grid_image(48, cell=12), "gaussian_blur_5x5"),
    "filters_4_columns": lambda: show_filters(
        grid_image(48, cell=12), kernel_names()[:7], ncols=4
    ),
    "pooling_overlap": lambda: show_pooling(
        np.arange(64).reshape(8, 8) % 9, 3, stride=1, mode="avg"
    ),
    "pooling_lp": lambda: show_pooling(
        np.arange(36).reshape(6, 6) % 5, 3, mode="lp", p=3
    ),
    "step_padded": lambda: show_step(
        np.arange(64).reshape(8, 8) % 9 - 4, VERTICAL, 2, 3, padding=1
    ),
    "step_wide_kernel": lambda: show_step(
        np.arange(48).reshape(6, 8) % 7,
        np.arange(-3, 2).reshape(1, 5),
        0,
        0,
        padding="same",
    ),
    "arithmetic_wide": lambda: show_arithmetic(
        (6, 12), (3, 2), padding=2, stride=(1, 2), dilation=(1, 3)
    ),
    "arithmetic_1x1": lambda: show_arithmetic(10, 4, dilation=3),
    "legend": show_legend,
}


@pytest.mark.parametrize("name", sorted(WIDE_BUILDERS))
def test_builders_fit_750_pixels_with_every_text_inside(name):
    """At its own dpi each figure is at most 750 px wide, clips no text and
    draws no text over another."""
    fig, _ = WIDE_BUILDERS[name]()
    assert fig.get_size_inches()[0] * fig.dpi <= 750 + 1e-6
    assert _texts_outside(fig) == []
    assert _overlapping_texts(fig) == []


# -- draw_image: interpolation and value scaling ------------------------------------


def test_draw_image_interpolates_by_screen_pixels():
    """Nearest when a pixel covers a screen pixel or more, else antialiased."""
    _, (big, small) = plt.subplots(1, 2, figsize=(6, 3))
    image = np.random.default_rng(0).random((300, 300))
    assert draw_image(big, image[:40, :40]).image.get_interpolation() == "nearest"
    shown = draw_image(small, image).image
    assert shown.get_interpolation() == "antialiased"
    assert shown.get_array().shape == (300, 300)
    chosen = draw_image(big, image, interpolation="bilinear").image
    assert chosen.get_interpolation() == "bilinear"


def test_draw_image_screen_averages_down_to_screen_pixels():
    """'screen' keeps about one pixel per 1/100 inch, the mean and the extent."""
    fig = plt.figure(figsize=(2, 2))
    ax = fig.add_axes((0, 0, 1, 1))
    image = np.random.default_rng(1).random((300, 240))
    shown = draw_image(ax, image, interpolation="screen").image
    array = np.asarray(shown.get_array())
    assert array.shape == (200, 160)
    assert shown.get_interpolation() == "nearest"
    assert array.mean() == pytest.approx(image.mean())
    assert array.min() >= image.min()
    assert array.max() <= image.max()
    assert shown.get_extent() == [-0.5, 239.5, 299.5, -0.5]
    constant = draw_image(ax, np.full((301, 301), 0.25), interpolation="screen")
    np.testing.assert_allclose(constant.image.get_array(), 0.25)
    rgb = draw_image(ax, np.ones((400, 400, 3)), interpolation="screen").image
    assert rgb.get_array().shape == (200, 200, 3)


def test_draw_image_screen_keeps_small_images_whole():
    """An image already coarser than the screen is not resampled."""
    fig = plt.figure(figsize=(2, 2))
    ax = fig.add_axes((0, 0, 1, 1))
    shown = draw_image(ax, np.eye(8), interpolation="screen").image
    np.testing.assert_array_equal(shown.get_array(), np.eye(8))


def test_draw_image_rejects_an_unknown_interpolation():
    """A misspelt interpolation names the parameter and the choices."""
    _, ax = plt.subplots()
    with pytest.raises(ValueError, match="`interpolation` must be one of 'screen'"):
        draw_image(ax, np.eye(3), interpolation="nearst")


def test_photo_builders_draw_at_screen_resolution(tmp_path):
    """show_filter and show_filters average photographs down: smaller PNGs."""
    photo = np.random.default_rng(2).random((400, 360))
    fig, axes = show_filter(photo, "sobel_x")
    for ax in (axes[0], axes[2]):
        rows, cols = np.asarray(ax.images[0].get_array()).shape
        width, height = ax.get_position().size * fig.get_size_inches()
        assert rows <= height * 100 + 1
        assert cols <= width * 100 + 1
        assert ax.images[0].get_interpolation() == "nearest"
    # The colourbar still marks the full-resolution values beyond the scale.
    assert axes[2].images[0].colorbar.extend == "both"
    screen = save_figure(fig, tmp_path / "screen.png", dpi=200).stat().st_size
    for ax in (axes[0], axes[2]):
        ax.images[0].set_data(
            photo
            if ax is axes[0]
            else correlate2d(photo, KERNELS["sobel_x"].values, padding="same")
        )
        ax.images[0].set_interpolation("antialiased")
    full = save_figure(fig, tmp_path / "full.png", dpi=200).stat().st_size
    assert screen < 0.6 * full
    _, grid = show_filters(photo, ["vertical", "outline"])
    for ax in grid.ravel()[:3]:
        assert np.asarray(ax.images[0].get_array()).shape[0] < 400


@pytest.mark.parametrize(
    ("image", "limits"),
    [
        (np.array([[0.0, 0.5], [0.25, 1.0]]), (0.0, 1.0)),
        (np.array([[0.2, 0.4]]), (0.0, 1.0)),
        (np.array([[True, False]]), (0.0, 1.0)),
        (np.array([[0, 1]], dtype=np.uint8), (0.0, 255.0)),
        (np.array([[0, 128, 200]], dtype=np.uint8), (0.0, 255.0)),
        (np.array([[0, 7, 200]], dtype=np.int64), (0.0, 255.0)),
        (np.array([[0, 1]], dtype=np.int64), (0.0, 1.0)),
        (np.array([[0.0, 1.2, 2.5]]), (0.0, 2.5)),
        (np.array([[0.0, 3.0, 255.0]]), (0.0, 255.0)),
        (np.array([[10.0, 30.0, 200.0]]), (10.0, 200.0)),
        (np.array([[-1.0, 0.5]]), (-1.0, 0.5)),
        (np.array([[0, 300]], dtype=np.int64), (0.0, 300.0)),
        (np.array([[-3, 3]], dtype=np.int16), (-3.0, 3.0)),
    ],
)
def test_draw_image_scales_values_by_the_documented_rule(image, limits):
    """[0, 1] → 0–1; uint8 or integers in 0..255 → 0–255; else the data range."""
    _, ax = plt.subplots()
    norm = draw_image(ax, image).image.norm
    assert (norm.vmin, norm.vmax) == limits


def test_draw_image_shows_a_relu_map_above_1_in_full_range():
    """A 0–2.5 ReLU map reaches white at its maximum (it used to draw black)."""
    _, ax = plt.subplots()
    relu = np.clip(np.linspace(-1.0, 2.5, 16).reshape(4, 4), 0, None)
    shown = draw_image(ax, relu).image
    assert shown.norm(2.5) == pytest.approx(1.0)
    rgb = draw_image(ax, np.dstack([relu] * 3)).image
    assert np.asarray(rgb.get_array()).max() == pytest.approx(1.0)


def test_draw_crop_uses_the_image_scaling_rule():
    """A uint8 crop is coloured on 0–255, a 0–2.5 map on its own range."""
    _, ax = plt.subplots()
    eight_bit = np.full((4, 4), 100, dtype=np.uint8)
    artists = draw_crop(ax, eight_bit, (0, 2), (0, 2))
    gray = np.asarray(to_rgba(artists.cells[0].get_facecolor()))[:3]
    np.testing.assert_allclose(gray, 100 / 255, atol=0.01)
    _, ax = plt.subplots()
    artists = draw_crop(ax, np.array([[0.0, 2.5], [1.0, 2.0]]), (0, 2), (0, 2))
    assert to_rgba(artists.cells[1].get_facecolor())[:3] == (1.0, 1.0, 1.0)


# -- show_pooling: cells that no window reads ------------------------------------------


def _hatched(ax):
    """Return the (row, col) of each hatched cell."""
    return sorted(
        (round(p.get_xy()[1] + 0.5), round(p.get_xy()[0] + 0.5))
        for p in ax.patches
        if p.get_gid() == "leftover"
    )


def test_show_pooling_hatches_the_row_and_column_floor_mode_drops():
    """5×5 input, size 2, stride 2: row 4 and column 4 are read by no window."""
    fig, axes = show_pooling(np.arange(25).reshape(5, 5) % 7, 2)
    expected = sorted({(4, c) for c in range(5)} | {(r, 4) for r in range(5)})
    assert _hatched(axes[0]) == expected
    assert "row 4 and column 4" in get_alt_text(fig)
    assert "read by no window" in get_alt_text(fig)
    (note,) = [t for t in axes[0].texts if t.get_gid() == "note"]
    assert "hatched" in note.get_text()
    assert _texts_outside(fig) == []
    _check_text_contrast(fig)


def test_show_pooling_hatches_gaps_a_large_stride_skips():
    """Size 2, stride 3 on 7×7 reads rows 0, 1, 3, 4: rows 2, 5, 6 are unread."""
    fig, axes = show_pooling(np.ones((7, 7)), 2, stride=3, mode="avg")
    unread = [2, 5, 6]
    expected = sorted(
        {(r, c) for r in unread for c in range(7)}
        | {(r, c) for r in range(7) for c in unread}
    )
    assert _hatched(axes[0]) == expected
    assert "rows 2, 5 and 6 and columns 2, 5 and 6" in get_alt_text(fig)


@pytest.mark.parametrize(
    ("shape", "kwargs"),
    [((4, 4), {}), ((5, 5), {"ceil_mode": True}), ((5, 5), {"padding": 1})],
)
def test_show_pooling_hatches_nothing_when_every_cell_is_read(shape, kwargs):
    """A fitting stride, ceil_mode or padding leaves no cell unread."""
    fig, axes = show_pooling(np.ones(shape), 2, **kwargs)
    assert _hatched(axes[0]) == []
    assert "read by no window" not in get_alt_text(fig)
