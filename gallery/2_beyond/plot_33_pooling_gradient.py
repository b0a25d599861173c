r"""
# Where does the gradient go in max pooling?

Each output of 2 × 2 max pooling copies one cell of its window, the
largest. So when the loss changes with that output, it changes only with
that cell: the whole gradient goes back to the window's winner, and the
three other cells get 0.
"""

# %%
# ## The story's 4 × 4 feature map
#
# The map of [the pooling chapter](../1_story/plot_13_max_pooling.md), and a
# gradient ∂L/∂y of 10, 20, 30 and 40 arriving at the four pooled cells
# (a stand-in for what the next layer would send back).

import matplotlib.pyplot as plt
import numpy as np

import convdemo
from convdemo.draw import animate_pool_gradient
from convdemo.style import set_alt_text

feature_map = np.array(
    [[1, 3, 2, 0], [4, 6, 5, 1], [0, 2, 9, 7], [3, 1, 8, 4]], dtype=float
)
grad_output = np.array([[10.0, 20.0], [30.0, 40.0]])
grad = convdemo.pool2d_backward(grad_output, feature_map, 2)
print("pooled:")
print(convdemo.pool2d(feature_map, 2))
print("gradient for the feature map:")
print(grad)

anim = animate_pool_gradient(feature_map, grad_output)
set_alt_text(
    plt.gcf(),
    "Animation: the 2 by 2 windows of the story's 4 by 4 feature map, one per "
    "frame. In each, the maximum (6, 5, 3, then 9) is circled and receives "
    "the window's gradient, 10, 20, 30 or 40, in the matching cell of the "
    "gradient map; the twelve other cells stay 0.",
    name="pooling-gradient-steps",
    animation=anim,
)
# mkdocs_gallery_thumbnail_path = "generated/images/pooling-gradient-steps.png"

# %%
# ## Checked by finite differences
#
# Nudge each cell of the map by ±ε and watch $L = \sum \partial L/\partial y
# \cdot y$ change: $(L(x + \varepsilon) - L(x - \varepsilon)) / 2\varepsilon$.
# No two cells of a window tie, so the winner never changes under the nudge
# (`convdemo.numerical_gradient` does the nudging).


numeric = convdemo.numerical_gradient(
    lambda x: np.sum(grad_output * convdemo.pool2d(x, 2)), feature_map
)
print("finite differences:")
print(np.round(numeric, 6))
error = np.abs(grad - numeric).max() / np.abs(grad).max()
print(f"relative error: {error:.1e}")

plt.show()
