r"""
# One digit through every layer

The trained network on one held-out digit: the eight maps of the first
convolution after its ReLU, the same maps pooled, the sixteen maps of the
second layer, pooled again to 2 × 2, and the ten probabilities that the
dense layer and the softmax make of those 64 numbers.
"""

# %%
# ## The first 5 of the test digits
#
# The same seed and training as the first script. Change `index` to follow
# another digit, or pass your own 8 × 8 array of ink counts (0 to 16) to
# `model.forward`; the [interactive page](../../../network.md) lets you draw one.

import matplotlib.pyplot as plt
import numpy as np

import convdemo
from convdemo.draw import show_layers
from convdemo.style import set_alt_text

images, labels = convdemo.load_digits()
train, test = convdemo.stratified_split(labels, 0.25, seed=0)
model = convdemo.TinyCNN(seed=0).fit(images[train], labels[train])
index = int(np.flatnonzero(labels[test] == 5)[0])
digit, label = images[test][index], labels[test][index]
maps = model.forward(digit)
for name, values in maps.items():
    print(f"{name:>13}: shape {values.shape}")
probabilities = maps["probabilities"]
best = int(probabilities.argmax())
print(f"true digit {label}, answer {best} with probability {probabilities[best]:.4f}")
print(f"pixels at 0 after the first ReLU: {np.mean(maps['relu1'] == 0):.0%}")

# %%
# ## Every map
#
# A map is white where its filter found nothing (after a ReLU nothing is
# negative) and red where it answered; each row has one colour scale.

fig, axes = show_layers(maps)
set_alt_text(
    fig,
    f"A handwritten {label} and what the network computes from it: eight 8 by 8 "
    "maps after the first convolution and ReLU, each lighting up along some "
    "strokes of the digit; the same maps pooled to 4 by 4; sixteen 4 by 4 maps "
    "of the second layer, sparser; those pooled to 2 by 2; and a bar chart of "
    f"the ten probabilities, where {best} takes {probabilities[best]:.1%}.",
    name="cnn-layers",
)
# mkdocs_gallery_thumbnail_path = "generated/images/cnn-layers.png"

plt.show()
