"""
# What does a second layer see?

A CNN layer is a convolution, a ReLU (negative values set to 0) and a
pooling. Stacking two of them, the second convolution runs on the first
layer's feature map, not on the image: it looks for patterns of edges.
"""

# %%
# ## Two layers, every intermediate map
#
# Layer 1 finds vertical edges; layer 2 applies the horizontal kernel to
# that map, so it answers where a vertical edge starts or stops. Both
# convolutions use "valid" padding and both poolings are 2 × 2 max.
# Try your own picture with `convdemo.load_image("my_photo.jpg")`.

import matplotlib.pyplot as plt
import numpy as np

import convdemo
from convdemo.draw import draw_matrix, show_images
from convdemo.style import DIVERGING, set_alt_text, signed_norm

first = convdemo.get_kernel("vertical")
second = convdemo.get_kernel("horizontal")


def layer(feature_map, kernel):
    """Convolution, ReLU, 2 × 2 max pooling: return all three maps."""
    conv = convdemo.correlate2d(feature_map, kernel)
    rectified = convdemo.relu(conv)
    return conv, rectified, convdemo.pool2d(rectified, 2)


def show_pipeline(image, name):
    """Draw the image and the six maps, two per row, and the layer-2 kernel."""
    maps = [*layer(image, first)]
    maps += layer(maps[-1], second)
    steps = ["conv 1", "ReLU 1", "pool 1", "conv 2", "ReLU 2", "pool 2"]
    titles = [f"{name} {image.shape[0]}×{image.shape[1]}"] + [
        f"{step} {m.shape[0]}×{m.shape[1]}" for step, m in zip(steps, maps, strict=True)
    ]
    fig, axes = show_images(
        [image, *maps],
        titles,
        roles=["input"] + ["output"] * 6,
        cmap=[None] + [DIVERGING] * 6,
        norm=[None] + [signed_norm(m) for m in maps],
    )
    # The layer-2 kernel, in the free eighth place.
    box = axes[-1].get_position()
    kernel_ax = fig.add_axes(
        (1 - box.x1 + 0.08, box.y0 + box.height / 4, box.width / 2, box.height / 2)
    )
    draw_matrix(kernel_ax, second, role="kernel", title="layer-2 kernel")
    for step, values in zip(steps, maps, strict=True):
        print(f"{name}: {step:<6} {values.shape}")
    return fig, maps


fig, maps = show_pipeline(convdemo.grid_image(), "grid")
set_alt_text(
    fig,
    "The grid through two layers, two maps per row. Layer 1 turns each "
    "vertical line into a red and blue pair of stripes, the ReLU keeps the red "
    "ones, and pooling halves the map. Layer 2, the horizontal kernel on that "
    "map, responds only at the grid's crossings, where the vertical stripes "
    "are interrupted; after its ReLU and pooling a small dot marks each "
    "crossing, the dots alternately one and two pixels tall.",
    name="stacking-grid",
)
# mkdocs_gallery_thumbnail_path = "generated/images/stacking-grid.png"

# %%
# ## Why the dots alternate in size
#
# The crossings are 30 pixels apart. Two poolings with stride 2 divide that
# by 4: 7.5 cells of the last map, not a whole number. Successive crossings
# fall alternately at the start and in the middle of a pooling window, so
# half of them keep two rows and the others one. That is aliasing (see
# "What pooling buys"): a period finer than the new grid can hold exactly.

# Down the first column of dots of the last map, the height of each dot:
dotted = maps[-1][:, np.flatnonzero(maps[-1].any(axis=0))[0]] > 0
edges = np.diff(np.concatenate([[0], dotted.astype(int), [0]]))
heights = np.flatnonzero(edges == -1) - np.flatnonzero(edges == 1)
print("dot heights, top to bottom:", heights.tolist())

# %%
# ## The same two layers on the photo
#
# The second layer drops the long straight edges, such as the flagpole, and
# keeps the ones that move sideways from row to row: the slanted strokes of
# the stars and the detail of the cap badge.

fig, _ = show_pipeline(convdemo.sample_photo()[:300, :300], "photo")
set_alt_text(
    fig,
    "A 300 by 300 crop of the photo with the flag and the face through the "
    "same two layers. The first layer keeps the vertical edges of the stars, "
    "the flagpole and the glasses; the second layer drops the straight "
    "flagpole and keeps the slanted strokes of the stars and the detail of "
    "the cap badge.",
    name="stacking-photo",
)

plt.show()
