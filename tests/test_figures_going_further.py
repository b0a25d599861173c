"""Figures of the frequency, cheaper-convolution, volume and receptive-field pages.

Checked on the artists the builders return: what each panel shows equals
what the library computes, the texts read on both themes, the files are
byte-identical from run to run, and the volume animation changes only
opaque pixels from frame to frame (which keeps its WebP small).
"""

from __future__ import annotations

import itertools
import re

import matplotlib.pyplot as plt
import numpy as np
import pytest
from figure_text import label_number
from matplotlib.collections import LineCollection
from matplotlib.text import Text

from convdemo._movie import _FrameGrabber
from convdemo.analysis import CONV_KINDS, conv_cost, receptive_field
from convdemo.animate import save_animation
from convdemo.draw import (
    animate_conv2d,
    draw_gain,
    draw_receptive_field,
    draw_spectrum,
    draw_volume,
    show_channel_groups,
    show_filtering,
    show_frequency_responses,
    show_outer_product,
    show_two_passes,
)
from convdemo.frequency import frequency_response
from convdemo.kernels import get_kernel
from convdemo.ops import conv2d, correlate2d
from convdemo.style import (
    BACKGROUNDS,
    cell_fill,
    contrast_ratio,
    get_alt_text,
    save_figure,
    styled,
)

# The example of the "Channels in 3-D" page.
_RNG = np.random.default_rng(3)
VOLUME = _RNG.integers(0, 4, size=(5, 5, 3)).astype(float)
FILTERS = _RNG.integers(-1, 2, size=(4, 3, 3, 3)).astype(float)


# Close every figure a test opened (the fixture is in conftest.py).
pytestmark = pytest.mark.usefixtures("close_figures")


def _check_free_texts(fig):
    """Texts on a box read at 4.5:1 on it; the others at 3:1 on both themes."""
    fig.canvas.draw()
    checked = 0
    for text in fig.findobj(Text):
        if not text.get_visible() or not text.get_text().strip():
            continue
        if text.get_bbox_patch() is not None:
            fill = text.get_bbox_patch().get_facecolor()
            assert contrast_ratio(text.get_color(), fill) >= 4.5, text.get_text()
        elif text.get_gid() not in ("caption", "volume-cell"):
            for background in BACKGROUNDS.values():
                assert contrast_ratio(text.get_color(), background) >= 3.0, (
                    text.get_text()
                )
        checked += 1
    assert checked > 0


# --------------------------------------------------------------------------
# Frequency figures
# --------------------------------------------------------------------------


def test_spectrum_shows_a_stripe_pattern_at_its_frequency():
    """Stripes of period 4 light up ±1/4 across, on the middle row."""
    _fig, ax = plt.subplots()
    stripes = np.tile([0.0, 0.0, 1.0, 1.0], (8, 2))
    shown = np.asarray(draw_spectrum(ax, stripes).image.get_array())
    frequencies = np.fft.fftshift(np.fft.fftfreq(8))
    assert frequencies[shown[4] > -4].tolist() == [-0.25, 0.0, 0.25]
    assert np.all(shown[np.arange(8) != 4] == -4)


def test_large_spectra_keep_their_peaks():
    """A grid larger than the panel is reduced by maxima: a lone peak stays."""
    _fig, ax = plt.subplots(figsize=(1.2, 1.2))
    n = 600
    wave = np.cos(2 * np.pi * 37 * np.arange(n) / n)[None, :] * np.ones((n, 1))
    shown = np.asarray(draw_spectrum(ax, wave).image.get_array())
    assert shown.shape[0] < n
    assert np.count_nonzero(shown == 0) == 2  # the two peaks, ±37/600


def test_spectrum_rejects_bad_decades():
    """`decades` must be a positive number."""
    _fig, ax = plt.subplots()
    with pytest.raises(ValueError, match="`decades`"):
        draw_spectrum(ax, np.eye(4), decades=0)


