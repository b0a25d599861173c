"""Command line: filter or pool an image and write the result as a PNG.

::

    convdemo filter grid --kernel vertical -o vertical.png
    convdemo filter photo --kernel "1 0 -1; 2 0 -2; 1 0 -1" --padding same -o sobel.png
    convdemo filter isometric --kernel horizontal --clip -o post-view.png
    convdemo filter grid --kernel vertical --clip --figure -o explained.png
    convdemo pool my_photo.jpg --size 2 --mode max -o pooled.png
    convdemo pool patch_8x8.png --size 2 --figure -o pooling.svg
    convdemo kernels

By default the PNG has one pixel per output cell: the signed filter output
on the diverging colormap (``--clip``: the blog post's grey view), or the
pooled values in grey. With ``--figure`` the command writes instead the
explanatory figure of :func:`convdemo.draw.show_filter` (input ⋆ kernel =
output, plus the clipped view with ``--clip``) or
:func:`convdemo.draw.show_pooling` (every cell's number, the groups and the
chosen cells; inputs of at most 24 × 24 pixels), saved by
:func:`convdemo.style.save_figure` as PNG, SVG or PDF (by the suffix), with
the same bytes on every run. Matplotlib's drawing machinery is loaded only
for ``--figure``, on the Agg backend, so no display is needed.

Also available as ``python -m convdemo``. Every mistake in the arguments or
the input gives one line on standard error, ``convdemo: error: …``, and exit
status 2, with nothing written: a FIFO or a device as input, a symlink loop,
an argument that would need more memory than an operation may use
(:data:`convdemo.ops.MAX_VALUES`), a kernel whose output overflows float64.
Warnings from Pillow, libtiff or NumPy never add lines: after a success, at
most one line ``convdemo: warning: …`` follows the summary. Anything
unexpected still ends in one line (exit status 1) rather than a traceback.
Long values are quoted shortened, and the summary is printed with escapes
if the terminal cannot show a file name.
"""

from __future__ import annotations

import argparse
import math
import os
import re
import stat
import sys
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NoReturn, TextIO

import numpy as np

from convdemo import images
from convdemo._finite import binary_exponent, largest_magnitude
from convdemo._format import MAX_CELLS
from convdemo._validate import quote
from convdemo.kernels import KERNELS, Kernel, get_kernel, kernel_names, parse_kernel
from convdemo.ops import (
    BORDERS,
    PADDINGS,
    POOL_MODES,
    clipped_view,
    convolve2d,
    correlate2d,
    pool2d,
)
from convdemo.pooling import PoolOptions

__all__ = ["build_parser", "filtered_pixels", "main", "pooled_pixels"]

#: Built-in images accepted in place of a file path.
BUILTIN_IMAGES: dict[str, Callable[[], np.ndarray]] = {
    "grid": images.grid_image,
    "isometric": images.isometric_image,
    "photo": images.sample_photo,
}

_INPUT_HELP = (
    "image file to read (any format Pillow reads; converted to grey), or one "
    "of the built-in images: 'grid' (the post's 300 × 300 grid), 'isometric' "
    "(cubes in isometric perspective), 'photo' (matplotlib's grace_hopper.jpg). "
    "Write ./grid to read a file that has one of these names."
)

_KERNEL_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")

#: Output suffixes accepted with ``--figure`` (the formats of save_figure).
_FIGURE_SUFFIXES = (".png", ".svg", ".pdf")

# Pixels coloured at a time by filtered_pixels.
_BAND_PIXELS = 1 << 18

# The longest line main() prints: a message quoting a huge argument is cut.
_MAX_LINE = 400


class _UsageError(Exception):
    """A command-line mistake found while parsing the arguments."""


class _Parser(argparse.ArgumentParser):
    """An argument parser that reports mistakes as an exception.

    :func:`main` turns the exception into one line on standard error instead
    of argparse's usage block.
    """

    def error(self, message: str) -> NoReturn:
        hint = ""
        if "-k/--kernel: expected one argument" in message:
            hint = "; write a kernel that starts with '-' as --kernel=-1,0,1;..."
        raise _UsageError(f"{message}{hint} (see '{self.prog} --help')")

    def _print_message(self, message: str, file: Any = None) -> None:
        # --help and --version: escape what the terminal cannot encode.
        if message:
            _say(file or sys.stderr, message.rstrip("\n"))


