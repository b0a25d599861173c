"""Rejected input: one test per case, each checking the parameter is named."""

from __future__ import annotations

import numpy as np
import pytest

from convdemo._validate import (
    as_image,
    as_pair,
    as_shape,
    nonnegative_int,
    one_of,
    positive_int,
    positive_number,
)
from convdemo.ops import (
    conv2d,
    convolve2d,
    correlate2d,
    global_pool,
    output_shape,
    pad,
    padding_amounts,
    pool2d,
    pool_output_shape,
    pool_windows,
    relu,
    sliding_windows,
)

IMAGE = np.arange(16.0).reshape(4, 4)
KERNEL = np.ones((2, 2))


@pytest.mark.parametrize(
    ("value", "error"),
    [
        (5, TypeError),
        (np.array([2, 3]), TypeError),
        ((1, 2, 3), ValueError),
        ((0, 3), ValueError),
        ((2, 1.5), TypeError),
    ],
)
def test_as_shape_rejects_what_is_not_a_pair_of_positive_integers(
    value: object, error: type[Exception]
) -> None:
    """A shape is a tuple or list of two integers ≥ 1; the parameter is named."""
    with pytest.raises(error, match="`input_shape`"):
        as_shape(value, "input_shape")
    assert as_shape([3, 4], "input_shape") == (3, 4)


# ---------------------------------------------------------------------------
# The helpers
# ---------------------------------------------------------------------------


def test_as_image_converts_without_copy_when_possible() -> None:
    """float64 input comes back as the same memory; other numbers become float64."""
    assert as_image(IMAGE) is IMAGE
    assert as_image([[True, False]]).tolist() == [[1.0, 0.0]]
    assert as_image(np.ones((2, 2), dtype=np.uint8)).dtype == np.float64


@pytest.mark.parametrize(
    ("value", "error"),
    [
        ([1, 2, 3], ValueError),
        (np.ones((2, 2, 2)), ValueError),
        (5.0, ValueError),
        (np.ones((0, 3)), ValueError),
        (np.ones((2, 2), dtype=complex), TypeError),
        (np.array([[object()]]), TypeError),
        ([["a", "b"]], TypeError),
        (np.array([["2020-01-01"]], dtype="datetime64[D]"), TypeError),
        ([[1, 2], [3]], TypeError),
    ],
)
def test_as_image_rejects(value, error) -> None:
    """Wrong shapes, empty arrays and non-numbers name `image`."""
    with pytest.raises(error, match="`image`"):
        as_image(value)


def test_as_image_names_the_expected_shape() -> None:
    """The message says which shape was expected and which one came."""
    with pytest.raises(
        ValueError, match=r"2-D array of shape \(H, W\), got shape \(3,\)"
    ):
        as_image([1, 2, 3])
    with pytest.raises(ValueError, match=r"\(H, W, C\)"):
        as_image([1, 2, 3], ndim=(2, 3))


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_as_image_rejects_non_finite(bad) -> None:
    """NaN and ±inf are refused with their position."""
    values = np.ones((3, 3))
    values[1, 2] = bad
    with pytest.raises(
        ValueError, match=r"`kernel` must contain only finite.*\(1, 2\)"
    ):
        as_image(values, "kernel")


@pytest.mark.parametrize(
    ("value", "error"),
    [
        (0, ValueError),
        (-2, ValueError),
        (1.5, TypeError),
        (2.0, TypeError),
        (True, TypeError),
        ("2", TypeError),
        ((1,), TypeError),
        ((1, 2, 3), TypeError),
        ((1, 0), ValueError),
        ((1, 1.5), TypeError),
        ((True, 1), TypeError),
    ],
)
def test_as_pair_rejects(value, error) -> None:
    """Only positive ints or pairs of them are accepted."""
    with pytest.raises(error, match="`stride` must be a positive integer"):
        as_pair(value, "stride")


def test_as_pair_accepts_numpy_integers() -> None:
    """NumPy integers count as integers."""
    assert as_pair(np.int64(3), "size") == (3, 3)
    assert as_pair(np.array([2, 3]), "size") == (2, 3)


