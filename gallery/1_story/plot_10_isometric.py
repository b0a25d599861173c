"""
# Does the horizontal filter only see horizontal lines?

No. On a drawing of cubes in isometric perspective, where no line is truly
horizontal, the horizontal filter keeps every slanted line and erases only the
vertical ones. It answers to any change from the top of its window to the
bottom.
"""

# %%
# ## An isometric drawing
#
# `isometric_image` draws vertical lines and lines at ±30°, the way cubes look
# in an isometric drawing.

import matplotlib.pyplot as plt
import numpy as np

from convdemo.draw import show_filter
from convdemo.images import isometric_image
from convdemo.kernels import get_kernel
from convdemo.ops import correlate2d
from convdemo.style import set_alt_text

image = isometric_image()
# Your own picture instead: image = load_image("my_photo.jpg")  (convdemo.images)
kernel = get_kernel("horizontal")

# %%
# ## The horizontal filter on it
#
# A slanted line crosses the window's top row and its bottom row at different
# places, so top minus bottom is not zero there. A vertical line crosses every
# row at the same column, and the kernel's columns each add up to zero.

fig, axes = show_filter(image, kernel)
set_alt_text(
    fig,
    "An isometric drawing of cubes, the horizontal-edge filter, and the "
    "signed output: the lines slanting at 30 degrees remain as stripes of "
    "both signs; the vertical lines of the drawing have disappeared.",
    name="isometric-horizontal",
)
# mkdocs_gallery_thumbnail_path = "generated/images/isometric-horizontal.png"

# %%
# ## Checking with numbers
#
# A white picture with black vertical lines only: every output cell is zero.

vertical_only = np.ones((40, 40))
vertical_only[:, ::10] = 0
response = correlate2d(vertical_only, kernel)
print("largest response to vertical lines:", np.abs(response).max())

plt.show()
