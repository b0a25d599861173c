"""
# What does the post's clipped view hide?

The post's notebook displayed each result after dividing it by the sum of
the kernel's numbers (when that sum is not zero) and clipping it to 0–255.
Side by side with the signed output, the clipped view loses one side of
every edge, and merges strong and weak responses into the same white.
"""

# %%
# ## Signed and clipped, on one crossing of the grid
#
# A 36 × 36 crop around a crossing of two lines, filtered with `"same"`
# padding and the border continued outward. Left: the signed output (red
# positive, blue negative, white 0). Right: the notebook's view,
# `clipped_view`, on the 0–255 scale.

import matplotlib.pyplot as plt
import numpy as np

from convdemo.draw import show_images
from convdemo.images import grid_image
from convdemo.kernels import KERNELS
from convdemo.ops import clipped_view, correlate2d
from convdemo.style import DIVERGING, GRAY, set_alt_text, signed_norm

crop = grid_image()[42:78, 42:78]
# Your own picture instead: crop = load_image("my_photo.jpg")[:36, :36]
images, titles, cmaps, norms, notes = [], [], [], [], []
for name in ["vertical", "edges"]:
    kernel = KERNELS[name]
    signed = correlate2d(crop, kernel.values, padding="same", border="replicate")
    clipped = clipped_view(255 * signed, kernel.values)
    images += [signed, clipped]
    titles += [f"{kernel.title}, signed", f"{kernel.title}, clipped"]
    cmaps += [DIVERGING, GRAY]
    norms += [signed_norm(signed), plt.Normalize(0, 255)]
    notes += ["red > 0, blue < 0", "black 0, white 255"]
    print(
        f"{kernel.title}: {np.mean(signed < 0):.0%} of the crop below 0 turns "
        f"black; {np.mean(clipped == 255):.0%} of it is white after clipping"
    )
# Row 5 crosses the vertical line (columns 18 and 19) away from the other.
line, halo, square = signed[5, 18], signed[5, 17], signed[5, 5]
print(f"All edges: line {line:.1f}, halo {halo:.1f}, white square {square:.1f}")

fig, axes = show_images(
    images, titles, roles="output", cmap=cmaps, norm=norms, notes=notes
)
set_alt_text(
    fig,
    "Four panels in two rows, the same crossing of two grid lines. Top: the "
    "vertical-edge filter; signed, the vertical line has a red band on its "
    "left and a blue band on its right; clipped, only the left band is left, "
    "white on black. Bottom: the all-edges filter; signed, both lines are "
    "dark red edged with blue on pale red squares; clipped, the blue edges "
    "are black and both the lines and the squares are the same plain white.",
    name="clipping-hides",
)
# mkdocs_gallery_thumbnail_path = "generated/images/clipping-hides.png"

# %%
# The vertical-edge filter's negative stripe, right of each line, turns as
# black as "no edge here", so each line looks one-sided. Under the all-edges
# filter (its numbers add up to 1, so the division changes nothing) the
# lines (2.6) and the white squares (1.0) both reach the top of the range:
# both become plain white, and only the black halo (−1.4) shows where a line
# was.

plt.show()
