"""
# Does a feature map stay put when the image moves?

Move the grid right by 0, 1, 2 and 3 pixels. The convolution's output moves
with it, pixel for pixel: convolution is *equivariant* to shifts. The 2 × 2
max-pooled map can only move by whole cells of two pixels: it follows a
shift of 2 pixels exactly, and changes under the half-cell part of a shift
of 1 or 3 pixels.
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
# On the photo (every pixel has some texture) we compare each map with the
# nearest shifted copy of the unshifted one. The convolution's copy is moved
# by the shift itself, and the largest difference is 0: an exact shifted
# copy. A pooled map can only move by whole cells, so its copy is moved by
# the whole number of cells nearest to shift / window (the closer match of
# the two when the shift falls halfway). Replace the photo with
# `convdemo.load_image("my_photo.jpg")` to measure your own.

photo = convdemo.sample_photo()
two = shift_experiment(photo, range(4), pool=2)
four = shift_experiment(photo, range(4), pool=4)
print("cells that differ from the nearest shifted copy (copy moved by, in cells):")
print("shift | conv, largest difference | 2x2 max pool | 4x4 max pool")
for s in two.shifts[1:]:
    print(
        f"{s} px  | {two.conv_equivariance_error[s]:g} "
        f"| {two.pooled_copy_changed[s]:.0%} ({two.pooled_offset[s]}) "
        f"| {four.pooled_copy_changed[s]:.0%} ({four.pooled_offset[s]})"
    )

# %%
# Compared at the same cells instead, the strict test of invariance, even
# the 2-pixel shift, which only moved the 2 × 2 pooled map by one cell,
# counts as a large change:

changed = ", ".join(f"{v:.0%}" for v in two.pooled_changed[1:])
print("2x2 max pool, cells changed at the same position:", changed)
print("relative change at the same position: ", two.pooled_change[1:].round(2))
print("relative change from the nearest copy:", two.pooled_copy_change[1:].round(2))

plt.show()
