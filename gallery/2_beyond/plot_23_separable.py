"""
# Can one 3 × 3 filter be two thin ones?

Often, yes. The post's vertical-edge filter is a column of ones times the
row $[1, 0, -1]$: every row of the kernel is the same row, scaled. Such a
kernel is *separable*, and correlating with it is correlating with the
column and then with the row: $2k$ multiplications per pixel instead of
$k^2$.
"""

# %%
# ## The kernel as a column times a row
#
# `convdemo.separate` finds the two factors from the kernel's singular
# values, as whole numbers when they exist. Sobel splits too; the Laplacian
# and the oblique filter do not (`None`).

import time

import matplotlib.pyplot as plt
import numpy as np

import convdemo
from convdemo.draw import show_outer_product, show_two_passes
from convdemo.separable import SEPARABLE_MAX_TAPS, SEPARABLE_MIN_TAPS
from convdemo.style import set_alt_text

column, row = convdemo.separate(convdemo.get_kernel("vertical"))
print("vertical:", column, row)
for name in ("sobel_x", "gaussian_blur_5x5", "laplacian", "oblique"):
    print(f"{name}:", convdemo.separate(convdemo.get_kernel(name)))
fig, axes = show_outer_product(column, row)
set_alt_text(
    fig,
    "The column 1, 1, 1 times the row 1, 0, minus 1 equals the vertical-edge "
    "kernel: three rows of 1, 0, minus 1.",
    name="prewitt-outer-product",
)
# mkdocs_gallery_thumbnail_path = "generated/images/prewitt-outer-product.png"

# %%
# ## Two passes over a crossing of the grid
#
# The column pass adds each pixel to the ones above and below it (a
# vertical blur); the row pass subtracts the pixel two to the right from
# the one on the left. The result is the vertical-edge map, to the last bit.
# Try another crop, or your own picture with `convdemo.load_image(...)`.

crop = convdemo.grid_image()[20:44, 20:44]
fig, axes = show_two_passes(crop, column, row)
set_alt_text(
    fig,
    "A 24 by 24 crop of the grid around a crossing; after the column pass, "
    "the same lines, the horizontal one thicker; after the row pass, the "
    "vertical-edge map: a red and a blue stripe on either side of the "
    "vertical line, and nothing along the horizontal one.",
    name="two-passes",
)
two = convdemo.correlate2d(crop, column[:, None])
two = convdemo.correlate2d(two, row[None, :])
one = convdemo.correlate2d(crop, convdemo.get_kernel("vertical"), method="direct")
print("largest difference from the 2-D sum:", np.abs(two - one).max())

# %%
# ## What it saves
#
# Multiplications per output pixel, $k^2$ against $2k$, and the time of
# both routes of `correlate2d` on the photo with a box blur of that size
# (measured on this machine when the script runs; yours will differ).
# `method="auto"` takes the two passes where they were measured faster.

photo = convdemo.sample_photo()
for k in (3, 5, 7, 9, 15):
    box = np.ones((k, k))
    times = {}
    for method in ("direct", "separable"):
        runs = []
        for _ in range(3):
            start = time.perf_counter()
            convdemo.correlate2d(photo, box, method=method)
            runs.append(time.perf_counter() - start)
        times[method] = min(runs)
    speed = times["direct"] / times["separable"]
    print(f"{k:>2} × {k:<2} {k * k:>3} vs {2 * k:>2} products, {speed:4.1f}× faster")
low, high = int(np.sqrt(SEPARABLE_MIN_TAPS)), SEPARABLE_MAX_TAPS // 2
print(f"method='auto' separates square kernels from {low} × {low} to {high} × {high}")

plt.show()
