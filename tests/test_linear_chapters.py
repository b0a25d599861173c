"""The numbers quoted by the chapters on convolution as a matrix, transposed
convolution and backpropagation, computed as their gallery scripts compute
them (``gallery/2_beyond/plot_30`` … ``plot_34``), and the figures' builders.
"""

from __future__ import annotations

import contextlib
import io
import runpy

import matplotlib.pyplot as plt
import numpy as np
import pytest
from project_files import ROOT

import convdemo
from convdemo.draw import animate_pool_gradient, show_conv_matrix, show_im2col

STORY_IMAGE = np.arange(9.0).reshape(3, 3)
STORY_KERNEL = np.array([[0.0, 1.0], [2.0, 3.0]])
FEATURE_MAP = np.array([[1, 3, 2, 0], [4, 6, 5, 1], [0, 2, 9, 7], [3, 1, 8, 4]])


def test_story_matrix_rows_hold_the_kernel() -> None:
    """The story's 4 × 9 matrix: row 0 is 0 1 0 2 3 0 0 0 0; M x = 19 25 37 43."""
    M = convdemo.conv_matrix((3, 3), STORY_KERNEL)
    assert M[0].tolist() == [0, 1, 0, 2, 3, 0, 0, 0, 0]
    assert (M @ STORY_IMAGE.ravel()).tolist() == [19, 25, 37, 43]


def test_im2col_memory_on_the_grid() -> None:
    """On the grid, im2col takes 703 KiB → 6,328 KiB (9.0x); M would be 65 GB."""
    grid = convdemo.grid_image()
    columns = convdemo.im2col(grid, (3, 3), padding="same")
    assert f"{grid.nbytes / 1024:.0f}" == "703"
    assert f"{columns.nbytes / 1024:.0f}" == "6328"
    assert f"{columns.nbytes / grid.nbytes:.1f}" == "9.0"
    assert f"{grid.size**2 * 8 / 1e9:.0f}" == "65"
    assert grid.size**2 == 8_100_000_000


def test_im2col_peak_allocation_on_the_grid() -> None:
    """Building the grid's im2col matrix allocates 10.0 times the image at its peak."""
    import tracemalloc

    grid = convdemo.grid_image()
    tracemalloc.start()
    convdemo.im2col(grid, (3, 3), padding="same")
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert f"{peak / grid.nbytes:.1f}" == "10.0"
    layer = convdemo.im2col(np.zeros((64, 64, 16)), (3, 3), padding="same")
    assert layer.shape == (4096, 144)


def test_stride_and_padding_matrices() -> None:
    """Stride 2 on 4 × 4 keeps 4 rows; with padding 1 windows read 1, 2 or 4 pixels."""
    assert convdemo.conv_matrix((4, 4), STORY_KERNEL, stride=2).shape == (4, 16)
    taps = convdemo.conv_matrix((3, 3), np.ones((2, 2)), padding=1)
    counts = np.count_nonzero(taps, axis=1).tolist()
    assert counts == [1, 2, 2, 1, 2, 4, 4, 2, 2, 4, 4, 2, 1, 2, 2, 1]


@pytest.mark.parametrize(
    ("shape", "stride", "padding", "size"),
    [((2, 2), 1, 0, 4), ((3, 3), 1, 1, 3), ((2, 2), 2, 0, 5)],
)
def test_transposed_cases_equal_their_zero_padded_correlations(
    shape, stride, padding, size
) -> None:
    """Each animated case: the quoted size, and the half-turned correlation's values."""
    kernel = np.arange(1.0, 10.0).reshape(3, 3)
    image = np.arange(1.0, 1.0 + np.prod(shape)).reshape(shape)
    out = convdemo.conv_transpose2d(image, kernel, stride=stride, padding=padding)
    assert out.shape == (size, size)
    spread = np.zeros(((shape[0] - 1) * stride + 1,) * 2)
    spread[::stride, ::stride] = image
    equivalent = convdemo.correlate2d(spread, kernel[::-1, ::-1], padding=2 - padding)
    np.testing.assert_array_equal(out, equivalent)


