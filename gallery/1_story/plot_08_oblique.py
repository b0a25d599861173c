"""
# What does the oblique filter keep on a grid with no oblique lines?

The notebook's oblique filter has 2 along the diagonal from bottom-left to
top-right and −1 elsewhere: it answers to lines running along that diagonal.
The grid has none, which makes the result instructive.
"""

# %%
# ## The kernel
#
# Every row and every column of this kernel adds up to zero. A perfectly
# horizontal or vertical line fills a row or a column of the window with one
# value, which cancels. Only where the picture changes in both directions at
# once, at the crossings, can something remain.

import matplotlib.pyplot as plt
import numpy as np

from convdemo.draw import show_filter
from convdemo.images import grid_image, isometric_image
from convdemo.kernels import get_kernel
from convdemo.ops import correlate2d
from convdemo.style import set_alt_text

kernel = get_kernel("oblique")
print(kernel)
print("row sums:", kernel.sum(axis=1), "column sums:", kernel.sum(axis=0))

# %%
# ## On the grid

image = grid_image()
# Your own picture instead: image = load_image("my_photo.jpg")  (convdemo.images)
fig, axes = show_filter(image, kernel)
set_alt_text(
    fig,
    "The grid image, the oblique filter with twos on the diagonal from bottom "
    "left to top right, and the signed output: the grid lines have vanished; "
    "only tiny marks remain where lines cross.",
    name="oblique",
)
# mkdocs_gallery_thumbnail_path = "generated/images/oblique.png"
output = correlate2d(image, kernel, padding="same")
near_crossing, between = output[55:67, 55:67], output[40:50, 55:67]
print(f"largest response near a crossing: {abs(near_crossing).max():.2f}")
print(f"largest response on a line between crossings: {abs(between).max():.2f}")

# %%
# ## Zoom on one crossing

crop = np.s_[40:80, 40:80]
fig, axes = show_filter(image[crop], kernel, border="replicate")
set_alt_text(
    fig,
    "Close-up of one crossing under the oblique filter: white everywhere "
    "except a small cluster of red and blue pixels at the corners of the "
    "crossing.",
    name="oblique-zoom",
)
alone = correlate2d(image[crop], kernel, padding="same", border="replicate")
print("same numbers as the full output:", np.allclose(alone, output[crop]))

# %%
# The filter is blind to straight horizontal and vertical lines and sees
# only their corners.
#
# ## On cubes, which do have slanted lines
#
# The isometric drawing has vertical lines and lines at +30° and −30°. The
# vertical lines cancel, as on the grid. Both slants answer: a slant is a
# change along both axes at once. Lines rising to the right, like the
# kernel's diagonal of twos, answer more, as a single line of each slant
# shows.

cubes = isometric_image()
fig, axes = show_filter(cubes, kernel)
set_alt_text(
    fig,
    "An isometric drawing of cubes, the oblique filter and the signed output: "
    "the slanted lines of both directions come out as red lines edged with "
    "blue, and the vertical lines vanish.",
    name="oblique-cubes",
)
rows, cols = np.indices((60, 60))
for name, sign in [("rising", 1), ("falling", -1)]:
    height = 30 - sign * np.tan(np.radians(30)) * (cols - 30)
    line = np.where(np.abs(rows - height) < 0.6, 0.2, 1.0)  # one 30° line
    print(
        f"{name} line: strongest response {np.abs(correlate2d(line, kernel)).max():.1f}"
    )
vertical_only = np.ones((40, 40))
vertical_only[:, ::10] = 0.2
print(f"vertical lines: {np.abs(correlate2d(vertical_only, kernel)).max():.1f}")

plt.show()
