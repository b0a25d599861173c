"""Figures of the tiny CNN: digits, a confusion matrix, filters, every layer.

:func:`show_digits`, :func:`show_confusion`, :func:`show_kernels`,
:func:`show_layers` and :func:`animate_kernels` draw what
:class:`convdemo.cnn.TinyCNN` learned and computes, in the site's visual
language. They are public through :mod:`convdemo.draw`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np
import numpy.typing as npt
from matplotlib.animation import FuncAnimation
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.colors import Normalize
from matplotlib.figure import Figure

from convdemo._artists import draw_image, draw_matrix, set_cell
from convdemo._layout import set_title
from convdemo._validate import as_image
from convdemo.cnn import DIGIT_SCALE
from convdemo.style import (
    DIVERGING,
    GRAY,
    INPUT,
    MUTED,
    OUTPUT,
    cell_fill,
    set_alt_text,
    signed_norm,
    styled,
)

__all__ = [
    "animate_kernels",
    "show_confusion",
    "show_digits",
    "show_kernels",
    "show_layers",
]

# Milliseconds per frame of the kernels' animation.
_INTERVAL = 400
# Inches per digit in show_digits, per kernel in show_kernels.
_DIGIT = 0.62
_KERNEL = 0.78
_INK = Normalize(0, DIGIT_SCALE)
# Room for the row labels of show_kernels, in inches.
_LABELS = 0.75


def _ink_map() -> str:
    """Digits are drawn as ink: 0 white, 16 black."""
    return f"{GRAY}_r"


def show_digits(
    images: npt.ArrayLike,
    labels: npt.ArrayLike,
    predicted: npt.ArrayLike | None = None,
    *,
    columns: int = 10,
) -> tuple[Figure, list[Axes]]:
    """Draw 8 × 8 digits in a grid, each titled by its label (and a guess).

    Parameters
    ----------
    images : (N, 8, 8) array_like
        Digits as :func:`convdemo.cnn.load_digits` gives them (0 to 16),
        drawn as ink: 0 white, 16 black.
    labels : (N,) array_like of int
        The true digits.
    predicted : (N,) array_like of int, optional
        A model's answers: each title reads ``true → predicted``.
    columns : int, optional
        Digits per row.

    Returns
    -------
    fig : matplotlib.figure.Figure
    axes : list of Axes
        One per digit.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig, axes = show_digits(np.zeros((3, 8, 8)), [1, 2, 3], [1, 7, 3])
    >>> [ax.get_title() for ax in axes]
    ['1', '2 → 7', '3']
    >>> plt.close(fig)
    """
    stack = as_image(images, "images", ndim=3)
    truth = np.asarray(labels).astype(int).tolist()
    guesses = None if predicted is None else np.asarray(predicted).astype(int).tolist()
    if len(truth) != len(stack) or (guesses is not None and len(guesses) != len(stack)):
        raise ValueError(
            f"`labels` and `predicted` must have one entry per image ({len(stack)}), "
            f"got {len(truth)} and {None if guesses is None else len(guesses)}"
        )
    per_row = min(columns, len(stack))
    rows = -(-len(stack) // per_row)
    with styled():
        fig = plt.figure(figsize=(per_row * _DIGIT, rows * (_DIGIT + 0.22)))
        grid = fig.subplots(rows, per_row, squeeze=False)
        axes: list[Axes] = []
        for index, ax in enumerate(grid.ravel()):
            ax.set_axis_off()
            if index >= len(stack):
                continue
            draw_image(ax, stack[index], cmap=_ink_map(), norm=_INK)
            title = str(truth[index])
            if guesses is not None and guesses[index] != truth[index]:
                title += f" → {guesses[index]}"
            ax.set_title(title, fontsize=9, color=MUTED, pad=2, fontweight="normal")
            axes.append(ax)
        fig.subplots_adjust(0.01, 0.01, 0.99, 0.9, 0.1, 0.45)
    return fig, axes


def show_confusion(
    labels: npt.ArrayLike, predicted: npt.ArrayLike
) -> tuple[Figure, Axes]:
    """Draw the 10 × 10 confusion matrix: how often each digit got each answer.

    Parameters
    ----------
    labels, predicted : (N,) array_like of int
        True digits and a model's answers, 0 to 9.

    Returns
    -------
    fig : matplotlib.figure.Figure
    ax : Axes
        Row = true digit, column = answer; the diagonal (right answers) is
        in the output colour, mistakes in the window colour's tint, zeros
        left blank.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = show_confusion([0, 1, 1], [0, 1, 7])
    >>> [t.get_text() for t in ax.texts if t.get_text()][:3]
    ['1', '1', '1']
    >>> plt.close(fig)
    """
    truth = np.asarray(labels).astype(int)
    answers = np.asarray(predicted).astype(int)
    if truth.shape != answers.shape or truth.ndim != 1:
        raise ValueError(
            "`labels` and `predicted` must be 1-D with the same length, got shapes "
            f"{truth.shape} and {answers.shape}"
        )
    counts = np.zeros((10, 10), dtype=int)
    np.add.at(counts, (truth, answers), 1)
    with styled():
        fig, ax = plt.subplots(figsize=(4.6, 4.8))
        drawn = draw_matrix(ax, counts, role="output", indices=True, fontsize=9)
        for index, (cell, text) in enumerate(
            zip(drawn.cells, drawn.texts, strict=True)
        ):
            row, col = divmod(index, 10)
            if counts[row, col] == 0:
                set_cell(cell, text, "white")
                text.set_text("")
            elif row != col:
                set_cell(cell, text, cell_fill("window"))
        ax.text(4.5, -1.9, "answer", ha="center", color=MUTED, fontsize=9)
        ax.text(
            -1.9, 4.5, "true digit", va="center", rotation=90, color=MUTED, fontsize=9
        )
        fig.subplots_adjust(0.08, 0.02, 0.99, 0.92)
    right = int(np.trace(counts))
    set_alt_text(
        fig,
        f"Confusion matrix of {len(truth)} digits: {right} on the diagonal, right; "
        + "; ".join(
            f"{counts[r, c]} {r} read as {c}"
            for r, c in zip(*np.nonzero(counts), strict=True)
            if r != c
        ),
    )
    return fig, ax


def show_kernels(
    rows: Mapping[str, npt.ArrayLike], *, decimals: int = 1, ink: bool = False
) -> tuple[Figure, np.ndarray]:
    """Draw rows of 3 × 3 kernels with their numbers, on one colour scale.

    Parameters
    ----------
    rows : mapping of str to (F, kh, kw) array_like
        A label for each row (shown at its left), and its F kernels.
    decimals : int, optional
        Decimals written (the colours use the exact values).
    ink : bool, optional
        Draw image patches (0 to 1) as ink, white to black, instead of
        weights on the signed scale.

    Returns
    -------
    fig : matplotlib.figure.Figure
    axes : (rows, F) ndarray of Axes
        Unused places (a row with fewer kernels) are hidden.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig, axes = show_kernels({"a": np.ones((2, 3, 3)), "b": -np.ones((1, 3, 3))})
    >>> axes.shape, axes[1, 1].get_visible()
    ((2, 2), False)
    >>> plt.close(fig)
    """
    banks = {name: as_image(values, "rows", ndim=3) for name, values in rows.items()}
    width = max(len(bank) for bank in banks.values())
    every = np.concatenate([bank.ravel() for bank in banks.values()])
    cmap, norm = (
        (_ink_map(), Normalize(0, 1)) if ink else (DIVERGING, signed_norm(every))
    )
    fmt = f"{{:.{decimals}f}}"
    with styled():
        fig = plt.figure(
            figsize=(_LABELS + width * _KERNEL, len(banks) * (_KERNEL + 0.1))
        )
        axes = fig.subplots(len(banks), width, squeeze=False)
        for r, (name, bank) in enumerate(banks.items()):
            for c in range(width):
                ax = axes[r, c]
                if c >= len(bank):
                    ax.set_visible(False)
                    continue
                # Rounded first, so that no label reads "-0.0".
                shown = np.round(bank[c], decimals) + 0.0
                draw_matrix(ax, shown, cmap=cmap, norm=norm, fmt=fmt, fontsize=6.5)
            axes[r, 0].text(
                -0.15,
                0.5,
                name,
                transform=axes[r, 0].transAxes,
                ha="right",
                va="center",
                fontsize=9,
                color=MUTED,
            )
        left = _LABELS / (_LABELS + width * _KERNEL)
        fig.subplots_adjust(left, 0.02, 0.99, 0.98, 0.12, 0.12)
    return fig, axes


def animate_kernels(
    snapshots: Sequence[npt.ArrayLike], *, decimals: int = 1
) -> FuncAnimation:
    """Animate a layer's 3 × 3 kernels changing, one frame per snapshot.

    Parameters
    ----------
    snapshots : sequence of (F, kh, kw) array_like
        The kernels at each moment, e.g. the ``snapshots`` of a trained
        :class:`~convdemo.cnn.TinyCNN` (initialisation, then each epoch).
    decimals : int, optional
        Decimals written (the colours use the exact values).

    Returns
    -------
    matplotlib.animation.FuncAnimation
        One frame per snapshot, titled ``after epoch k``; the colours use
        one signed scale over every snapshot.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> import matplotlib.pyplot as plt
    >>> from PIL import Image
    >>> from convdemo.animate import save_animation
    >>> anim = animate_kernels([np.zeros((2, 3, 3)), np.ones((2, 3, 3))])
    >>> with tempfile.TemporaryDirectory() as folder, Image.open(
    ...     save_animation(anim, Path(folder) / "kernels.webp")
    ... ) as webp:
    ...     webp.n_frames
    2
    >>> plt.close("all")
    """
    from convdemo._movie import _build

    frames = np.stack([as_image(s, "snapshots", ndim=3) for s in snapshots])
    norm = signed_norm(frames)
    cmap = plt.get_cmap(DIVERGING)
    fmt = f"{{:.{decimals}f}}"
    labels = np.round(frames, decimals) + 0.0
    count = frames.shape[1]
    with styled():
        fig = plt.figure(figsize=(0.3 + count * _KERNEL, _KERNEL + 0.55))
        axes = fig.subplots(1, count, squeeze=False)[0]
        drawn = [
            draw_matrix(
                ax, labels[0, f], cmap=DIVERGING, norm=norm, fmt=fmt, fontsize=6.5
            )
            for f, ax in enumerate(axes)
        ]
        title = fig.suptitle("initial weights", fontsize=10, color=MUTED)
        fig.subplots_adjust(0.01, 0.02, 0.99, 0.78, 0.12)

    def update(frame: int) -> list[Artist]:
        changed: list[Artist] = [title]
        for f, artists in enumerate(drawn):
            for cell, text, value, label in zip(
                artists.cells,
                artists.texts,
                frames[frame, f].ravel(),
                labels[frame, f].ravel(),
                strict=True,
            ):
                set_cell(cell, text, cmap(norm(value)))
                text.set_text(fmt.format(label))
                changed += [cell, text]
        title.set_text("initial weights" if frame == 0 else f"after epoch {frame}")
        return changed

    update(0)
    return _build(fig, update, len(frames), _INTERVAL)


def _map_panel(ax: Axes, values: np.ndarray, norm: Normalize) -> None:
    """Draw one feature map as pixels, without numbers."""
    draw_image(ax, values, cmap=DIVERGING, norm=norm, interpolation="nearest")


def show_layers(maps: Mapping[str, npt.ArrayLike]) -> tuple[Figure, list[Axes]]:
    """Draw every layer of the tiny CNN for one digit, and its ten probabilities.

    Parameters
    ----------
    maps : mapping of str to array_like
        The activations of one digit, as
        :meth:`~convdemo.cnn.TinyCNN.forward` returns them.

    Returns
    -------
    fig : matplotlib.figure.Figure
    axes : list of Axes
        The input, then each map of ``relu1``, ``pool1``, ``relu2`` and
        ``pool2`` (8 + 8 + 16 + 16), then the probabilities' bar chart.

    Notes
    -----
    Each row of maps shares one signed colour scale (white is 0, red
    positive): after a ReLU every value is ≥ 0, so a map is white where the
    filter found nothing and red where it answered.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> from convdemo.cnn import TinyCNN
    >>> fig, axes = show_layers(TinyCNN().forward(np.zeros((8, 8))))
    >>> len(axes)
    50
    >>> plt.close(fig)
    """
    layers = {name: np.asarray(maps[name], dtype=np.float64) for name in maps}
    rows = [
        ("relu1", "conv 3×3 + ReLU: 8 maps, 8×8"),
        ("pool1", "max pool 2: 8 maps, 4×4"),
        ("relu2", "conv 3×3 + ReLU: 16 maps, 4×4"),
        ("pool2", "max pool 2: 16 maps, 2×2"),
    ]
    probabilities = layers["probabilities"]
    with styled():
        fig = plt.figure(figsize=(7.5, 6.6))
        outer = fig.add_gridspec(
            len(rows) + 2, 1, height_ratios=[1.6, 0.9, 0.9, 0.55, 0.55, 1.5], hspace=0.6
        )
        axes: list[Axes] = []
        first = fig.add_subplot(outer[0])
        draw_image(
            first, layers["input"][..., 0] * DIGIT_SCALE, cmap=_ink_map(), norm=_INK
        )
        set_title(first, "input 8×8", "input", size=9)
        axes.append(first)
        for index, (name, label) in enumerate(rows, start=1):
            values = layers[name]
            count = values.shape[-1]
            norm = signed_norm(values) if np.any(values) else Normalize(-1, 1)
            cells = outer[index].subgridspec(1, 16, wspace=0.15)
            offset = (16 - count) // 2
            for f in range(count):
                ax = fig.add_subplot(cells[0, offset + f])
                _map_panel(ax, values[..., f], norm)
                axes.append(ax)
            fig.text(
                0.5,
                axes[-count].get_position().y1 + 0.012,
                label,
                ha="center",
                va="bottom",
                fontsize=9,
                color=MUTED,
            )
        bars = fig.add_subplot(outer[-1])
        best = int(probabilities.argmax())
        colours = [OUTPUT if d == best else INPUT for d in range(10)]
        bars.bar(range(10), probabilities, color=colours)
        bars.set_xticks(range(10))
        bars.set_ylim(0, 1)
        bars.set_ylabel("probability", fontsize=9)
        for side in ("top", "right"):
            bars.spines[side].set_visible(False)
        bars.set_title(
            f"softmax: {best} with {probabilities[best]:.1%}",
            fontsize=9,
            color=MUTED,
            fontweight="normal",
        )
        axes.append(bars)
    return fig, axes
