"""
# What do the filters do to a photograph?

The kernels that took the grid apart work on a real photograph too. The
vertical and horizontal filters pick out edges of one orientation, the oblique
one edges along its diagonal, and the outline filter edges in every direction.
"""

# %%
# ## A portrait under four edge filters
#
# The photograph is the portrait of Grace Hopper that ships with matplotlib,
# in grey. Each of these kernels adds up to zero, so flat areas give zero
# (white on the diverging map) and only changes in brightness show.

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.colors import Normalize

from convdemo.draw import draw_image
from convdemo.images import sample_photo
from convdemo.kernels import KERNELS
from convdemo.ops import correlate2d
from convdemo.style import DIVERGING, set_alt_text, styled

photo = sample_photo()
# Your own picture instead: photo = load_image("my_photo.jpg")  (convdemo.images)
print("photo shape:", photo.shape)

names = {
    "vertical": "Vertical edges",
    "horizontal": "Horizontal edges",
    "oblique": "Oblique lines",
    "outline": "Outline",
}
for name in names:
    print(f"{name:10s} sum of the numbers: {KERNELS[name].values.sum():g}")

# %%
# A photograph has a few very strong edges (the white collar on the dark
# uniform) and many faint ones. So that the faint ones stay visible, each
# panel's colour scale stops at the 99th percentile of its absolute values:
# the strongest 1 % of the pixels saturate.

layout = [["photo", "vertical", "horizontal"], ["photo", "oblique", "outline"]]
with styled():
    fig, axes = plt.subplot_mosaic(
        layout, figsize=(7.5, 4.5), width_ratios=[2, 1, 1], layout="constrained"
    )
    draw_image(axes["photo"], photo, title="The photograph", role="input")
    for name in names:
        output = correlate2d(photo, KERNELS[name].values, padding="same")
        limit = np.percentile(np.abs(output), 99)
        norm = Normalize(-limit, limit)
        draw_image(
            axes[name],
            output,
            cmap=DIVERGING,
            norm=norm,
            title=names[name],
            role="output",
        )
set_alt_text(
    fig,
    "A greyscale portrait of Grace Hopper and four filtered versions, white "
    "where the photo is flat, red and blue along its edges. Vertical edges: "
    "the sides of the face, the glasses and the lapels. Horizontal edges: the "
    "cap's brim, the eyebrows, the mouth and the rows of medals. Oblique: "
    "the slanting edges of the collar and lapels. Outline: every edge.",
    name="photo-four-filters",
)
# mkdocs_gallery_thumbnail_path = "generated/images/photo-four-filters.png"

# %%
# ## What to look for
#
# The vertical filter lights up where brightness changes from left to right,
# the horizontal filter where it changes from top to bottom. Edges that run
# in between show up, weaker, in both, and strongest in the oblique filter
# when they slant its way.

plt.show()
