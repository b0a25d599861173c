"""
# Can gradient descent find the vertical-edge filter by itself?

The post says a network learns its filters. Here is the smallest case: one
3 × 3 kernel, started at random, trained on (input, output) pairs made with
the vertical-edge filter, until it has found the filter's nine numbers.
"""

# %%
# ## The training pairs
#
# Four 64 × 64 inputs: a corner of the grid, of the isometric drawing, a
# crop of the photo and random noise; each target is the input filtered by
# the vertical-edge kernel. The learner never sees that kernel, only the
# pairs. Add your own input with `convdemo.load_image("my_photo.jpg")`.

import matplotlib.pyplot as plt
import numpy as np

import convdemo
from convdemo.draw import draw_image, draw_matrix
from convdemo.learn import example_pairs, learn_kernel
from convdemo.style import DIVERGING, apply_style, set_alt_text, signed_norm

apply_style()
images, targets = example_pairs("vertical", size=64, seed=0)
inputs = {"title": "input", "role": "input"}
outputs = {"title": "target", "role": "output", "cmap": DIVERGING}
fig, axes = plt.subplots(2, 4, figsize=(7.5, 4), layout="constrained")
for column, (image, target) in enumerate(zip(images, targets, strict=True)):
    draw_image(axes[0, column], image, norm=plt.Normalize(0, 1), **inputs)
    draw_image(axes[1, column], target, norm=signed_norm(target), **outputs)
set_alt_text(
    fig,
    "Four training inputs (a grid corner, an isometric drawing, "
    "a photo crop and noise) above their targets, the vertical-edge "
    "responses: red and blue stripes along every vertical edge.",
    name="learning-inputs",
)
# mkdocs_gallery_thumbnail_path = "generated/images/learning-inputs.png"

# %%
# ## Gradient descent
#
# The loss is the mean squared error between `correlate2d(input, kernel)`
# and the target. Its gradient is the input cross-correlated with the
# error, $\frac{2}{M}\sum_n X_n \star E_n$, written out in
# `convdemo.learn.loss_and_gradient`. Each step moves the kernel against
# the gradient, with momentum β = 0.9. The loss is a quadratic, so the
# largest step that does not diverge is known: 2/λ_max for plain gradient
# descent, 2(1 + β)/λ_max with momentum (λ_max: the largest curvature).

history = learn_kernel(images, targets, seed=0, steps=300)
true = convdemo.get_kernel("vertical")
errors = np.abs(history.kernels - true).max(axis=(1, 2))
curvature = 1 / history.learning_rate  # learn_kernel's step is 1 / λ_max
print(f"step size: {history.learning_rate:.4f}")
print(f"largest stable step without momentum, 2/λ_max: {2 / curvature:.4f}")
beta = history.momentum
print(f"with momentum {beta}, 2(1 + β)/λ_max: {2 * (1 + beta) / curvature:.4f}")
print(f"largest weight error at the start: {errors[0]:.2f}")
settled = np.nonzero(errors >= 1e-3)[0].max() + 1
print(f"every weight within 0.001 of the truth from step {settled} on")
print(
    f"after {len(errors) - 1} steps: largest error {errors[-1]:.1e}, "
    f"loss {history.losses[-1]:.1e}"
)

fig, ax = plt.subplots(figsize=(6, 3.2), layout="constrained")
ax.semilogy(history.losses, color=convdemo.style.OUTPUT, label="loss (MSE)")
ax.semilogy(errors, color=convdemo.style.KERNEL, label="largest weight error")
ax.axhline(1e-3, color=convdemo.style.MUTED, ls="--", lw=1, label="0.001")
ax.set_xlabel("step")
ax.legend()
set_alt_text(
    fig,
    "Loss and largest weight error against the step, on a log "
    "scale. Both fall by many orders of magnitude, with small "
    "ripples from the momentum; the error stays below 0.001 from "
    f"step {settled} on.",
    name="learning-loss",
)

# %%
# ## The kernel on its way
#
# Snapshots of the nine weights; the last panel is the true filter.

steps = [0, 10, 25, 50, 100, 300]
fig, axes = plt.subplots(2, 4, figsize=(7.5, 3.9), layout="constrained")
for ax, step in zip(axes.flat[:6], steps, strict=True):
    weights = np.round(history.kernels[step], 2) + 0.0  # no "-0.00"
    draw_matrix(
        ax, weights, role="kernel", fmt="{:.2f}", fontsize=9, title=f"step {step}"
    )
draw_matrix(axes.flat[6], true, role="kernel", fontsize=9, title="true filter")
axes.flat[7].set_visible(False)
set_alt_text(
    fig,
    "Seven 3 by 3 kernels: random numbers at step 0, drifting "
    "towards the pattern 1, 0, minus 1 by step 50, within 0.01 of the true "
    "vertical filter at step 100 and equal to it to two decimals at step 300.",
    name="learning-kernels",
)

plt.show()
