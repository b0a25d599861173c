"""
# What do the colours mean?

Every figure on this site uses the same colours for the same roles: the input
image, the filter (kernel), the output it produces, the window the filter is
looking at right now, and the padding added around the border. Signed results
use a diverging colour map with zero in the middle; results that are never
negative are drawn in gray, like the input.
"""

# %%
# ## One legend for the whole site
#
# `show_legend` draws one sample of each role. The figure builders in
# `convdemo.draw` all use these colours, so this is the only key you need.

import matplotlib.pyplot as plt

from convdemo.draw import show_legend
from convdemo.style import set_alt_text

fig, axes = show_legend()
set_alt_text(
    fig,
    "Colour legend. Sky-blue cells are the input image, orange cells the filter "
    "(kernel), green cells the output, grey dashed cells the padding added "
    "around the border, and a vermillion outline marks the window the filter "
    "currently covers. A colour bar from blue through white to red shows signed "
    "values: blue below zero, white zero, red above zero. A second bar, from "
    "black to white, shows outputs that are never negative: black zero, white "
    "the largest value.",
    name="colour-key",
)
# mkdocs_gallery_thumbnail_path = "generated/images/colour-key.png"

# %%
# ## The colours as hex codes
#
# They come from the Okabe–Ito palette, which stays distinguishable for the
# common forms of colour blindness. Use them in your own figures if you like.

from convdemo import style

for role in ["INPUT", "KERNEL", "OUTPUT", "WINDOW", "PADDING"]:
    print(f"{role:8s} {getattr(style, role)}")

plt.show()
