r"""
# How do stride and dilation change the output size?

Stride moves the kernel by more than one cell at a time; dilation spreads
its taps apart. Both are in one formula for each axis: with input size $n$,
padding $p$ on each side, kernel size $k$, dilation $d$ and stride $s$, the
output has $\lfloor (n + 2p - d(k-1) - 1)/s \rfloor + 1$ cells.
"""

# %%
# ## Stride 2
#
# A 5 × 5 input, one ring of padding, a 3 × 3 kernel moving two cells at a
# time: the output is 3 × 3, and each output cell stands for a 2 × 2 block
# of the input.

import matplotlib.pyplot as plt

import convdemo
from convdemo.analysis import coverage
from convdemo.draw import draw_matrix, show_arithmetic
from convdemo.style import apply_style, set_alt_text

apply_style()
fig, axes = show_arithmetic(5, 3, padding=1, stride=2)
set_alt_text(
    fig,
    "A 5 by 5 input with one ring of padding and a 3 by 3 kernel at the "
    "top-left; with stride 2 the output is 3 by 3. The caption reads: floor "
    "of (5 + 2 − 2 − 1) / 2, plus 1, equals 3.",
    name="stride-2",
)
# mkdocs_gallery_thumbnail_path = "generated/images/stride-2.png"

# %%
# ## Dilation 2
#
# The same nine taps, one cell apart: the kernel spans
# $d(k-1) + 1 = 5$ cells without any extra weights.

fig, axes = show_arithmetic(7, 3, dilation=2)
set_alt_text(
    fig,
    "A 7 by 7 input and a 3 by 3 kernel with dilation 2: its nine taps sit "
    "on every other cell of a 5 by 5 square. The output is 3 by 3.",
    name="dilation-2",
)

# %%
# ## A calculator table
#
# Each row is computed by `convdemo.output_shape`. The last column counts
# the cells after the last window: the remainder of the floor division.

print("| n | k | p | s | d | output | cells left over |")
print("|---|---|---|---|---|---|---|")
for n, k, p, s, d in [
    (5, 3, 0, 1, 1),
    (5, 3, 1, 1, 1),
    (5, 3, 1, 2, 1),
    (6, 3, 0, 2, 1),
    (7, 3, 0, 2, 1),
    (7, 3, 0, 1, 2),
    (8, 2, 0, 2, 1),
    (9, 2, 0, 2, 1),
    (224, 7, 3, 2, 1),
    (227, 11, 0, 4, 1),
    (300, 3, 1, 1, 1),
]:
    out = convdemo.output_shape((n, n), (k, k), padding=p, stride=s, dilation=d)[0]
    left = n + 2 * p - ((out - 1) * s + d * (k - 1) + 1)
    print(f"| {n} | {k} | {p} | {s} | {d} | {out} | {left} |")

# %%
# ## When the stride does not fit
#
# Each cell shows how many windows read it. With 7 cells a 3-wide kernel
# with stride 2 ends exactly on the last one; with 6 the last row and column
# are never read: the layer silently ignores them.

fig, axes = plt.subplots(1, 2, figsize=(6.5, 3.3), layout="constrained")
for ax, n in zip(axes, [7, 6], strict=True):
    counts = coverage(n, 3, stride=2)
    title = f"{n} × {n}, k = 3, s = 2: {(counts == 0).sum()} cells unread"
    draw_matrix(ax, counts, highlight=counts == 0, fontsize=9, title=title)
set_alt_text(
    fig,
    "Two inputs, 7 by 7 and 6 by 6, with the number of stride-2 windows of "
    "size 3 that read each cell. In the 7 by 7 input every cell is read once, "
    "twice or four times. In the 6 by 6 input the last row and the last "
    "column read zero: 11 cells are never used.",
    name="stride-coverage",
)

plt.show()
