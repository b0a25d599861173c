"""Tests for convdemo.animate: frames, captions, files, size budget."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest
from figure_text import evaluate_caption, label_number
from matplotlib.animation import AbstractMovieWriter
from PIL import Image

from convdemo.animate import (
    animate_correlation,
    animate_filter_and_pool,
    animate_pooling,
    save_animation,
)
from convdemo.images import grid_image
from convdemo.kernels import get_kernel
from convdemo.ops import convolve2d, correlate2d, pool2d
from convdemo.style import get_alt_text

VERTICAL = np.array([[1, 0, -1], [1, 0, -1], [1, 0, -1]])
SIX = np.arange(36).reshape(6, 6) % 7


# Close every figure a test opened (the fixture is in conftest.py).
pytestmark = pytest.mark.usefixtures("close_figures")


class Recorder(AbstractMovieWriter):
    """Record, for each frame, the caption, outlines and filled output cells."""

    def __init__(self):
        super().__init__(fps=1)
        self.frames = []

    def setup(self, fig, outfile, dpi=None):
        super().setup(fig, outfile, dpi=dpi)

    def grab_frame(self, **savefig_kwargs):
        caption = [t.get_text() for t in self.fig.texts if t.get_gid() == "caption"]
        input_ax, *_, output_ax = self.fig.axes
        outlines = [
            patch.get_xy()
            for patch in input_ax.patches
            if patch.get_fill() is False
            and patch.get_visible()
            and hasattr(patch, "get_xy")
        ]
        filled = [
            t.get_text()
            for t in output_ax.texts
            if t.get_gid() == "cell" and t.get_visible()
        ]
        self.frames.append((caption[0], outlines, filled))

    def finish(self):
        """Nothing to write."""


def _record(anim, tmp_path):
    """Play an animation through the recorder."""
    recorder = Recorder()
    anim.save(str(tmp_path / "unused.gif"), writer=recorder)
    return recorder.frames


@pytest.mark.parametrize(
    ("padding", "stride", "dilation", "flip"),
    [
        ("valid", 1, 1, False),
        (1, 2, 1, False),
        ("same", 1, 2, False),
        ("valid", (1, 2), 1, True),
    ],
)
def test_correlation_has_one_frame_per_output_cell_plus_one(
    padding, stride, dilation, flip, tmp_path
):
    """Frames = output cells + 1; each caption's arithmetic is the output value."""
    image = np.arange(16).reshape(4, 4) % 5
    kernel = np.array([[1, -2], [0, 3]])
    options = {"padding": padding, "stride": stride, "dilation": dilation}
    result = (convolve2d if flip else correlate2d)(image, kernel, **options)
    anim = animate_correlation(image, kernel, flip=flip, **options)
    frames = _record(anim, tmp_path)
    assert len(frames) == result.size + 1
    for index, (caption, outlines, filled) in enumerate(frames[:-1]):
        i, j = divmod(index, result.shape[1])
        label, left, right = caption.split(" = ")
        assert label == f"Output[{i}, {j}]"
        assert evaluate_caption(left) == pytest.approx(result[i, j])
        assert label_number(right) == pytest.approx(result[i, j])
        assert len(filled) == index + 1
        assert outlines
    caption, outlines, filled = frames[-1]
    assert not outlines
    assert [label_number(t) for t in filled] == pytest.approx(result.ravel().tolist())


def test_correlation_window_moves_with_the_stride(tmp_path):
    """The window's top-left corner follows the output index times the stride."""
    anim = animate_correlation(SIX[:4, :4], VERTICAL, stride=(2, 3), padding=1)
    frames = _record(anim, tmp_path)
    corners = [outlines[0] for _, outlines, _ in frames[:-1]]
    assert corners == [(3 * j - 0.5, 2 * i - 0.5) for i in range(2) for j in range(2)]