def test_transposed_matrix_example() -> None:
    """Mᵀ · (1, 2, 3, 4) = 0, 1, 2, 2, 10, 10, 6, 17, 12."""
    M = convdemo.conv_matrix((3, 3), STORY_KERNEL)
    y = np.array([[1.0, 2.0], [3.0, 4.0]])
    assert (M.T @ y.ravel()).tolist() == [0, 1, 2, 2, 10, 10, 6, 17, 12]
    assert (
        convdemo.conv_transpose2d(y, STORY_KERNEL).ravel().tolist()
        == (M.T @ y.ravel()).tolist()
    )


def test_checkerboard_contrasts_of_the_photo() -> None:
    """The photo's upsamplings: contrasts 1.338, 0.012 and 0.008; a constant 1.333."""
    # The script's own numbers: run it, keeping its style out of other tests.
    with plt.rc_context(), contextlib.redirect_stdout(io.StringIO()):
        script = runpy.run_path(
            str(ROOT / "gallery" / "2_beyond" / "plot_32_checkerboard.py")
        )
    plt.close("all")
    contrasts = [f"{value:.3f}" for value in script["contrasts"].values()]
    assert contrasts == ["1.338", "0.012", "0.008"]
    flat = script["flat"]
    assert f"{convdemo.checkerboard_contrast(flat, 2, margin=2):.3f}" == "1.333"


def test_checkerboard_contrast_rejects() -> None:
    """A margin that leaves less than a block, and a zero mean, name their cause."""
    with pytest.raises(ValueError, match="`margin`"):
        convdemo.checkerboard_contrast(np.ones((4, 4)), 2, margin=2)
    with pytest.raises(ValueError, match="`image`"):
        convdemo.checkerboard_contrast(np.zeros((4, 4)), 2)
    with pytest.raises(ValueError, match="`stride`"):
        convdemo.checkerboard_contrast(np.ones((4, 4)), 0)


def test_checkerboard_contrast_is_zero_for_a_smooth_ramp_by_phase() -> None:
    """Phases with equal means give 0, whatever the margin."""
    tiled = np.tile([[1.0, 3.0], [3.0, 1.0]], (4, 4))
    assert convdemo.checkerboard_contrast(tiled, 2, margin=1) == pytest.approx(1.0)
    assert convdemo.checkerboard_contrast(np.full((6, 6), 2.0), 2) == 0.0


def test_pooling_gradient_and_its_check() -> None:
    """The winners 6, 5, 3, 9 get 10, 20, 30, 40; finite differences agree (< 1e-6)."""
    grad_output = np.array([[10.0, 20.0], [30.0, 40.0]])
    grad = convdemo.pool2d_backward(grad_output, FEATURE_MAP, 2)
    expected = np.zeros((4, 4))
    expected[1, 1], expected[1, 2], expected[3, 0], expected[2, 2] = 10, 20, 30, 40
    np.testing.assert_array_equal(grad, expected)
    numeric = convdemo.numerical_gradient(
        lambda x: np.sum(grad_output * convdemo.pool2d(x, 2)),
        FEATURE_MAP.astype(float),
    )
    error = np.abs(grad - numeric).max() / 40
    assert error < 1e-6
    # The chapter quotes the script's printout.
    assert f"{error:.1e}" == "2.5e-09"


def test_convolution_gradients_and_their_checks() -> None:
    """∂L/∂X = 0 1 −1 / 2 3 −2 / 4 8 3 and ∂L/∂K = 9 12 / 18 21, each checked."""
    G = np.array([[1.0, -1.0], [2.0, 1.0]])
    grad_image, grad_kernel = convdemo.correlate2d_backward(
        G, STORY_IMAGE, STORY_KERNEL
    )
    assert grad_image.tolist() == [[0, 1, -1], [2, 3, -2], [4, 8, 3]]
    assert grad_kernel.tolist() == [[9, 12], [18, 21]]
    full = convdemo.correlate2d(G, STORY_KERNEL[::-1, ::-1], padding="full")
    np.testing.assert_array_equal(grad_image, full)
    np.testing.assert_array_equal(grad_kernel, convdemo.correlate2d(STORY_IMAGE, G))
    for analytic, loss, at, quoted in (
        (
            grad_image,
            lambda x: np.sum(G * convdemo.correlate2d(x, STORY_KERNEL)),
            STORY_IMAGE,
            "1.0e-09",
        ),
        (
            grad_kernel,
            lambda k: np.sum(G * convdemo.correlate2d(STORY_IMAGE, k)),
            STORY_KERNEL,
            "5.9e-10",
        ),
    ):
        numeric = convdemo.numerical_gradient(loss, at)
        error = np.abs(analytic - numeric).max() / np.abs(analytic).max()
        assert error < 1e-6
        assert f"{error:.1e}" == quoted


