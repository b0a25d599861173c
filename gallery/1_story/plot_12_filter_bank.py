"""
# Why are they called filters?

Each kernel lets some information through and holds the rest back: one keeps
vertical edges, another only horizontal ones, a third smooths everything.
Seeing every kernel of the library on the same images, a group at a time,
makes the point.
"""

# %%
# ## What each kernel keeps
#
# Every kernel in `KERNELS` carries a one-line description. "Laplacian"
# means the registry's kernels with a positive centre, `laplacian` and
# `outline` (the opposite sign of `scipy.ndimage.laplace`).

import matplotlib.pyplot as plt

from convdemo.draw import show_filters
from convdemo.images import grid_image, sample_photo
from convdemo.kernels import KERNELS
from convdemo.style import set_alt_text

for name, k in KERNELS.items():
    print(f"{name:18s} {k.description}")

# %%
# ## Three groups, two kinds of panel
#
# A kernel whose numbers add up to 1 keeps the brightness of flat areas: its
# output is another image, drawn in gray on the input's scale (values beyond
# it clipped). The box blur's sums, never negative, are gray too, from black
# at 0. Every other output is signed: white is zero, red positive, blue
# negative, each panel on its own scale.

groups = {
    "edges": [
        "vertical",
        "horizontal",
        "sobel_x",
        "sobel_y",
        "scharr_x",
        "scharr_y",
        "oblique",
    ],
    "laplacians": ["outline", "laplacian", "edges", "sharpen", "emboss"],
    "blurs": ["identity", "box_blur", "gaussian_blur", "gaussian_blur_5x5"],
}
for group, names in groups.items():
    add_to_one = [n for n in names if KERNELS[n].values.sum() == 1]
    print(
        f"{group}: {', '.join(names)}; numbers adding up to 1: "
        f"{', '.join(add_to_one) or 'none'}"
    )

# %%
# ## On the grid
#
# A 90 × 90 crop of the grid (three lines each way), drawn pixel for pixel;
# past the crop's edges the image is mirrored (`border="reflect"`), so the
# edges of the crop add no false lines.


def bank(image, where, descriptions):
    """Draw each group of kernels on `image`: figures filter-bank-<group>-<where>."""
    for group, names in groups.items():
        fig, _ = show_filters(image, names, side=0.9, border="reflect")
        set_alt_text(fig, descriptions[group], name=f"filter-bank-{group}-{where}")


grid = grid_image()[15:105, 15:105]
descriptions = {
    "edges": "Edge detectors of one direction on a crop of the grid: vertical "
    "Prewitt, Sobel and Scharr keep only the vertical lines as red and blue "
    "pairs, their horizontal twins only the horizontal lines, and the oblique "
    "filter only small marks at the crossings.",
    "laplacians": "Filters that see every direction, on a crop of the grid: the "
    "outline and the Laplacian, signed, ring every line in red and blue; all "
    "edges, sharpen and emboss, whose numbers add up to 1, are drawn in gray: "
    "all edges turns the dark lines white with a black halo, sharpen darkens "
    "the lines with a light halo, emboss shifts them into a relief.",
    "blurs": "The identity and three blurs on a crop of the grid, in gray: the "
    "identity is the input again, the box blur's sums are brighter with wide "
    "soft lines, the Gaussian blurs soften the lines, the 5 by 5 one most.",
}
bank(grid, "grid", descriptions)
# mkdocs_gallery_thumbnail_path = "generated/images/filter-bank-edges-grid.png"

# %%
# ## On a photograph
#
# A 45 × 45 crop around an eye, each pixel drawn as 2 × 2 screen pixels: at
# this size the three blurs differ. Your own picture instead:
# `photo = load_image("my_photo.jpg")[100:145, 100:145]` (`convdemo.images`).

photo = sample_photo()[175:220, 195:240]
descriptions = {
    "edges": "Edge detectors of one direction on a close-up of an eye: the "
    "vertical ones outline the sides of the eye and the frame of the glasses "
    "in red and blue, the horizontal ones the eyelid and the brow, the oblique "
    "one the slanting strokes.",
    "laplacians": "Filters that see every direction on a close-up of an eye: "
    "outline and Laplacian, signed, trace every edge in red and blue; in gray, "
    "all edges exaggerates every change into black and white texture, sharpen "
    "shows the eye crisper, and emboss shows it as a relief.",
    "blurs": "The identity and three blurs on a close-up of an eye, in gray: "
    "the box blur's sums from black to their largest value, the 3 by 3 "
    "Gaussian slightly soft, the 5 by 5 Gaussian softest.",
}
bank(photo, "photo", descriptions)

plt.show()
