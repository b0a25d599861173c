"""
# Why does keeping every second pixel create false patterns?

After a stride of 2 the finest stripes an image can hold repeat every 4
pixels (1/4 cycle per pixel). Finer stripes do not vanish: they fold back
and pose as coarser ones. This is aliasing, and a zone plate, whose rings
get finer steadily from the centre outwards, shows it for every frequency
at once. Blurring first removes what would fold back.
"""

# %%
# ## A zone plate, subsampled with and without a blur
#
# The ring frequency grows from 0 at the centre to 1/2 cycle per pixel at
# the middle of each edge. Past halfway out (1/4) plain subsampling draws
# false rings centred on the corners and edges; a binomial blur first
# ($[1, 2, 1] / 4$ per axis, BlurPool's, or $[1, 4, 6, 4, 1] / 16$) turns
# them into flat grey. Try it on your own picture with
# `plate = convdemo.load_image("my_photo.jpg")`.

import matplotlib.pyplot as plt
import numpy as np

from convdemo.analysis import binomial_kernel, blur_pool
from convdemo.draw import draw_image
from convdemo.frequency import frequency_response, zone_plate
from convdemo.style import KERNEL, MUTED, WINDOW, apply_style, set_alt_text

apply_style()
plate = zone_plate(128)
views = {"zone plate, 128 × 128": plate}
for taps, name in [
    (1, "every 2nd pixel"),
    (3, "3-tap blur, then 2nd"),
    (5, "5-tap blur, then 2nd"),
]:
    views[name] = blur_pool(plate, 1, stride=2, blur=taps)
fig, axes = plt.subplots(2, 2, figsize=(4.2, 4.6), layout="constrained")
for ax, (name, view) in zip(axes.flat, views.items(), strict=True):
    draw_image(ax, view, norm=plt.Normalize(0, 1), title=name, interpolation="nearest")
set_alt_text(
    fig,
    "A zone plate, concentric rings that get finer towards the edges, and "
    "three half-size copies. Keeping every second pixel adds false rings "
    "around the corners and the middles of the edges. With a 3-tap blur "
    "first the false rings are fainter, with a 5-tap blur they are almost "
    "gone and the outer part is plain grey.",
    name="zone-plate-aliasing",
)
# mkdocs_gallery_thumbnail_path = "generated/images/zone-plate-aliasing.png"


def folding_share(image):
    """Share of an image's variation at frequencies a stride of 2 folds back."""
    power = np.abs(np.fft.fft2(image - image.mean())) ** 2
    fr, fc = np.meshgrid(*(np.fft.fftfreq(n) for n in image.shape), indexing="ij")
    return power[np.maximum(np.abs(fr), np.abs(fc)) > 0.25].sum() / power.sum()


for taps in (1, 3, 5):
    blurred = blur_pool(plate, 1, stride=1, blur=taps)
    print(f"{taps}-tap blur: {folding_share(blurred):.1%} of the variation folds back")

# %%
# ## The blur's gain, frequency by frequency
#
# Along one axis a binomial blur of $n$ taps has the gain
# $\cos^{n-1}(\pi f)$: 1 for the mean, exactly 0 at 1/2. Everything right of
# the dashed line (1/4) folds back after a stride of 2.

fig, ax = plt.subplots(figsize=(5.2, 2.8), layout="constrained")
styles = {1: (MUTED, ":"), 3: (KERNEL, "-"), 5: (WINDOW, "--")}
for taps, (colour, dashes) in styles.items():
    row = binomial_kernel(taps).sum(axis=0, keepdims=True)  # the 1-D factor
    found = frequency_response(row, (1, 200))
    order = np.argsort(np.abs(found.col_frequencies))  # the gain is symmetric
    label = "no blur" if taps == 1 else f"{taps}-tap binomial"
    x, y = np.abs(found.col_frequencies[order]), found.gain[0, order]
    ax.plot(x, y, dashes, color=colour, lw=2, label=label)
    if taps > 1:
        half, edge = found.gain[0, found.col_frequencies == 0.25][0], found.gain[0, 0]
        print(f"{taps}-tap binomial: gain {half:.2f} at 1/4, {edge:.0f} at 1/2")
ax.axvspan(0.25, 0.5, color=MUTED, alpha=0.15, lw=0)
ax.axvline(0.25, color=MUTED, lw=1, ls="--")
ax.text(0.375, 1.02, "folds back after stride 2", ha="center", va="bottom", fontsize=9)
ax.set_xlim(0, 0.5)
ax.set_ylim(0, 1.12)
ax.set_xlabel("frequency (cycles per pixel)")
ax.set_ylabel("gain")
ax.legend(loc="lower left", fontsize=9)
set_alt_text(
    fig,
    "Gain against frequency from 0 to 1/2 cycle per pixel. Without blur the "
    "gain is 1 everywhere. The 3-tap binomial falls from 1 to 0.5 at 1/4 "
    "and to 0 at 1/2; the 5-tap one falls faster, to 0.25 at 1/4. The band "
    "from 1/4 to 1/2, which folds back after a stride of 2, is shaded.",
    name="blur-gains",
)

plt.show()
