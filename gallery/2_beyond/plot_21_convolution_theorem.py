"""
# Is filtering the same as multiplying spectra?

Yes: this is the convolution theorem. The spectrum of a filtered image is
the image's spectrum times the filter's frequency response, wave by wave.
So a blur, whose gain is high only near the centre, keeps slow changes
(low-pass), and an edge filter, whose gain is 0 there, keeps fine detail
(high-pass). It also gives a second way to compute a correlation: transform,
multiply, transform back.
"""

# %%
# ## Spectrum × gain = spectrum of the result
#
# Each row multiplies the photo's spectrum by a filter's gain; the product
# is the spectrum of the filtered photo on the right. The box blur (divided
# by 9, so it keeps the brightness) leaves only the centre; the outline
# filter (the 8-neighbour Laplacian) removes it. Use your own picture with
# `photo = convdemo.load_image("my_photo.jpg")`.

import time

import matplotlib.pyplot as plt
import numpy as np

import convdemo
from convdemo.draw import show_filtering
from convdemo.frequency import FFT_MIN_OUTPUT, FFT_MIN_TAPS
from convdemo.style import set_alt_text

photo = convdemo.sample_photo()[::2, ::2]  # 300 × 256
kernels = {
    "box blur ÷ 9": convdemo.get_kernel("box_blur") / 9,
    "outline": convdemo.get_kernel("outline"),
}
fig, axes = show_filtering(photo, kernels)
set_alt_text(
    fig,
    "Two rows, each: the photo's spectrum, times a filter's gain, equals the "
    "spectrum of the result, next to the filtered photo. Box blur: the gain "
    "is a bright spot at the centre, the product keeps only the centre, and "
    "the photo comes out soft. Outline: the gain is dark at the centre and "
    "bright outside, the product loses the bright centre, and the result "
    "shows only the edges, in blue and red.",
    name="filtering-as-product",
)
# mkdocs_gallery_thumbnail_path = "generated/images/filtering-as-product.png"


def share_above(image, cutoff=0.25):
    """Share of an image's variation (power without the mean) above `cutoff`."""
    power = np.abs(np.fft.fft2(image - image.mean())) ** 2
    f = np.hypot(
        *np.meshgrid(
            np.fft.fftfreq(image.shape[0]),
            np.fft.fftfreq(image.shape[1]),
            indexing="ij",
        )
    )
    return power[f > cutoff].sum() / power.sum()


print(f"photo: {share_above(photo):.1%} of its variation above 0.25 cycles/pixel")
for name, kernel in kernels.items():
    out = convdemo.correlate2d(photo, kernel, padding="same", border="wrap")
    print(f"{name}: {share_above(out):.1%} above 0.25 cycles/pixel")

# %%
# ## The FFT route gives the direct result
#
# `correlate2d(..., method="fft")` pads the image (any border), multiplies
# the transforms of the image and the kernel and transforms back. On the
# photo with a 15 × 15 kernel it agrees with the direct sum to rounding:

rng = np.random.default_rng(0)
kernel = rng.standard_normal((15, 15))
options = {"padding": "same", "border": "reflect"}
direct = convdemo.correlate2d(photo, kernel, method="direct", **options)
fft = convdemo.correlate2d(photo, kernel, method="fft", **options)
difference = np.abs(fft - direct).max() / np.abs(direct).max()
print(f"largest difference: {difference:.0e} of the largest output value")

# %%
# ## When is the FFT faster?
#
# The direct sum costs one multiply-add per tap and output pixel, so it
# grows with the kernel; the FFT costs about the same for any kernel. This
# cell times both on this machine (the numbers change from run to run).


def best_time(function, repeat=3):
    """Fastest of `repeat` calls, in milliseconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return 1000 * min(times)


crossover = None
for k in (3, 4, 5, 7, 9, 11):
    weights = rng.standard_normal((k, k))
    ms = {
        m: best_time(lambda m=m, w=weights: convdemo.correlate2d(photo, w, method=m))
        for m in ("direct", "fft")
    }
    print(f"{k:>2} × {k:<2} direct {ms['direct']:6.2f} ms, FFT {ms['fft']:6.2f} ms")
    if crossover is None and ms["fft"] < ms["direct"]:
        crossover = k
print(
    f"here the FFT is faster from {crossover} × {crossover}"
    if crossover
    else "here the direct sum was faster for every size tried"
)
side = int(np.sqrt(FFT_MIN_TAPS))
print(
    f"method='auto' takes the FFT from {FFT_MIN_TAPS} taps per output pixel "
    f"({side} × {side}), on outputs of at least {FFT_MIN_OUTPUT} pixels"
)

plt.show()
