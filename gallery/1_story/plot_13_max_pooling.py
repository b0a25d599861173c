"""
# What does 2 × 2 max pooling do?

Pooling cuts a feature map into 2 × 2 blocks and keeps one number per block:
the largest for max pooling, the mean for average pooling. The map comes out
half as tall and half as wide.
"""

# %%
# ## A 4 × 4 feature map
#
# Small integers, so each block's maximum and mean can be checked by eye.

import matplotlib.pyplot as plt
import numpy as np

from convdemo.animate import animate_pooling
from convdemo.draw import show_pooling
from convdemo.ops import pool2d
from convdemo.style import set_alt_text

feature_map = np.array(
    [
        [1, 3, 2, 0],
        [4, 6, 5, 1],
        [0, 2, 9, 7],
        [3, 1, 8, 4],
    ],
    dtype=float,
)
print("max pooling:")
print(pool2d(feature_map, 2, mode="max"))
print("average pooling:")
print(pool2d(feature_map, 2, mode="avg"))

# %%
# ## Max pooling, block by block
#
# The animation visits the four blocks in reading order and marks the cell
# that wins each one. To keep it as a file, call
# `save_animation(anim, "pooling.gif")` from `convdemo.animate`.

anim = animate_pooling(feature_map, 2, mode="max")
set_alt_text(
    plt.gcf(),
    "Animation: a 2 by 2 window visits the four blocks of a 4 by 4 feature map "
    "in reading order; in each block the largest value is marked and copied "
    "into the matching cell of the 2 by 2 result, which ends as 6, 5, 3, 9.",
    name="max-pooling-steps",
    animation=anim,
)
# mkdocs_gallery_thumbnail_path = "generated/images/max-pooling-steps.png"

# %%
# The same result as a still figure:

fig, axes = show_pooling(feature_map, 2, mode="max")
set_alt_text(
    fig,
    "A 4 by 4 feature map cut into four 2 by 2 blocks, the largest value of "
    "each block marked, and the 2 by 2 result: 6, 5, 3, 9.",
    name="max-pooling",
)

# %%
# ## Average pooling, for comparison
#
# Average pooling keeps the mean of each block instead: smoother, but a single
# strong value is diluted by its three neighbours.
#
# To pool your own picture, pass `load_image("my_photo.jpg")` (from
# `convdemo.images`), or a filtered version of it, to `pool2d`.

fig, axes = show_pooling(feature_map, 2, mode="avg")
set_alt_text(
    fig,
    "The same 4 by 4 feature map cut into 2 by 2 blocks, and the 2 by 2 "
    "result of average pooling: 3.5, 2, 1.5, 7.",
    name="average-pooling",
)

plt.show()
