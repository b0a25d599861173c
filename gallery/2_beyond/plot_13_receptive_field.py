"""
# How much of the image does one cell see?

After one 3 × 3 convolution an output cell depends on a 3 × 3 patch of the
input. Each further layer widens that patch, its *receptive field*, and
pooling makes the later layers widen it faster.
"""

# %%
# ## The table, computed
#
# For the two-layer network of the previous example (conv 3, pool 2,
# conv 3, pool 2; ReLU changes nothing here), `receptive_field` applies
# $r_L = \sum_{l=1}^{L} (k_l - 1) \prod_{i<l} s_i + 1$. The jump is the
# distance in input pixels between two neighbouring cells of the layer.

import matplotlib.pyplot as plt
from matplotlib.patches import Rectangle

import convdemo
from convdemo.analysis import receptive_field, receptive_field_table
from convdemo.draw import draw_image
from convdemo.style import apply_style, set_alt_text

apply_style()
layers = [(3, 1), (2, 2), (3, 1), (2, 2)]
names = ["conv 1", "pool 1", "conv 2", "pool 2"]
print(receptive_field_table(layers, names=names))

# %%
# ## Drawn on the input
#
# One cell per layer, chosen so that each lies inside the next: pool-2 cell
# 7 reads conv-2 cells 14 and 15, conv-2 cell 14 reads pool-1 cells 14 to
# 16, pool-1 cell 15 reads conv-1 cells 30 and 31. The squares are their
# fields on a 20 × 20 crop of the grid around a crossing of two lines. Use
# your own picture with `image = convdemo.load_image("my_photo.jpg")`.

image = convdemo.grid_image()
cells = [30, 15, 14, 7]  # row = column index of the chosen cell, per layer
colours = ["#E69F00", "#009E73", "#0072B2", "#D55E00"]
top = 24
fig, ax = plt.subplots(figsize=(7.2, 4.4), layout="constrained")
draw_image(ax, image[top : top + 20, top : top + 20], pixel_grid=True)
rows = receptive_field(layers)
for level, (row, cell, name, colour) in enumerate(
    zip(rows, cells, names, colours, strict=True)
):
    first, last = row.span(cell)
    inset = 0.12 * (len(rows) - 1 - level)  # keeps shared edges apart
    corner = first - top - 0.5 + inset
    ax.add_patch(
        Rectangle(
            (corner, corner),
            row.size - 2 * inset,
            row.size - 2 * inset,
            fill=False,
            lw=2.5,
            ec=colour,
            label=f"{name}: {row.size}×{row.size}",
        )
    )
    print(f"{name}: cell ({cell}, {cell}) sees input pixels {first} to {last}")
ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=9)
set_alt_text(
    fig,
    "A 20 by 20 pixel close-up of the grid around a crossing of two lines, "
    "with four nested squares: the fields of one cell of conv 1 (3 by 3), "
    "pool 1 (4 by 4), conv 2 (8 by 8) and pool 2 (10 by 10). The two "
    "largest squares contain the whole crossing.",
    name="receptive-fields",
)
# mkdocs_gallery_thumbnail_path = "generated/images/receptive-fields.png"

# %%
# ## Deeper stacks
#
# Five 3 × 3 convolutions see 11 × 11 pixels; with dilations 1, 2 and 4,
# three layers already see 15 × 15.

for stack in [[(3, 1)] * 5, [(3, 1, 1), (3, 1, 2), (3, 1, 4)]]:
    print(stack, "->", [row.size for row in receptive_field(stack)])

plt.show()