def test_positive_int_message() -> None:
    """The brief's example message, word for word."""
    with pytest.raises(
        ValueError, match=r"^`stride` must be a positive integer, got 0$"
    ):
        positive_int(0, "stride")
    with pytest.raises(TypeError, match="`stride`"):
        positive_int(1.0, "stride")


def test_nonnegative_int_rejects() -> None:
    """Negative numbers and non-integers are refused."""
    assert nonnegative_int(0, "padding") == 0
    with pytest.raises(ValueError, match="`padding`"):
        nonnegative_int(-1, "padding")
    with pytest.raises(TypeError, match="`padding`"):
        nonnegative_int(False, "padding")


@pytest.mark.parametrize("value", [0, -1.5, float("nan"), float("inf"), True, "2"])
def test_positive_number_rejects(value) -> None:
    """p must be a finite number above 0."""
    with pytest.raises((TypeError, ValueError), match="`p`"):
        positive_number(value, "p")


def test_one_of_message_lists_choices() -> None:
    """The brief's example message, word for word."""
    message = r"^`mode` must be one of 'max', 'avg', 'min', 'l2', 'lp', got 'mean'$"
    with pytest.raises(ValueError, match=message):
        one_of("mean", "mode", ("max", "avg", "min", "l2", "lp"))
    with pytest.raises(ValueError, match="`mode`"):
        one_of(None, "mode", ("max",))


# ---------------------------------------------------------------------------
# Correlation and convolution
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("function", [correlate2d, convolve2d])
class TestCorrelationRejects:
    """Both sliding functions reject the same bad input, naming the parameter."""

    def test_image_not_2d(self, function) -> None:
        """A 1-D image."""
        with pytest.raises(ValueError, match="`image`"):
            function(np.arange(4.0), KERNEL)

    def test_image_empty(self, function) -> None:
        """An empty image."""
        with pytest.raises(ValueError, match="`image`"):
            function(np.ones((0, 4)), KERNEL)

    def test_image_non_numeric(self, function) -> None:
        """A string image."""
        with pytest.raises(TypeError, match="`image`"):
            function([["a", "b"], ["c", "d"]], KERNEL)

    def test_image_complex(self, function) -> None:
        """A complex image."""
        with pytest.raises(TypeError, match="`image`"):
            function(IMAGE + 1j, KERNEL)

    def test_image_nan(self, function) -> None:
        """An image with NaN."""
        image = IMAGE.copy()
        image[0, 0] = np.nan
        with pytest.raises(ValueError, match="`image`"):
            function(image, KERNEL)

    def test_kernel_inf(self, function) -> None:
        """A kernel with inf."""
        with pytest.raises(ValueError, match="`kernel`"):
            function(IMAGE, [[1, np.inf]])

    def test_kernel_not_2d(self, function) -> None:
        """A 3-D kernel."""
        with pytest.raises(ValueError, match="`kernel`"):
            function(IMAGE, np.ones((2, 2, 2)))

    def test_kernel_larger_than_padded_input(self, function) -> None:
        """A 5×5 kernel on a 4×4 image without padding."""
        with pytest.raises(ValueError, match=r"`kernel`.*padded input"):
            function(IMAGE, np.ones((5, 5)))

    def test_dilated_kernel_larger_than_input(self, function) -> None:
        """Dilation 3 makes a 2×2 kernel span 4 + 1 cells."""
        with pytest.raises(ValueError, match="`kernel`"):
            function(IMAGE, KERNEL, dilation=4)

    @pytest.mark.parametrize("stride", [0, -1, 1.5, (1, 0), "1"])
    def test_bad_stride(self, function, stride) -> None:
        """Strides below 1 or not integers."""
        with pytest.raises((TypeError, ValueError), match="`stride`"):
            function(IMAGE, KERNEL, stride=stride)

    @pytest.mark.parametrize("dilation", [0, 2.0, (0, 1)])
    def test_bad_dilation(self, function, dilation) -> None:
        """Dilations below 1 or not integers."""
        with pytest.raises((TypeError, ValueError), match="`dilation`"):
            function(IMAGE, KERNEL, dilation=dilation)

    @pytest.mark.parametrize("padding", ["middle", -1, 1.5, (1, -1), (1, 2, 3), True])
    def test_bad_padding(self, function, padding) -> None:
        """Unknown names, negative or fractional amounts, wrong tuple lengths."""
        with pytest.raises((TypeError, ValueError), match="`padding`"):
            function(IMAGE, KERNEL, padding=padding)

    def test_bad_border(self, function) -> None:
        """An unknown border lists the choices."""
        message = "`border` must be one of 'zeros', 'reflect', 'replicate', 'wrap'"
        with pytest.raises(ValueError, match=message):
            function(IMAGE, KERNEL, padding="same", border="mirror")


