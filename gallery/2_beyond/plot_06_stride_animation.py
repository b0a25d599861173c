r"""
# A strided and a dilated kernel, one step at a time

The first animation slides a 3 × 3 kernel over a 5 × 5 input with one ring
of zero padding and stride 2: it jumps two cells at a time and visits only
3 × 3 positions. The second spreads the same kernel's taps two cells apart
(dilation 2) over a 7 × 7 input.
"""

# %%
# ## Stride 2
#
# The input holds $10 \cdot \text{row} + \text{col}$, so every product shows
# which cell it came from, and the kernel is the post's vertical-edge
# filter. The caption of each frame writes the sum out; padding cells are
# dashed and contribute zeros. Use your own numbers by replacing `image`
# (keep it small: every cell is written out).

import matplotlib.pyplot as plt
import numpy as np

import convdemo
from convdemo.animate import animate_correlation
from convdemo.style import set_alt_text

kernel = convdemo.get_kernel("vertical")


def caption(n, k, p, s, d):
    """The output-size formula with the numbers filled in."""
    out = convdemo.output_shape((n, n), (k, k), padding=p, stride=s, dilation=d)[0]
    return f"floor(({n} + 2*{p} - {d}*({k}-1) - 1) / {s}) + 1 = {out}"


rows, cols = np.indices((5, 5))
image = 10.0 * rows + cols
print(caption(5, 3, 1, 2, 1))
print(convdemo.correlate2d(image, kernel, padding=1, stride=2))
anim = animate_correlation(image, kernel, padding=1, stride=2)
set_alt_text(
    plt.gcf(),
    "Animation: the vertical-edge kernel visits a 5 by 5 input padded by one "
    "ring of zeros, two cells at a time, filling a 3 by 3 output. The one "
    "window that lies wholly inside the input, in the centre, gives minus 6: "
    "each row adds a left value and subtracts one 2 larger.",
    name="stride-2-steps",
    animation=anim,
)
# mkdocs_gallery_thumbnail_path = "generated/images/stride-2-steps.png"

# %%
# ## Dilation 2
#
# The nine taps now sit on every other cell of a 5 × 5 square, so on a
# 7 × 7 input the kernel fits at 3 × 3 positions. Each row of taps adds the
# value 4 columns to the left of the one it subtracts: every output is
# $3 \times (-4) = -12$.

rows, cols = np.indices((7, 7))
wide = 10.0 * rows + cols
print(caption(7, 3, 0, 1, 2))
print(convdemo.correlate2d(wide, kernel, dilation=2))
dilated = animate_correlation(wide, kernel, dilation=2)
set_alt_text(
    plt.gcf(),
    "Animation: the vertical-edge kernel with dilation 2, its nine taps two "
    "cells apart, visits a 7 by 7 input at 3 by 3 positions. Every output "
    "cell is minus 12.",
    name="dilation-2-steps",
    animation=dilated,
)

plt.show()