@pytest.mark.parametrize("mode", ["max", "min", "avg"])
def test_pooling_frames_and_captions_match_pool2d(mode, tmp_path):
    """One frame per pooled cell plus one; each caption equals pool2d's value."""
    feature_map = np.array(
        [[1, 3, 2, 1, 0], [4, 6, 5, 0, 2], [3, 1, 1, 2, 7], [0, 2, 4, 8, 1]]
    )
    options = {"mode": mode, "padding": 1, "ceil_mode": True}
    result = pool2d(feature_map, 2, **options)
    frames = _record(animate_pooling(feature_map, 2, **options), tmp_path)
    assert len(frames) == result.size + 1
    for index, (caption, _, filled) in enumerate(frames[:-1]):
        i, j = divmod(index, result.shape[1])
        label, left, right = caption.split(" = ")
        assert label == f"Output[{i}, {j}]"
        assert evaluate_caption(left) == pytest.approx(result[i, j], rel=2e-3)
        assert label_number(right) == pytest.approx(result[i, j], rel=2e-3)
        assert len(filled) == index + 1


def test_pooling_circles_the_chosen_cell(tmp_path):
    """For max pooling the circle sits on each window's maximum."""
    feature_map = np.array([[1, 3, 2, 1], [4, 6, 5, 0], [3, 1, 1, 2], [0, 2, 4, 8]])
    anim = animate_pooling(feature_map, 2)
    centres = []

    class Circles(Recorder):
        def grab_frame(self, **savefig_kwargs):
            ax = self.fig.axes[0]
            visible = [
                p.center
                for p in ax.patches
                if p.get_gid() == "pick" and p.get_visible()
            ]
            centres.append(visible)

    anim.save(str(tmp_path / "unused.gif"), writer=Circles())
    assert centres == [[(1.0, 1.0)], [(2.0, 1.0)], [(0.0, 2.0)], [(3.0, 3.0)], []]


@pytest.mark.parametrize("suffix", [".gif", ".webp"])
def test_saved_file_has_every_frame(suffix, tmp_path):
    """The written file holds output cells + 1 frames and loops."""
    anim = animate_correlation(np.arange(9).reshape(3, 3), np.ones((2, 2)))
    path = save_animation(anim, tmp_path / f"steps{suffix}")
    with Image.open(path) as image:
        assert image.n_frames == 5
        assert image.info.get("loop") == 0


@pytest.mark.parametrize("suffix", [".gif", ".webp"])
def test_saving_twice_gives_identical_bytes(suffix, tmp_path):
    """Same animation, same bytes."""
    first = save_animation(
        animate_pooling(np.arange(16).reshape(4, 4), 2), tmp_path / f"a{suffix}"
    )
    plt.close("all")
    second = save_animation(
        animate_pooling(np.arange(16).reshape(4, 4), 2), tmp_path / f"b{suffix}"
    )
    assert first.read_bytes() == second.read_bytes()


def test_six_by_six_with_three_by_three_fits_the_size_budget(tmp_path):
    """A 6×6 input and a 3×3 kernel animate into at most 300 KB."""
    anim = animate_correlation(SIX, VERTICAL)
    path = save_animation(anim, tmp_path / "budget.gif")
    assert path.stat().st_size <= 300_000
    with Image.open(path) as image:
        assert image.n_frames == 4 * 4 + 1
        assert image.size[0] <= 800


def _durations(path):
    """Return how long each frame of an animated file lasts, in milliseconds."""
    with Image.open(path) as image:
        durations = []
        for index in range(image.n_frames):
            image.seek(index)
            durations.append(image.info["duration"])
    return durations


def test_final_frame_holds_longer(tmp_path):
    """The last frame stays up hold_last times as long as the others."""
    anim = animate_pooling(np.arange(16).reshape(4, 4), 2)
    path = save_animation(anim, tmp_path / "hold.gif", fps=2, hold_last=4)
    durations = _durations(path)
    assert durations == [500] * 4 + [2000]


def test_webp_keeps_transparency_and_gif_goes_on_white(tmp_path):
    """By default WebP keeps its alpha channel; GIF is put on white."""
    anim = animate_pooling(np.arange(4).reshape(2, 2), 2)
    path = save_animation(anim, tmp_path / "clear.webp")
    with Image.open(path) as image:
        assert image.mode == "RGBA"
        assert image.getpixel((0, 0))[3] == 0
    path = save_animation(anim, tmp_path / "white.gif")
    with Image.open(path) as image:
        assert image.convert("RGBA").getpixel((0, 0)) == (255, 255, 255, 255)


