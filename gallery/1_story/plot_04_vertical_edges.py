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

from convdemo.draw import show_filter
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
# ## On the grid
#
# Input, kernel, the signed output on the diverging map (red positive, blue
# negative) and the clipped view the original post showed.

image = grid_image()
# Your own picture instead: image = load_image("my_photo.jpg")  (convdemo.images)
fig, axes = show_filter(image, kernel, clipped=True)
set_alt_text(
    fig,
    "The grid image, the vertical-edge filter, the signed output and the "
    "clipped output. In the signed output only the vertical lines remain, "
    "each as a thin red and blue pair; in the clipped one each vertical line "
    "is a single white line on black. The horizontal lines are gone in both.",
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
fig, axes = show_filter(image[crop], kernel, border="replicate", clipped=True)
set_alt_text(
    fig,
    "Close-up of one crossing of two grid lines under the vertical-edge "
    "filter. Signed output: the vertical line has become a red band on its "
    "left and a blue band on its right; the horizontal line has vanished. "
    "Clipped output: only the left band is left, white on black.",
    name="vertical-edges-zoom",
)
alone = correlate2d(image[crop], kernel, padding="same", border="replicate")
print("same numbers as the full output:", np.allclose(alone, output[crop]))

# %%
# Clipping keeps the red band and paints the blue one black, the same black
# as "no edge here": each line looks one-sided.

plt.show()
