"""
# What did the post's notebook do at the border?

The notebook computed each output pixel from its 3 × 3 neighbourhood, for
the interior only, and left the outermost ring of pixels as they were in the
input. The result is a frame of the original photo around the filtered one.
"""

# %%
# ## The notebook's rule, next to zero and reflect padding
#
# On the 0–255 scale, the notebook clipped every filtered value to 0–255,
# but the border ring kept the input's grey levels. Replace `photo` with
# `convdemo.load_image("my_photo.jpg")` to try your own.

import matplotlib.pyplot as plt
import numpy as np

import convdemo
from convdemo.draw import draw_crop, draw_image
from convdemo.style import apply_style, set_alt_text

apply_style()
photo = 255 * convdemo.sample_photo()[150:214, 190:254]
kernel = convdemo.get_kernel("vertical")

notebook = photo.copy()
notebook[1:-1, 1:-1] = convdemo.correlate2d(photo, kernel)
views = {
    "the notebook (border kept)": notebook,
    'padding="same", zeros': convdemo.correlate2d(photo, kernel, padding="same"),
    'padding="same", reflect': convdemo.correlate2d(
        photo, kernel, padding="same", border="reflect"
    ),
}
fig, axes = plt.subplots(
    2, 3, figsize=(8, 5.2), layout="constrained", height_ratios=[3, 2]
)
for column, (title, view) in enumerate(views.items()):
    clipped = np.clip(view, 0, 255)
    draw_image(axes[0, column], clipped, norm=plt.Normalize(0, 255), title=title)
    draw_crop(axes[1, column], clipped, (0, 4), (0, 4), fmt="{:.0f}")
    print(title, "top-left 2 x 2:", clipped[:2, :2].round().tolist())
set_alt_text(
    fig,
    "A 64 by 64 crop of the photo around the eyes filtered with the "
    "vertical-edge kernel and clipped to 0 to 255, three ways, each with its "
    "top-left 4 by 4 corner written out below. The notebook's version has a "
    "one-pixel frame of the original grey photo around a dark edge map. "
    "Zero padding instead gives a bright false edge down the right side. "
    "Reflect padding gives an output with no frame and no false edge.",
    name="notebook-border",
)
# mkdocs_gallery_thumbnail_path = "generated/images/notebook-border.png"

# %%
# The frame is one pixel wide for a 3 × 3 kernel, and $(k-1)/2$ pixels for
# a $k \times k$ kernel. Its pixels are not edges: they are the input's
# brightness, on the same scale as the edge strengths. Explicit padding
# avoids the mix; reflect or replicate also avoids the false edges of
# zeros.

plt.show()
