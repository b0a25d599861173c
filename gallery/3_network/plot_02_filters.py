r"""
# What did the first layer learn?

The network's eight first-layer filters start as random numbers. After
training, some look like the story's hand-made filters and some do not:
this script shows them before and after, how they got there, how much they
resemble the story's six, and which pieces of the test digits excite each
one most.
"""

# %%
# ## Before and after, next to the story's filters
#
# Same seed and training as the previous script, so the same network. The
# numbers are the weights; colours use one signed scale (blue negative, red
# positive). The input is scaled to 0–1, so weights of a few units are
# large.

import matplotlib.pyplot as plt
import numpy as np

import convdemo
from convdemo.draw import animate_kernels, show_kernels
from convdemo.style import set_alt_text

images, labels = convdemo.load_digits()
train, test = convdemo.stratified_split(labels, 0.25, seed=0)
model = convdemo.TinyCNN(seed=0).fit(images[train], labels[train])
before, after = model.snapshots[0], model.snapshots[-1]
story = ["identity", "vertical", "horizontal", "oblique", "box_blur", "edges"]
hand_made = np.stack([convdemo.get_kernel(name) for name in story])
fig, axes = show_kernels({"initial": before, "trained": after})
set_alt_text(
    fig,
    "Two rows of eight 3 by 3 filters with their weights: random values at "
    "initialisation, mostly between minus 1 and 1, and the trained filters, "
    "larger and more structured, several with a positive side and a negative "
    "side like edge detectors.",
    name="cnn-filters",
)
# mkdocs_gallery_thumbnail_path = "generated/images/cnn-filters.png"
fig, axes = show_kernels({"the story's": hand_made}, decimals=0)
set_alt_text(
    fig,
    "The story's six hand-made filters: identity, vertical edges, horizontal "
    "edges, oblique lines, box blur and edges.",
    name="cnn-story-filters",
)

# %%
# ## How alike are they?
#
# For each trained filter, the story's filter with the largest cosine
# similarity after removing both means: 1 would be the same pattern (up to
# a scale), 0 unrelated, −1 the same pattern with its sign flipped.


def centred(kernels):
    """Kernels minus their means, scaled to length 1, flattened."""
    flat = kernels.reshape(len(kernels), -1)
    flat = flat - flat.mean(axis=1, keepdims=True)
    return flat / np.linalg.norm(flat, axis=1, keepdims=True)


shapes = [n for n in story if n not in ("identity", "box_blur")]
references = centred(np.stack([convdemo.get_kernel(n) for n in shapes]))
similarity = centred(after) @ references.T
for f, row in enumerate(similarity):
    best = int(np.abs(row).argmax())
    print(f"filter {f}: closest to {shapes[best]} ({row[best]:+.2f})")
start = centred(before) @ references.T
for name, values in (("trained", similarity), ("initial", start)):
    median = np.median(np.abs(values).max(axis=1))
    print(f"{name}: median best |similarity| {median:.2f}")
change = np.linalg.norm(after - before) / np.linalg.norm(before)
print(f"the first layer moved by {change:.0%} of its initial size")

# %%
# ## During training
#
# The first layer after each of the twenty epochs. Most of the change
# happens in the first few epochs, while the step size is large.

anim = animate_kernels(model.snapshots)
set_alt_text(
    plt.gcf(),
    "Animation: the eight first-layer filters at initialisation and after "
    "each of the 20 epochs; their weights grow and settle into patterns in "
    "the first epochs and barely change in the last ones.",
    name="cnn-filters-training",
    animation=anim,
)

# %%
# ## What excites each filter
#
# For each filter, the six 3 × 3 pieces of test digits (from six different
# digits) where its output is largest, and that output.

patches, responses = model.exciting_patches(images[test], 6)
fig, axes = show_kernels({f"filter {f}": patches[f] for f in range(8)}, ink=True)
for f in range(len(patches)):
    print(f"filter {f}: largest outputs {np.round(responses[f, :3], 2).tolist()}")
set_alt_text(
    fig,
    "Eight rows, one per trained filter, of the six 3 by 3 pieces of test "
    "digits that excite it most, with their ink from 0 to 1: each filter "
    "answers a stroke of a given direction or a stroke's end.",
    name="cnn-filter-patches",
)

plt.show()