def test_gain_panel_is_the_frequency_response():
    """draw_gain shows |frequency_response| on a 0-to-max scale."""
    _fig, ax = plt.subplots(figsize=(4, 4))
    kernel = get_kernel("sobel_x")
    image = draw_gain(ax, kernel, (12, 12)).image
    np.testing.assert_allclose(
        image.get_array(), frequency_response(kernel, (12, 12)).gain
    )
    assert (image.norm.vmin, image.norm.vmax) == pytest.approx((0, 8))


def test_frequency_responses_panels_and_notes():
    """One titled panel per kernel, its note giving the largest gain."""
    kernels = {"box": np.ones((3, 3)), "edge": get_kernel("vertical")}
    fig, axes = show_frequency_responses(kernels)
    assert [ax.get_title() for ax in axes] == ["box", "edge"]
    notes = [t.get_text() for ax in axes for t in ax.texts]
    assert notes == ["gain 0 (black) to 9", "gain 0 (black) to 6"]
    assert fig.get_size_inches()[0] <= 7.5
    _check_free_texts(fig)


def test_frequency_responses_need_a_kernel():
    """An empty mapping is refused, naming `kernels`."""
    with pytest.raises(ValueError, match="`kernels`"):
        show_frequency_responses({})


def test_filtering_rows_show_the_product_and_its_result():
    """Each row: spectrum × gain = product → the wrap-around correlation."""
    image = np.random.default_rng(0).random((24, 20))
    kernels = {"box": np.ones((3, 3)) / 9, "outline": get_kernel("outline")}
    fig, grid = show_filtering(image, kernels)
    assert grid.shape == (2, 4)
    operators = [t.get_text() for t in fig.texts if t.get_gid() == "operator"]
    assert operators == ["×", "=", "→"] * 2
    for row, kernel in zip(grid, kernels.values(), strict=True):
        shown = np.asarray(row[3].images[0].get_array())
        expected = correlate2d(image, kernel, padding="same", border="wrap")
        np.testing.assert_allclose(shown, expected, atol=1e-12)
    assert fig.get_size_inches()[0] <= 7.5
    _check_free_texts(fig)


# --------------------------------------------------------------------------
# Cheaper convolutions
# --------------------------------------------------------------------------


def test_outer_product_writes_the_kernel():
    """The third panel's numbers are column ⊗ row."""
    _fig, axes = show_outer_product([1, 2, 1], [1, 0, -1])
    written = [label_number(t.get_text()) for t in axes[2].texts]
    assert written == np.outer([1, 2, 1], [1, 0, -1]).ravel().tolist()
    assert [ax.get_title() for ax in axes] == ["column", "row", "kernel"]


def test_two_passes_end_with_the_correlation():
    """Column pass, then row pass: the last panel is correlate2d with the kernel."""
    image = np.random.default_rng(1).random((12, 14))
    fig, axes = show_two_passes(image, [1, 1, 1], [1, 0, -1])
    last = np.asarray(axes[2].images[0].get_array())
    expected = correlate2d(image, get_kernel("vertical"), method="direct")
    np.testing.assert_allclose(last, expected, atol=1e-12)
    notes = [t.get_text() for t in fig.texts if t.get_gid() != "operator"]
    assert notes == ["[1, 1, 1]ᵀ", "[1, 0, −1]"]
    _check_free_texts(fig)


