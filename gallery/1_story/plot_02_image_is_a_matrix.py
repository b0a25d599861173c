"""
# An image is a matrix of numbers

A greyscale image is a table: one number per pixel, its brightness. Here the
grid image used throughout the story is shown next to a small crop of it, with
each pixel's value written in its cell; then the same for a photograph.
"""

# %%
# ## The grid image and a crop of it
#
# `grid_image` draws a 300 × 300 white image (value 1) crossed by dark grey
# lines (value 0.2) every 30 pixels. We cut out a 10 × 10 crop around one
# crossing of two lines and write its numbers in the cells; the row and
# column numbers say where the crop sits in the image.

import matplotlib.pyplot as plt
from matplotlib.patches import Rectangle

from convdemo.draw import draw_crop, draw_image
from convdemo.images import grid_image, sample_photo, to_uint8
from convdemo.style import WINDOW, set_alt_text, styled


def image_and_crop(image, rows, cols, title):
    """Draw `image` with a box around a crop, and the crop as numbers."""
    with styled():
        fig, (left, right) = plt.subplots(1, 2, figsize=(9, 4.5), layout="constrained")
        draw_image(left, image, title=title, role="input")
        corner = (cols.start - 0.5, rows.start - 0.5)
        size = (cols.stop - cols.start, rows.stop - rows.start)
        box = Rectangle(corner, *size, fill=False, edgecolor=WINDOW, linewidth=2)
        left.add_patch(box)
        draw_crop(right, image, rows, cols)
    return fig


image = grid_image()
# Your own picture instead: image = load_image("my_photo.jpg")  (convdemo.images)
print("image shape:", image.shape)
print("values in the image:", sorted(set(image.ravel().tolist())))

fig = image_and_crop(image, slice(56, 66), slice(86, 96), "The grid image")
set_alt_text(
    fig,
    "Left: a white image crossed by a square grid of thin dark grey lines, with "
    "a small box around one crossing. Right: that 10 by 10 crop as a table of "
    "numbers: 1 for every white pixel and 0.2 for the pixels of the two lines, "
    "which form a cross two cells wide.",
    name="grid-as-numbers",
)
# mkdocs_gallery_thumbnail_path = "generated/images/grid-as-numbers.png"

# %%
# ## A photograph is a matrix too
#
# A photograph simply has many more distinct values. Greyscale images on this
# site are floats from 0 (black) to 1 (white); image files usually store
# whole numbers from 0 to 255, which is how this crop of the portrait of
# Grace Hopper is written.

photo = to_uint8(sample_photo())
print("photo shape:", photo.shape, "distinct values:", len(set(photo.ravel().tolist())))

fig = image_and_crop(photo, slice(196, 206), slice(206, 216), "A photograph")
set_alt_text(
    fig,
    "Left: a greyscale portrait with a small box drawn on one eye. Right: "
    "the 10 by 10 crop inside the box as whole numbers on the 0 to 255 "
    "scale, every cell a different grey: darker around the eye at the top "
    "left, lighter toward the cheek at the bottom right.",
    name="photo-as-numbers",
)

plt.show()
