"""
# Convolution and pooling in one loop

A 3 × 3 filter slides over a close-up of the grid. At each place the pixels
under it are multiplied by its numbers and the products are added up: one
pixel of the output. Then 2 × 2 max pooling keeps the largest value of each
block. This animation opens the home page.
"""

# %%
# ## A crossing of two grid lines, the vertical-edge filter
#
# An 8 × 8 crop around a crossing: white pixels are 1, the two lines 0.2.
# The kernel sweeps the first output row, then the other rows follow and
# the pooled map fills in. Try any image or kernel in the Playground, or
# call `animate_filter_and_pool` on a small crop of your own picture
# (`load_image("my_photo.jpg")[100:108, 100:108]`, from `convdemo.images`).

import matplotlib.pyplot as plt

from convdemo.animate import animate_filter_and_pool
from convdemo.images import grid_image
from convdemo.kernels import get_kernel
from convdemo.ops import correlate2d, pool2d
from convdemo.style import set_alt_text

crossing = grid_image()[26:34, 26:34]
kernel = get_kernel("vertical")
output = correlate2d(crossing, kernel)
print("output:")
print(output.round(2))
print("pooled:")
print(pool2d(output, 2).round(2))

anim = animate_filter_and_pool(crossing, kernel)
set_alt_text(
    plt.gcf(),
    "Animation: the vertical-edge kernel, columns of 1, 0 and minus 1, sweeps "
    "the first row of an 8 by 8 close-up of a crossing of two grid lines. At "
    "each stop the products of the window and the kernel are shown and their "
    "sum fills one output cell: 0 over white, then 2.4 left of the vertical "
    "line (three 1s minus three 0.2s) and minus 2.4 right of it. The other "
    "rows of the 6 by 6 output follow, weaker where the horizontal line "
    "crosses, and 2 by 2 max pooling then fills a 3 by 3 map.",
    name="hero",
    animation=anim,
)
# mkdocs_gallery_thumbnail_path = "generated/images/hero.png"

plt.show()
