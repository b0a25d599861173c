"""
# Which filter blurs the image?

A kernel of nine ones adds up each pixel and its eight neighbours. Sharp
lines are spread over their surroundings: the result is a blurred image, nine
times brighter than the original.
"""

# %%
# ## The kernel
#
# All weights are equal, so no direction is preferred and every detail
# smaller than the window is averaged away. The notebook used the ones as
# they are and divided by their sum afterwards; dividing the kernel by 9
# gives the mean of the window directly.

import matplotlib.pyplot as plt
import numpy as np

from convdemo.draw import show_filter
from convdemo.images import grid_image
from convdemo.kernels import get_kernel
from convdemo.ops import correlate2d
from convdemo.style import set_alt_text

kernel = get_kernel("box_blur")
print(kernel)
print("sum of the numbers:", kernel.sum())

# %%
# ## On the grid

image = grid_image()
# Your own picture instead: image = load_image("my_photo.jpg")  (convdemo.images)
fig, axes = show_filter(image, kernel)
set_alt_text(
    fig,
    "The grid image, the three by three box of ones, and the output, "
    "positive everywhere and drawn in gray from black at 0 to white at 9: "
    "the grid lines look wider and softer than in the input.",
    name="blur",
)
# mkdocs_gallery_thumbnail_path = "generated/images/blur.png"
output = correlate2d(image, kernel, padding="same")
mean = correlate2d(image, kernel / kernel.sum(), padding="same")
print(f"output: from {output.min():.2f} to {output.max():.2f}")
print(f"with the kernel divided by its sum: {mean.min():.2f} to {mean.max():.2f}")
print(f"pixels above 1 (white) without the division: {np.mean(output > 1):.0%}")

# %%
# ## Zoom on one crossing

crop = np.s_[40:80, 40:80]
fig, axes = show_filter(image[crop], kernel, border="replicate")
set_alt_text(
    fig,
    "Close-up of one crossing under the box blur, in gray: white squares and "
    "grey lines four pixels wide where the two-pixel lines were, softer than "
    "in the input and darkest where they cross.",
    name="blur-zoom",
)
alone = correlate2d(image[crop], kernel, padding="same", border="replicate")
print("same numbers as the full output:", np.allclose(alone, output[crop]))

# %%
# Every weight is positive, so the output has no negative value: it is
# drawn in gray, from black at 0 to white at its largest value. Displayed on
# the 0–1 scale of the input without the division by 9, almost every pixel
# would be above the top of the range.

plt.show()
