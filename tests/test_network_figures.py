"""The tiny CNN's figures: what each builder draws, checked on its artists."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pytest
from PIL import Image

from convdemo.animate import save_animation
from convdemo.cnn import TinyCNN
from convdemo.draw import (
    animate_kernels,
    show_confusion,
    show_digits,
    show_kernels,
    show_layers,
)
from convdemo.style import get_alt_text


def test_show_digits_titles_mistakes_only() -> None:
    """A right answer is titled by its digit, a wrong one 'true → answer'."""
    fig, axes = show_digits(np.zeros((12, 8, 8)), range(12), [*range(11), 3])
    assert len(axes) == 12
    assert axes[0].get_title() == "0"
    assert axes[11].get_title() == "11 → 3"
    plt.close(fig)
    with pytest.raises(ValueError, match="`labels`"):
        show_digits(np.zeros((2, 8, 8)), [1])


def test_show_confusion_counts_and_colours() -> None:
    """Counts land at (true, answer); zeros are blank; the alt text lists mistakes."""
    fig, ax = show_confusion([0, 0, 1, 2, 2, 2], [0, 0, 7, 2, 2, 1])
    texts = [t.get_text() for t in ax.texts[:100]]
    assert texts[0] == "2"
    assert texts[17] == "1"
    assert texts[22] == "2"
    assert texts[21] == "1"
    assert texts.count("") == 96
    alt = get_alt_text(fig)
    assert alt is not None
    assert "4 on the diagonal" in alt
    assert "1 1 read as 7" in alt
    plt.close(fig)
    with pytest.raises(ValueError, match="`labels`"):
        show_confusion([0, 1], [0])


def test_show_kernels_rounds_without_negative_zero() -> None:
    """Labels are rounded to the decimals asked for, never '-0.0'."""
    bank = np.full((2, 3, 3), -0.04)
    bank[1] = 1.26
    fig, axes = show_kernels({"row": bank})
    labels = [t.get_text() for t in axes[0, 0].texts[:9]]
    assert set(labels) == {"0.0"}
    assert axes[0, 1].texts[0].get_text() == "1.3"
    plt.close(fig)


def test_animate_kernels_has_one_frame_per_snapshot(tmp_path) -> None:
    """Three snapshots give three frames; the last is titled after epoch 2."""
    snapshots = [np.full((2, 3, 3), v) for v in (-1.0, 0.0, 1.0)]
    anim = animate_kernels(snapshots)
    fig = plt.gcf()
    with Image.open(save_animation(anim, tmp_path / "k.webp")) as webp:
        assert webp.n_frames == 3
    assert fig.texts[-1].get_text() == "after epoch 2"
    assert fig.axes[0].texts[0].get_text() == "1.0"
    plt.close(fig)


def test_show_layers_draws_every_map_and_the_probabilities() -> None:
    """1 input + 8 + 8 + 16 + 16 maps, then ten bars of the probabilities."""
    maps = TinyCNN(seed=1).forward(np.eye(8) * 16)
    fig, axes = show_layers(maps)
    assert len(axes) == 1 + 8 + 8 + 16 + 16 + 1
    heights = [bar.get_height() for bar in axes[-1].patches]
    np.testing.assert_allclose(heights, maps["probabilities"])
    assert np.array_equal(axes[1].get_images()[0].get_array(), maps["relu1"][..., 0])
    plt.close(fig)