def test_background_colour_is_used(tmp_path):
    """An explicit background colour fills the transparent parts."""
    anim = animate_pooling(np.arange(4).reshape(2, 2), 2)
    path = save_animation(anim, tmp_path / "dark.webp", background="#1e2129")
    with Image.open(path) as image:
        assert image.convert("RGBA").getpixel((0, 0)) == (30, 33, 41, 255)


def test_animations_have_alt_text(tmp_path):
    """Both animations describe themselves."""
    anim = animate_correlation(np.arange(4).reshape(2, 2), np.ones((2, 2)))
    assert "1×1 output" in get_alt_text(plt.gcf())
    save_animation(anim, tmp_path / "a.gif")
    anim = animate_pooling(np.arange(4).reshape(2, 2), 2, mode="avg")
    assert "avg pooling" in get_alt_text(plt.gcf())
    save_animation(anim, tmp_path / "b.gif")


@pytest.mark.parametrize(
    ("name", "kwargs", "match"),
    [
        ("x.mp4", {}, r"`path` must end in '\.gif' or '\.webp'"),
        ("x.gif", {"fps": 0}, "`fps` must be a finite number > 0"),
    ],
)
def test_save_animation_rejects_bad_arguments(name, kwargs, match, tmp_path):
    """Bad suffix, GIF without background and bad fps name the parameter."""
    anim = animate_pooling(np.arange(4).reshape(2, 2), 2)
    with pytest.raises(ValueError, match=match):
        save_animation(anim, tmp_path / name, **kwargs)
    assert save_animation(anim, tmp_path / "fine.gif").exists()


def test_too_many_frames_are_refused():
    """A large image is refused before any figure is made."""
    with pytest.raises(ValueError, match="`image` gives 441 output cells"):
        animate_correlation(np.zeros((23, 23)), np.ones((3, 3)))


def test_default_frame_rate_follows_the_interval(tmp_path):
    """Without fps, each frame lasts the animation's interval."""
    anim = animate_pooling(np.arange(16).reshape(4, 4), 2, interval=250)
    path = save_animation(anim, tmp_path / "quick.gif", hold_last=2)
    durations = _durations(path)
    assert durations == [250] * 4 + [500]


# -- the home page's animation: filter, then pool ------------------------------


def _hero():
    """The home page's animation: the vertical kernel on a grid crossing."""
    return animate_filter_and_pool(grid_image()[26:34, 26:34], get_kernel("vertical"))


def test_filter_and_pool_captions_sweep_then_fill_then_pool(tmp_path):
    """Six sweeps with their sums, five output rows, three pooled rows, the end."""
    frames = _record(_hero(), tmp_path)
    texts = [caption for caption, _, _ in frames]
    assert len(texts) == 15
    assert texts[3] == "Output[0, 3] = 1 + 1 + 1 − 0.2 − 0.2 − 0.2 = 2.4"
    assert texts[4] == "Output[0, 4] = 0.2 + 0.2 + 0.2 − 1 − 1 − 1 = −2.4"
    assert texts[6].startswith("Every window the same way")
    assert texts[11].startswith("Max pooling, 2 × 2")
    assert texts[14].startswith("Filter, then pool")
    # The pooled map (the last Axes) fills one row per pooling frame.
    filled = [len(cells) for _, _, cells in frames]
    assert filled[:11] == [0] * 11
    assert filled[11:] == [3, 6, 9, 9]


def test_filter_and_pool_fits_the_home_page_budget(tmp_path):
    """The WebP is well under 300 KB and loops through 15 frames."""
    anim = _hero()
    path = save_animation(anim, tmp_path / "hero.webp")
    assert path.stat().st_size <= 300_000
    with Image.open(path) as webp:
        assert webp.n_frames == 15
    plt.close("all")


@pytest.mark.parametrize(
    ("image", "kwargs", "match"),
    [
        (np.ones((15, 15)), {}, "`image` is too large"),
        (np.ones((8, 8)), {"sweep": 6}, "`sweep`"),
        (np.ones((8, 8)), {"size": 7}, "`size`"),
        (np.ones((8, 8)), {"size": 0}, "`size`"),
    ],
)
def test_filter_and_pool_rejects_bad_arguments(image, kwargs, match):
    """Too large an image, a sweep row or pool size beyond the output: named."""
    with pytest.raises(ValueError, match=match):
        animate_filter_and_pool(image, get_kernel("vertical"), **kwargs)
