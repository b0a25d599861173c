"""Learn a kernel from examples with plain gradient descent.

The post says a CNN *learns* its filters. This module shows it on the
smallest possible network: one 3 × 3 kernel, no bias, trained so that
``correlate2d(image, kernel)`` matches target maps made with a known filter.
The gradient is written out by hand (:func:`loss_and_gradient`) and the
descent loop is a dozen lines (:func:`learn_kernel`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from convdemo._validate import (
    as_image,
    as_pair,
    nonnegative_int,
    one_of,
    positive_int,
    positive_number,
)
from convdemo.images import grid_image, isometric_image, sample_photo
from convdemo.kernels import get_kernel
from convdemo.ops import BORDERS, Padding, correlate2d, pad

__all__ = ["LearningHistory", "example_pairs", "learn_kernel", "loss_and_gradient"]


def _as_images(values: Any, name: str) -> list[np.ndarray]:
    """Return one 2-D image, an (N, H, W) stack or a sequence of images as a list."""
    if isinstance(values, np.ndarray):
        if values.ndim == 3:
            return [as_image(values[i], f"{name}[{i}]") for i in range(len(values))]
        return [as_image(values, name)]
    if not isinstance(values, Sequence) or isinstance(values, str | bytes):
        raise TypeError(
            f"`{name}` must be a 2-D array or a sequence of 2-D arrays, got {values!r}"
        )
    if not values:
        raise ValueError(f"`{name}` must contain at least one image, got []")
    if np.ndim(values[0]) <= 1:
        # A nested list of numbers: one image.
        return [as_image(values, name)]
    return [as_image(value, f"{name}[{i}]") for i, value in enumerate(values)]


def _pairs(
    images: npt.ArrayLike | Sequence[npt.ArrayLike],
    targets: npt.ArrayLike | Sequence[npt.ArrayLike],
    kernel_shape: tuple[int, int],
    padding: Padding,
    border: str,
) -> list[tuple[np.ndarray, np.ndarray]]:
    """Pad every input once and check that each target has the output's shape."""
    inputs = _as_images(images, "images")
    outputs = _as_images(targets, "targets")
    if len(inputs) != len(outputs):
        raise ValueError(
            f"`targets` must hold one map per image ({len(inputs)}), got {len(outputs)}"
        )
    pairs = []
    for i, (image, target) in enumerate(zip(inputs, outputs, strict=True)):
        padded = pad(image, padding, border=border, kernel_shape=kernel_shape)
        expected = (
            padded.shape[0] - kernel_shape[0] + 1,
            padded.shape[1] - kernel_shape[1] + 1,
        )
        if min(expected) < 1:
            raise ValueError(
                f"`kernel_shape` {kernel_shape} does not fit in `images[{i}]` "
                f"{image.shape} with padding {padding!r}"
            )
        if target.shape != expected:
            raise ValueError(
                f"`targets[{i}]` must have the output shape {expected} of a "
                f"{kernel_shape} kernel on `images[{i}]` {image.shape}, "
                f"got {target.shape}"
            )
        pairs.append((padded, target))
    return pairs


def _correlate_with_error(padded: np.ndarray, error: np.ndarray) -> np.ndarray:
    """Return ``correlate2d(padded, error)``, computed tap by tap of the result.

    The "kernel" here is as large as the output and the result is only
    (kh, kw), so one dot product per result cell is much faster than sliding
    a large kernel.
    """
    kh = padded.shape[0] - error.shape[0] + 1
    kw = padded.shape[1] - error.shape[1] + 1
    rows, cols = error.shape
    result = np.empty((kh, kw))
    for u in range(kh):
        for v in range(kw):
            result[u, v] = np.vdot(padded[u : u + rows, v : v + cols], error)
    return result


def _loss_and_gradient(
    kernel: np.ndarray, pairs: list[tuple[np.ndarray, np.ndarray]]
) -> tuple[float, np.ndarray]:
    """Mean squared error and its gradient for already padded inputs."""
    total = sum(target.size for _, target in pairs)
    loss = 0.0
    gradient = np.zeros_like(kernel)
    for padded, target in pairs:
        error = correlate2d(padded, kernel) - target
        loss += float(np.sum(error**2))
        # d(error[i, j]) / d(kernel[u, v]) = padded[i + u, j + v], so the
        # gradient is the cross-correlation of the input with the error.
        gradient += _correlate_with_error(padded, error)
    return loss / total, 2.0 * gradient / total


