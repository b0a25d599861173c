"""
# Does a feature map stay put when the image moves?

Move the grid right by 0, 1, 2 and 3 pixels. The convolution's output moves
with it, pixel for pixel: convolution is *equivariant* to shifts. Max
pooling keeps a cell's value only while the window's maximum stays inside
the window, so it is *invariant* to small shifts, and only sometimes.
"""

# %%
# ## A close-up of the maps, shift by shift
#
# `shift_experiment` crops the image at four offsets (no wrap-around, no
# padding), filters each view with the vertical-edge kernel and max-pools
# the result 2 × 2. The close-up follows one vertical grid line.

import matplotlib.pyplot as plt

import convdemo
from convdemo.analysis import shift_experiment
from convdemo.draw import draw_image
from convdemo.style import DIVERGING, apply_style, set_alt_text, signed_norm

apply_style()
grid = shift_experiment(convdemo.grid_image(), range(4))
norm = signed_norm(grid.conv)
fig, axes = plt.subplots(4, 3, figsize=(6.2, 8), layout="constrained")
for s, row in zip(grid.shifts, axes, strict=True):
    draw_image(
        row[0], grid.images[s][18:42, 18:42], title=f"input, shift {s} px", role="input"
    )
    draw_image(
        row[1],
        grid.conv[s][17:41, 17:41],
        cmap=DIVERGING,
        norm=norm,
        title="convolution",
        role="output",
    )
    draw_image(
        row[2],
        grid.pooled[s][8:20, 8:20],
        cmap=DIVERGING,
        norm=norm,
        title="2×2 max pool",
        role="output",
    )
set_alt_text(
    fig,
    "Four rows, one per shift of 0 to 3 pixels, each showing a 24 pixel "
    "close-up of the grid around one vertical line, its vertical-edge "
    "response, and the 2 by 2 max-pooled response. The line and its red and "
    "blue stripes move right one pixel per row. The pooled stripes do not "
    "move smoothly: they jump, widen and change colour from row to row.",
    name="shift-invariance",
)
# mkdocs_gallery_thumbnail_path = "generated/images/shift-invariance.png"

# %%
# ## The numbers, on the photo
#
# On the photo (every pixel has some texture) we count the cells that
# change at all, and the relative change $\|y_s - y_0\| / \|y_0\|$. The
# convolution changes almost everywhere, yet it is an exact shifted copy:
# the largest difference from the shifted original map is 0. Replace the
# photo with `convdemo.load_image("my_photo.jpg")` to measure your own.

photo = convdemo.sample_photo()
two = shift_experiment(photo, range(4), pool=2)
four = shift_experiment(photo, range(4), pool=4)
print("shift | conv changed | 2x2 max changed | 4x4 max changed | equivariance error")
for s in two.shifts[1:]:
    print(
        f"{s} px  | {two.conv_changed[s]:.0%} | {two.pooled_changed[s]:.0%} "
        f"| {four.pooled_changed[s]:.0%} | {two.conv_equivariance_error[s]:g}"
    )
print("relative change, conv:   ", two.conv_change.round(2))
print("relative change, 2x2 max:", two.pooled_change.round(2))

plt.show()
