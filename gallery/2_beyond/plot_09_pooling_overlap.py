"""
# What happens when pooling windows overlap or do not fit?

With a 2 × 2 window and stride 2 each input cell belongs to one window.
With a 3 × 3 window and stride 2 (AlexNet's choice) the windows share their
border cells. And when the windows do not fit the map exactly, the last
cells are dropped unless the map is padded or `ceil_mode` adds a window.
"""

# %%
# ## The output sizes first
#
# `convdemo.pool_output_shape` uses $\lfloor (n + 2p - k)/s \rfloor + 1$,
# or $\lceil \cdot \rceil$ with `ceil_mode=True`. The same 7 × 7 map is
# pooled in each case; replace it with any small array of your own.

import matplotlib.pyplot as plt
import numpy as np

import convdemo
from convdemo.draw import show_pooling
from convdemo.style import set_alt_text

feature_map = np.random.default_rng(0).integers(0, 10, size=(7, 7)).astype(float)
cases = [
    {"size": 2},
    {"size": 3, "stride": 2},
    {"size": 2, "ceil_mode": True},
    {"size": 3, "stride": 2, "padding": 1},
]
for case in cases:
    print(case, "->", convdemo.pool_output_shape(feature_map.shape, **case))

# %%
# ## Non-overlapping 2 × 2 against overlapping 3 × 3, both with stride 2
#
# Both give 3 × 3 outputs. With 2 × 2 windows the last row and column of the
# 7 × 7 map belong to no window; 3 × 3 windows reach them, and a large value
# on a shared border (the 9 in the second row) can win two windows.

fig, axes = show_pooling(feature_map, 2)
set_alt_text(
    fig,
    "A 7 by 7 map pooled with 2 by 2 windows and stride 2 into a "
    "3 by 3 output; the last row and column are left out.",
    name="pooling-2x2",
)
# mkdocs_gallery_thumbnail_path = "generated/images/pooling-2x2.png"
fig, axes = show_pooling(feature_map, 3, stride=2)
set_alt_text(
    fig,
    "The same map pooled with overlapping 3 by 3 windows and "
    "stride 2, also into 3 by 3; neighbouring windows share a row or "
    "a column, and the windows reach the last row and column.",
    name="pooling-3x3-stride-2",
)

# %%
# ## Keeping the leftover cells: `ceil_mode` or padding
#
# `ceil_mode=True` adds a last, partial window over the leftover row and
# column. Padding by one cell on every side does the same for 3 × 3
# windows. Here padded cells never win a max and never count in an average:
# they are ignored, as in TensorFlow. PyTorch's `AvgPool2d` counts them as
# zeros by default (`count_include_pad=True`); padding with zeros first and
# then pooling without padding gives its numbers.

grid = np.arange(1.0, 10.0).reshape(3, 3)
ignored = convdemo.pool2d(grid, 3, stride=2, padding=1, mode="avg")
as_zeros = convdemo.pool2d(convdemo.pad(grid, 1), 3, stride=2, mode="avg")
print("padded cells ignored:       ", ignored.round(2).tolist())
print("padded cells count as zeros:", as_zeros.round(2).tolist())

fig, axes = show_pooling(feature_map, 2, ceil_mode=True)
set_alt_text(
    fig,
    "The 7 by 7 map pooled 2 by 2 with ceil_mode: a fourth row "
    "and column of partial windows cover the leftover cells, giving a "
    "4 by 4 output.",
    name="pooling-ceil-mode",
)
fig, axes = show_pooling(feature_map, 3, stride=2, padding=1)
set_alt_text(
    fig,
    "The 7 by 7 map padded by one dashed cell on every side and "
    "pooled with 3 by 3 windows and stride 2 into 4 by 4.",
    name="pooling-padded",
)

plt.show()
