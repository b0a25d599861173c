"""
# Which filter changes nothing?

A kernel with a single 1 in the centre and zeros elsewhere copies each pixel
to the output. It is the "do nothing" filter, a useful check that the sliding
and the padding are right.
"""

# %%
# ## The kernel
#
# Only the centre weight is non-zero, so each output pixel is 1 × the pixel
# under the centre of the window, plus 0 × each of its eight neighbours.

import matplotlib.pyplot as plt
import numpy as np

from convdemo.draw import show_filter
from convdemo.images import grid_image
from convdemo.kernels import get_kernel
from convdemo.ops import correlate2d
from convdemo.style import set_alt_text

kernel = get_kernel("identity")
print(kernel)

# %%
# ## On the grid

image = grid_image()
# Your own picture instead: image = load_image("my_photo.jpg")  (convdemo.images)
fig, axes = show_filter(image, kernel)
set_alt_text(
    fig,
    "The grid image, the identity filter with a single one in its centre, "
    "and the output, drawn in gray on the input's scale: exactly the same "
    "grid as the input.",
    name="identity",
)
# mkdocs_gallery_thumbnail_path = "generated/images/identity.png"
output = correlate2d(image, kernel, padding="same")
print("output equals input:", np.array_equal(output, image))

# %%
# Every value lies between 0 and 1 and none is negative, so the output is
# drawn in gray on the input's own 0–1 scale: the same grid as the input.

plt.show()
