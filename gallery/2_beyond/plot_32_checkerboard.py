r"""
# Why do transposed convolutions draw checkerboards?

With a 3 × 3 kernel and stride 2, the stamps of neighbouring pixels overlap
on every other row and column only: some output pixels get four stamps,
some two, some one. Upsampling a photograph that way prints a faint grid on
it. A kernel whose size the stride divides, or resizing first and then
convolving, avoids it.
"""

# %%
# ## Three ways to double a photograph's size
#
# A 64 × 64 crop of the photo, halved to 32 × 32 by 2 × 2 average pooling,
# is upsampled back to 64 × 64 three ways, each with a kernel that
# averages: a transposed convolution with a 3 × 3 kernel (stride 2, padding
# 1, output padding 1), one with a 4 × 4 kernel (stride 2, padding 1), and
# nearest-neighbour resizing followed by a 3 × 3 average. Use your own
# picture with `convdemo.load_image("my_photo.jpg")`.

import matplotlib.pyplot as plt
import numpy as np

import convdemo
from convdemo.draw import draw_image
from convdemo.style import apply_style, set_alt_text

apply_style()
crop = convdemo.sample_photo()[200:264, 200:264]
small = convdemo.pool2d(crop, 2, mode="avg")
three = convdemo.conv_transpose2d(
    small, np.full((3, 3), 4 / 9), stride=2, padding=1, output_padding=1
)
four = convdemo.conv_transpose2d(small, np.full((4, 4), 1 / 4), stride=2, padding=1)
resized = convdemo.correlate2d(
    np.repeat(np.repeat(small, 2, axis=0), 2, axis=1),
    np.full((3, 3), 1 / 9),
    padding="same",
    border="replicate",
)

# %%
# ## The checkerboard, as a number
#
# Split each result into its four phases (even or odd row, even or odd
# column) and compare their means away from the border:
# `checkerboard_contrast` returns (largest − smallest) / mean. A constant
# input gives 4/3 with the 3 × 3 kernel (its stamps add up as 4, 2, 2, 1)
# and 0 with the other two.

results = {
    "transposed 3 × 3, stride 2": three,
    "transposed 4 × 4, stride 2": four,
    "resize, then 3 × 3 average": resized,
}
contrasts = {}
for name, result in results.items():
    contrasts[name] = convdemo.checkerboard_contrast(result, 2, margin=2)
    print(f"{name}: {result.shape}, checkerboard contrast {contrasts[name]:.3f}")
flat = convdemo.conv_transpose2d(np.ones((8, 8)), np.ones((3, 3)), stride=2)
print(f"constant input, 3 x 3: {convdemo.checkerboard_contrast(flat, 2, margin=2):.3f}")

fig, axes = plt.subplots(1, 4, figsize=(7.5, 2.4), layout="constrained")
norm = plt.Normalize(0, 1)
draw_image(axes[0], small, norm=norm, title="input 32 × 32", role="input")
for ax, (name, result) in zip(axes[1:], results.items(), strict=True):
    draw_image(ax, result, norm=norm, title=f"contrast {contrasts[name]:.2f}")
    ax.set_xlabel(name.replace(", ", ",\n"), fontsize=8)
set_alt_text(
    fig,
    "A 32 by 32 crop of the photograph and three 64 by 64 upsamplings of it. "
    "The transposed convolution with a 3 by 3 kernel shows a fine grid of "
    f"brighter and darker pixels (checkerboard contrast "
    f"{contrasts['transposed 3 × 3, stride 2']:.2f}); the 4 by 4 kernel and "
    "resize-then-average look smooth (contrasts "
    f"{contrasts['transposed 4 × 4, stride 2']:.2f} and "
    f"{contrasts['resize, then 3 × 3 average']:.2f}).",
    name="checkerboard",
)
# mkdocs_gallery_thumbnail_path = "generated/images/checkerboard.png"

plt.show()