def test_padding_name_lists_choices() -> None:
    """An unknown padding name lists the named paddings."""
    with pytest.raises(ValueError, match="'valid', 'same', 'full', got 'middle'"):
        padding_amounts("middle", (3, 3))


def test_padding_explicit_sides_must_be_pairs() -> None:
    """((t, b), (l, r)) needs two pairs."""
    with pytest.raises(ValueError, match="`padding`"):
        padding_amounts(((1, 2, 3), (1, 2)), (3, 3))


def test_pad_rejects_unknown_border() -> None:
    """pad checks its border too."""
    with pytest.raises(ValueError, match="`border`"):
        pad(IMAGE, 1, border="symmetric")


def test_output_shape_rejects_large_kernel() -> None:
    """A kernel larger than the padded input is refused, naming the parameter."""
    with pytest.raises(ValueError, match="`kernel_shape`"):
        output_shape((3, 3), (4, 4))
    with pytest.raises(ValueError, match="`kernel`"):
        correlate2d(np.ones((3, 3)), np.ones((4, 4)))


@pytest.mark.parametrize("shape", [(3,), (3, 3, 3), 3, (0, 3), (2.5, 3)])
def test_output_shape_rejects_bad_input_shape(shape) -> None:
    """input_shape must be a pair of positive ints."""
    with pytest.raises((TypeError, ValueError), match="`input_shape`"):
        output_shape(shape, (1, 1))


def test_output_shape_rejects_bad_kernel_shape() -> None:
    """kernel_shape must be a pair of positive ints."""
    with pytest.raises(ValueError, match="`kernel_shape`"):
        output_shape((3, 3), (0, 1))


def test_sliding_windows_validates_before_iterating() -> None:
    """Errors come from the call, not from the first next()."""
    with pytest.raises(ValueError, match="`stride`"):
        sliding_windows(IMAGE, KERNEL, stride=0)
    with pytest.raises(ValueError, match="`kernel`"):
        sliding_windows(IMAGE, np.ones((9, 9)))


# ---------------------------------------------------------------------------
# conv2d and relu
# ---------------------------------------------------------------------------


def test_conv2d_channel_mismatch() -> None:
    """Kernels must have the image's number of channels."""
    with pytest.raises(ValueError, match="`kernels` must have 3 channels"):
        conv2d(np.ones((4, 4, 3)), np.ones((2, 2, 2, 2)))


def test_conv2d_kernels_wrong_ndim() -> None:
    """A 2-D kernel array is not a layer's kernels."""
    with pytest.raises(ValueError, match="`kernels`"):
        conv2d(np.ones((4, 4, 1)), np.ones((2, 2)))


def test_conv2d_bias_wrong_shape() -> None:
    """One bias per filter."""
    with pytest.raises(ValueError, match=r"`bias` must have shape \(2,\)"):
        conv2d(np.ones((4, 4, 1)), np.ones((2, 2, 2, 1)), bias=[1, 2, 3])