def test_show_conv_matrix_fades_only_cells_no_tap_reads() -> None:
    """Entries where a weight lands keep the kernel fill, even a weight of 0."""
    fig, axes = show_conv_matrix((3, 3), STORY_KERNEL)
    cells = [p for p in axes[0].patches if p.get_gid() != "highlight"][:36]
    fills = {tuple(c.get_facecolor()) for c in cells}
    assert len(fills) == 2
    kernel_fill = tuple(cells[0].get_facecolor())  # weight 0 at pixel 0
    assert sum(tuple(c.get_facecolor()) == kernel_fill for c in cells) == 16
    plt.close(fig)


def test_show_conv_matrix_transpose_and_bad_image() -> None:
    """Mᵀ is drawn 9 × 4 with y and Mᵀ y; a y of the wrong size names `image`."""
    fig, axes = show_conv_matrix((3, 3), STORY_KERNEL, np.ones(4), transpose=True)
    assert len(axes[0].texts) == 36
    assert [t.get_text() for t in axes[2].texts][:3] == ["0", "1", "1"]
    plt.close(fig)
    with pytest.raises(ValueError, match="`image` must have 4 values"):
        show_conv_matrix((3, 3), STORY_KERNEL, np.ones(5), transpose=True)


def test_show_im2col_draws_windows_kernel_output() -> None:
    """Three panels: the 4 × 4 windows, the kernel column, the output column."""
    fig, axes = show_im2col(STORY_IMAGE, STORY_KERNEL)
    assert [len(ax.texts) for ax in axes] == [16, 4, 4]
    assert [t.get_text() for t in axes[2].texts] == ["19", "25", "37", "43"]
    plt.close(fig)


def test_animate_pool_gradient_frames_and_captions(tmp_path) -> None:
    """One frame per window plus the last, which shows every winner's gradient."""
    from PIL import Image

    from convdemo.animate import save_animation

    anim = animate_pool_gradient(FEATURE_MAP, [[10, 20], [30, 40]])
    fig = plt.gcf()
    captions = [t for t in fig.texts if t.get_gid() == "caption"]
    assert captions[0].get_text().startswith("Window (0, 0): the maximum, 6")
    with Image.open(save_animation(anim, tmp_path / "gradient.webp")) as webp:
        assert webp.n_frames == 5
    # After saving, the figure shows the last frame.
    shown = [t.get_text() for t in fig.axes[2].texts if t.get_visible()]
    assert shown.count("0") == 12
    assert sorted(v for v in shown if v != "0") == ["10", "20", "30", "40"]
    assert captions[0].get_text().startswith("Each gradient went back")
    plt.close(fig)


def test_animate_pool_gradient_rejects_a_wrong_gradient_shape() -> None:
    """A gradient that is not the pooled shape names `grad_output`."""
    with pytest.raises(ValueError, match="`grad_output`"):
        animate_pool_gradient(FEATURE_MAP, np.ones((3, 3)))


def test_numerical_gradient_of_a_quadratic_and_its_checks() -> None:
    """Central differences of Σ x³ give 3x² (to 1e-8), leaving `x` unchanged."""
    x = np.array([[1.0, -2.0], [0.5, 3.0]])
    before = x.copy()
    numeric = convdemo.numerical_gradient(lambda v: float(np.sum(v**3)), x)
    np.testing.assert_allclose(numeric, 3 * x**2, rtol=1e-8)
    np.testing.assert_array_equal(x, before)
    with pytest.raises(ValueError, match="`eps`"):
        convdemo.numerical_gradient(lambda v: 0.0, x, eps=0)
    with pytest.raises(ValueError, match="`x`"):
        convdemo.numerical_gradient(lambda v: 0.0, [np.nan])
