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

from convdemo.draw import draw_image, show_pooling
from convdemo.images import grid_image
from convdemo.kernels import get_kernel
from convdemo.ops import correlate2d, pool2d
from convdemo.style import DIVERGING, set_alt_text, signed_norm, styled

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
# pixels, drawn at the same size.

norm = signed_norm(edges)
with styled():
    fig, axes = plt.subplots(1, 2, figsize=(8, 4.4), layout="constrained")
    for ax, values, name in [
        (axes[0], edges, "Vertical edges"),
        (axes[1], pooled, "Max pooled"),
    ]:
        rows, cols = values.shape
        draw_image(
            ax,
            values,
            cmap=DIVERGING,
            norm=norm,
            title=f"{name} {rows}×{cols}",
            role="output",
        )
set_alt_text(
    fig,
    "Left: the vertical-edge map of the grid, 300 by 300, with a red and a "
    "blue stripe along every vertical line. Right: the map after 2 by 2 max "
    "pooling, 150 by 150, drawn at the same size: the same vertical lines, "
    "now red only.",
    name="pooled-edge-map",
)
# mkdocs_gallery_thumbnail_path = "generated/images/pooled-edge-map.png"

# %%
# ## Zoom on one edge
#
# An 8 × 8 piece of the edge map across one line, pooled block by block. A
# block holding a positive response keeps it. A block holding only negative
# responses and zeros keeps the zero: the negative side of the edge is gone.

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
# Max pooling prefers large values, so it keeps the positive side of each
# edge and drops the negative one. Networks usually apply a ReLU before
# pooling, which zeroes the negative side explicitly.

plt.show()
