"""
# Which filter finds edges in every direction?

The notebook's edge filter has ones all around and −7 in the centre. Its
numbers add up to 1, so a flat region comes back unchanged, while a pixel that
differs from its neighbours, in whichever direction, is pushed further away
from them.
"""

# %%
# ## The kernel
#
# Read it as the identity plus "the eight neighbours minus eight times the
# centre": the second part is zero on a flat patch and large wherever the
# brightness changes, whatever the direction of the change.

import matplotlib.pyplot as plt
import numpy as np

from convdemo.draw import show_filter
from convdemo.images import grid_image
from convdemo.kernels import get_kernel
from convdemo.ops import correlate2d
from convdemo.style import set_alt_text

kernel = get_kernel("edges")
print(kernel)
print("sum of the numbers:", kernel.sum())

# %%
# ## On the grid

image = grid_image()
# Your own picture instead: image = load_image("my_photo.jpg")  (convdemo.images)
fig, axes = show_filter(image, kernel)
set_alt_text(
    fig,
    "The grid image, the all-edges filter with ones around a minus seven, and "
    "the signed output: the white squares stay pale red and every line, "
    "vertical or horizontal, is dark red edged with blue, all lines alike.",
    name="all-edges",
)
# mkdocs_gallery_thumbnail_path = "generated/images/all-edges.png"
output = correlate2d(image, kernel, padding="same")
print(f"inside a white square: {output[10:20, 10:20].min():.2f}")
print(f"whole output: from {output.min():.2f} to {output.max():.2f}")

# %%
# ## Zoom on one crossing

crop = np.s_[40:80, 40:80]
fig, axes = show_filter(image[crop], kernel, border="replicate")
set_alt_text(
    fig,
    "Close-up of one crossing under the all-edges filter: both lines have "
    "become dark red, each edged on both sides by a thin blue band, and the "
    "white areas are pale red.",
    name="all-edges-zoom",
)
alone = correlate2d(image[crop], kernel, padding="same", border="replicate")
print("same numbers as the full output:", np.allclose(alone, output[crop]))

# %%
# Both orientations survive because the kernel looks the same after a
# quarter turn.

plt.show()
