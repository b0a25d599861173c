"""
# How big is the output: valid, same or full?

A 3 × 3 kernel fits into a 5 × 5 input at only 3 × 3 positions. Padding
adds a ring of extra cells around the input so that the kernel can also sit
over the border. Three rules are common, and each gives a different output
size.
"""

# %%
# ## The output size, by rule
#
# `convdemo.output_shape` applies the formula
# $\lfloor (n + 2p - d(k-1) - 1)/s \rfloor + 1$ for each axis; here the
# stride $s$ and dilation $d$ are 1.

import matplotlib.pyplot as plt

import convdemo
from convdemo.draw import show_arithmetic
from convdemo.style import set_alt_text

n, k = 5, 3
for rule in ["valid", "same", "full"]:
    amounts = convdemo.padding_amounts(rule, (k, k))
    shape = convdemo.output_shape((n, n), (k, k), padding=rule)
    print(f"{rule:>5}: padding {amounts[0]} per side -> output {shape}")

# %%
# ## "valid": no padding
#
# The kernel stays inside the input: the output shrinks by $k - 1 = 2$.

fig, axes = show_arithmetic(n, k, padding="valid")
set_alt_text(
    fig,
    "A 5 by 5 input with no padding and the 3 by 3 kernel at its top-left "
    "position; the output is 3 by 3. The caption fills in the formula: "
    "floor of (5 + 0 − 2 − 1) / 1, plus 1, equals 3.",
    name="padding-valid",
)
# mkdocs_gallery_thumbnail_path = "generated/images/padding-valid.png"

# %%
# ## "same": as large as the input
#
# One ring of padding ($p = 1$) lets the kernel centre visit every input
# cell, so the output keeps the input's 5 × 5 size.

fig, axes = show_arithmetic(n, k, padding="same")
set_alt_text(
    fig,
    "The 5 by 5 input surrounded by one dashed ring of padding, making 7 by 7; "
    "the 3 by 3 kernel covers the top-left corner, two thirds of it on "
    "padding. The output is 5 by 5, the size of the input.",
    name="padding-same",
)

# %%
# ## "full": every overlap
#
# Two rings ($p = k - 1 = 2$) let the kernel touch the input with a single
# tap: the output grows to $n + k - 1 = 7$.

fig, axes = show_arithmetic(n, k, padding="full")
set_alt_text(
    fig,
    "The 5 by 5 input inside two dashed rings of padding, 9 by 9 in all; the "
    "kernel at the top-left overlaps the input by a single cell. The output "
    "is 7 by 7.",
    name="padding-full",
)

plt.show()
