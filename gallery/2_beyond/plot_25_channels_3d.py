r"""
# How does a filter slide through a volume of channels?

A colour image is a volume: height × width × 3 channels. A filter for it is
a volume too, as deep as the input, and it slides only across, never
through the depth: at each place its $3 \times 3 \times 3$ weights meet
$3 \times 3 \times 3$ input values, and all 27 products add up to one
number. Several filters give several maps, stacked into a new volume.
"""

# %%
# ## One filter, then four
#
# A 5 × 5 input with 3 channels (small whole numbers, so the sums can be
# checked) and four 3 × 3 × 3 filters of −1, 0 and 1. The front face of each
# volume is its first channel; the others go back to the right. The caption
# of each frame adds the three channels' sums of products into one output
# cell. Change the seed, or the shapes (up to 8 along each axis), to see
# other numbers.

import matplotlib.pyplot as plt
import numpy as np

import convdemo
from convdemo.draw import animate_conv2d
from convdemo.style import set_alt_text

rng = np.random.default_rng(3)
image = rng.integers(0, 4, size=(5, 5, 3)).astype(float)
filters = rng.integers(-1, 2, size=(4, 3, 3, 3)).astype(float)
out = convdemo.conv2d(image, filters)
print("input", image.shape, "filters", filters.shape, "-> output", out.shape)
window = image[:3, :3] * filters[0]
sums = window.sum(axis=(0, 1))
print("output (0, 0) of filter 1, channel by channel:", sums, "->", sums.sum())
print("output (0, 0) of every filter:", out[0, 0])

anim = animate_conv2d(image, filters)
set_alt_text(
    plt.gcf(),
    "Animation in isometric view: a blue input volume of 5 by 5 by 3 cells, "
    "an orange filter volume of 3 by 3 by 3, and a green output volume. An "
    "outline box as deep as the input moves over it, nine places in turn, "
    "and each place fills one cell of the first 3 by 3 output map; the "
    "caption adds the red, green and blue sums into that cell. Then three "
    "more filters each add a whole map behind the first, ending with a 3 by "
    "3 by 4 output volume.",
    name="volume-convolution",
    animation=anim,
)
# mkdocs_gallery_thumbnail_path = "generated/images/volume-convolution.png"

plt.show()
