"""
# Why does subsampling break invariance, and does blurring help?

Keeping every second pixel assumes that nothing in the image is finer than
two pixels. A thin line is: depending on where it falls, subsampling keeps
it or loses it entirely. This is aliasing, and blurring before subsampling
(BlurPool, Zhang 2019) reduces it.
"""

# %%
# ## Zhang's one-line example
#
# Max pooling 2 × 2 with stride 2, on a pattern and on the same pattern
# moved by one cell.

import matplotlib.pyplot as plt
import numpy as np

import convdemo
from convdemo.analysis import blur_pool, shift_experiment
from convdemo.draw import draw_image
from convdemo.style import apply_style, set_alt_text

apply_style()
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
# pools densely (stride 1), blurs, then subsamples; more pooled cells change
# a little, but the overall change is smaller.

photo = convdemo.sample_photo()
plain = shift_experiment(photo, range(4), pool=2)
blurred = shift_experiment(photo, range(4), pool=2, blur=3)
print("relative change of the pooled map, by shift:")
print("  max pool:      ", plain.pooled_change.round(2))
print("  max-blur pool: ", blurred.pooled_change.round(2))

plt.show()
