r"""
# Transposed convolution, one step at a time

A transposed convolution goes the other way: a small map becomes a larger
one. Each input pixel stamps the kernel, scaled by its value, onto the
output; where stamps overlap they add up. The same numbers come out of an
ordinary correlation of a zero-padded (and, with a stride, zero-interleaved)
input with the kernel turned by a half-turn, which is how *A guide to
convolution arithmetic* draws it.
"""

# %%
# ## No padding, no strides
#
# A 2 × 2 input and a 3 × 3 kernel give a 4 × 4 output, the size of the
# input whose valid correlation would give 2 × 2. The equivalent correlation
# pads the input with $k - 1 = 2$ rings of zeros. The output size is
# $(n - 1) \cdot s - 2p + d(k - 1) + p_\text{out} + 1$, filled in below.

import matplotlib.pyplot as plt
import numpy as np

import convdemo
from convdemo.animate import animate_correlation
from convdemo.draw import show_conv_matrix
from convdemo.style import set_alt_text

kernel = np.arange(1.0, 10.0).reshape(3, 3)
turned = kernel[::-1, ::-1]


def size(n, k, s=1, p=0):
    """The output-size formula of the transposed convolution, filled in."""
    out = (n - 1) * s - 2 * p + (k - 1) + 1
    return f"({n} - 1)*{s} - 2*{p} + 1*({k} - 1) + 0 + 1 = {out}"


def spread(image, stride):
    """Insert stride - 1 zeros between neighbouring pixels."""
    rows, cols = image.shape
    out = np.zeros(((rows - 1) * stride + 1, (cols - 1) * stride + 1))
    out[::stride, ::stride] = image
    return out


small = np.array([[1.0, 2.0], [3.0, 4.0]])
print(size(2, 3))
print(convdemo.conv_transpose2d(small, kernel))
assert np.array_equal(
    convdemo.conv_transpose2d(small, kernel),
    convdemo.correlate2d(small, turned, padding=2),
)
anim = animate_correlation(small, turned, padding=2)
set_alt_text(
    plt.gcf(),
    "Animation: a 2 by 2 input, 1 2 3 4, padded by two rings of zeros, and the "
    "3 by 3 kernel 1 to 9 turned by a half-turn slide into a 4 by 4 output, "
    "one window per frame; the corners read 1, 6, 21 and 36.",
    name="transposed-no-padding",
    animation=anim,
)
# mkdocs_gallery_thumbnail_path = "generated/images/transposed-no-padding.png"

# %%
# ## Padding
#
# Padding $p$ in the correlation being transposed crops $p$ cells from each
# side of the result: the equivalent correlation pads by $k - 1 - p$ only.
# With $p = 1$ a 3 × 3 input stays 3 × 3, the transpose of `'same'`.

middle = np.arange(9.0).reshape(3, 3)
print(size(3, 3, p=1))
print(convdemo.conv_transpose2d(middle, kernel, padding=1))
padded = animate_correlation(middle, turned, padding=1)
set_alt_text(
    plt.gcf(),
    "Animation: the 3 by 3 input 0 to 8 padded by one ring of zeros, and the "
    "half-turned kernel, give a 3 by 3 output, one cell per frame.",
    name="transposed-padding",
    animation=padded,
)

# %%
# ## Strides: zeros between the inputs
#
# With stride 2, neighbouring stamps land two cells apart. The equivalent
# correlation inserts $s - 1 = 1$ zero between neighbouring input pixels,
# pads by $k - 1 = 2$, and slides with stride 1: a "fractionally strided"
# convolution. The 2 × 2 input becomes 5 × 5.

print(size(2, 3, s=2))
print(convdemo.conv_transpose2d(small, kernel, stride=2))
assert np.array_equal(
    convdemo.conv_transpose2d(small, kernel, stride=2),
    convdemo.correlate2d(spread(small, 2), turned, padding=2),
)
strided = animate_correlation(spread(small, 2), turned, padding=2)
set_alt_text(
    plt.gcf(),
    "Animation: the 2 by 2 input with a zero inserted between its pixels, "
    "padded by two rings of zeros, and the half-turned kernel, give a 5 by 5 "
    "output one cell per frame; the middle row and column, where two or four "
    "stamps overlap, hold the largest sums.",
    name="transposed-strides",
    animation=strided,
)

# %%
# ## The same matrix, transposed
#
# The correlation of a 3 × 3 input with the story's 2 × 2 kernel is the
# 4 × 9 matrix `M`; its transposed convolution is `M` transposed, 9 × 4. It
# maps a 2 × 2 map back to 3 × 3, the shape (not the values) of the input.

story = np.array([[0.0, 1.0], [2.0, 3.0]])
y = np.array([[1.0, 2.0], [3.0, 4.0]])
M = convdemo.conv_matrix((3, 3), story)
print("M.T @ y =", (M.T @ y.ravel()).astype(int))
print(convdemo.conv_transpose2d(y, story))
fig, axes = show_conv_matrix((3, 3), story, y, transpose=True)
set_alt_text(
    fig,
    "The 9 by 4 matrix M transposed: each column holds the kernel 0, 1, 2, 3 "
    "at the four pixels of one window. Times the column 1, 2, 3, 4 it gives "
    "0, 1, 2, 2, 10, 10, 6, 17, 12: the transposed convolution of 1 2 3 4 "
    "with the kernel.",
    name="transposed-matrix",
)

plt.show()