def loss_and_gradient(
    kernel: npt.ArrayLike,
    images: npt.ArrayLike | Sequence[npt.ArrayLike],
    targets: npt.ArrayLike | Sequence[npt.ArrayLike],
    *,
    padding: Padding = "valid",
    border: str = "zeros",
) -> tuple[float, np.ndarray]:
    """Compute the mean squared error of a kernel and its gradient.

    Parameters
    ----------
    kernel : (kh, kw) array_like
        The current kernel `K`.
    images : (H, W) array_like, (N, H, W) array_like or sequence of them
        Inputs `X_n` (they may differ in size).
    targets : same structure as `images`
        Desired outputs `Y_n`, each with the shape of
        ``correlate2d(X_n, K, padding=padding)``.
    padding : str, int or tuple, optional
        Padding rule, as in :func:`convdemo.ops.correlate2d`.
    border : {'zeros', 'reflect', 'replicate', 'wrap'}, optional
        What the padding is filled with.

    Returns
    -------
    loss : float
        ``L = (1/M) Σ_n Σ_ij (Ŷ_n[i, j] − Y_n[i, j])²`` with
        ``Ŷ_n = correlate2d(X_n, K)`` and `M` the total number of target
        cells.
    gradient : (kh, kw) ndarray
        ``∂L/∂K``.

    Notes
    -----
    With ``E_n = Ŷ_n − Y_n`` and ``Ŷ_n[i, j] = Σ_uv K[u, v] X_n[i + u, j + v]``
    (`X_n` padded), the chain rule gives

    .. math:: \\frac{\\partial L}{\\partial K[u, v]}
              = \\frac{2}{M} \\sum_n \\sum_{i, j} E_n[i, j] \\, X_n[i + u, j + v],

    which is again a cross-correlation: the input correlated with the
    error, ``(2/M) Σ_n correlate2d(X_n, E_n)``. This is the backward pass of
    a convolutional layer with respect to its weights.

    See Also
    --------
    learn_kernel : gradient descent with this gradient.

    Examples
    --------
    The error is 1 in every cell, so each gradient entry adds up the four
    input cells that its tap touches (``0 + 1 + 3 + 4 = 8`` for the top-left
    tap), times ``2/M = 1/2`` (``M = 4`` output cells):

    >>> image = np.arange(9.0).reshape(3, 3)
    >>> target = correlate2d(image, np.ones((2, 2))) - 1
    >>> loss, gradient = loss_and_gradient(np.ones((2, 2)), image, target)
    >>> loss
    1.0
    >>> gradient
    array([[ 4.,  6.],
           [10., 12.]])
    """
    weights = as_image(kernel, "kernel")
    border = one_of(border, "border", BORDERS)
    pairs = _pairs(images, targets, weights.shape, padding, border)
    return _loss_and_gradient(weights, pairs)


@dataclass(frozen=True, eq=False)
class LearningHistory:
    """Everything :func:`learn_kernel` went through.

    Attributes
    ----------
    kernels : (steps + 1, kh, kw) ndarray
        The kernel before the first step and after every step.
    losses : (steps + 1,) ndarray
        The loss of each kernel in `kernels`.
    learning_rate : float
        The step size used.
    momentum : float
        The momentum used.
    """

    kernels: np.ndarray
    losses: np.ndarray
    learning_rate: float
    momentum: float

    @property
    def kernel(self) -> np.ndarray:
        """(kh, kw) ndarray: the learned kernel (after the last step)."""
        kernel: np.ndarray = self.kernels[-1]
        return kernel


def _largest_curvature(
    pairs: list[tuple[np.ndarray, np.ndarray]], kernel_shape: tuple[int, int]
) -> float:
    """Largest eigenvalue of the loss's (constant) Hessian, (2/M) Σ PᵀP."""
    total = sum(target.size for _, target in pairs)
    size = kernel_shape[0] * kernel_shape[1]
    gram = np.zeros((size, size))
    for padded, _ in pairs:
        patches = np.lib.stride_tricks.sliding_window_view(padded, kernel_shape)
        flat = patches.reshape(-1, size)
        gram += flat.T @ flat
    return float(np.linalg.eigvalsh(2.0 * gram / total)[-1])