@pytest.mark.parametrize(("channels", "filters", "groups"), [(8, 8, 4), (4, 6, 2)])
def test_channel_groups_draw_one_line_per_kernel(channels, filters, groups):
    """Lines: C·F, C·F/g, C, and C + C·F; the notes are conv_cost's weights."""
    fig, axes = show_channel_groups(channels, filters, groups=groups)
    lines = [
        sum(
            len(c.get_segments())
            for c in ax.collections
            if isinstance(c, LineCollection)
        )
        for ax in axes
    ]
    c, f = channels, filters
    assert lines == [c * f, c * f // groups, c, c + c * f]
    notes = [int(ax.texts[-1].get_text().split()[0].replace(",", "")) for ax in axes]
    expected = [
        conv_cost(
            3,
            c,
            c if kind == "depthwise" else f,
            1,
            kind=kind,
            groups=groups if kind == "grouped" else 1,
            bias=False,
        ).parameters
        for kind in CONV_KINDS
    ]
    assert notes == expected
    assert fig.get_size_inches()[0] <= 7.5
    _check_free_texts(fig)


def test_channel_groups_validate_the_groups():
    """Groups that do not divide the channels are refused, named."""
    with pytest.raises(ValueError, match="`groups`"):
        show_channel_groups(8, 8, groups=3)
    with pytest.raises(ValueError, match="`channels`"):
        show_channel_groups(0, 8)


# --------------------------------------------------------------------------
# Volumes
# --------------------------------------------------------------------------


def test_volume_faces_and_front_numbers():
    """Front H·W, top W·C, side H·C cells; the numbers are channel 0's."""
    _fig, ax = plt.subplots()
    values = np.arange(24.0).reshape(2, 3, 4)
    drawn = draw_volume(ax, values)
    assert [len(face.get_paths()) for face in drawn[:3]] == [6, 12, 8]
    assert [label_number(t.get_text()) for t in drawn.texts] == values[
        ..., 0
    ].ravel().tolist()
    fill = cell_fill("input")
    for text in drawn.texts:
        assert contrast_ratio(text.get_color(), fill) >= 4.5


def test_volume_pending_cells_have_no_number():
    """Cells not filled yet are pale and unnumbered."""
    _fig, ax = plt.subplots()
    filled = np.zeros((2, 2, 1), dtype=bool)
    filled[0, 0, 0] = True
    drawn = draw_volume(ax, np.full((2, 2, 1), 5.0), role="output", filled=filled)
    assert [t.get_text() for t in drawn.texts] == ["5"]
    colours = drawn.front.get_facecolors()
    assert not np.allclose(colours[0], colours[1])


def test_volume_rejects_a_wrong_mask():
    """`filled` must have the values' shape."""
    _fig, ax = plt.subplots()
    with pytest.raises(ValueError, match="`filled`"):
        draw_volume(ax, np.ones((2, 2, 2)), filled=np.ones((2, 2), dtype=bool))


class _Captions(_FrameGrabber):
    """Keep each frame's pixels and caption."""

    def grab_frame(self, **savefig_kwargs):
        super().grab_frame(**savefig_kwargs)
        self.captions = getattr(self, "captions", [])
        (caption,) = [t for t in self.fig.texts if t.get_gid() == "caption"]
        self.captions.append(caption.get_text())


@pytest.fixture(scope="module")
def volume_frames():
    """The page's animation, frame by frame."""
    anim = animate_conv2d(VOLUME, FILTERS)
    grabber = _Captions()
    with styled():
        anim.save("unused.webp", writer=grabber)
    plt.close("all")
    return grabber


def test_volume_animation_captions_add_up_the_channels(volume_frames):
    """Each sliding frame's channel sums add up to conv2d's value."""
    out = conv2d(VOLUME, FILTERS)
    captions = volume_frames.captions
    assert len(captions) == 9 + 3
    for frame, caption in enumerate(captions[:9]):
        i, j = divmod(frame, 3)
        terms = r"red (\S+) \+ green (\S+) \+ blue (\S+) = (\S+)"
        match = re.fullmatch(rf"filter 1, cell \({i}, {j}\): {terms}", caption)
        assert match, caption
        *sums, total = (label_number(group) for group in match.groups())
        window = VOLUME[i : i + 3, j : j + 3] * FILTERS[0]
        assert sums == window.sum(axis=(0, 1)).tolist()
        assert total == sum(sums) == out[i, j, 0]
    assert (
        captions[-1]
        == "4 filters of 3 × 3 × 3 give 4 maps: an output volume of 3 × 3 × 4"
    )


def test_volume_animation_changes_only_opaque_pixels(volume_frames):
    """After the first frame every changed pixel is opaque: WebP stores a delta."""
    frames = volume_frames.frames
    for before, after in itertools.pairwise(frames):
        changed = np.any(before != after, axis=2)
        assert changed.any()
        assert np.all(after[changed, 3] == 255)


def test_volume_animation_file_fits_the_budget(tmp_path):
    """The page's animation is at most 300 KB and the same bytes every time."""
    first = save_animation(animate_conv2d(VOLUME, FILTERS), tmp_path / "a.webp")
    second = save_animation(animate_conv2d(VOLUME, FILTERS), tmp_path / "b.webp")
    assert first.stat().st_size <= 300_000
    assert first.read_bytes() == second.read_bytes()


def test_volume_animation_has_alt_text_and_fits_the_page(volume_frames):
    """The figure describes itself and is at most 7.5 inches wide."""
    fig = volume_frames.fig
    assert "filter volume slides" in get_alt_text(fig)
    assert fig.get_size_inches()[0] <= 7.5


@pytest.mark.parametrize(
    ("image", "kernels", "match"),
    [
        (np.ones((9, 9, 3)), np.ones((1, 3, 3, 3)), "`image`"),
        (np.ones((5, 5, 3)), np.ones((1, 3, 3, 2)), "`kernels`"),
        (np.ones((5, 5)), np.ones((1, 3, 3, 1)), "`image`"),
        (np.ones((5, 5, 3)), np.ones((9, 3, 3, 3)), "`kernels`"),
    ],
)
def test_volume_animation_validates(image, kernels, match):
    """Volumes too large to number, or channels that do not match, are refused."""
    with pytest.raises(ValueError, match=match):
        animate_conv2d(image, kernels)


# --------------------------------------------------------------------------
# Receptive fields
# --------------------------------------------------------------------------


@pytest.mark.parametrize("padding", ["valid", "same", [2, 0, 1]])
def test_field_cells_sit_over_their_centres(padding):
    """Cell f of each layer is centred on centre + f · jump; the field is the span."""
    layers = [(3, 1), (3, 2), (3, 1)]
    _fig, ax = plt.subplots()
    drawn = draw_receptive_field(ax, layers, 12, padding=padding, output=1)
    rows = receptive_field(layers, padding=padding)
    for row, cells in zip(rows, drawn.cells[1:], strict=True):
        centres = [cell.get_x() + cell.get_width() / 2 for cell in cells]
        expected = [row.centre + f * row.jump for f in range(len(cells))]
        np.testing.assert_allclose(centres, expected)
    first, last = rows[-1].span(1)
    assert drawn.field.get_x() == first - 0.5
    assert drawn.field.get_width() == last - first + 1
    pads = sum(sum(row.padding) for row in rows)
    assert len(drawn.padding) == pads


def test_field_rejects_bad_arguments():
    """An output past the top layer, or names of the wrong length, are refused."""
    _fig, ax = plt.subplots()
    with pytest.raises(ValueError, match="`output`"):
        draw_receptive_field(ax, [(3, 1), (3, 2)], 8, output=3)
    with pytest.raises(ValueError, match="`names`"):
        draw_receptive_field(ax, [(3, 1), (3, 2)], 8, names=["one"])


# --------------------------------------------------------------------------
# Files
# --------------------------------------------------------------------------

BUILDERS = {
    "filtering": lambda: show_filtering(np.eye(16), {"box": np.ones((3, 3))}),
    "responses": lambda: show_frequency_responses({"box": np.ones((3, 3))}),
    "outer": lambda: show_outer_product([1, 1, 1], [1, 0, -1]),
    "passes": lambda: show_two_passes(np.eye(8), [1, 1, 1], [1, 0, -1]),
    "groups": lambda: show_channel_groups(4, 4, groups=2),
}


@pytest.mark.parametrize("name", sorted(BUILDERS))
def test_builders_save_byte_identical_files(name, tmp_path):
    """The same figure built twice saves to the same bytes."""
    first = save_figure(BUILDERS[name]()[0], tmp_path / "a.png").read_bytes()
    plt.close("all")
    second = save_figure(BUILDERS[name]()[0], tmp_path / "b.png").read_bytes()
    assert first == second
