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

import convdemo
from convdemo.draw import draw_image, draw_matrix
from convdemo.style import DIVERGING, apply_style, set_alt_text, signed_norm

apply_style()
first = convdemo.get_kernel("vertical")
second = convdemo.get_kernel("horizontal")


def layer(feature_map, kernel):
    """Convolution, ReLU, 2 × 2 max pooling: return all three maps."""
    conv = convdemo.correlate2d(feature_map, kernel)
    rectified = convdemo.relu(conv)
    return conv, rectified, convdemo.pool2d(rectified, 2)


def show_pipeline(image, name):
    maps = [*layer(image, first)]
    maps += layer(maps[-1], second)
    fig, axes = plt.subplots(2, 4, figsize=(8.5, 4.6), layout="constrained")
    draw_image(
        axes[0, 0],
        image,
        title=f"{name} {image.shape[0]}×{image.shape[1]}",
        role="input",
    )
    draw_matrix(axes[1, 0], second, role="kernel")
    axes[1, 0].set_title("layer-2 kernel")
    steps = ["conv 1", "ReLU 1", "pool 1", "conv 2", "ReLU 2", "pool 2"]
    for ax, step, values in zip([*axes[0, 1:], *axes[1, 1:]], steps, maps, strict=True):
        draw_image(
            ax,
            values,
            cmap=DIVERGING,
            norm=signed_norm(values),
            title=f"{step} {values.shape[0]}×{values.shape[1]}",
            role="output",
        )
        ax.images[0].set_interpolation("nearest")  # crisp, and small PNG files
        print(f"{name}: {step:<6} {values.shape}")
    return fig


fig = show_pipeline(convdemo.grid_image(), "grid")
set_alt_text(
    fig,
    "The grid through two layers. Layer 1 turns each vertical line into a red "
    "and blue pair of stripes, the ReLU keeps the red ones, and pooling halves "
    "the map. Layer 2, the horizontal kernel on that map, responds only at "
    "the grid's crossings, where the vertical stripes are interrupted; after "
    "its ReLU and pooling a small dot marks each crossing.",
    name="stacking-grid",
)
# mkdocs_gallery_thumbnail_path = "generated/images/stacking-grid.png"

# %%
# ## The same two layers on the photo
#
# The second layer drops the long straight edges, such as the flagpole, and
# keeps the ones that move sideways from row to row: the slanted strokes of
# the stars and the detail of the cap badge.

fig = show_pipeline(convdemo.sample_photo()[:300, :300], "photo")
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
