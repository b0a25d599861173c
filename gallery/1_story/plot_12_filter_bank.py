"""
# Why are they called filters?

Each kernel lets some information through and holds the rest back: one keeps
vertical edges, another only horizontal ones, a third smooths everything.
Seeing every kernel of the library on the same image makes the point.
"""

# %%
# ## What each kernel keeps
#
# Every kernel in `KERNELS` carries a one-line description.

import matplotlib.pyplot as plt

from convdemo.draw import show_filters
from convdemo.images import grid_image, sample_photo
from convdemo.kernels import KERNELS, kernel_names
from convdemo.style import set_alt_text

for name, k in KERNELS.items():
    print(f"{name:18s} {k.description}")

# %%
# ## Every kernel on the grid
#
# Small multiples: one panel per kernel, all drawn the same way, so the
# differences come from the numbers in the kernels alone. White means zero:
# outputs that are positive everywhere (identity, blurs) come out in reds.

grid = grid_image()
fig, axes = show_filters(grid, kernel_names())
set_alt_text(
    fig,
    "Small multiples of the grid image under every kernel of the library: "
    "identity, vertical and horizontal edge detectors, the oblique filter that "
    "keeps only the crossings, blurs, outline and sharpen filters, and emboss.",
)

# %%
# ## Every kernel on a photograph

photo = sample_photo()
# Your own picture instead: photo = load_image("my_photo.jpg")  (convdemo.images)
fig, axes = show_filters(photo, kernel_names())
set_alt_text(
    fig,
    "Small multiples of a greyscale portrait under every kernel of the "
    "library: edge detectors bring out the outlines of the face and the "
    "uniform in one direction each, blurs soften the photo, sharpen and "
    "emboss exaggerate its texture.",
)

plt.show()
