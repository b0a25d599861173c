"""Animations as files: frame timing, the animation object, GIF and WebP.

The builders of :mod:`convdemo.animate` (and the animated figures of
``convdemo.draw``) wrap their frame functions with ``_build``;
:func:`save_animation` renders the frames with Agg and writes them with
Pillow alone (no ffmpeg, no ImageMagick), byte for byte the same for the
same input. Re-exported by :mod:`convdemo.animate`.
"""

from __future__ import annotations

import numbers
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from matplotlib.animation import AbstractMovieWriter, Animation, FuncAnimation
from matplotlib.artist import Artist
from matplotlib.colors import to_rgb
from matplotlib.figure import Figure
from PIL import Image

from convdemo._validate import positive_number
from convdemo.style import styled

__all__ = ["save_animation"]


# How long one frame may last, in milliseconds: GIF counts in hundredths of a
# second, and a frame of a minute is already a still.
_FRAME_MS = (10.0, 60_000.0)
# The longest a frame may last in the file, the last one included: GIF
# stores at most 655.35 s.
_LONGEST_MS = 600_000.0


def _frame_ms(value: Any, name: str) -> float:
    """Check a frame duration in milliseconds: a number within _FRAME_MS."""
    low, high = _FRAME_MS
    if isinstance(value, bool | np.bool_) or not isinstance(value, numbers.Real):
        raise TypeError(
            f"`{name}` must be a number of milliseconds per frame, got {value!r}"
        )
    ms = float(value)
    if not low <= ms <= high:
        raise ValueError(
            f"`{name}` must be between {low:g} and {high:g} milliseconds per "
            f"frame, got {value!r}"
        )
    return ms


def _build(
    fig: Figure,
    update: Callable[[int], list[Artist]],
    frames: int,
    interval: float,
) -> FuncAnimation:
    """Wrap a frame function in a FuncAnimation without blitting."""
    return FuncAnimation(
        fig,
        update,
        frames=frames,
        init_func=lambda: update(0),
        interval=interval,
        blit=False,
        repeat=True,
        cache_frame_data=False,
    )


class _FrameGrabber(AbstractMovieWriter):
    """Collect every frame as an RGBA array (rendered by Agg, kept in memory)."""

    def __init__(self) -> None:
        super().__init__(fps=1)
        self.frames: list[np.ndarray] = []

    def setup(self, fig: Figure, outfile: Any, dpi: float | None = None) -> None:
        super().setup(fig, outfile, dpi=dpi)
        self.frames = []

    def grab_frame(self, **savefig_kwargs: Any) -> None:
        # FuncAnimation has usually drawn the frame already (draw_idle on Agg);
        # draw again only if something changed since.
        if self.fig.stale:
            self.fig.canvas.draw()
        buffer = self.fig.canvas.buffer_rgba()  # type: ignore[attr-defined]
        self.frames.append(np.array(buffer, dtype=np.uint8, copy=True))

    def finish(self) -> None:
        """Nothing to flush: the frames stay in memory."""

    def _supports_transparency(self) -> bool:
        return True


def _composite(frame: np.ndarray, background: Any) -> np.ndarray:
    """Put an RGBA frame on an opaque background colour; return (H, W, 3) uint8."""
    rgba = frame.astype(np.float64) / 255.0
    alpha = rgba[..., 3:4]
    base = np.asarray(to_rgb(background), dtype=np.float64)
    rgb = rgba[..., :3] * alpha + base * (1.0 - alpha)
    return np.round(rgb * 255.0).astype(np.uint8)


def _nearest_indices(rgb: np.ndarray, palette: np.ndarray) -> np.ndarray:
    """Map each pixel to its nearest palette colour, exactly (no colour cache).

    Pillow's own mapping works at reduced precision, which can move a pure
    white margin to an almost-white palette entry; frames hold only a few
    thousand distinct colours, so an exact search over them is cheap.
    """
    packed = (
        rgb[..., 0].astype(np.int64) << 16
        | rgb[..., 1].astype(np.int64) << 8
        | rgb[..., 2].astype(np.int64)
    )
    distinct, inverse = np.unique(packed.ravel(), return_inverse=True)
    colours = np.stack(
        [(distinct >> 16) & 255, (distinct >> 8) & 255, distinct & 255], axis=1
    ).astype(np.float64)
    distance = ((colours[:, None, :] - palette[None, :, :]) ** 2).sum(axis=2)
    nearest = distance.argmin(axis=1).astype(np.uint8)
    indices: np.ndarray = nearest[inverse].reshape(rgb.shape[:2])
    return indices


def _duration(anim: Animation, fps: Any) -> float:
    """Return the milliseconds per frame: from `fps`, else the animation's interval."""
    if fps is None:
        interval = getattr(anim.event_source, "interval", None) or 1000.0
        try:
            return _frame_ms(interval, "interval")
        except (TypeError, ValueError):
            raise ValueError(
                f"`anim` plays one frame every {interval!r} ms, outside "
                f"{_FRAME_MS[0]:g}–{_FRAME_MS[1]:g} ms: pass `fps`"
            ) from None
    rate = positive_number(fps, "fps")
    slowest, fastest = 1000.0 / _FRAME_MS[1], 1000.0 / _FRAME_MS[0]
    if not slowest <= rate <= fastest:
        raise ValueError(
            f"`fps` must be between {slowest:g} and {fastest:g} frames per second, "
            f"got {fps!r}"
        )
    return 1000.0 / rate


