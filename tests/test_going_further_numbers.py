"""Every number quoted in the chapters on frequencies, cheaper convolutions,
channels in 3-D and receptive-field positions, recomputed here.

Each test reads its chapter's text and checks that the number is there and
that the library (or numpy directly) gives it.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

import convdemo
from convdemo._routes import choose_method
from convdemo.analysis import (
    CONV_KINDS,
    binomial_kernel,
    blur_pool,
    conv_cost,
    receptive_field,
    receptive_field_table,
)
from convdemo.frequency import (
    FFT_MIN_OUTPUT,
    FFT_MIN_TAPS,
    frequency_response,
    zone_plate,
)
from convdemo.ops import conv2d, correlate2d, output_shape
from convdemo.separable import SEPARABLE_MAX_TAPS, SEPARABLE_MIN_TAPS

DOCS = Path(__file__).resolve().parents[1] / "docs" / "beyond"


def _text(page):
    return (DOCS / page).read_text(encoding="utf-8")


def _quoted(page, *snippets):
    """Assert that each snippet appears in the chapter."""
    text = " ".join(_text(page).split())
    missing = [snippet for snippet in snippets if snippet not in text]
    assert missing == []


def _share(image, keep):
    """Share of an image's variation at the frequencies where keep(fr, fc)."""
    spectrum = np.fft.fft2(image - image.mean())
    power = spectrum.real**2 + spectrum.imag**2
    fr = np.fft.fftfreq(image.shape[0])[:, None] * np.ones((1, image.shape[1]))
    fc = np.fft.fftfreq(image.shape[1])[None, :] * np.ones((image.shape[0], 1))
    return float(power[keep(fr, fc)].sum() / power.sum())


def _percent(value):
    return f"{100 * value:.1f} %"


# --------------------------------------------------------------------------
# Frequencies
# --------------------------------------------------------------------------


def test_frequencies_spectra_numbers():
    """The grid's strongest waves are 1/30, 2/30, 3/30; the photo's 94.1 %."""
    row = np.abs(np.fft.rfft(convdemo.grid_image()[15]))
    strongest = sorted(int(k) for k in np.argsort(row[1:])[::-1][:3] + 1)
    assert strongest == [10, 20, 30]  # of 300 pixels: 1/30, 2/30, 3/30
    photo = convdemo.sample_photo()
    slow = _share(photo, lambda fr, fc: fr**2 + fc**2 < 0.1**2)
    assert _percent(slow) == "94.1 %"
    _quoted(
        "frequencies.md",
        "the strongest are 1/30, 2/30 and 3/30",
        f"{_percent(slow)} of its variation",
    )


def test_frequencies_gains_of_the_post_filters():
    """Box 9 → 1, vertical 0 on its axis and 6 at ±¼, all edges 1 → 11."""
    box = frequency_response(convdemo.get_kernel("box_blur"), (60, 60))
    assert (box.gain[30, 30], box.gain[0, 0]) == pytest.approx((9, 1))
    vertical = frequency_response(convdemo.get_kernel("vertical"), (60, 60))
    assert np.allclose(vertical.gain[:, 30], 0)
    peak = np.unravel_index(vertical.gain.argmax(), vertical.gain.shape)
    assert vertical.gain.max() == pytest.approx(6)
    assert vertical.row_frequencies[peak[0]] == 0
    assert abs(vertical.col_frequencies[peak[1]]) == 0.25
    edges = frequency_response(convdemo.get_kernel("edges"), (60, 60))
    assert (edges.gain[30, 30], edges.gain.max()) == pytest.approx((1, 11))
    _quoted(
        "frequencies.md",
        "gain 9 at the centre",
        "falls to 1 in the corners",
        "Its largest gain, 6, is for vertical stripes four pixels apart (frequency ±¼",
        "(gain 1: its weights add up to 1) and boosts the fastest changes, up to 11",
    )


def test_frequencies_low_pass_and_high_pass_shares():
    """4.4 % above ¼ in the photo; 0.2 % after the blur, 81.5 % after outline."""
    photo = convdemo.sample_photo()[::2, ::2]

    def above(image):
        return _share(image, lambda fr, fc: np.hypot(fr, fc) > 0.25)

    results = [photo]
    for name, scale in (("box_blur", 9), ("outline", 1)):
        kernel = convdemo.get_kernel(name) / scale
        results.append(correlate2d(photo, kernel, padding="same", border="wrap"))
    shares = [_percent(above(image)) for image in results]
    assert shares == ["4.4 %", "0.2 %", "81.5 %"]
    _quoted(
        "frequencies.md",
        "The photo has 4.4 % of its variation above 0.25",
        "only 0.2 % is left",
        "81.5 % of the result's variation",
    )


