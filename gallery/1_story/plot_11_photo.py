"""
# What do the filters do to a photograph?

The kernels that took the grid apart work on a real photograph too. The
vertical and horizontal filters pick out edges of one orientation, the oblique
one edges along its diagonal, and the outline filter edges in every direction.
The post showed a photograph of a horse under two filters; ours is a portrait
that ships with Matplotlib, under four.
"""

# %%
# ## A portrait under four edge filters
#
# The photograph is the portrait of Grace Hopper that ships with matplotlib,
# in grey. Each of these kernels adds up to zero, so flat areas give zero
# (white on the diverging map) and only changes in brightness show.

import matplotlib.pyplot as plt

from convdemo.draw import show_filters
from convdemo.images import sample_photo
from convdemo.kernels import KERNELS
from convdemo.style import set_alt_text

# The face, 300 × 300 pixels: drawn pixel for pixel, thin edges stay visible.
photo = sample_photo()[110:410, 100:400]
# Your own picture instead: photo = load_image("my_photo.jpg")  (convdemo.images)
print("photo shape:", photo.shape)

names = ["vertical", "horizontal", "oblique", "outline"]
for name in names:
    print(
        f"{KERNELS[name].title:28s} sum of the numbers: {KERNELS[name].values.sum():g}"
    )

# %%
# A photograph has a few very strong edges (the white collar on the dark
# uniform) and many faint ones. So that the faint ones stay visible, each
# panel's colour scale stops at the 99th percentile of its absolute values:
# the strongest 1 % of the pixels saturate (the arrows of the colour bar).
# Each kernel is drawn under its panel.

fig, axes = show_filters(photo, names, ncols=3)
set_alt_text(
    fig,
    "A greyscale portrait of Grace Hopper, face and cap, and four filtered "
    "versions, white where the photo is flat, red and blue along its edges, "
    "each with its kernel drawn under it and one colour bar for all. Vertical "
    "edges: the sides of the face, the nose and the frame of the glasses. "
    "Horizontal edges: the cap, the glasses, the eyebrows, the mouth and the "
    "collar. Oblique lines: the slanting edges of the collar and the cheeks. "
    "Outline: every edge.",
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