def _padding_argument(text: str) -> str | int:
    """Read ``valid``, ``same``, ``full`` or a non-negative integer."""
    if text in PADDINGS:
        return text
    if re.fullmatch(r"\d+", text):
        return int(text)
    raise argparse.ArgumentTypeError(
        f"must be 'valid', 'same', 'full' or a non-negative integer, got {quote(text)}"
    )


def _pool_padding_argument(text: str) -> int:
    """Read a non-negative integer."""
    if re.fullmatch(r"\d+", text):
        return int(text)
    raise argparse.ArgumentTypeError(
        f"must be a non-negative integer, got {quote(text)}"
    )


def _pair_argument(text: str) -> int | tuple[int, int]:
    """Read a positive integer ``N`` or a pair ``ROWS,COLS``."""
    parts = text.split(",")
    if len(parts) in (1, 2) and all(re.fullmatch(r"\s*[1-9]\d*\s*", p) for p in parts):
        numbers = [int(part) for part in parts]
        return numbers[0] if len(numbers) == 1 else (numbers[0], numbers[1])
    raise argparse.ArgumentTypeError(
        f"must be a positive integer N or a pair ROWS,COLS, got {quote(text)}"
    )


def _number_argument(text: str) -> float:
    """Read a finite number greater than 0."""
    try:
        value = float(text)
    except ValueError:
        value = float("nan")
    if not (np.isfinite(value) and value > 0):
        raise argparse.ArgumentTypeError(f"must be a number > 0, got {quote(text)}")
    return value


def _crop_argument(text: str) -> tuple[int, int, int, int]:
    """Read ``ROW,COL,HEIGHT,WIDTH``: a corner and a positive size."""
    parts = text.split(",")
    if len(parts) == 4 and all(re.fullmatch(r"\s*\d+\s*", p) for p in parts):
        row, col, height, width = (int(part) for part in parts)
        if height > 0 and width > 0:
            return row, col, height, width
    raise argparse.ArgumentTypeError(
        "must be ROW,COL,HEIGHT,WIDTH (the top-left pixel, then a size of at "
        f"least 1), got {quote(text)}"
    )


def _read_input(
    source: str, crop: tuple[int, int, int, int] | None = None
) -> np.ndarray:
    """Return the grey image named by `source` (a built-in name or a path),
    cut down to the `crop` rectangle if one is given."""
    image = (
        BUILTIN_IMAGES[source]()
        if source in BUILTIN_IMAGES
        else images.load_image(source)
    )
    if crop is None:
        return image
    row, col, height, width = crop
    rows, cols = image.shape
    if row + height > rows or col + width > cols:
        raise ValueError(
            f"--crop {row},{col},{height},{width} reaches past the input, which "
            f"is {rows} × {cols} pixels (rows 0–{rows - 1}, columns 0–{cols - 1})"
        )
    return image[row : row + height, col : col + width]


def _read_kernel(spec: str) -> np.ndarray:
    """Return the kernel named by `spec`, or parsed from it as values."""
    if _KERNEL_NAME.fullmatch(spec):
        name = spec.replace("-", "_")
        if name not in KERNELS:
            known = ", ".join(kernel_names())
            raise ValueError(
                f"unknown kernel {quote(spec)}; use one of {known}, or values "
                "such as '1 0 -1; 1 0 -1; 1 0 -1'"
            )
        return get_kernel(name)
    return parse_kernel(spec)


