r"""
# The two gradients of a convolution

For $Y = X \star K$ and a loss $L$ whose gradient for $Y$ is $G$, the
gradient for the input is $G$, padded to a full correlation, correlated
with the kernel turned by a half-turn; the gradient for the kernel is the
input correlated with $G$. Both are computed here and checked by finite
differences.
"""

# %%
# ## The story's input and kernel
#
# The 3 × 3 input 0 to 8, the 2 × 2 kernel 0, 1, 2, 3, and an output
# gradient $G$ of 1, −1, 2 and 1 (what the next layer would send back).
# Each output cell sends its gradient back to the pixels its window read,
# times the weight that read them: pixel (1, 1), read by all four windows,
# collects $1 \times 3 - 1 \times 2 + 2 \times 1 + 1 \times 0 = 3$.

import matplotlib.pyplot as plt
import numpy as np

import convdemo
from convdemo.draw import draw_matrix
from convdemo.style import DIVERGING, apply_style, set_alt_text, signed_norm

apply_style()
image = np.arange(9.0).reshape(3, 3)
kernel = np.array([[0.0, 1.0], [2.0, 3.0]])
G = np.array([[1.0, -1.0], [2.0, 1.0]])
grad_image, grad_kernel = convdemo.correlate2d_backward(G, image, kernel)
full = convdemo.correlate2d(G, kernel[::-1, ::-1], padding="full")
same_kernel = convdemo.correlate2d(image, G)
assert np.array_equal(grad_image, full)
assert np.array_equal(grad_kernel, same_kernel)


checks = {
    "dL/dX": (grad_image, lambda x: np.sum(G * convdemo.correlate2d(x, kernel)), image),
    "dL/dK": (
        grad_kernel,
        lambda k: np.sum(G * convdemo.correlate2d(image, k)),
        kernel,
    ),
}
for name, (analytic, loss, at) in checks.items():
    numeric = convdemo.numerical_gradient(loss, at)
    error = np.abs(analytic - numeric).max() / np.abs(analytic).max()
    print(f"{name} = {analytic.astype(int).tolist()}")
    print(
        f"  finite differences {np.round(numeric, 6).tolist()}, "
        f"relative error {error:.1e}"
    )

# %%
# ## Both gradients, drawn
#
# Top: $G$ with a ring of zeros (dashed), correlated with the half-turned
# kernel, gives ∂L/∂X. Bottom: the input correlated with $G$ gives ∂L/∂K.

fig, axes = plt.subplots(2, 3, figsize=(6.4, 4.6), layout="constrained")
padded = np.pad(G, 1)
signed = {"cmap": DIVERGING, "norm": signed_norm(padded)}
draw_matrix(axes[0, 0], padded, padding=1, **signed)
draw_matrix(axes[0, 1], kernel[::-1, ::-1], role="kernel")
draw_matrix(axes[0, 2], grad_image, role="input")
draw_matrix(axes[1, 0], image, role="input")
draw_matrix(axes[1, 1], G, cmap=DIVERGING, norm=signed_norm(G))
draw_matrix(axes[1, 2], grad_kernel, role="kernel")
titles = ["G, padded", "K, half-turned", "∂L/∂X", "X", "G", "∂L/∂K"]
for ax, title in zip(axes.ravel(), titles, strict=True):
    ax.set_title(title)
set_alt_text(
    fig,
    "Top row: the output gradient G, 1, -1, 2, 1, padded by a ring of zeros, "
    "the kernel turned by a half-turn, 3, 2, 1, 0, and their correlation, the "
    "input gradient: 0, 1, -1, 2, 3, -2, 4, 8, 3. Bottom row: the input 0 to "
    "8, G, and their correlation, the kernel gradient: 9, 12, 18, 21.",
    name="convolution-gradients",
)
# mkdocs_gallery_thumbnail_path = "generated/images/convolution-gradients.png"

plt.show()
