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
status 2.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NoReturn

import numpy as np

from convdemo import images
from convdemo._format import MAX_CELLS
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


class _UsageError(Exception):
    """A command-line mistake found while parsing the arguments."""


class _Parser(argparse.ArgumentParser):
    """An argument parser that reports mistakes as an exception.

    :func:`main` turns the exception into one line on standard error instead
    of argparse's usage block.
    """

    def error(self, message: str) -> NoReturn:
        raise _UsageError(f"{message} (see '{self.prog} --help')")


def _padding_argument(text: str) -> str | int:
    """Read ``valid``, ``same``, ``full`` or a non-negative integer."""
    if text in PADDINGS:
        return text
    if re.fullmatch(r"\d+", text):
        return int(text)
    raise argparse.ArgumentTypeError(
        f"must be 'valid', 'same', 'full' or a non-negative integer, got {text!r}"
    )


def _pool_padding_argument(text: str) -> int:
    """Read a non-negative integer."""
    if re.fullmatch(r"\d+", text):
        return int(text)
    raise argparse.ArgumentTypeError(f"must be a non-negative integer, got {text!r}")


def _pair_argument(text: str) -> int | tuple[int, int]:
    """Read a positive integer ``N`` or a pair ``ROWS,COLS``."""
    parts = text.split(",")
    if len(parts) in (1, 2) and all(re.fullmatch(r"\s*[1-9]\d*\s*", p) for p in parts):
        numbers = [int(part) for part in parts]
        return numbers[0] if len(numbers) == 1 else (numbers[0], numbers[1])
    raise argparse.ArgumentTypeError(
        f"must be a positive integer N or a pair ROWS,COLS, got {text!r}"
    )


def _number_argument(text: str) -> float:
    """Read a finite number greater than 0."""
    try:
        value = float(text)
    except ValueError:
        value = float("nan")
    if not (np.isfinite(value) and value > 0):
        raise argparse.ArgumentTypeError(f"must be a number > 0, got {text!r}")
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
        f"least 1), got {text!r}"
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
                f"unknown kernel {spec!r}; use one of {known}, or values such "
                "as '1 0 -1; 1 0 -1; 1 0 -1'"
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
            f"got '{output}'"
        )
    if not figure and suffix != ".png":
        hint = "; .svg and .pdf need --figure" if suffix in _FIGURE_SUFFIXES else ""
        raise ValueError(f"the output must be a .png file, got '{output}'{hint}")
    if not target.parent.is_dir():
        raise ValueError(f"the output folder '{target.parent}' does not exist")
    if source not in BUILTIN_IMAGES:
        given = Path(source)
        same = target.resolve() == given.resolve()
        if not same and target.exists() and given.exists():
            same = target.samefile(given)
        if same:
            raise ValueError(f"refusing to overwrite the input file '{source}'")
    return target


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
    rgba = colormap(signed_norm(result)(result))
    return images.to_uint8(np.asarray(rgba)[..., :3])


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
        result = result / (rows * cols) ** (1.0 / exponent)
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
    result = operation(
        image,
        kernel,
        padding=arguments.padding,
        border=arguments.border,
        stride=arguments.stride,
        dilation=arguments.dilation,
    )
    if arguments.figure:
        _use_agg()
        from convdemo.draw import show_filter

        fig, _ = show_filter(
            image,
            kernel,
            padding=arguments.padding,
            border=arguments.border,
            stride=arguments.stride,
            dilation=arguments.dilation,
            flip=arguments.flip,
            clipped=arguments.clip,
        )
        _write_figure(fig, output)
    else:
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
    result = pool2d(
        image,
        arguments.size,
        stride=arguments.stride,
        mode=arguments.mode,
        p=arguments.p,
        padding=arguments.padding,
    )
    kind = ""
    if arguments.figure:
        _check_figure_size(image.shape, arguments.padding)
        _use_agg()
        from convdemo.draw import show_pooling

        fig, _ = show_pooling(
            image,
            arguments.size,
            stride=arguments.stride,
            mode=arguments.mode,
            p=arguments.p,
            padding=arguments.padding,
        )
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
    filtering.add_argument(
        "--stride",
        type=_pair_argument,
        default=1,
        metavar="N|R,C",
        help="step between windows (default: 1)",
    )
    filtering.add_argument(
        "--dilation",
        type=_pair_argument,
        default=1,
        metavar="N|R,C",
        help="spacing between kernel taps (default: 1)",
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
    pooling.add_argument(
        "--size",
        type=_pair_argument,
        default=2,
        metavar="N|R,C",
        help="window size (default: 2)",
    )
    pooling.add_argument(
        "--stride",
        type=_pair_argument,
        default=None,
        metavar="N|R,C",
        help="step between windows (default: the window size)",
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
    """Collapse whitespace so that a message fits on one line."""
    return " ".join(text.split())


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``convdemo`` command.

    Parameters
    ----------
    argv : sequence of str, optional
        The arguments after the program name; ``sys.argv[1:]`` by default.

    Returns
    -------
    int
        0 on success, 2 for any mistake in the arguments or the input (one
        line on standard error, no traceback).

    Examples
    --------
    >>> main(["kernels"])  # doctest: +ELLIPSIS
    identity: Identity [post]
    ...
    0
    """
    parser = build_parser()
    try:
        arguments = parser.parse_args(argv)
        summary = arguments.run(arguments)
    except SystemExit as stop:
        # argparse's --help: the text is printed already.
        return stop.code if isinstance(stop.code, int) else 0
    except _UsageError as error:
        print(f"convdemo: error: {_one_line(str(error))}", file=sys.stderr)
        return 2
    except (ValueError, TypeError, OSError) as error:
        print(f"convdemo: error: {_one_line(str(error))}", file=sys.stderr)
        return 2
    try:
        print(summary)
        sys.stdout.flush()
    except BrokenPipeError:
        # The reader stopped early (`convdemo kernels | head`): not an error.
        # Point stdout at devnull so Python's exit flush stays quiet too.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    return 0