def _check_output(output: str, source: str, *, figure: bool = False) -> Path:
    """Refuse an output of the wrong format, in a missing folder, or the input.

    Pixels are written as .png only; a figure as .png, .svg or .pdf.
    """
    target = Path(output)
    suffix = target.suffix.lower()
    if figure and suffix not in _FIGURE_SUFFIXES:
        raise ValueError(
            "with --figure the output must be a .png, .svg or .pdf file, "
            f"got {quote(output)}"
        )
    if not figure and suffix != ".png":
        hint = "; .svg and .pdf need --figure" if suffix in _FIGURE_SUFFIXES else ""
        raise ValueError(f"the output must be a .png file, got {quote(output)}{hint}")
    if not target.parent.is_dir():
        raise ValueError(
            f"the output folder {quote(str(target.parent))} does not exist"
        )
    try:
        kind: int | None = os.stat(target).st_mode
    except FileNotFoundError:
        kind = None
    except OSError as error:
        # A symlink loop, a name too long, ...
        raise ValueError(f"cannot write {quote(output)}: {error.strerror}") from None
    if kind is not None and not stat.S_ISREG(kind):
        raise ValueError(
            f"the output {quote(output)} exists and is not a regular file (a "
            "folder, a FIFO or a device): refusing to write to it"
        )
    if source not in BUILTIN_IMAGES and _same_file(target, Path(source)):
        raise ValueError(f"refusing to overwrite the input file {quote(source)}")
    return target


def _same_file(first: Path, second: Path) -> bool:
    """Tell whether two paths name the same file, or would once written.

    Paths that cannot be compared as files (one is missing, or a symlink
    loop) are compared by the real paths they name.
    """
    try:
        return os.path.samefile(first, second)
    except OSError:
        return os.path.realpath(first) == os.path.realpath(second)