def test_frequencies_fft_agrees_on_the_page_example():
    """The 15 × 15 example: FFT and direct agree to about 1e-15 of the largest."""
    photo = convdemo.sample_photo()[::2, ::2]
    kernel = np.random.default_rng(0).standard_normal((15, 15))
    options = {"padding": "same", "border": "reflect"}
    direct = correlate2d(photo, kernel, method="direct", **options)
    fft = correlate2d(photo, kernel, method="fft", **options)
    assert np.abs(fft - direct).max() / np.abs(direct).max() < 1e-14
    _quoted("frequencies.md", "to about $10^{-15}$ of the largest value")


def test_frequencies_quotes_the_crossover_constants():
    """The page quotes the measured FFT crossover: 25 taps, 64 × 64 outputs."""
    assert FFT_MIN_TAPS == 25
    assert FFT_MIN_OUTPUT == 64 * 64
    assert choose_method(np.eye(5), (64, 64), (1, 1)) == "fft"
    _quoted(
        "frequencies.md",
        "the FFT from 25 taps per output pixel, a 5 × 5 kernel, on images with "
        "at least 64 × 64 output pixels",
    )


def test_frequencies_aliasing_numbers():
    """67.1 % of the plate folds back; 13.8 % and 2.7 % after the blurs."""
    plate = zone_plate(128)

    def folds(image):
        return _share(image, lambda fr, fc: (abs(fr) > 0.25) | (abs(fc) > 0.25))

    shares = [_percent(folds(blur_pool(plate, 1, stride=1, blur=n))) for n in (1, 3, 5)]
    assert shares == ["67.1 %", "13.8 %", "2.7 %"]
    gains = []
    for taps in (3, 5):
        row = np.array([math.comb(taps - 1, i) for i in range(taps)]) / 2 ** (taps - 1)
        found = frequency_response(row[None, :], (1, 200))
        f = found.col_frequencies
        gains.append(found.gain[0, f == 0.25][0])
        assert found.gain[0, f == -0.5][0] == pytest.approx(0, abs=1e-12)
        assert np.allclose(found.gain[0], np.abs(np.cos(np.pi * f)) ** (taps - 1))
    assert [f"{g:.2f}" for g in gains] == ["0.50", "0.25"]
    row3 = binomial_kernel(3).sum(axis=0)
    assert np.allclose(row3, [0.25, 0.5, 0.25])
    _quoted(
        "frequencies.md",
        "67.1 % of the plate's variation",
        "13.8 % is left, and after the 5-tap $[1, 4, 6, 4, 1]/16$, 2.7 %",
        "(gain 0.50), the 5-tap one quarters them (0.25)",
    )


# --------------------------------------------------------------------------
# Cheaper convolutions
# --------------------------------------------------------------------------


def test_cheaper_separable_numbers():
    """The factors quoted, k² against 2k, and auto's range 4 × 4 to 10 × 10."""
    found = {
        name: convdemo.separate(convdemo.get_kernel(name))
        for name in ("vertical", "sobel_x", "gaussian_blur_5x5", "laplacian", "oblique")
    }
    assert [list(v) for v in found["vertical"]] == [[1, 1, 1], [1, 0, -1]]
    assert [list(v) for v in found["sobel_x"]] == [[1, 2, 1], [1, 0, -1]]
    assert [list(v * 16) for v in found["gaussian_blur_5x5"]] == [[1, 4, 6, 4, 1]] * 2
    assert found["laplacian"] is None
    assert found["oblique"] is None
    assert [(k * k, 2 * k) for k in (3, 5, 15)] == [(9, 6), (25, 10), (225, 30)]
    out = (100, 100)
    assert choose_method(np.ones((3, 3)), out, (1, 1)) == "direct"
    assert choose_method(np.ones((4, 4)), out, (1, 1)) == "separable"
    assert choose_method(np.ones((10, 10)), out, (1, 1)) == "separable"
    assert choose_method(np.ones((11, 11)), out, (1, 1)) == "fft"
    assert (SEPARABLE_MIN_TAPS, SEPARABLE_MAX_TAPS) == (16, 20)
    _quoted(
        "cheaper.md",
        "6 instead of 9 for 3 × 3, 10 instead of 25 for 5 × 5, 30 instead of 225",
        "Prewitt gives $[1, 1, 1]$ and $[1, 0, -1]$,",
        "Sobel $[1, 2, 1]$ and $[1, 0, -1]$",
        "$[1, 4, 6, 4, 1]/16$ each",
        "from 4 × 4 up to 10 × 10",
    )


