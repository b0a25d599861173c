"""The transfer function of a kernel, and correlate2d's FFT route.

Oracles: ``numpy.fft`` applied directly, the analytic responses of the box
and Prewitt kernels, ``correlate2d`` itself on a pure wave (a periodic image
is an eigenvector of every correlation with ``border='wrap'``), the direct
route and ``scipy.signal``.
"""

from __future__ import annotations

import tracemalloc

import numpy as np
import pytest
import scipy.signal as signal
from hypothesis import given
from hypothesis import strategies as st
from numpy.testing import assert_allclose
from strategies import correlations, matrices

import convdemo
from convdemo._correlate import Correlation
from convdemo._routes import choose_method, correlate_fft
from convdemo.frequency import (
    FFT_MIN_OUTPUT,
    FFT_MIN_TAPS,
    FrequencyResponse,
    frequency_response,
)
from convdemo.kernels import get_kernel, kernel_names
from convdemo.ops import convolve2d, correlate2d, pad


def _scale(image, kernel):
    """The size outputs are measured against: max |image| · Σ |kernel| (or 1)."""
    return max(float(np.abs(image).max() * np.abs(kernel).sum()), 1.0)


# --------------------------------------------------------------------------
# frequency_response
# --------------------------------------------------------------------------


def test_frequencies_are_centred_and_increasing():
    """The frequencies are fftshift(fftfreq(n)): from −0.5 up, 0 in the middle."""
    found = frequency_response(np.ones((3, 3)), (8, 5))
    assert_allclose(
        found.row_frequencies, [-0.5, -0.375, -0.25, -0.125, 0, 0.125, 0.25, 0.375]
    )
    assert_allclose(found.col_frequencies, [-0.4, -0.2, 0, 0.2, 0.4])
    assert found.response.shape == (8, 5)
    assert found.response.dtype == np.complex128
    assert found.row_frequencies[8 // 2] == 0
    assert found.col_frequencies[5 // 2] == 0


@pytest.mark.parametrize("name", kernel_names())
def test_response_matches_numpy_fft(name):
    """The response is fftshift(conj(fft2)) of the kernel centred on cell (0, 0)."""
    kernel = get_kernel(name)
    shape = (16, 12)
    placed = np.roll(
        np.pad(kernel, [(0, 16 - kernel.shape[0]), (0, 12 - kernel.shape[1])]),
        (-((kernel.shape[0] - 1) // 2), -((kernel.shape[1] - 1) // 2)),
        axis=(0, 1),
    )
    expected = np.fft.fftshift(np.conj(np.fft.fft2(placed)))
    assert_allclose(frequency_response(kernel, shape).response, expected, atol=1e-12)


def test_box_response_is_the_analytic_product_of_cosines():
    """3 × 3 ones: H = (1 + 2 cos 2πf_r)(1 + 2 cos 2πf_c), real."""
    found = frequency_response(np.ones((3, 3)), (32, 20))
    fr, fc = np.meshgrid(found.row_frequencies, found.col_frequencies, indexing="ij")
    expected = (1 + 2 * np.cos(2 * np.pi * fr)) * (1 + 2 * np.cos(2 * np.pi * fc))
    assert_allclose(found.response, expected, atol=1e-12)


def test_box_gain_is_a_ratio_of_sines():
    """A row of k ones has gain |sin(πkf) / sin(πf)|, k at f = 0."""
    for k in (2, 3, 5):
        found = frequency_response(np.ones((1, k)), (1, 30))
        f = found.col_frequencies
        with np.errstate(invalid="ignore", divide="ignore"):
            expected = np.where(
                f == 0, k, np.abs(np.sin(np.pi * k * f) / np.sin(np.pi * f))
            )
        assert_allclose(found.gain[0], expected, atol=1e-12)


def test_prewitt_response_is_imaginary_and_analytic():
    """Prewitt x: H = (1 + 2 cos 2πf_r) · (−2i sin 2πf_c) for correlation."""
    found = frequency_response(get_kernel("vertical"), (24, 24))
    fr, fc = np.meshgrid(found.row_frequencies, found.col_frequencies, indexing="ij")
    expected = (1 + 2 * np.cos(2 * np.pi * fr)) * (-2j * np.sin(2 * np.pi * fc))
    assert_allclose(found.response, expected, atol=1e-12)
    # High-pass across, low-pass along: no response to a flat image.
    assert found.gain[12, 12] == pytest.approx(0, abs=1e-12)


@pytest.mark.parametrize("name", ["vertical", "oblique", "emboss", "gaussian_blur_5x5"])
@pytest.mark.parametrize(("a", "b"), [(0, 1), (3, 5), (7, 2), (4, 4)])
def test_a_wave_comes_out_multiplied_by_the_response(name, a, b):
    """correlate2d(wave, k, 'same', 'wrap') == H(f) · wave on the periodic grid."""
    kernel = get_kernel(name)
    shape = (8, 10)
    found = frequency_response(kernel, shape)
    row = a - shape[0] // 2  # index into the centred grid -> frequency a/M
    col = b - shape[1] // 2
    fr, fc = found.row_frequencies[a], found.col_frequencies[b]
    assert fr == pytest.approx(row / shape[0])
    assert fc == pytest.approx(col / shape[1])
    m, n = np.indices(shape)
    wave = np.exp(2j * np.pi * (fr * m + fc * n))
    out = correlate2d(
        wave.real, kernel, padding="same", border="wrap"
    ) + 1j * correlate2d(wave.imag, kernel, padding="same", border="wrap")
    assert_allclose(out, found.response[a, b] * wave, atol=1e-12)


def test_gain_is_the_same_for_convolution():
    """Flipping the kernel conjugates the response: the gain is unchanged."""
    kernel = get_kernel("emboss")
    assert_allclose(
        frequency_response(kernel, (9, 9)).gain,
        frequency_response(kernel[::-1, ::-1], (9, 9)).gain,
        atol=1e-12,
    )


def test_result_is_a_named_tuple():
    """The result unpacks into the response and its two frequency axes."""
    response, rows, cols = frequency_response([[1, 1]], (2, 4))
    assert isinstance(frequency_response([[1, 1]], (2, 4)), FrequencyResponse)
    assert rows.shape == (2,)
    assert cols.shape == (4,)
    assert_allclose(np.abs(response[0]), [0, np.sqrt(2), 2, np.sqrt(2)], atol=1e-12)


@pytest.mark.parametrize(
    ("kernel", "shape", "error", "match"),
    [
        (np.ones((3, 3)), (2, 8), ValueError, "`shape`"),
        (np.ones((3, 3)), 8, TypeError, "`shape`"),
        (np.ones((3, 3)), (8, 0), ValueError, "`shape`"),
        (np.ones(3), (8, 8), ValueError, "`kernel`"),
        ([[np.nan]], (8, 8), ValueError, "`kernel`"),
    ],
)
def test_frequency_response_rejects_bad_arguments(kernel, shape, error, match):
    """Each bad argument is named in the error."""
    with pytest.raises(error, match=match):
        frequency_response(kernel, shape)


# --------------------------------------------------------------------------
# The FFT route
# --------------------------------------------------------------------------


@given(correlations())
def test_fft_route_agrees_with_direct(case):
    """Every padding, border, stride and dilation: FFT = direct to 1e-10 relative."""
    image, kernel, options = case["image"], case["kernel"], case["options"]
    direct = correlate2d(image, kernel, method="direct", **options)
    fft = correlate2d(image, kernel, method="fft", **options)
    scale = _scale(image, kernel)
    assert fft.shape == direct.shape
    assert_allclose(fft, direct, rtol=1e-10, atol=1e-10 * scale)


@given(correlations())
def test_fft_convolution_agrees_with_direct(case):
    """convolve2d's FFT route flips the kernel as the direct one does."""
    image, kernel, options = case["image"], case["kernel"], case["options"]
    direct = convolve2d(image, kernel, method="direct", **options)
    fft = convolve2d(image, kernel, method="fft", **options)
    assert_allclose(fft, direct, rtol=1e-10, atol=1e-10 * _scale(image, kernel))


@pytest.mark.parametrize("mode", ["valid", "same", "full"])
@pytest.mark.parametrize("kernel_shape", [(5, 5), (9, 4), (1, 17), (21, 21)])
def test_fft_route_matches_scipy(rng, mode, kernel_shape):
    """Larger images and kernels: the FFT route equals scipy.signal.correlate2d."""
    image = rng.standard_normal((70, 90))
    kernel = rng.standard_normal(kernel_shape)
    ours = correlate2d(image, kernel, padding=mode, method="fft")
    if mode == "same":
        # scipy centres an even kernel one cell earlier: cut 'full' instead.
        full = signal.correlate2d(image, kernel, mode="full")
        top, left = (k - 1 - (k - 1) // 2 for k in kernel_shape)
        theirs = full[top : top + 70, left : left + 90]
    else:
        theirs = signal.correlate2d(image, kernel, mode=mode)
    assert_allclose(ours, theirs, rtol=1e-10, atol=1e-10 * _scale(image, kernel))


@pytest.mark.parametrize("stride", [1, 2, (3, 1), (1, 4)])
@pytest.mark.parametrize("dilation", [1, 3, (2, 1)])
def test_fft_route_in_bands_agrees_with_direct(rng, stride, dilation):
    """An image tall enough for several FFT bands gives the direct result."""
    image = rng.standard_normal((700, 40))
    kernel = rng.standard_normal((7, 5))
    options = {
        "padding": "same",
        "border": "reflect",
        "stride": stride,
        "dilation": dilation,
    }
    direct = correlate2d(image, kernel, method="direct", **options)
    fft = correlate2d(image, kernel, method="fft", **options)
    assert_allclose(fft, direct, rtol=1e-10, atol=1e-10 * _scale(image, kernel))


def test_fft_route_borders_by_padding_first(rng):
    """Each border is the padded image correlated 'valid', as for the direct route."""
    image = rng.standard_normal((30, 41))
    kernel = rng.standard_normal((6, 7))
    for border in ("zeros", "reflect", "replicate", "wrap"):
        padded = pad(image, "full", border=border, kernel_shape=kernel.shape)
        out = np.empty((padded.shape[0] - 5, padded.shape[1] - 6))
        correlate_fft(Correlation(padded, kernel, (1, 1), (1, 1), out))
        expected = correlate2d(
            image, kernel, padding="full", border=border, method="direct"
        )
        assert_allclose(out, expected, rtol=1e-10, atol=1e-10 * _scale(image, kernel))


def test_fft_route_memory_stays_bounded(rng):
    """Bands keep the FFT route's peak allocation near the output's size."""
    image = rng.standard_normal((512, 512))
    kernel = rng.standard_normal((15, 15))
    tracemalloc.start()
    try:
        correlate2d(image, kernel, method="fft")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 2.5 * image.nbytes


def test_auto_takes_the_fft_for_large_kernels_only():
    """`auto` follows the measured crossover: taps per output cell and output size."""
    large = np.ones((FFT_MIN_TAPS + 1, 1)) + np.arange(FFT_MIN_TAPS + 1)[:, None]
    big_output = (100, 100)
    assert FFT_MIN_OUTPUT <= 100 * 100
    assert choose_method(np.eye(5), big_output, (1, 1)) == "fft"
    assert choose_method(np.eye(4), big_output, (1, 1)) == "direct"
    assert choose_method(np.eye(5), (10, 10), (1, 1)) == "direct"
    # A stride divides the direct route's work, not the FFT's.
    assert choose_method(np.eye(5), big_output, (2, 1)) == "direct"
    assert choose_method(np.eye(10), big_output, (2, 2)) == "fft"
    assert choose_method(large, big_output, (1, 1)) == "fft"


def test_auto_agrees_with_direct_on_a_large_kernel(rng):
    """Whatever auto takes, it gives the direct result."""
    image = rng.standard_normal((90, 90))
    kernel = rng.standard_normal((9, 9))
    assert_allclose(
        correlate2d(image, kernel),
        correlate2d(image, kernel, method="direct"),
        rtol=1e-10,
        atol=1e-10 * _scale(image, kernel),
    )


def test_small_integer_examples_stay_exact():
    """Below the crossover auto is direct: integer results come out exact."""
    image = np.arange(64.0).reshape(8, 8)
    kernel = np.arange(25.0).reshape(5, 5)
    out = correlate2d(image, kernel)
    assert np.array_equal(out, np.round(out))


@pytest.mark.parametrize("method", ["FFT", "conv", "", None, 1])
def test_method_is_validated(method):
    """An unknown `method` is refused, naming the choices."""
    with pytest.raises(ValueError, match="`method` must be one of 'auto', 'direct'"):
        correlate2d(np.ones((4, 4)), np.ones((2, 2)), method=method)
    with pytest.raises(ValueError, match="`method`"):
        convolve2d(np.ones((4, 4)), np.ones((2, 2)), method=method)


@given(matrices(max_side=6), st.integers(2, 9), st.integers(2, 9))
def test_convolution_theorem_on_the_periodic_grid(kernel, rows, cols):
    """Correlating a periodic image = multiplying its DFT by the response."""
    rows, cols = max(rows, kernel.shape[0]), max(cols, kernel.shape[1])
    image = np.random.default_rng(rows * 10 + cols).standard_normal((rows, cols))
    found = frequency_response(kernel, (rows, cols))
    spectrum = np.fft.fftshift(np.fft.fft2(image)) * found.response
    expected = np.fft.ifft2(np.fft.ifftshift(spectrum)).real
    out = correlate2d(image, kernel, padding="same", border="wrap")
    assert_allclose(out, expected, atol=1e-10 * _scale(image, kernel))


def test_names_are_exported():
    """The package re-exports the frequency module's names."""
    assert convdemo.frequency_response is frequency_response
    assert convdemo.FrequencyResponse is FrequencyResponse
