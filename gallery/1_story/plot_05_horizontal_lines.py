"""
# Which filter keeps only the horizontal lines?

Turn the vertical-edge filter by a quarter turn: a row of ones on top, a row
of minus ones at the bottom. Each output pixel now compares what lies above
it with what lies below it, and the vertical lines cancel out.
"""

# %%
# ## The kernel
#
# Every column of this kernel adds up to zero. A vertical line puts one value
# in a whole column of the window, so it contributes nothing; a horizontal
# line lands in the top row or the bottom row, not both, and survives.

import matplotlib.pyplot as plt
import numpy as np

from convdemo.draw import show_filter
from convdemo.images import grid_image
from convdemo.kernels import get_kernel
from convdemo.ops import correlate2d
from convdemo.style import set_alt_text

kernel = get_kernel("horizontal")
print(kernel)
print("column sums:", kernel.sum(axis=0))

# %%
# ## On the grid

image = grid_image()
# Your own picture instead: image = load_image("my_photo.jpg")  (convdemo.images)
fig, axes = show_filter(image, kernel)
set_alt_text(
    fig,
    "The grid image, the horizontal-edge filter and the signed output: only "
    "the horizontal lines remain, each as a thin red stripe above it and a "
    "blue stripe below it, all alike. The vertical lines are gone.",
    name="horizontal-lines",
)
# mkdocs_gallery_thumbnail_path = "generated/images/horizontal-lines.png"
output = correlate2d(image, kernel, padding="same")
print(f"signed output: from {output.min():.2f} to {output.max():.2f}")
print(f"pixels below zero, which clipping turns black: {np.mean(output < 0):.1%}")

# %%
# ## Zoom on one crossing
#
# The same 40 × 40 crop as for the vertical filter; the crop's border is
# continued outward, so the numbers match the full result.

crop = np.s_[40:80, 40:80]
fig, axes = show_filter(image[crop], kernel, border="replicate")
set_alt_text(
    fig,
    "Close-up of one crossing of two grid lines under the horizontal-edge "
    "filter: the horizontal line has become a red band above it and a blue "
    "band below it; the vertical line has vanished.",
    name="horizontal-lines-zoom",
)
alone = correlate2d(image[crop], kernel, padding="same", border="replicate")
print("same numbers as the full output:", np.allclose(alone, output[crop]))

# %%
# The signed output is the vertical-edge result turned by a quarter turn.

plt.show()
