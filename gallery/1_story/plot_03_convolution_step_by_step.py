"""
# How does a filter produce a new image?

A filter is a small matrix. We slide it over the input; at each position we
multiply the numbers that lie on top of each other and add the products up.
That sum is one pixel of the output image.
"""

# %%
# ## A 3 × 3 input and a 2 × 2 filter
#
# Small integers make every product easy to check by hand. A 2 × 2 window
# fits in a 3 × 3 input at 2 × 2 positions, so the output is 2 × 2.

import matplotlib.pyplot as plt
import numpy as np

from convdemo.animate import animate_correlation
from convdemo.draw import format_step, show_step
from convdemo.ops import correlate2d, sliding_windows
from convdemo.style import set_alt_text

image = np.arange(9.0).reshape(3, 3)
kernel = np.array([[0.0, 1.0], [2.0, 3.0]])
output = correlate2d(image, kernel)
print("output:")
print(output)

# %%
# ## One output cell, written out
#
# The top-left output cell sees the top-left 2 × 2 block of the input.

first = next(sliding_windows(image, kernel))
print(format_step(first, kernel))

fig, axes = show_step(image, kernel, 0, 0)
set_alt_text(
    fig,
    "A 3 by 3 input holding 0 to 8, a 2 by 2 filter holding 0, 1, 2, 3, and the "
    "2 by 2 products 0, 1, 6, 12, and the output 19, 25, 37, 43. The window "
    "over the input's top-left block and the output's first cell are "
    "outlined, and the caption reads 0×0 + 1×1 + 3×2 + 4×3 = 19.",
    name="convolution-first-cell",
)
# mkdocs_gallery_thumbnail_path = "generated/images/convolution-first-cell.png"

# %%
# ## Every position, one frame each
#
# The animation visits the output cells in reading order and ends with the
# whole output filled in. Run the script with plain `python` to watch it, or
# write it to a file with `save_animation(anim, "steps.gif")` (from
# `convdemo.animate`; `.webp` works too).
#
# Any small 2-D array works as `image`, for example a crop of your own
# picture: `load_image("my_photo.jpg")[100:106, 100:106]` (from
# `convdemo.images`).

anim = animate_correlation(image, kernel)
set_alt_text(
    plt.gcf(),
    "Animation: the 2 by 2 filter slides over the 3 by 3 input, one position "
    "per frame. At each stop the four products are written out as a sum, and "
    "the result fills the matching output cell, until the output reads "
    "19, 25, 37, 43.",
    name="convolution-steps",
    animation=anim,
)

plt.show()