def save_animation(
    anim: Animation,
    path: str | Path,
    *,
    fps: float | None = None,
    background: str | None = None,
    hold_last: float = 3.0,
) -> Path:
    """Write an animation as an animated GIF or WebP with Pillow.

    Parameters
    ----------
    anim : matplotlib.animation.Animation
        From :func:`animate_correlation` or :func:`animate_pooling`.
    path : str or Path
        Destination ending in ``.gif`` or ``.webp``.
    fps : float, optional
        Frames per second, from 1/60 to 100; by default the animation's own
        interval.
    background : matplotlib colour or None, optional
        Opaque background the frames are put on. With None (the default) a
        WebP keeps the transparent background, so it sits on the light and
        the dark theme alike, and a GIF, which has no partial transparency,
        is put on white.
    hold_last : float, optional
        How many frame durations the final frame stays up before looping,
        > 0 and at most 10 minutes in all.

    Returns
    -------
    Path
        The path written.

    Raises
    ------
    TypeError
        If `anim` is not a matplotlib animation, `path` not a path, or `fps`
        or `hold_last` not a number.
    ValueError
        If the suffix is not ``.gif`` or ``.webp``, or `fps` (or, without
        it, the animation's interval) or `hold_last` is out of range.

    Notes
    -----
    Frames are rendered by Agg (``canvas.draw`` then ``buffer_rgba``). A GIF
    gets one palette for all frames (median cut without dithering), so the
    same animation always gives the same bytes and each frame after the
    first stores only the region that changed. WebP is written lossless. The
    file loops forever; no timestamp is stored.

    Examples
    --------
    >>> import tempfile
    >>> import numpy as np
    >>> import matplotlib.pyplot as plt
    >>> from convdemo.animate import animate_pooling
    >>> anim = animate_pooling(np.arange(16).reshape(4, 4), 2)
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     first = save_animation(anim, Path(folder) / "a.gif").read_bytes()
    ...     second = save_animation(anim, Path(folder) / "b.gif").read_bytes()
    >>> first == second
    True
    >>> plt.close("all")
    """
    if not isinstance(anim, Animation):
        raise TypeError(
            "`anim` must be a matplotlib animation, such as the result of "
            f"animate_correlation or animate_pooling, got {type(anim).__name__}"
        )
    if not isinstance(path, str | os.PathLike):
        raise TypeError(f"`path` must be a string or a path, got {path!r}")
    target = Path(path)
    suffix = target.suffix.lower()
    if suffix not in (".gif", ".webp"):
        raise ValueError(f"`path` must end in '.gif' or '.webp', got {str(path)!r}")
    duration = _duration(anim, fps)
    hold = positive_number(hold_last, "hold_last")
    if duration * hold > _LONGEST_MS:
        raise ValueError(
            f"`hold_last` must keep the last frame at most {_LONGEST_MS / 1000:g} s "
            f"(frames of {duration:g} ms here), got {hold_last!r}"
        )
    grabber = _FrameGrabber()
    with styled():
        anim.save(str(target), writer=grabber)
    if not grabber.frames:
        raise ValueError("`anim` produced no frames")
    durations = [round(duration)] * (len(grabber.frames) - 1)
    durations.append(round(duration * hold))
    options: dict[str, Any]
    if suffix == ".webp":
        frames = [
            Image.fromarray(
                frame if background is None else _composite(frame, background)
            )
            for frame in grabber.frames
        ]
        options = {"format": "WEBP", "lossless": True, "method": 4}
    else:
        frames = _gif_frames(
            grabber.frames, "white" if background is None else background
        )
        options = {"format": "GIF", "disposal": 1, "optimize": True}
    frames[0].save(
        target,
        save_all=True,
        append_images=frames[1:],
        duration=durations,
        loop=0,
        **options,
    )
    return target


def _gif_frames(grabbed: list[np.ndarray], opaque: Any) -> list[Image.Image]:
    """Return the frames on the colour `opaque`, as GIF frames sharing one palette."""
    rgb = [_composite(frame, opaque) for frame in grabbed]
    # One shared palette, from up to 12 evenly spaced frames stacked together.
    picks = np.unique(np.linspace(0, len(rgb) - 1, min(len(rgb), 12)).astype(int))
    sheet = Image.fromarray(np.concatenate([rgb[int(i)] for i in picks], axis=0))
    colours = sheet.quantize(
        colors=63, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE
    ).getpalette()
    assert colours is not None
    # The background colour joins the palette exactly, so the page-coloured
    # margin keeps its colour.
    exact = [round(255 * channel) for channel in to_rgb(opaque)]
    entries = colours[: 63 * 3] + exact
    palette = np.asarray(entries, dtype=np.float64).reshape(-1, 3)
    height, width = rgb[0].shape[:2]
    frames = []
    for image in rgb:
        frame = Image.frombytes(
            "P", (width, height), _nearest_indices(image, palette).tobytes()
        )
        frame.putpalette(entries)
        frames.append(frame)
    return frames
