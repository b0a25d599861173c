"""
# What does a filter do to each frequency?

Any image is a sum of waves: stripes of every direction and spacing, each
with its own strength. A filter slides the same weights everywhere, so it
cannot bend a wave into another shape: it only multiplies each one by a
number, its **gain**. Drawn for every frequency, the gains are the filter's
frequency response, and they say at a glance what it keeps.
"""

# %%
# ## The grid and the photo, as waves
#
# The amplitude spectrum places each wave by its frequency, in cycles per
# pixel: the centre is the image's mean, the edges are the finest stripes a
# pixel grid can hold (one cycle every two pixels). The grid repeats every
# 30 pixels, so its waves sit on a lattice of multiples of 1/30; the photo's
# strength gathers near the centre, in slow changes. Use your own picture
# with `photo = convdemo.load_image("my_photo.jpg")`.

import matplotlib.pyplot as plt
import numpy as np

import convdemo
from convdemo.draw import draw_image, draw_spectrum, show_frequency_responses
from convdemo.frequency import frequency_response
from convdemo.style import apply_style, set_alt_text

apply_style()
grid, photo = convdemo.grid_image(), convdemo.sample_photo()
fig, axes = plt.subplots(1, 4, figsize=(7.5, 2.4), layout="constrained")
for column, (name, image) in enumerate({"grid": grid, "photo": photo}.items()):
    draw_image(
        axes[2 * column], image, title=name, role="input", interpolation="screen"
    )
    draw_spectrum(axes[2 * column + 1], image, title="its spectrum", labels=True)
set_alt_text(
    fig,
    "The grid and its amplitude spectrum, a lattice of bright dots along the "
    "horizontal and vertical axes through the centre; the photo and its "
    "spectrum, a bright centre fading outwards, with faint streaks along the "
    "axes.",
    name="image-spectra",
)
# mkdocs_gallery_thumbnail_path = "generated/images/image-spectra.png"

power = np.abs(np.fft.fft2(photo - photo.mean())) ** 2
fr = np.fft.fftfreq(photo.shape[0])[:, None]
fc = np.fft.fftfreq(photo.shape[1])[None, :]
slow = np.hypot(fr, fc) < 0.1
share = power[slow].sum() / power.sum()
print(f"photo: {share:.1%} of its variation below 0.1 cycles/pixel")
row = np.abs(np.fft.fft(grid[15]))  # a row of pixels between two lines
strongest = np.argsort(row[1:150])[::-1][:3] + 1
print("grid: strongest waves across at", [f"{k}/300" for k in sorted(strongest)])

# %%
# ## The gain of each of the post's filters
#
# White is a large gain, black is 0. The identity keeps every wave as it
# is. The box blur keeps the centre, 9 times (its weights add up to 9),
# and turns the finest stripes down to 1 or to nothing. The edge filters do
# the reverse: nothing at the centre, where the mean is, and most for
# stripes a few pixels apart.

names = {
    "identity": "identity",
    "vertical": "vertical edges",
    "horizontal": "horizontal edges",
    "oblique": "anti-diagonal lines",
    "box_blur": "box blur",
    "edges": "all edges",
}
kernels = {title: convdemo.get_kernel(name) for name, title in names.items()}
fig, axes = show_frequency_responses(kernels)
set_alt_text(
    fig,
    "Six gain maps over the frequency plane. Identity: all white. Vertical "
    "edges: black in a vertical band through the centre, brightest left and "
    "right of it. Horizontal edges: the same turned a quarter. Anti-diagonal "
    "lines: bright spots along one diagonal. Box blur: one bright spot at "
    "the centre in a dark field. All edges: dark at the centre, bright "
    "towards the borders.",
    name="filter-responses",
)
for name in ("box_blur", "vertical", "edges"):
    found = frequency_response(convdemo.get_kernel(name), (60, 60))
    peak = np.unravel_index(found.gain.argmax(), found.gain.shape)
    where = (found.row_frequencies[peak[0]], found.col_frequencies[peak[1]])
    print(
        f"{name}: gain {found.gain[30, 30]:.0f} at the centre, "
        f"{found.gain[0, 0]:.0f} at the corner (1/2, 1/2), "
        f"largest {found.gain.max():.0f} at {where[0]:+.2f}, {where[1]:+.2f}"
    )

plt.show()
