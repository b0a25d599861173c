"""
# What should the kernel see past the edge?

Padding adds cells; the border rule decides their values. Zeros are the
default of CNN libraries, but they are dark, and a bright image next to
dark padding has an edge that is not in the picture.
"""

# %%
# ## Four ways to fill the padding
#
# Each panel pads the same 4 × 4 corner by two cells (dashed). `reflect`
# mirrors the image without repeating the edge pixel; `replicate` repeats
# it; `wrap` brings in the opposite side, as if the image were a tile.

import matplotlib.pyplot as plt
import numpy as np

import convdemo
from convdemo.draw import draw_matrix, show_images
from convdemo.style import DIVERGING, apply_style, set_alt_text, signed_norm

apply_style()
corner = np.array([[1, 2, 3, 4], [5, 6, 7, 8], [9, 10, 11, 12], [13, 14, 15, 16]])
borders = ["zeros", "reflect", "replicate", "wrap"]
fig, axes = plt.subplots(1, 4, figsize=(9, 2.6), layout="constrained")
for ax, border in zip(axes, borders, strict=True):
    padded = convdemo.pad(corner, 2, border=border)
    draw_matrix(ax, padded, padding=2, fontsize=7, title=f'border="{border}"')
set_alt_text(
    fig,
    "The 4 by 4 matrix 1 to 16 padded by two cells on every side, four ways. "
    "Zeros puts 0 everywhere around it. Reflect mirrors the rows and columns "
    "next to the edge without repeating the edge itself. Replicate repeats "
    "the edge values outwards. Wrap fills the left padding with the right "
    "columns, the top padding with the bottom rows, and so on.",
    name="border-rules",
)
# mkdocs_gallery_thumbnail_path = "generated/images/border-rules.png"

# %%
# ## The vertical-edge filter at the border of a grid crop
#
# A 56 × 56 crop of the grid: white at its left edge, a dark line at its
# right edge. With `padding="same"` the output keeps the crop's size, and
# the first and last columns of the output depend on the border rule.
# Use your own picture with `image = convdemo.load_image("my_photo.jpg")`.

image = convdemo.grid_image()[5:61, 5:61]
kernel = convdemo.get_kernel("vertical")
outputs = {
    border: convdemo.correlate2d(image, kernel, padding="same", border=border)
    for border in borders
}
for border, output in outputs.items():
    print(
        f"{border:>9}: first column {output[28, 0]:+.1f}, "
        f"last column {output[28, -1]:+.1f}"
    )

norm = signed_norm(outputs["zeros"])
fig, axes = show_images(
    [image, *outputs.values()],
    ["input crop", *outputs],
    roles=["input"] + ["output"] * 4,
    cmap=[None] + [DIVERGING] * 4,
    norm=[None] + [norm] * 4,
    ncols=3,
    colorbar="shared",
)
set_alt_text(
    fig,
    "The input, a 56 by 56 crop of the grid, white at its left edge and "
    "ending on a dark line at its right edge, and its vertical-edge response "
    "with four border rules, all on one red-blue scale. With "
    "zeros, a strong false edge runs down the left and right sides of the "
    "output. With reflect and replicate the left side is blank, as the "
    "picture is white there. With wrap, the dark line at the crop's right "
    "edge leaks into the left column.",
    name="border-rules-grid",
)

# %%
# With zeros, the white crop meets black padding: the filter sees a strong
# edge down both sides, in the "same" output and in every layer after it.

plt.show()
