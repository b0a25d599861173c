"""Tests for pixel-exact images: the grid keeps every line alike in the files."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest
from PIL import Image

from convdemo._layout import exact_scale, exact_side, snap_images
from convdemo.draw import draw_image, show_filter
from convdemo.images import grid_image
from convdemo.kernels import get_kernel
from convdemo.ops import correlate2d
from convdemo.publish import publish_figure
from convdemo.style import set_alt_text

# The columns of the vertical-edge map of the grid that hold +2.4 and −2.4:
# ten stripes of each sign, two pixels wide (the outer frame gives one of each).
PLUS = [(29 + 30 * k, 30 + 30 * k) for k in range(9)] + [(297, 298)]
MINUS = [(1, 2)] + [(31 + 30 * k, 32 + 30 * k) for k in range(9)]


# Close every figure a test opened (the fixture is in conftest.py).
pytestmark = pytest.mark.usefixtures("close_figures")


@pytest.mark.parametrize(
    ("pixels", "target", "side"),
    [
        (300, 1.5, 1.5),
        (298, 1.5, 1.49),
        (150, 1.5, 1.5),
        (40, 1.5, 1.6),
        (73, 1.5, 1.46),
    ],
)
def test_exact_side_picks_one_or_an_even_number_of_2x_pixels(pixels, target, side):
    """The grid gets 1.5 inches (one 2x pixel each); a crop whole 1x pixels."""
    assert exact_side(pixels, target) == pytest.approx(side)
    scale = exact_scale(side, pixels)
    assert scale == 1 or scale % 2 == 0


def test_exact_side_leaves_large_images_to_averaging():
    """A photograph far larger than the panel has no exact scale."""
    assert exact_side(600, 1.5) is None
    assert exact_scale(1.5, 600) is None
    assert exact_scale(1.55, 40) is None  # 7.75 pixels of the 2x file each


def _panel(path, fig, ax):
    """Return the pixels of a published file and where `ax` starts in it."""
    with Image.open(path) as image:
        pixels = np.asarray(image.convert("RGBA")).astype(int)
    height, width = pixels.shape[:2]
    box = ax.get_position()
    return pixels, round(box.x0 * width), round((1 - box.y1) * height)


@pytest.fixture(scope="module")
def vertical_edges(tmp_path_factory):
    """The vertical-edges whole-grid figure, published at 1x and 2x."""
    folder = tmp_path_factory.mktemp("figures")
    fig, axes = show_filter(grid_image(), "vertical")
    set_alt_text(fig, "The vertical-edge filter on the grid", name="vertical-edges")
    published = publish_figure(fig, folder)
    return folder, published, fig, axes[2]


def test_the_ten_line_responses_look_alike_at_2x(vertical_edges):
    """In the 2x file each ±2.4 stripe has the same colour, pixel for pixel."""
    folder, published, fig, output = vertical_edges
    pixels, left, top = _panel(folder / published.stills[1][1], fig, output)
    row = pixels[top + 15]  # halfway down the first cell
    plus = {tuple(row[left + c]) for stripe in PLUS for c in stripe}
    minus = {tuple(row[left + c]) for stripe in MINUS for c in stripe}
    assert len(plus) == 1
    assert len(minus) == 1
    red, blue = plus.pop(), minus.pop()
    assert red[0] > red[2]
    assert blue[2] > blue[0]
    # The map itself: 1 image pixel = 1 pixel of the 2x file, exactly.
    shown = correlate2d(grid_image(), get_kernel("vertical"), padding="same")
    colours = output.images[0].to_rgba(shown[15], bytes=True).astype(int)
    np.testing.assert_array_equal(row[left + 3 : left + 297], colours[3:297])


def test_the_ten_line_responses_look_alike_at_1x(vertical_edges):
    """In the 1x file (2 × 2 averages) the stripes also come out all alike."""
    folder, published, fig, output = vertical_edges
    pixels, _, _ = _panel(folder / published.stills[0][1], fig, output)
    fine, left, top = _panel(folder / published.stills[1][1], fig, output)
    assert fine.shape[1] == 2 * pixels.shape[1]
    row = pixels[(top + 15) // 2]

    def colours(stripes):
        return {tuple(row[(left + c) // 2]) for stripe in stripes for c in stripe}

    plus, minus = colours(PLUS), colours(MINUS)
    assert len(plus) == 1
    assert len(minus) == 1
    # Each stripe fills one whole 1x pixel: its full colour, not a blend.
    assert plus == {tuple(fine[top + 15, left + 29])}
    assert minus == {tuple(fine[top + 15, left + 31])}


def test_area_averaging_to_a_size_that_does_not_divide_makes_moire():
    """The old way, 300 pixels averaged into 145: the stripes differ (the bug)."""
    fig = plt.figure(figsize=(1.7, 1.7))
    ax = fig.add_axes((0.05, 0.05, 1.45 / 1.7, 1.45 / 1.7))
    shown = correlate2d(grid_image(), get_kernel("vertical"), padding="same")
    image = draw_image(ax, shown, cmap="RdBu_r", interpolation="screen").image
    averaged = np.asarray(image.get_array())
    assert averaged.shape == (145, 145)
    peaks = [
        averaged[7, int(c[0] * 145 / 300) : int(c[1] * 145 / 300) + 2].max()
        for c in PLUS[:9]
    ]
    assert max(peaks) - min(peaks) > 0.5


def test_snap_images_puts_exact_panels_on_whole_pixels():
    """After snapping, a 300-pixel image spans exactly 300 pixels of the 2x file."""
    fig = plt.figure(figsize=(3.333, 2.0))
    ax = fig.add_axes((0.1234, 0.11, 1.5 / 3.333, 1.5 / 2.0))
    draw_image(ax, grid_image())
    snap_images(fig)
    width, height = fig.get_size_inches()
    assert round(width * 100, 6) == 334
    assert round(height * 100, 6) == 200
    box = ax.get_position()
    left, right = box.x0 * width * 200, box.x1 * width * 200
    top = (1 - box.y1) * height * 200
    assert right - left == pytest.approx(300)
    assert left == pytest.approx(round(left))
    assert round(left) % 2 == 1
    assert round(top) % 2 == 1
    assert ax.images[0].get_interpolation() == "nearest"
