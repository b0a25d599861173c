"""
# Which filter keeps only the vertical edges?

The filter with a column of ones on the left and a column of minus ones on the
right compares each pixel's left neighbours with its right neighbours. Where
they agree it answers zero, so the horizontal lines disappear and only the
vertical edges remain.
"""

# %%
# ## The kernel on a tiny image
#
# One dark column (0) in a white image (1). Each output cell is the sum of the
# left column of its window minus the sum of the right column.

import matplotlib.pyplot as plt
import numpy as np

from convdemo.draw import show_filter, show_step
from convdemo.images import grid_image
from convdemo.kernels import get_kernel
from convdemo.ops import correlate2d
from convdemo.style import set_alt_text

kernel = get_kernel("vertical")
print("kernel:")
print(kernel)
tiny = np.ones((3, 5))
tiny[:, 2] = 0
print("tiny image:")
print(tiny)
print("output:", correlate2d(tiny, kernel))

# %%
# Left of the dark column the window is bright on its left and dark on its
# right: a positive answer. Right of it the signs swap. A horizontal line
# fills a whole row of the window with one value, and each row of the kernel
# adds up to zero, so it cancels.
#
# ## One pixel of the grid's output, by hand
#
# The same arithmetic on the real grid: a 5 × 7 crop just left of a vertical
# line (columns 26 to 32; the line is columns 30 and 31, value 0.2). The
# window at output cell (1, 2) has white pixels (1) in its left column and
# line pixels (0.2) in its right column: three 1s minus three 0.2s.

crop = grid_image()[40:45, 26:33]
fig, axes = show_step(crop, kernel, 1, 2)
set_alt_text(
    fig,
    "A 5 by 7 crop of the grid, white pixels worth 1 and, in its fifth and "
    "sixth columns, a vertical line worth 0.2; the window over columns 28 to "
    "30 is outlined. Times the vertical-edge kernel, cell by cell, the "
    "products are 1, 0 and minus 0.2 in each row, and their sum, 2.4, is the "
    "outlined output cell. The output row reads 0, 0, 2.4, 2.4, minus 2.4.",
    name="edge-pixel-by-hand",
)
left, right = crop[1:4, 2], crop[1:4, 4]
print(f"{left.sum():g} - {right.sum():g} = {left.sum() - right.sum():.1f}")

# %%
# ## On the grid
#
# Input, kernel and the signed output on the diverging map: red positive,
# blue negative, white zero. (The post showed a clipped view instead; see
# `plot_15_clipping.py`.)

image = grid_image()
# Your own picture instead: image = load_image("my_photo.jpg")  (convdemo.images)
fig, axes = show_filter(image, kernel)
set_alt_text(
    fig,
    "The grid image, the vertical-edge filter and the signed output, in which "
    "only the vertical lines remain, each as a thin red stripe on its left and "
    "a blue stripe on its right, all ten alike; the horizontal lines are gone.",
    name="vertical-edges",
)
# mkdocs_gallery_thumbnail_path = "generated/images/vertical-edges.png"
output = correlate2d(image, kernel, padding="same")
print(f"signed output: from {output.min():.2f} to {output.max():.2f}")
print(f"pixels below zero, which clipping turns black: {np.mean(output < 0):.1%}")

# %%
# ## Zoom on one crossing
#
# A 40 × 40 crop around one crossing. Filtering the crop alone, with its
# border continued outward (`border="replicate"`), gives exactly the numbers
# of the full result, because the crop's edges lie in flat white areas.

crop = np.s_[40:80, 40:80]
fig, axes = show_filter(image[crop], kernel, border="replicate")
set_alt_text(
    fig,
    "Close-up of one crossing of two grid lines under the vertical-edge "
    "filter: in the output the vertical line has become a red band on its "
    "left and a blue band on its right, weaker where the horizontal line "
    "crosses it; the horizontal line itself has vanished.",
    name="vertical-edges-zoom",
)
alone = correlate2d(image[crop], kernel, padding="same", border="replicate")
print("same numbers as the full output:", np.allclose(alone, output[crop]))

# %%
# Left of the line the output is +2.4, right of it −2.4: an edge has two
# sides, and the signed output keeps both.

plt.show()