def learn_kernel(
    images: npt.ArrayLike | Sequence[npt.ArrayLike],
    targets: npt.ArrayLike | Sequence[npt.ArrayLike],
    *,
    kernel_shape: int | tuple[int, int] = (3, 3),
    seed: int = 0,
    steps: int = 300,
    learning_rate: float | None = None,
    momentum: float = 0.9,
    padding: Padding = "valid",
    border: str = "zeros",
) -> LearningHistory:
    """Learn a kernel from (input, output) pairs with gradient descent.

    Parameters
    ----------
    images : (H, W) array_like, (N, H, W) array_like or sequence of them
        Inputs.
    targets : same structure as `images`
        Desired outputs, shaped like ``correlate2d(image, K, padding=padding)``.
    kernel_shape : int or (int, int), optional
        Shape of the kernel to learn.
    seed : int, optional
        Seed of :func:`numpy.random.default_rng` for the starting kernel,
        drawn uniformly from [−1, 1].
    steps : int, optional
        Number of gradient steps (the loop always runs all of them).
    learning_rate : float, optional
        Step size. By default ``1/λ_max``, where ``λ_max`` is the largest
        curvature of the loss (see Notes): safely below the largest stable
        step, ``2/λ_max`` for plain gradient descent and ``2(1 + β)/λ_max``
        with momentum ``β``.
    momentum : float, optional
        Heavy-ball momentum in [0, 1); 0 is plain gradient descent.
    padding, border : optional
        As in :func:`loss_and_gradient`.

    Returns
    -------
    LearningHistory
        The ``steps + 1`` kernels and losses, and the step size.

    Notes
    -----
    Each step moves the kernel against the gradient, with momentum:

    .. math:: V \\leftarrow \\beta V - \\eta \\nabla L(K), \\qquad
              K \\leftarrow K + V.

    The model is linear in `K`, so the loss is a quadratic whose Hessian
    ``(2/M) Σ PᵀP`` (`P`: every input patch as a row) does not depend on
    `K`; its largest eigenvalue ``λ_max`` bounds the step size: along that
    direction the iteration is stable only for ``η < 2/λ_max`` without
    momentum and ``η < 2(1 + β)/λ_max`` with momentum ``β`` (the heavy-ball
    method's bound). Images with varied content (a random image, a photo)
    make the problem well conditioned; a single grid image leaves directions
    that the data hardly constrains, and those converge slowly.

    See Also
    --------
    loss_and_gradient : the loss and the gradient.

    Examples
    --------
    Recover a 2 × 2 kernel from one random image:

    >>> rng = np.random.default_rng(0)
    >>> image = rng.uniform(size=(16, 16))
    >>> true = np.array([[1.0, -1.0], [2.0, 0.0]])
    >>> history = learn_kernel(image, correlate2d(image, true), kernel_shape=2)
    >>> history.kernels.shape
    (301, 2, 2)
    >>> np.round(history.kernel, 6)
    array([[ 1., -1.],
           [ 2.,  0.]])
    >>> bool(history.losses[-1] < 1e-12)
    True
    """
    shape = as_pair(kernel_shape, "kernel_shape")
    steps = nonnegative_int(steps, "steps")
    border = one_of(border, "border", BORDERS)
    if not isinstance(momentum, int | float) or isinstance(momentum, bool):
        raise TypeError(f"`momentum` must be a number in [0, 1), got {momentum!r}")
    if not 0 <= momentum < 1:
        raise ValueError(f"`momentum` must be in [0, 1), got {momentum!r}")
    pairs = _pairs(images, targets, shape, padding, border)
    if learning_rate is None:
        curvature = _largest_curvature(pairs, shape)
        if curvature == 0:
            raise ValueError("`images` must not all be zero: nothing can be learned")
        rate = 1.0 / curvature
    else:
        rate = positive_number(learning_rate, "learning_rate")

    rng = np.random.default_rng(seed)
    kernel = rng.uniform(-1.0, 1.0, size=shape)
    velocity = np.zeros_like(kernel)
    kernels, losses = [kernel.copy()], []
    for _ in range(steps):
        loss, gradient = _loss_and_gradient(kernel, pairs)
        losses.append(loss)
        velocity = momentum * velocity - rate * gradient
        kernel = kernel + velocity
        kernels.append(kernel.copy())
    losses.append(_loss_and_gradient(kernel, pairs)[0])
    return LearningHistory(
        kernels=np.stack(kernels),
        losses=np.array(losses),
        learning_rate=rate,
        momentum=float(momentum),
    )


def example_pairs(
    kernel: str | npt.ArrayLike = "vertical", *, size: int = 64, seed: int = 0
) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """Make (input, output) training pairs by filtering four kinds of image.

    Parameters
    ----------
    kernel : str or (kh, kw) array_like, optional
        The filter to learn: a name from :data:`convdemo.kernels.KERNELS` or
        the values.
    size : int, optional
        Side of each square input, in pixels, from 8 to 300.
    seed : int, optional
        Seed of the random-noise input.

    Returns
    -------
    images : list of four (size, size) ndarrays
        The top-left corner of the grid image, a corner of the isometric drawing, a
        crop of the sample photo around the eyes, and uniform noise in
        [0, 1].
    targets : list of four (size − kh + 1, size − kw + 1) ndarrays
        ``correlate2d(image, kernel)`` ("valid") for each input.

    Notes
    -----
    The grid alone would leave the learner guessing: its flat white cells
    and straight lines hardly constrain some combinations of weights (the
    loss is almost flat along them). Noise and the photo contain every
    local pattern, which makes the problem well conditioned.

    Examples
    --------
    >>> images, targets = example_pairs(size=16)
    >>> [image.shape for image in images]
    [(16, 16), (16, 16), (16, 16), (16, 16)]
    >>> targets[0].shape
    (14, 14)
    """
    weights = (
        get_kernel(kernel) if isinstance(kernel, str) else as_image(kernel, "kernel")
    )
    size = positive_int(size, "size")
    if not 8 <= size <= 300:
        raise ValueError(f"`size` must be between 8 and 300, got {size}")
    # The photo is 600 × 512; this corner puts the eyes in a 64-pixel crop.
    photo = sample_photo()
    top, left = 150, 190
    images = [
        grid_image()[:size, :size],
        isometric_image()[:size, :size],
        photo[top : top + size, left : left + size],
        np.random.default_rng(seed).uniform(size=(size, size)),
    ]
    targets = [correlate2d(image, weights) for image in images]
    return images, targets