def test_conv2d_image_wrong_ndim() -> None:
    """A 1-D or 5-D image is refused (4-D is a stack of images)."""
    with pytest.raises(ValueError, match="`image`"):
        conv2d(np.ones(4), np.ones((1, 2, 2, 1)))
    with pytest.raises(ValueError, match="`image`"):
        conv2d(np.ones((1, 2, 4, 4, 1)), np.ones((1, 2, 2, 1)))


def test_conv2d_checks_stride() -> None:
    """The layer checks its options like correlate2d."""
    with pytest.raises(ValueError, match="`stride`"):
        conv2d(np.ones((4, 4, 1)), np.ones((1, 2, 2, 1)), stride=0)


def test_relu_rejects_strings() -> None:
    """relu needs numbers."""
    with pytest.raises(TypeError, match="`x`"):
        relu(["a"])


def test_relu_rejects_nan() -> None:
    """relu refuses NaN like every other function."""
    with pytest.raises(ValueError, match="`x`"):
        relu([np.nan])


# ---------------------------------------------------------------------------
# Pooling
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("size", [0, -2, 1.5, (2, 0)])
def test_pool2d_bad_size(size) -> None:
    """Pool sizes must be positive integers."""
    with pytest.raises((TypeError, ValueError), match="`size`"):
        pool2d(IMAGE, size)


def test_pool2d_size_larger_than_input() -> None:
    """A window larger than the padded input."""
    with pytest.raises(ValueError, match="`size`"):
        pool2d(IMAGE, 5)


def test_pool2d_bad_stride() -> None:
    """Strides must be positive integers."""
    with pytest.raises(ValueError, match="`stride`"):
        pool2d(IMAGE, 2, stride=0)


def test_pool2d_unknown_mode() -> None:
    """The brief's example: 'mean' is not a mode."""
    message = "`mode` must be one of 'max', 'avg', 'min', 'l2', 'lp', got 'mean'"
    with pytest.raises(ValueError, match=message):
        pool2d(IMAGE, mode="mean")


@pytest.mark.parametrize("p", [0, -1, float("nan"), float("inf")])
def test_pool2d_bad_p(p) -> None:
    """p ≤ 0 (or not finite) is refused for lp pooling."""
    with pytest.raises(ValueError, match="`p`"):
        pool2d(IMAGE, mode="lp", p=p)


def test_pool2d_padding_more_than_half_size() -> None:
    """PyTorch's rule: padding at most size // 2."""
    with pytest.raises(ValueError, match="`padding` must be at most half"):
        pool2d(IMAGE, 2, padding=2)


@pytest.mark.parametrize("padding", [-1, 1.0, (1, 2, 3)])
def test_pool2d_bad_padding(padding) -> None:
    """Negative, fractional or mis-shaped padding."""
    with pytest.raises((TypeError, ValueError), match="`padding`"):
        pool2d(IMAGE, 3, padding=padding)


def test_pool2d_bad_ceil_mode() -> None:
    """ceil_mode must be a bool."""
    with pytest.raises(TypeError, match="`ceil_mode`"):
        pool2d(IMAGE, ceil_mode="yes")


def test_pool2d_bad_image() -> None:
    """Pooling checks its image like everything else."""
    with pytest.raises(ValueError, match="`image`"):
        pool2d(np.ones(5))


def test_pool_output_shape_rejects() -> None:
    """The arithmetic checks the same things as pool2d."""
    with pytest.raises(ValueError, match="`size`"):
        pool_output_shape((4, 4), 0)
    with pytest.raises(ValueError, match="`input_shape`"):
        pool_output_shape((4,), 2)


def test_pool_windows_validates_before_iterating() -> None:
    """Errors come from the call, not from the first next()."""
    with pytest.raises(ValueError, match="`mode`"):
        pool_windows(IMAGE, mode="median")


def test_global_pool_rejects() -> None:
    """Unknown mode, bad p and 1-D input."""
    with pytest.raises(ValueError, match="`mode`"):
        global_pool(IMAGE, "sum")
    with pytest.raises(ValueError, match="`p`"):
        global_pool(IMAGE, "lp", p=-2)
    with pytest.raises(ValueError, match="`image`"):
        global_pool(np.ones(3))
