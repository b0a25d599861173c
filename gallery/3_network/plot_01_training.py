r"""
# Can a tiny CNN learn to read handwritten digits?

Two convolutional layers with max pooling, one dense layer and a softmax,
1,898 numbers in all, trained from labels alone with convdemo's own
forward and backward passes. A quarter of the digits are held out: the
network never sees them while it learns.
"""

# %%
# ## The digits
#
# scikit-learn ships 1,797 handwritten digits of 8 × 8 pixels. Each pixel
# counts the black cells of a 4 × 4 block of a 32 × 32 bitmap, 0 to 16:
# 4 × 4 *sum pooling*, the pooling chapter's operation with a sum instead of
# a maximum. The split keeps a quarter of each digit for the test.

import matplotlib.pyplot as plt
import numpy as np

import convdemo
from convdemo.draw import show_confusion, show_digits
from convdemo.style import INPUT, OUTPUT, apply_style, set_alt_text

images, labels = convdemo.load_digits()
train, test = convdemo.stratified_split(labels, 0.25, seed=0)
print(f"{len(train)} training digits, {len(test)} test digits")
first = [int(np.flatnonzero(labels[test] == d)[0]) for d in range(10)]
fig, axes = show_digits(images[test][first], labels[test][first])
set_alt_text(
    fig,
    "One test digit of each class, 0 to 9, as 8 by 8 grids of grey squares: "
    "blurry but readable handwriting.",
    name="cnn-digits",
)
# mkdocs_gallery_thumbnail_path = "generated/images/cnn-digits.png"

# %%
# ## Training
#
# Twenty passes over the 1,347 training digits, 32 at a time, with Adam and
# a step size that falls along a cosine. The loss is the cross-entropy of
# the right digit; every gradient comes from `conv2d_backward` and
# `pool2d_backward`. Seed 0: the same weights on every run.

model = convdemo.TinyCNN(seed=0)
model.fit(images[train], labels[train], validation=(images[test], labels[test]))
history = model.history
print(f"loss after epoch 1: {history[0].loss:.3f}, after 20: {history[-1].loss:.4f}")
print(f"test accuracy after epoch 1: {history[0].test_accuracy:.1%}")
print(f"test accuracy after 20 epochs: {history[-1].test_accuracy:.2%}")
print(f"training accuracy after 20 epochs: {history[-1].train_accuracy:.2%}")

apply_style()
epochs = np.arange(1, len(history) + 1)
fig, (left, right) = plt.subplots(1, 2, figsize=(7.5, 2.8), layout="constrained")
left.semilogy(epochs, [e.loss for e in history], color=OUTPUT)
left.set_xlabel("epoch")
left.set_ylabel("training loss")
right.plot(
    epochs,
    [100 * e.train_accuracy for e in history],
    color=INPUT,
    label="training digits",
)
right.plot(
    epochs,
    [100 * e.test_accuracy for e in history],
    color=OUTPUT,
    label="held-out digits",
)
right.set_xlabel("epoch")
right.set_ylabel("accuracy (%)")
right.set_ylim(80, 100.5)
right.legend(loc="lower right")
set_alt_text(
    fig,
    "Two curves over 20 epochs. Left: the training loss falls steeply in the "
    f"first epochs, from {history[0].loss:.2f} to {history[-1].loss:.4f}. "
    "Right: accuracy on the training digits climbs to 100 percent and on the "
    f"held-out digits to {100 * history[-1].test_accuracy:.1f} percent.",
    name="cnn-training",
)

# %%
# ## Which digits does it confuse?
#
# The confusion matrix counts, for each true digit (row), the network's
# answers (column). The diagonal holds the right answers.

predicted = model.predict(images[test])
wrong = np.flatnonzero(predicted != labels[test])
print(f"{len(test) - len(wrong)} of {len(test)} right, {len(wrong)} wrong:")
print(", ".join(f"{labels[test][i]} read as {predicted[i]}" for i in wrong))
fig, ax = show_confusion(labels[test], predicted)
set_alt_text(
    fig,
    f"Confusion matrix of the {len(test)} held-out digits: almost every count "
    f"lies on the diagonal; the {len(wrong)} mistakes are "
    + ", ".join(f"{labels[test][i]} read as {predicted[i]}" for i in wrong)
    + ".",
    name="cnn-confusion",
)

# %%
# ## The digits it got wrong
#
# Each title reads *true → answer*. Several are hard for a person too.

fig, axes = show_digits(images[test][wrong], labels[test][wrong], predicted[wrong])
set_alt_text(
    fig,
    f"The {len(wrong)} misread test digits, titled true digit arrow answer: "
    + ", ".join(f"{labels[test][i]} as {predicted[i]}" for i in wrong)
    + ". Most are thin, broken or slanted strokes.",
    name="cnn-misclassified",
)

plt.show()
