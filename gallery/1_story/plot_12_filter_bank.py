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
# ## Two kinds of output
#
# A kernel with no negative weight, on an image with no negative pixel, gives
# an output with no negative value: another image. Those panels are drawn in
# gray, like the input. Every other panel is signed, on the diverging map:
# white is zero, red positive, blue negative. Kernels whose numbers add up to
# 1 keep the brightness of flat areas, so their signed panels are mostly red.

no_negative = [name for name, k in KERNELS.items() if (k.values >= 0).all()]
adds_to_one = [name for name, k in KERNELS.items() if k.values.sum() == 1]
print("no negative weight (gray panels):", ", ".join(no_negative))
print(
    "signed, numbers add up to 1:",
    ", ".join(sorted(set(adds_to_one) - set(no_negative))),
)

# %%
# ## Every kernel on the grid
#
# Small multiples: one panel per kernel, all drawn the same way, so the
# differences come from the numbers in the kernels alone. The identity's
# panel is the input again.

grid = grid_image()
fig, axes = show_filters(grid, kernel_names())
set_alt_text(
    fig,
    "Small multiples of the grid image under every filter of the library. In "
    "gray, like the input: the identity, identical to the input, and the "
    "blurs, with softened lines. On the red and blue diverging map: vertical "
    "and horizontal edge detectors, the oblique filter that keeps only the "
    "crossings, the outline filter, and the edge, sharpen and emboss filters, "
    "whose flat areas come out in shades of red.",
    name="filter-bank-grid",
)
# mkdocs_gallery_thumbnail_path = "generated/images/filter-bank-grid.png"

# %%
# ## Every kernel on a photograph

photo = sample_photo()
# Your own picture instead: photo = load_image("my_photo.jpg")  (convdemo.images)
fig, axes = show_filters(photo, kernel_names())
set_alt_text(
    fig,
    "Small multiples of a greyscale portrait under every filter of the "
    "library. In gray: the identity, the same portrait, and the blurs, "
    "softened copies. On the diverging map: edge detectors, mostly white, "
    "bring out the outlines of the face and the uniform in red and blue, one "
    "direction each; the edge, sharpen and emboss filters show the portrait "
    "in shades of red with exaggerated texture.",
    name="filter-bank-photo",
)

plt.show()
