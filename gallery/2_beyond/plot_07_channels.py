"""
# How does a filter see a colour image?

A colour image is three matrices stacked: red, green and blue. A filter for
it is three 3 × 3 kernels stacked the same way, a (3, 3, 3) array. Each
kernel slice filters its own channel; the three results are added, plus
one number, the bias, to give a single feature map.
"""

# %%
# ## One (3, 3, 3) filter and a bias give one map
#
# The slices are the vertical-edge kernel weighted by how bright each
# channel looks (0.299, 0.587, 0.114): the filter finds vertical edges of
# brightness. Try your own picture with
# `convdemo.load_image("my_photo.jpg", gray=False)`.

import matplotlib.pyplot as plt
import numpy as np

import convdemo
from convdemo.analysis import conv_parameters
from convdemo.draw import draw_image
from convdemo.style import DIVERGING, apply_style, set_alt_text, signed_norm

apply_style()
# The flag and the face, every second pixel: 150 × 150 × 3.
photo = convdemo.sample_photo(gray=False)[:300:2, :300:2]
luma = np.array([0.299, 0.587, 0.114])
vertical = convdemo.get_kernel("vertical")
kernel = vertical[:, :, None] * luma  # shape (3, 3, 3): rows, cols, channels
bias = -0.1
feature_map = convdemo.conv2d(photo, kernel, bias=[bias])
print("image", photo.shape, "kernel", kernel.shape, "-> map", feature_map.shape)

result = feature_map[..., 0]
# One colour scale for the four maps, saturating the brightest 0.5 %.
norm = signed_norm(np.percentile(np.abs(result), [99.5]))
signed = {"cmap": DIVERGING, "role": "output"}
fig, axes = plt.subplots(2, 4, figsize=(8.5, 4.6), layout="constrained")
draw_image(axes[0, 3], photo, title="RGB input", role="input")
for c, name in enumerate(["red", "green", "blue"]):
    draw_image(axes[0, c], photo[..., c], title=f"{name} channel", role="input")
    part = convdemo.correlate2d(photo[..., c], kernel[..., c])
    draw_image(axes[1, c], part, norm=norm, title=f"{name} × {luma[c]:g}", **signed)
title = f"sum + bias ({bias:g})".replace("-", "−")
shown = draw_image(axes[1, 3], result, norm=norm, title=title, **signed)
fig.colorbar(shown.image, ax=axes[1, 3], shrink=0.8)
for ax in axes.flat:  # one screen pixel per image pixel: crisp and small files
    ax.images[0].set_interpolation("nearest")
set_alt_text(
    fig,
    "Top row: the red, green and blue channels of the photo as grey images, "
    "and the colour photo. Bottom row: each channel filtered by its slice of "
    "the filter, the green one strongest, the blue one faint, and their sum "
    "plus the bias: one map of the vertical edges of brightness.",
    name="colour-channels",
)
# mkdocs_gallery_thumbnail_path = "generated/images/colour-channels.png"

# %%
# ## Several filters give a stack of maps; 1 × 1 filters mix channels
#
# A layer holds `F` filters of shape (3, 3, 3), an array (F, 3, 3, 3); its
# output has `F` channels. A 1 × 1 filter looks at a single pixel: it only
# mixes the channels, here into "red minus blue".

filters = np.zeros((4, 3, 3, 3))
filters[0] = kernel
filters[1] = convdemo.get_kernel("horizontal")[:, :, None] * luma
filters[2, 1, 1] = [1.0, 0.0, -1.0]  # a 1 × 1 filter, centred in a 3 × 3 one
filters[3] = convdemo.get_kernel("outline")[:, :, None] * luma
stack = convdemo.conv2d(photo, filters, bias=np.zeros(4))
print("stack of maps:", stack.shape)
names = ["vertical", "horizontal", "red − blue (1 × 1)", "outline"]
fig, axes = plt.subplots(1, 4, figsize=(8.5, 2.7), layout="constrained")
for f, (ax, name) in enumerate(zip(axes, names, strict=True)):
    norm = signed_norm(np.percentile(np.abs(stack[..., f]), [99.5]))
    draw_image(ax, stack[..., f], norm=norm, title=name, **signed)
    ax.images[0].set_interpolation("nearest")
set_alt_text(
    fig,
    "Four feature maps from one layer of four filters on the colour photo: "
    "vertical edges, horizontal edges, red minus blue, in which the face and "
    "the flag's red stripes are positive and the blue of the flag negative, "
    "and an outline map.",
    name="four-filter-layer",
)

# %%
# ## Counting the weights
#
# Each filter has $k \cdot k \cdot C$ weights and one bias; the count does
# not depend on the image size.

for k, c, f in [(3, 3, 1), (3, 3, 4), (1, 3, 2), (3, 3, 64), (3, 64, 64)]:
    print(f"{f} filters of {k}x{k}x{c}: {conv_parameters(k, c, f)} parameters")
dense = photo.size**2  # every input number connected to every output number
print(f"fully connected, {photo.shape} to the same size: {dense:.3g} weights")

plt.show()
