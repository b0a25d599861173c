"""
# Does flipping the kernel change the answer?

Convolution, strictly speaking, turns the kernel by 180° before sliding it;
cross-correlation does not. With a symmetric kernel the two agree. With an
asymmetric one they do not, and the simplest input shows how: a single
bright pixel.
"""

# %%
# ## One bright pixel, one asymmetric kernel
#
# The kernel holds 1 to 9 so that every position is recognisable. Each
# output cell is the sum of the products under the window, with zero
# padding around the 5 × 5 input (`padding="same"`).

import matplotlib.pyplot as plt
import numpy as np

import convdemo
from convdemo.draw import draw_image, draw_matrix
from convdemo.style import DIVERGING, apply_style, set_alt_text, signed_norm

apply_style()

impulse = np.zeros((5, 5))
impulse[2, 2] = 1
kernel = np.arange(1.0, 10.0).reshape(3, 3)
correlation = convdemo.correlate2d(impulse, kernel, padding="same")
convolution = convdemo.convolve2d(impulse, kernel, padding="same")
print("cross-correlation:\n", correlation[1:4, 1:4])
print("convolution:\n", convolution[1:4, 1:4])

fig, axes = plt.subplots(
    1, 4, figsize=(8, 2.8), layout="constrained", width_ratios=[5, 3, 5, 5]
)
panels = [
    (impulse, "input", "Input: one pixel"),
    (kernel, "kernel", "Kernel"),
    (correlation, "output", "Cross-correlation"),
    (convolution, "output", "Convolution"),
]
for ax, (values, role, title) in zip(axes, panels, strict=True):
    draw_matrix(ax, values, role=role, fontsize=9, title=title)
set_alt_text(
    fig,
    "A 5 by 5 input with a single 1 in the centre, the kernel 1 to 9 in "
    "reading order, and two outputs. Cross-correlation writes the kernel "
    "turned by 180 degrees around the pixel, 9 down to 1; convolution "
    "writes the kernel as it is, 1 to 9.",
    name="flipping-impulse",
)
# mkdocs_gallery_thumbnail_path = "generated/images/flipping-impulse.png"

# %%
# Cross-correlation answers "how much does the window look like the
# kernel?", so a lone pixel at the window's bottom-right collects the
# kernel's bottom-right weight: the copy comes out turned round.
# Convolution flips first, so it stamps the kernel as it is.
#
# ## The post's vertical-edge filter, flipped
#
# Prewitt's vertical kernel turned by 180° is the same kernel with its
# signs swapped, so convolution gives exactly minus the cross-correlation:
# red and blue trade places on every edge. Try your own picture with
# `image = convdemo.load_image("my_photo.jpg")`.

image = convdemo.grid_image()[15:75, 15:75]
vertical = convdemo.get_kernel("vertical")
print("flipped kernel == -kernel:", np.array_equal(vertical[::-1, ::-1], -vertical))
# Mirror symmetry is not what matters: the horizontal filter is its own
# left-right mirror image, and a half-turn still negates it.
horizontal = convdemo.get_kernel("horizontal")
print(
    "horizontal == its mirror image:", np.array_equal(horizontal[:, ::-1], horizontal)
)
print(
    "horizontal turned by 180° == -horizontal:",
    np.array_equal(horizontal[::-1, ::-1], -horizontal),
)
for kind, test in [
    ("unchanged by a half-turn", lambda k: np.array_equal(k[::-1, ::-1], k)),
    ("negated by a half-turn", lambda k: np.array_equal(k[::-1, ::-1], -k)),
]:
    names = [n for n, k in convdemo.KERNELS.items() if test(k.values)]
    print(f"{kind}: {', '.join(names)}")
same = convdemo.correlate2d(image, vertical)
flipped = convdemo.convolve2d(image, vertical)
print("largest |correlation + convolution|:", np.abs(same + flipped).max())

fig, axes = plt.subplots(1, 3, figsize=(7.5, 2.9), layout="constrained")
draw_image(axes[0], image, title="Input (grid corner)", role="input")
norm = signed_norm(same)
for ax, values, title in [
    (axes[1], same, "Cross-correlation"),
    (axes[2], flipped, "Convolution"),
]:
    shown = draw_image(
        ax, values, cmap=DIVERGING, norm=norm, title=title, role="output"
    )
fig.colorbar(shown.image, ax=axes[1:], shrink=0.8, label="response")
set_alt_text(
    fig,
    "A 60 by 60 corner of the grid with two vertical lines, filtered with the "
    "vertical-edge kernel two ways. With cross-correlation each vertical line "
    "has a red stripe on its left and a blue stripe on its right; with "
    "convolution the same stripes appear with the colours swapped.",
    name="flipping-grid",
)

plt.show()
