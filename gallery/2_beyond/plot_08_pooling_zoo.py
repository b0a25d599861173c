"""
# Which summary should a pooling window keep?

Max pooling keeps the largest value of each window, but any summary of a
window works: the mean, the minimum, or a p-norm, which runs from the sum of
the window to its maximum. Global pooling summarises a whole map in one
number.
"""

# %%
# ## One window, five summaries
#
# The window holds 1, 2, 3 and 4. The L2 and Lp summaries are p-norms of the
# window, $(\sum |x|^p)^{1/p}$, as in PyTorch's `LPPool2d`: not means, so
# they can exceed the maximum. From $p = 1$ (the sum) they fall towards the
# maximum as $p$ grows. The *power mean* $(\frac{1}{m}\sum |x|^p)^{1/p}$
# is the summary that runs from the average ($p = 1$) up to the maximum.

import matplotlib.pyplot as plt
import numpy as np

import convdemo
from convdemo.draw import draw_image
from convdemo.style import apply_style, set_alt_text

apply_style()
window = np.array([[1.0, 2.0], [3.0, 4.0]])
modes = ["max", "avg", "min", "l2", "lp"]
for mode in modes:
    print(f"{mode:>3}: {convdemo.pool2d(window, 2, mode=mode, p=4)[0, 0]:.3f}")
for p in [1, 2, 4]:
    norm = convdemo.pool2d(window, 2, mode="lp", p=p)[0, 0]
    power_mean = np.mean(window**p) ** (1 / p)
    print(f"p = {p}: p-norm {norm:.3f}, power mean {power_mean:.3f}")

# %%
# ## The same feature map, pooled five ways
#
# The map is the vertical-edge response of a crop of the photo, after a
# ReLU (negative values set to 0), so every value is $\ge 0$. Each pooling
# uses 4 × 4 windows with stride 4; $p = 4$ for Lp. Each panel has its own
# grey scale, shown by its colour bar (a norm is not on the scale of the
# map); the global pooling of the whole map is written below it. Use your
# own picture with `photo = convdemo.load_image("my_photo.jpg")`.

photo = convdemo.sample_photo()[150:278, 150:278]
kernel = convdemo.get_kernel("vertical")
response = convdemo.correlate2d(photo, kernel, padding="same", border="reflect")
feature_map = convdemo.relu(response)


def scale(values):
    """Black for 0, white from the 99th percentile up (a few glints saturate)."""
    return plt.Normalize(0, max(np.percentile(values, 99), 1e-9))


fig, axes = plt.subplots(2, 3, figsize=(7.5, 5.4), layout="constrained")
shown = draw_image(
    axes[0, 0],
    feature_map,
    norm=scale(feature_map),
    title="feature map 128×128",
    role="input",
)
fig.colorbar(shown.image, ax=axes[0, 0], shrink=0.8)
for ax, mode in zip(axes.flat[1:], modes, strict=True):
    pooled = convdemo.pool2d(feature_map, 4, mode=mode, p=4)
    overall = convdemo.global_pool(feature_map, mode, p=4)
    shown = draw_image(
        ax,
        pooled,
        norm=scale(pooled),
        title=f"{mode} 4×4 → {pooled.shape[0]}×{pooled.shape[1]}",
        role="output",
    )
    fig.colorbar(shown.image, ax=ax, shrink=0.8)
    ax.set_xlabel(f"global {mode}: {overall:.3g}")
    print(f"global {mode:>3} pooling of the whole map: {overall:.3f}")
set_alt_text(
    fig,
    "A 128 by 128 map of vertical edges around the eyes in the photo, and "
    "five 32 by 32 poolings of it. Max pooling keeps every edge and thickens "
    "it; average pooling shows the same edges with fewer bright cells; min "
    "pooling is black except for a few cells whose whole window lies on an "
    "edge; L2 and Lp pooling look much like max pooling.",
    name="pooling-zoo",
)
# mkdocs_gallery_thumbnail_path = "generated/images/pooling-zoo.png"

# %%
# Min pooling is rarely used on ReLU maps for that reason: one zero in the
# window wins. Global average pooling (one number per channel) is how most
# modern networks turn their last feature maps into a vector for the
# classifier.

plt.show()