def test_cheaper_two_passes_equal_the_direct_sum():
    """The grid crop: two passes differ from the 2-D sum by rounding only."""
    crop = convdemo.grid_image()[20:44, 20:44]
    two = correlate2d(correlate2d(crop, [[1], [1], [1]]), [[1, 0, -1]])
    one = correlate2d(crop, convdemo.get_kernel("vertical"), method="direct")
    assert np.abs(two - one).max() < 1e-15


def test_cheaper_channel_diagram_weights():
    """8 channels to 8, 3 × 3: 576, 144 (4 groups), 72 and 136 weights."""
    counts = [
        conv_cost(
            3, 8, 8, 1, kind=kind, groups=4 if kind == "grouped" else 1, bias=False
        ).parameters
        for kind in CONV_KINDS
    ]
    assert counts == [576, 144, 72, 136]
    _quoted("cheaper.md", "the four layers hold 576, 144, 72 and 136 weights")


def test_cheaper_cost_table():
    """Every row of the 256 → 256 table is what conv_cost computes."""
    lines = _text("cheaper.md").splitlines()
    start = next(
        i for i, line in enumerate(lines) if line.startswith("| layer | param")
    )
    rows = [
        [cell.strip() for cell in line.strip("|").split("|")]
        for line in lines[start + 2 : start + 6]
    ]
    standard = conv_cost(3, 256, 256, 56)
    expected = []
    for kind in CONV_KINDS:
        groups = 32 if kind == "grouped" else 1
        cost = conv_cost(3, 256, 256, 56, kind=kind, groups=groups)
        label = "grouped, 32 groups" if kind == "grouped" else kind
        share = cost.multiply_adds / standard.multiply_adds
        expected.append(
            [label, f"{cost.parameters:,}", f"{cost.multiply_adds:,}", f"{share:.1%}"]
        )
    assert rows == expected
    assert standard.parameters > 500_000
    assert 1.8e9 < standard.multiply_adds < 2e9
    _quoted("cheaper.md", "more than half a million", "nearly two billion")


# --------------------------------------------------------------------------
# Channels in 3-D
# --------------------------------------------------------------------------


def test_channels_3d_numbers():
    """The animation's volumes: channel sums 10, 10, −7 → 13; 13, −1, 2, −2."""
    rng = np.random.default_rng(3)
    image = rng.integers(0, 4, size=(5, 5, 3)).astype(float)
    filters = rng.integers(-1, 2, size=(4, 3, 3, 3)).astype(float)
    out = conv2d(image, filters)
    assert out.shape == (3, 3, 4)
    sums = (image[:3, :3] * filters[0]).sum(axis=(0, 1))
    assert sums.tolist() == [10, 10, -7]
    assert out[0, 0].tolist() == [13, -1, 2, -2]
    _quoted(
        "channels-3d.md",
        "add up to 10, 10 and −7, so the cell holds 13",
        "holds 13, −1, 2 and −2",
        "5 × 5 × 3",
        "4 × 3 × 3 × 3",
        "= 3 × 3 × 4",
    )


# --------------------------------------------------------------------------
# Where a receptive field sits
# --------------------------------------------------------------------------

LAYERS = [(3, 1), (3, 2), (3, 1)]
NAMES = ["conv 1", "conv 2", "conv 3"]


def test_receptive_field_tables_are_the_librarys():
    """Both Distill tables on the page are receptive_field_table's output."""
    text = _text("receptive-fields.md")
    for padding in ("valid", "same"):
        assert receptive_field_table(LAYERS, names=NAMES, padding=padding) in text


def test_receptive_field_positions_quoted():
    """Map sizes, output 1's fields and the 2-D fields quoted on the page."""
    sizes = {}
    for padding in ("valid", "same"):
        n, sizes[padding] = 12, [12]
        for row in receptive_field(LAYERS, padding=padding):
            n = output_shape(
                (1, n),
                (1, row.kernel),
                padding=((0, 0), row.padding),
                stride=(1, row.stride),
            )[1]
            sizes[padding].append(n)
    assert sizes == {"valid": [12, 10, 4, 2], "same": [12, 12, 6, 6]}
    valid = receptive_field(LAYERS)[-1]
    same = receptive_field(LAYERS, padding="same")[-1]
    assert (valid.span(1), valid.centre + valid.jump) == ((2, 10), 6)
    assert (same.span(1), same.centre + same.jump) == ((-2, 6), 2)
    assert same.span(0) == (-4, 4)
    assert (same.span(3), same.span(5)) == ((2, 10), (6, 14))
    _quoted(
        "receptive-fields.md",
        "12 → 10 → 4 → 2",
        "12 → 12 → 6 → 6",
        "sees pixels 2 to 10, centred on pixel 6",
        "sees pixels −2 to 6, centred on pixel 2",
        "reaches 4 pixels into the padding",
        "rows 2 to 10 and columns 6 to 14",
    )
