"""
# Why does subsampling break invariance, and does blurring help?

Keeping every second pixel assumes that nothing in the image is finer than
two pixels. A thin line is: depending on where it falls, subsampling keeps
it or loses it entirely. This is aliasing, and blurring before subsampling
(BlurPool, Zhang 2019) reduces it.
"""

# %%
# ## Aliasing in one picture
#
# Stripes one every 2.5 pixels are finer than a grid of every second pixel
# can hold. Keep every second pixel and they do not vanish: they turn into
# stripes 10 pixels apart that are not in the picture at all. That false,
# coarser pattern is an *alias*, as a film's wagon wheel seems to turn
# slowly backwards.

import matplotlib.pyplot as plt
import numpy as np

import convdemo
from convdemo.analysis import blur_pool, shift_experiment
from convdemo.draw import draw_image
from convdemo.style import WINDOW, apply_style, set_alt_text

apply_style()
fine = 0.5 + 0.5 * np.cos(2 * np.pi * np.arange(40) / 2.5)
blurred = convdemo.correlate2d(
    fine[None, :], np.array([[1, 2, 1]]) / 4, padding="same", border="wrap"
)[0]


def strips(rows, name, alt):
    """Draw 1-pixel-high images one above the other, the kept pixels dotted."""
    fig = plt.figure(figsize=(3.4, 0.8 * len(rows)))
    for index, (title, values, step) in enumerate(rows):
        ax = fig.add_axes((0.03, 1 - (index + 0.8) / len(rows), 0.94, 0.3 / len(rows)))
        role = "input" if step == 1 else "output"
        picture = np.repeat(values, step)[None, :]
        draw_image(ax, picture, norm=plt.Normalize(0, 1), title=title, role=role)
        ax.set_aspect("auto")
        if step == 1:
            kept = np.arange(0, len(values), 2)
            ax.plot(kept, [1.0] * len(kept), ".", color=WINDOW, clip_on=False)
    set_alt_text(fig, alt, name=name)


strips(
    [
        ("fine stripes, one every 2.5 pixels", fine, 1),
        ("every second pixel (dotted) kept", fine[::2], 2),
    ],
    "aliasing-stripes",
    "Top: a strip of fine grey stripes, one every two and a half pixels, with a "
    "dot under every second pixel. Bottom: only the dotted pixels, which form "
    "broad stripes ten pixels apart, a pattern the top strip does not have.",
)
# mkdocs_gallery_thumbnail_path = "generated/images/aliasing-stripes.png"
contrast = {"plain": np.ptp(fine[::2]), "blurred": np.ptp(blurred[::2])}
print(f"contrast of the false stripes: {contrast['plain']:.2f} without blur")

# %%
# ## A low-pass filter first
#
# A blur lets slow changes through and holds fast ones back, like a bass
# knob: it is a *low-pass* filter. Blurred with $[1, 2, 1]/4$ first, the fine
# stripes fade to grey before the subsampling, and no false stripes appear.

strips(
    [
        ("blurred with [1 2 1] / 4", blurred, 1),
        ("then every second pixel kept", blurred[::2], 2),
    ],
    "low-pass-stripes",
    "Top: the same fine stripes after a three-tap blur, almost flat grey, with "
    "a dot under every second pixel. Bottom: the dotted pixels, an almost even "
    "grey with no false stripes.",
)
print(f"contrast of the false stripes: {contrast['blurred']:.2f} with the blur")

# %%
# ## Zhang's one-line example
#
# Max pooling 2 × 2 with stride 2, on a pattern and on the same pattern
# moved by one cell.

signal = np.array([[0, 0, 1, 1, 0, 0, 1, 1, 0]], dtype=float)
print("max pool, signal:          ", convdemo.pool2d(signal[:, :-1], (1, 2)))
print("max pool, shifted by one:  ", convdemo.pool2d(signal[:, 1:], (1, 2)))

# %%
# ## A grid with one-pixel lines, subsampled by 2
#
# The two views start one pixel apart. Plain subsampling keeps every
# vertical line in one view and none in the other; a 3-tap binomial blur
# first ($[1, 2, 1]/4$ in each direction) keeps all of them in both, at
# lower contrast. Use your own picture with
# `grid = convdemo.load_image("my_photo.jpg")`.


def count_lines(row):
    """Count the dark runs (values below 0.9) along one row of pixels."""
    dark = np.concatenate([[0], (row < 0.9).astype(int)])
    return int(np.count_nonzero(np.diff(dark) == 1))


grid = convdemo.grid_image(line_width=1)
views = {"start at 0": grid[:, :-2], "start at 1": grid[:, 1:-1]}
fig, axes = plt.subplots(2, 2, figsize=(6.4, 6.6), layout="constrained")
for column, (name, view) in enumerate(views.items()):
    there = count_lines(view[15])  # a row halfway between two horizontal lines
    for row, blur in enumerate([1, 3]):
        out = blur_pool(view, 1, stride=2, blur=blur)
        kept = count_lines(out[7])
        label = "subsample" if blur == 1 else "blur, then subsample"
        draw_image(
            axes[row, column],
            out[:45, :45],
            norm=plt.Normalize(0, 1),
            title=f"{label}, {name}",
        )
        axes[row, column].set_xlabel(f"{kept} of {there} vertical lines kept")
        print(f"{label:>21}, {name}: {kept} of {there} vertical lines kept")
set_alt_text(
    fig,
    "A grid with one-pixel lines subsampled by two, shown for two starting "
    "positions one pixel apart. Without blur, one view keeps every vertical "
    "line and the other keeps none, only the horizontal ones. With the blur "
    "first, both views show all the lines, in a lighter grey.",
    name="aliasing",
)
# mkdocs_gallery_thumbnail_path = "generated/images/aliasing.png"

# %%
# ## How much the pooled maps change, with and without the blur
#
# Back to the vertical-edge map of the photo and 2 × 2 max pooling. BlurPool
# pools densely (stride 1), blurs, then subsamples. Each pooled map is
# compared with the nearest shifted copy of the unshifted one (moved by
# the whole number of cells nearest to shift / 2): what is left is what the
# shift did beyond moving the map.

photo = convdemo.sample_photo()
plain = shift_experiment(photo, range(4), pool=2)
blurred = shift_experiment(photo, range(4), pool=2, blur=3)
print("relative change from the nearest shifted copy, by shift:")
print("  max pool:      ", plain.pooled_copy_change[1:].round(2))
print("  max-blur pool: ", blurred.pooled_copy_change[1:].round(2))
print("cells that change at all, 1 px:")
print(
    f"  max pool {plain.pooled_copy_changed[1]:.1%}, "
    f"max-blur pool {blurred.pooled_copy_changed[1]:.1%}"
)

plt.show()
