r"""
# Convolution is one matrix product

For a fixed kernel, every output cell is a weighted sum of input pixels, so
the whole correlation is a matrix times the flattened image. Libraries
compute it as a product too, with the windows as the rows of a matrix
(im2col), and pay for it in memory.
"""

# %%
# ## The story's example as a 4 × 9 matrix
#
# The 3 × 3 input holds 0 to 8 and the 2 × 2 kernel 0, 1, 2, 3, as in
# [the convolution chapter](../1_story/plot_03_convolution_step_by_step.md).
# Row 0 of `M` holds the kernel's weights at the four pixels of the first
# window (pixels 0, 1, 3 and 4) and zeros elsewhere, so
# $0 \times 0 + 1 \times 1 + 3 \times 2 + 4 \times 3 = 19$ again.

import tracemalloc

import matplotlib.pyplot as plt
import numpy as np

import convdemo
from convdemo.draw import show_conv_matrix, show_im2col
from convdemo.style import set_alt_text

image = np.arange(9.0).reshape(3, 3)
kernel = np.array([[0.0, 1.0], [2.0, 3.0]])
M = convdemo.conv_matrix(image.shape, kernel)
print("M =")
print(M.astype(int))
print("M @ x =", (M @ image.ravel()).astype(int))
fig, axes = show_conv_matrix(image.shape, kernel, image)
set_alt_text(
    fig,
    "The 4 by 9 matrix M of the story's correlation, every entry written: each "
    "row holds 0, 1, 2, 3 at the four pixels of one window and 0 elsewhere. "
    "Times the input as a column, 0 to 8, it gives the output 19, 25, 37, 43.",
    name="conv-matrix",
)
# mkdocs_gallery_thumbnail_path = "generated/images/conv-matrix.png"

# %%
# ## The im2col view
#
# The same product the other way round: each row of the matrix is one
# window of the image, and the kernel, flattened, is the column. This is the
# form libraries compute (one large matrix product for a whole layer).

windows = convdemo.im2col(image, kernel.shape)
print("im2col =")
print(windows.astype(int))
fig, axes = show_im2col(image, kernel)
set_alt_text(
    fig,
    "The im2col matrix of the story's input: four rows, one per window, "
    "holding 0 1 3 4, 1 2 4 5, 3 4 6 7 and 4 5 7 8; times the kernel 0, 1, 2, 3 "
    "as a column, it gives 19, 25, 37, 43.",
    name="im2col-view",
)

# %%
# ## What im2col costs
#
# Every pixel is copied once per window that reads it: nine times for a
# 3 × 3 kernel. Measured on the 300 × 300 grid, and on a layer of 16
# channels of 64 × 64 pixels. Try `convdemo.load_image("my_photo.jpg")`.

grid = convdemo.grid_image()
tracemalloc.start()
columns = convdemo.im2col(grid, (3, 3), padding="same")
peak = tracemalloc.get_traced_memory()[1]
tracemalloc.stop()
print(f"grid: {grid.nbytes / 1024:.0f} KiB, im2col: {columns.nbytes / 1024:.0f} KiB")
print(f"im2col / image: {columns.nbytes / grid.nbytes:.1f}x")
print(f"peak allocated while building it: {peak / grid.nbytes:.1f}x the image")
entries = (grid.size) ** 2
print(f"the dense M would hold {entries:,} entries, {entries * 8 / 1e9:.0f} GB")
layer = np.zeros((64, 64, 16))
layer_columns = convdemo.im2col(layer, (3, 3), padding="same")
print(f"layer: {layer_columns.shape}, {layer_columns.nbytes / layer.nbytes:.1f}x")

# %%
# ## Stride and padding in the matrix
#
# With stride 2 only every other window is kept: `M` loses the rows of the
# windows skipped. With one ring of zero padding, the windows that overlap
# the border lose the weights that fall on padding: their rows hold fewer
# than four numbers.

square = np.arange(16.0).reshape(4, 4)
strided = convdemo.conv_matrix(square.shape, kernel, stride=2)
print("stride 2 on a 4 x 4 input:", strided.shape)
fig, axes = show_conv_matrix(square.shape, kernel, stride=2)
set_alt_text(
    fig,
    "The 4 by 16 matrix of the 2 by 2 kernel with stride 2 on a 4 by 4 input: "
    "four rows, one per window, whose weights 0, 1, 2, 3 sit two pixels apart "
    "from one row to the next; no two rows share a pixel.",
    name="conv-matrix-stride",
)
padded = convdemo.conv_matrix(image.shape, kernel, padding=1)
print("padding 1 on the 3 x 3 input:", padded.shape)
taps = convdemo.conv_matrix(image.shape, np.ones((2, 2)), padding=1)
print("pixels each window reads:", np.count_nonzero(taps, axis=1).tolist())
fig, axes = show_conv_matrix(image.shape, kernel, padding=1)
set_alt_text(
    fig,
    "The 16 by 9 matrix of the 2 by 2 kernel on the 3 by 3 input with one ring "
    "of zero padding: the four rows of windows inside the image hold all four "
    "weights, the rows of windows on an edge two, and the four corner rows "
    "only one.",
    name="conv-matrix-padding",
)

plt.show()
