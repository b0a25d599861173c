"""
# Does pooling keep the edges a filter found?

Yes. Max pooling the vertical-edge map of the grid halves its height and its
width, yet every vertical edge is still there, just as strong, because each
2 × 2 block keeps its largest response.
"""

# %%
# ## Filter, then pool
#
# The vertical-edge filter turns the grid into a map of edge responses; 2 × 2
# max pooling then keeps the largest response in each block.

import matplotlib.pyplot as plt
import numpy as np

from convdemo.draw import show_images, show_pooling
from convdemo.images import grid_image
from convdemo.kernels import get_kernel
from convdemo.ops import correlate2d, pool2d
from convdemo.style import DIVERGING, set_alt_text, signed_norm

image = grid_image()
# Your own picture instead: image = load_image("my_photo.jpg")  (convdemo.images)
edges = correlate2d(image, get_kernel("vertical"), padding="same")
pooled = pool2d(edges, 2, mode="max")
print("edge map:", edges.shape, "-> pooled:", pooled.shape)
print(
    f"strongest response before pooling: {edges.max():.2f}, after: {pooled.max():.2f}"
)
for name, values in [("before", edges), ("after", pooled)]:
    positive, negative = np.mean(values > 0), np.mean(values < 0)
    print(f"{name}: {positive:.1%} of the pixels positive, {negative:.1%} negative")

# %%
# ## The two maps side by side
#
# Both panels share one colour scale. The pooled map has a quarter of the
# pixels, drawn at the same size: each of its pixels covers 2 × 2 of the
# edge map's. Both are drawn pixel for pixel (`show_images`), so every line
# looks the same.

norm = signed_norm(edges)
titles = [
    f"{name} {v.shape[0]}×{v.shape[1]}"
    for name, v in [("Vertical edges", edges), ("Max pooled", pooled)]
]
fig, axes = show_images(
    [edges, pooled],
    titles,
    roles="output",
    cmap=DIVERGING,
    norm=norm,
    colorbar="shared",
)
set_alt_text(
    fig,
    "Left: the vertical-edge map of the grid, 300 by 300, with a red and a "
    "blue stripe along every vertical line. Right: the map after 2 by 2 max "
    "pooling, 150 by 150, drawn at the same size: the same vertical lines, "
    "now red only, except a thin blue line along the left border. A colour "
    "bar from blue through white to red, minus 2.4 to 2.4.",
    name="pooled-edge-map",
)
# mkdocs_gallery_thumbnail_path = "generated/images/pooled-edge-map.png"

# %%
# ## Zoom on one edge
#
# An 8 × 8 piece of the edge map across one line, pooled block by block. A
# block holding a positive response keeps it. A block holding only negative
# responses and zeros keeps the zero: here the negative side of the edge is
# gone.

piece = edges[40:48, 56:64]
fig, axes = show_pooling(piece, 2, mode="max")
set_alt_text(
    fig,
    "An 8 by 8 piece of the vertical-edge map: columns of 2.4 on the left of "
    "a grid line, −2.4 on its right, and 0 elsewhere, cut into 2 by 2 blocks "
    "with the winner of each block circled. The 4 by 4 result keeps two "
    "columns of 2.4 and zeros.",
    name="pooled-edge-map-zoom",
)
print(
    "matches the full pooled map:",
    np.array_equal(pool2d(piece, 2), pooled[20:24, 28:32]),
)

# %%
# ## It depends on where the blocks fall
#
# Each −2.4 stripe covers columns 31 and 32, which fall in two different
# blocks, (30, 31) and (32, 33), each with a +2.4 or a 0 beside it. Move
# the grid one pixel to the right and the stripe covers columns 32 and 33,
# one whole block: the block's maximum is −2.4, and the negative side
# survives pooling.

moved = np.hstack([np.ones((300, 1)), image[:, :-1]])
moved_pooled = pool2d(correlate2d(moved, get_kernel("vertical"), padding="same"), 2)
print(
    f"grid moved by 1 px: {np.mean(moved_pooled < 0):.1%} of the pooled pixels negative"
)
print("smallest pooled value:", round(moved_pooled.min(), 2))

# %%
# So max pooling keeps the positive side of each edge at full strength, and
# the negative side only where a whole block lies inside it. Networks apply
# a ReLU before pooling, which zeroes the negative side everywhere, on
# purpose; a shift of the input by less than a block changes which values
# win (see "What pooling buys").

plt.show()
