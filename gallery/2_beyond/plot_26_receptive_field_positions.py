"""
# Where does each output's receptive field sit?

The receptive field has a size, and also a place. Without padding, output 0
of every layer looks at the image's first pixels, so the maps shrink and
their cells drift towards the middle of what they see. With `'same'`
padding each output sits over the centre of its field, and the fields of
the first outputs reach past the image into the padding.
"""

# %%
# ## The same three layers, without and with padding
#
# Two 3 × 3 convolutions with a stride-2 one between them, along one axis of
# a 12-pixel input. Each cell is drawn over the centre of its field; dashed
# cells are padding. The shaded cone joins output 1 of the top layer to the
# 9 pixels it sees.

import matplotlib.pyplot as plt
from matplotlib.patches import Circle, Rectangle

import convdemo
from convdemo.analysis import receptive_field, receptive_field_table
from convdemo.draw import draw_image, draw_receptive_field
from convdemo.style import MUTED, PADDING, WINDOW, apply_style, blend, set_alt_text

apply_style()
layers = [(3, 1), (3, 2), (3, 1)]
names = ["conv 1", "conv 2", "conv 3"]
fig, axes = plt.subplots(2, 1, figsize=(6.8, 5.6), layout="constrained")
for ax, padding in zip(axes, ["valid", "same"], strict=True):
    drawn = draw_receptive_field(ax, layers, 12, padding=padding, output=1, names=names)
    ax.set_title(f"padding={padding!r}", fontsize=10, color=MUTED)
    sizes = " → ".join(str(len(cells)) for cells in drawn.cells)
    first, last = receptive_field(layers, padding=padding)[-1].span(1)
    print(
        f"{padding}: {sizes} cells; output 1 sees {first} to {last}, "
        f"centre {(first + last) / 2:g}"
    )
set_alt_text(
    fig,
    "Two diagrams of an input row of 12 pixels and three layers above it. "
    "Without padding the layers have 10, 4 and 2 cells, drifting to the "
    "middle, and output 1 of the top layer sees input pixels 2 to 10, centre "
    "6. With same padding, dashed cells are added at both ends, the layers "
    "have 12, 6 and 6 cells, each over the centre of its field, and output 1 "
    "sees pixels minus 2 to 6, centre 2.",
    name="field-positions",
)
# mkdocs_gallery_thumbnail_path = "generated/images/field-positions.png"

# %%
# ## Distill's table, computed
#
# `receptive_field(layers, padding=...)` returns, per layer, the size $r$,
# the jump $j$ (the distance between neighbouring cells, in pixels) and
# the first pixel $u$ of output 0's field,
# $u_L = -\sum_l p_l \prod_{i<l} s_i$; output $f$ sees $u + f j$ to
# $u + f j + r - 1$.

for padding in ("valid", "same"):
    print(f"padding={padding!r}")
    print(receptive_field_table(layers, names=names, padding=padding))

# %%
# ## On the grid, in two dimensions
#
# With `'same'` padding, the fields of outputs (0, 0) and (3, 5) of the top
# layer on the grid's top-left corner: the first hangs over the edge into
# the padding (dashed: the four layers of padding that the three layers add
# up to), its centre on pixel (0, 0). Use your own picture with
# `image = convdemo.load_image("my_photo.jpg")`.

top = receptive_field(layers, padding="same")[-1]
image = convdemo.grid_image()[:16, :20]
fig, ax = plt.subplots(figsize=(5.2, 4.4), layout="constrained")
draw_image(ax, image, pixel_grid=True, title="input, top-left corner", role="input")
ax.set_frame_on(False)
dashed = {"fc": blend(PADDING, 0.5), "ec": MUTED, "ls": "--", "lw": 0.8}
ax.add_patch(Rectangle((-4.5, -4.5), 24, 4, **dashed))  # what 'same' adds above
ax.add_patch(Rectangle((-4.5, -0.5), 4, 16, **dashed))  # ... and on the left
for row, col in [(0, 0), (3, 5)]:
    (r0, r1), (c0, c1) = top.span(row), top.span(col)
    ax.add_patch(
        Rectangle(
            (c0 - 0.5, r0 - 0.5),
            c1 - c0 + 1,
            r1 - r0 + 1,
            fill=False,
            ec=WINDOW,
            lw=2.5,
            clip_on=False,
        )
    )
    ax.add_patch(Circle(((c0 + c1) / 2, (r0 + r1) / 2), 0.35, color=WINDOW))
    print(f"output ({row}, {col}): rows {r0} to {r1}, columns {c0} to {c1}")
ax.set_xlim(-5, 20)
ax.set_ylim(16, -5)
set_alt_text(
    fig,
    "A 16 by 20 pixel corner of the grid, with a dashed band of padding 4 "
    "pixels wide above and left of it, and two 9 by 9 squares: one centred "
    "on the top-left pixel, reaching across the padding, and one fully "
    "inside the image, centred on row 6, column 10.",
    name="fields-on-grid",
)

plt.show()