def filtered_pixels(result: np.ndarray, kernel: np.ndarray, *, clip: bool) -> Any:
    """Turn a filter's output into 8-bit pixels, one per output cell.

    Parameters
    ----------
    result : (H, W) ndarray
        The output of :func:`convdemo.ops.correlate2d` or ``convolve2d`` on
        an image with values in [0, 1].
    kernel : (kh, kw) ndarray
        The kernel that produced `result`.
    clip : bool
        False: colour the signed values with the diverging colormap of
        :mod:`convdemo.style`, white at 0 and symmetric limits ±max|result|.
        True: the blog post's view, grey ``clip(255 · result / Σkernel, 0,
        255)`` rounded, dividing by the kernel's sum only when it is not 0
        (:func:`convdemo.ops.clipped_view`).

    Returns
    -------
    (H, W, 3) or (H, W) ndarray, uint8
        RGB for the diverging view, grey for the clipped view.

    Examples
    --------
    >>> kernel = np.array([[1.0, -1.0]])
    >>> filtered_pixels(np.array([[-1.0, 0.0, 0.5]]), kernel, clip=True)
    array([[  0,   0, 128]], dtype=uint8)
    >>> rgb = filtered_pixels(np.array([[-1.0, 0.0, 1.0]]), kernel, clip=False)
    >>> rgb.tolist()  # dark blue, near-white, dark red
    [[[5, 48, 97], [247, 246, 246], [103, 0, 31]]]
    """
    if clip:
        return images.to_uint8(clipped_view(result, kernel, white=1.0))
    # Imported here so that `convdemo kernels` and `--help` stay quick.
    import matplotlib as mpl

    from convdemo.style import DIVERGING, signed_norm

    colormap = mpl.colormaps[DIVERGING] if isinstance(DIVERGING, str) else DIVERGING
    # The colours depend only on result / max|result|: divide by a power of
    # two first (exact), so that limits near the largest float cannot
    # overflow in the norm, then colour a band of rows at a time, so that
    # no float RGBA copy of a large result is made.
    shift = binary_exponent(result)
    norm = signed_norm(np.array([math.ldexp(largest_magnitude(result), -shift)]))
    pixels = np.empty((*result.shape, 3), dtype=np.uint8)
    rows = max(1, _BAND_PIXELS // max(1, result.shape[1]))
    for top in range(0, result.shape[0], rows):
        band = np.ldexp(result[top : top + rows], -shift)
        rgba = np.asarray(colormap(norm(band)))
        pixels[top : top + rows] = images.to_uint8(rgba[..., :3])
    return pixels


def pooled_pixels(
    result: np.ndarray, size: int | tuple[int, int], *, mode: str, p: float
) -> Any:
    """Turn a pooling output into 8-bit grey pixels, one per output cell.

    Parameters
    ----------
    result : (H, W) ndarray
        The output of :func:`convdemo.ops.pool2d` on an image in [0, 1].
    size : int or (int, int)
        The pooling window size.
    mode : str
        The pooling mode.
    p : float
        The exponent of ``"lp"`` pooling.

    Returns
    -------
    (H, W) ndarray, uint8
        ``round(255 · value)``. For ``"l2"`` and ``"lp"``, which give the
        p-norm of the window, the value is first divided by the norm of an
        all-white window, ``(kh · kw)^(1/p)``, so white stays white.

    Examples
    --------
    >>> pooled_pixels(np.array([[0.0, 1.0]]), 2, mode="max", p=2)
    array([[  0, 255]], dtype=uint8)
    >>> pooled_pixels(np.array([[2.0, 1.0]]), 2, mode="l2", p=2)
    array([[255, 128]], dtype=uint8)
    """
    rows, cols = (size, size) if isinstance(size, int) else size
    if mode in ("l2", "lp"):
        exponent = 2.0 if mode == "l2" else p
        with np.errstate(over="ignore"):
            # Beyond float64 for a tiny p: every finite value then shows black.
            white = np.power(np.float64(rows * cols), 1.0 / exponent)
        result = result / white
    return images.to_uint8(result)


def _use_agg() -> None:
    """Draw on the Agg backend, which needs no display.

    When pyplot is loaded already, :func:`main` runs inside a program that
    has chosen its backend; that choice is kept (switching would close the
    program's figures), and saving to a file works on any backend.
    """
    if "matplotlib.pyplot" not in sys.modules:
        import matplotlib as mpl

        mpl.use("Agg")


def _write_figure(fig: Any, output: Path) -> None:
    """Save a figure deterministically, then release it."""
    import matplotlib.pyplot as plt

    from convdemo.style import save_figure

    try:
        save_figure(fig, output)
    finally:
        plt.close(fig)


def _check_figure_size(shape: tuple[int, int], padding: int) -> None:
    """Refuse a pooling figure whose input has too many cells to write out."""
    rows, cols = (length + 2 * padding for length in shape)
    if max(rows, cols) > MAX_CELLS:
        limit = MAX_CELLS
        raise ValueError(
            f"the input is too large for a pooling figure: {rows} × {cols} cells "
            f"with padding, at most {limit} × {limit} (every cell's number is "
            "written); crop a small patch first with --crop ROW,COL,HEIGHT,WIDTH "
            "(e.g. --crop 24,24,12,12), or drop --figure to write the pooled "
            "pixels"
        )


def _run_filter(arguments: argparse.Namespace) -> str:
    """Filter the input and write the PNG or figure; return a one-line summary."""
    output = _check_output(arguments.output, arguments.input, figure=arguments.figure)
    kernel = _read_kernel(arguments.kernel)
    image = _read_input(arguments.input, arguments.crop)
    operation = convolve2d if arguments.flip else correlate2d
    options: dict[str, Any] = {
        "padding": arguments.padding,
        "border": arguments.border,
        "stride": arguments.stride,
        "dilation": arguments.dilation,
    }
    result = operation(image, kernel, **options)
    if arguments.figure:
        _use_agg()
        from convdemo.draw import show_filter

        fig, _ = show_filter(
            image, kernel, flip=arguments.flip, clipped=arguments.clip, **options
        )
        _write_figure(fig, output)
    else:
        # The pixels come from the result alone: let the input go first, so
        # that a large photo is not held three times over.
        del image
        images.save_image(output, filtered_pixels(result, kernel, clip=arguments.clip))
    low, high = float(result.min()), float(result.max())
    kind = "figure of the output " if arguments.figure else ""
    return (
        f"wrote {output} ({kind}{result.shape[0]} × {result.shape[1]}, "
        f"values {low:.4g} to {high:.4g})"
    )


def _run_pool(arguments: argparse.Namespace) -> str:
    """Pool the input and write the PNG or figure; return a one-line summary."""
    output = _check_output(arguments.output, arguments.input, figure=arguments.figure)
    image = _read_input(arguments.input, arguments.crop)
    options: PoolOptions = {
        "stride": arguments.stride,
        "mode": arguments.mode,
        "p": arguments.p,
        "padding": arguments.padding,
    }
    result = pool2d(image, arguments.size, **options)
    kind = ""
    if arguments.figure:
        _check_figure_size(image.shape, arguments.padding)
        _use_agg()
        from convdemo.draw import show_pooling

        fig, _ = show_pooling(image, arguments.size, **options)
        _write_figure(fig, output)
        kind = "figure of the output "
    else:
        pixels = pooled_pixels(
            result, arguments.size, mode=arguments.mode, p=arguments.p
        )
        images.save_image(output, pixels)
    return f"wrote {output} ({kind}{result.shape[0]} × {result.shape[1]})"


def _format_values(kernel: Kernel) -> list[str]:
    """Return the rows of a kernel's weights as right-aligned text.

    A kernel with a divisor (the Gaussian blurs) has ``1/16 ×`` above its
    whole-number weights.
    """
    cells = [[f"{int(v)}" for v in row] for row in kernel.weights]
    width = max(len(cell) for row in cells for cell in row)
    rows = ["  ".join(cell.rjust(width) for cell in row) for row in cells]
    return [f"1/{kernel.divisor} ×", *rows] if kernel.divisor != 1 else rows


def _run_kernels(arguments: argparse.Namespace) -> str:
    """Return the kernel list: name, title, description and values."""
    blocks = []
    for kernel in KERNELS.values():
        lines = [f"{kernel.name}: {kernel.title} [{kernel.source}]"]
        lines.append(f"    {kernel.description}")
        lines.extend(f"        {row}" for row in _format_values(kernel))
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


def _add_input(command: argparse.ArgumentParser) -> None:
    """Give a command its input and the ``--crop`` option."""
    command.add_argument("input", metavar="INPUT", help=_INPUT_HELP)
    command.add_argument(
        "--crop",
        type=_crop_argument,
        metavar="ROW,COL,HEIGHT,WIDTH",
        help=(
            "use only this rectangle of the input: its top-left pixel (counted "
            "from 0) and its size, e.g. 24,24,12,12"
        ),
    )


def _add_output(command: argparse.ArgumentParser, figure_help: str) -> None:
    """Give a command ``--figure`` (described by `figure_help`) and ``-o``."""
    command.add_argument("--figure", action="store_true", help=figure_help)
    command.add_argument(
        "-o",
        "--output",
        required=True,
        metavar="OUT",
        help="file to write: .png; with --figure also .svg or .pdf",
    )


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser of the ``convdemo`` command.

    Returns
    -------
    argparse.ArgumentParser
        Subcommands ``filter``, ``pool`` and ``kernels``; a mistake raises
        an internal exception that :func:`main` reports on one line.

    Examples
    --------
    >>> arguments = build_parser().parse_args(
    ...     ["filter", "grid", "-k", "vertical", "--stride", "2,1", "-o", "v.png"]
    ... )
    >>> arguments.kernel, arguments.stride, arguments.padding
    ('vertical', (2, 1), 'valid')
    """
    parser = _Parser(
        prog="convdemo",
        description=(
            "Filter or pool an image exactly as convdemo computes it, and "
            "write the result as a PNG with one pixel per output cell, or with "
            "--figure as the explanatory figure (PNG, SVG or PDF)."
        ),
    )
    from convdemo import __version__

    parser.add_argument(
        "--version",
        action="version",
        version=f"%(prog)s {__version__}",
        help="print the version of convdemo and exit",
    )
    commands = parser.add_subparsers(
        dest="command", required=True, metavar="{filter,pool,kernels}"
    )
    _add_filter_command(commands)
    _add_pool_command(commands)
    listing = commands.add_parser(
        "kernels",
        help="list the named kernels with their values",
        description="List every named kernel: what it keeps, what it ignores.",
    )
    listing.set_defaults(run=_run_kernels)
    return parser


def _add_pair_option(parser: Any, flag: str, default: int | None, text: str) -> None:
    """Add an option that takes one positive integer or a pair ``R,C``."""
    parser.add_argument(
        flag, type=_pair_argument, default=default, metavar="N|R,C", help=text
    )


def _add_filter_command(commands: Any) -> None:
    """Add the ``filter`` command: correlate, write the pixels or a figure."""
    filtering = commands.add_parser(
        "filter",
        help="correlate an image with a kernel and write the result or a figure",
        description=(
            "Correlate the image with a kernel (cross-correlation, what CNN "
            "libraries call convolution; --flip for true convolution). The "
            "signed result is coloured with a diverging colormap centred at 0: "
            "near-white is 0, red positive, blue negative, limits ±max|result|. "
            "--clip gives the blog post's grey view instead. --figure writes "
            "the explanatory figure instead of the pixels: input ⋆ kernel = "
            "output with a colourbar, and with --clip also the clipped view."
        ),
    )
    _add_input(filtering)
    filtering.add_argument(
        "-k",
        "--kernel",
        required=True,
        metavar="KERNEL",
        help=(
            "a kernel name (see 'convdemo kernels') or values, rows separated "
            "by ';', e.g. \"1 0 -1; 1 0 -1; 1 0 -1\"; fractions like 1/9 allowed"
        ),
    )
    filtering.add_argument(
        "--padding",
        type=_padding_argument,
        default="valid",
        metavar="{valid,same,full,INT}",
        help="padding rule (default: valid, no padding)",
    )
    filtering.add_argument(
        "--border",
        choices=BORDERS,
        default="zeros",
        help="what the padding is filled with (default: zeros)",
    )
    _add_pair_option(filtering, "--stride", 1, "step between windows (default: 1)")
    _add_pair_option(
        filtering, "--dilation", 1, "spacing between kernel taps (default: 1)"
    )
    filtering.add_argument(
        "--flip",
        action="store_true",
        help="flip the kernel in both axes first (true convolution)",
    )
    filtering.add_argument(
        "--clip",
        action="store_true",
        help=(
            "the post's view: divide by the kernel's sum when it is not 0, "
            "scale to 0–255 and clip (negative responses become black)"
        ),
    )
    _add_output(
        filtering,
        (
            "write the explanatory figure (input, kernel, signed output; "
            "with --clip also the clipped view) instead of one pixel per cell"
        ),
    )
    filtering.set_defaults(run=_run_filter)


def _add_pool_command(commands: Any) -> None:
    """Add the ``pool`` command: pool, write grey pixels or a figure."""
    pooling = commands.add_parser(
        "pool",
        help="pool an image and write the result as a grey PNG or a figure",
        description=(
            "Cut the image into windows and keep one number per window: the "
            "maximum, average, minimum or a p-norm. --figure writes the "
            "explanatory figure instead, with every cell's number, so the "
            f"input must be at most {MAX_CELLS} × {MAX_CELLS} pixels including "
            "padding: use "
            "--crop to pick a patch of a larger image."
        ),
    )
    _add_input(pooling)
    _add_pair_option(pooling, "--size", 2, "window size (default: 2)")
    _add_pair_option(
        pooling, "--stride", None, "step between windows (default: the window size)"
    )
    pooling.add_argument(
        "--mode",
        choices=POOL_MODES,
        default="max",
        help="what each window keeps (default: max)",
    )
    pooling.add_argument(
        "--p",
        type=_number_argument,
        default=2.0,
        help="exponent of the lp mode (default: 2)",
    )
    pooling.add_argument(
        "--padding",
        type=_pool_padding_argument,
        default=0,
        metavar="INT",
        help="cells added on each side, never chosen or counted (default: 0)",
    )
    _add_output(
        pooling,
        (
            "write the explanatory figure (the numbers, the groups, the chosen "
            "cells) instead of one pixel per cell; inputs of at most "
            f"{MAX_CELLS} × {MAX_CELLS}"
        ),
    )
    pooling.set_defaults(run=_run_pool)


def _one_line(text: str) -> str:
    """Collapse whitespace so that a message fits on one line; cut a huge one."""
    line = " ".join(text.split())
    if len(line) <= _MAX_LINE:
        return line
    return f"{line[: _MAX_LINE - 100]} … {line[-80:]}"


def _say(stream: TextIO | None, text: str) -> None:
    """Write a line, escaping what the stream cannot encode; skip a closed stream.

    A file name made of undecodable bytes (``\udcff``) or characters outside
    the terminal's encoding comes out as backslash escapes instead of a
    ``UnicodeEncodeError``. With standard output closed (``>&-``) there is
    nothing to write to, and nothing is lost but the summary. A reader that
    stopped early (``| head``) raises ``BrokenPipeError``, handled by
    :func:`main`.
    """
    if stream is None:
        return
    encoding = getattr(stream, "encoding", None) or "utf-8"
    safe = text.encode(encoding, "backslashreplace").decode(encoding, "replace")
    try:
        stream.write(safe + "\n")
        stream.flush()
    except BrokenPipeError:
        raise
    except (OSError, ValueError):
        # Closed, or not writable: there is no one to tell.
        pass


def _error(text: str) -> None:
    """Print one ``convdemo: error:`` line on standard error."""
    _say(sys.stderr, f"convdemo: error: {_one_line(text)}")


# A value that starts with a minus and a number: a kernel, not an option.
_NEGATIVE_VALUE = re.compile(r"[-−]\s*[\d.]")


def _attach_kernel_values(words: list[str]) -> list[str]:
    """Let ``-k -1,0,1;…`` through: join -k to a value that starts with a minus.

    argparse reads a word that starts with ``-`` as an option, so
    ``-k -1,0,1;-1,0,1`` would fail with "expected one argument"; written
    ``--kernel=-1,0,1;-1,0,1`` it is a value. Nothing after ``--`` changes.
    """
    joined: list[str] = []
    index = 0
    while index < len(words):
        word = words[index]
        if word == "--":
            joined.extend(words[index:])
            break
        following = words[index + 1] if index + 1 < len(words) else ""
        if word in ("-k", "--kernel") and _NEGATIVE_VALUE.match(following):
            joined.append(f"--kernel={following}")
            index += 2
            continue
        joined.append(word)
        index += 1
    return joined


def _run(parser: argparse.ArgumentParser, words: list[str]) -> tuple[int, str]:
    """Parse and run one command; return the exit status and the summary.

    Every failure becomes one line on standard error: 2 for a mistake in
    the arguments or the input, 1 for anything unexpected (a bug), 130 for
    Ctrl-C.
    """
    try:
        arguments = parser.parse_args(words)
        return 0, str(arguments.run(arguments))
    except SystemExit as stop:
        # argparse's --help and --version: the text is printed already.
        return (stop.code if isinstance(stop.code, int) else 0), ""
    except (_UsageError, ValueError, TypeError, OSError) as error:
        _error(str(error))
        return 2, ""
    except MemoryError as error:
        reason = f": {error}" if str(error) else ""
        _error(f"not enough memory{reason}; try a smaller image, or --crop")
        return 2, ""
    except KeyboardInterrupt:
        _error("interrupted")
        return 130, ""
    except Exception as error:  # the last line of defence: never a traceback
        _error(
            f"unexpected {type(error).__name__}: {error} (a bug in convdemo; "
            "please report it with the command that caused it)"
        )
        return 1, ""


def _warning_line(caught: list[warnings.WarningMessage]) -> str:
    """Fold the warnings of a run into one ``convdemo: warning:`` line."""
    messages = list(dict.fromkeys(str(item.message) for item in caught))
    more = f" (and {len(messages) - 1} more)" if len(messages) > 1 else ""
    return f"convdemo: warning: {_one_line(messages[0])}{more}"


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``convdemo`` command.

    Parameters
    ----------
    argv : sequence of str, optional
        The arguments after the program name; ``sys.argv[1:]`` by default.

    Returns
    -------
    int
        0 on success, 2 for any mistake in the arguments or the input, 1 for
        an unexpected failure, 130 when interrupted: each failure is one
        line on standard error, never a traceback. Warnings raised meanwhile
        (Pillow's, NumPy's) are folded into at most one line after the
        summary.

    Examples
    --------
    >>> main(["kernels"])  # doctest: +ELLIPSIS
    identity: Identity [post]
    ...
    0
    """
    parser = build_parser()
    words = _attach_kernel_values(list(sys.argv[1:] if argv is None else argv))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        status, summary = _run(parser, words)
    if status != 0 or not summary:
        return status
    try:
        _say(sys.stdout, summary)
    except BrokenPipeError:
        # The reader stopped early (`convdemo kernels | head`): not an error.
        # Point stdout at devnull so Python's exit flush stays quiet too.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    if caught:
        _say(sys.stderr, _warning_line(caught))
    return 0
