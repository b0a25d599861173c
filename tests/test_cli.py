"""Tests for the command line: real subcommands, outputs and error paths."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import matplotlib
import numpy as np
import pytest
from child_python import run_python
from PIL import Image

matplotlib.use("Agg")

import convdemo.draw as draw
from convdemo.cli import filtered_pixels, main, pooled_pixels
from convdemo.images import grid_image, isometric_image, save_image, to_uint8
from convdemo.kernels import get_kernel, kernel_names
from convdemo.ops import clipped_view, convolve2d, correlate2d, pool2d


def _run(
    *args: str, cwd: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run ``python -m convdemo ARGS`` in a fresh interpreter."""
    return subprocess.run(
        [sys.executable, "-m", "convdemo", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env=env,
    )


def _pixels(path: Path) -> tuple[str, np.ndarray]:
    """Return the mode and pixel values of a PNG file."""
    with Image.open(path) as picture:
        return picture.mode, np.asarray(picture).copy()


def _main(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """Run :func:`main` in-process and return (status, stdout, stderr)."""
    status = main(argv)
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def _succeeds(argv: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    """Run :func:`main` in-process, check it succeeds quietly, return its stdout."""
    status, stdout, stderr = _main(argv, capsys)
    assert (status, stderr) == (0, "")
    return stdout


def _spy(
    monkeypatch: pytest.MonkeyPatch, name: str
) -> list[tuple[list[str], dict[str, Any]]]:
    """Record the axes titles and keyword arguments of each `draw.NAME` call."""
    calls: list[tuple[list[str], dict[str, Any]]] = []
    original = getattr(draw, name)

    def recording(*args: Any, **kwargs: Any) -> Any:
        fig, axes = original(*args, **kwargs)
        calls.append(([ax.get_title() for ax in axes], kwargs))
        return fig, axes

    monkeypatch.setattr(draw, name, recording)
    return calls


# ------------------------------------------------------------ real processes


def test_module_filter_writes_expected_png(tmp_path: Path) -> None:
    """`python -m convdemo filter` writes one coloured pixel per output cell."""
    result = _run("filter", "grid", "--kernel", "vertical", "-o", "v.png", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert "v.png" in result.stdout
    mode, pixels = _pixels(tmp_path / "v.png")
    assert mode == "RGB"
    assert pixels.shape == (298, 298, 3)
    kernel = get_kernel("vertical")
    expected = filtered_pixels(correlate2d(grid_image(), kernel), kernel, clip=False)
    np.testing.assert_array_equal(pixels, expected)


def test_module_output_bytes_are_deterministic(tmp_path: Path) -> None:
    """Two runs in separate processes write byte-identical files."""
    for name in ("a.png", "b.png"):
        result = _run(
            "filter", "isometric", "-k", "horizontal", "-o", name, cwd=tmp_path
        )
        assert result.returncode == 0, result.stderr
    first = (tmp_path / "a.png").read_bytes()
    assert first == (tmp_path / "b.png").read_bytes()
    for chunk in (b"tEXt", b"iTXt", b"zTXt", b"tIME"):
        assert chunk not in first


def test_module_figure_is_deterministic_and_larger_than_pixels(
    tmp_path: Path,
) -> None:
    """--figure writes the same PNG bytes twice: a page-wide figure, not pixels."""
    for name in ("a.png", "b.png"):
        result = _run(
            "filter", "grid", "-k", "vertical", "--figure", "-o", name, cwd=tmp_path
        )
        assert result.returncode == 0, result.stderr
        assert result.stderr == ""
        assert "figure" in result.stdout
    first = (tmp_path / "a.png").read_bytes()
    assert first == (tmp_path / "b.png").read_bytes()
    assert first.startswith(b"\x89PNG")
    for chunk in (b"tEXt", b"iTXt", b"zTXt", b"tIME"):
        assert chunk not in first
    _run("filter", "grid", "-k", "vertical", "-o", "raw.png", cwd=tmp_path)
    assert len(first) > (tmp_path / "raw.png").stat().st_size
    mode, pixels = _pixels(tmp_path / "a.png")
    assert mode == "RGBA"
    height, width = pixels.shape[:2]
    # Input ⋆ kernel =, then the output and its colourbar: two rows as wide
    # as a phone's screen, at most a page (750 px).
    assert 300 <= width <= 750
    assert 350 <= height <= 600


def test_figure_loads_pyplot_only_when_asked_and_forces_agg(tmp_path: Path) -> None:
    """Pixels never load pyplot; --figure draws on Agg despite MPLBACKEND."""
    script = (
        "import sys, matplotlib\n"
        "from convdemo.cli import main\n"
        "main(['filter', 'grid', '-k', 'vertical', '-o', 'a.png'])\n"
        "main(['pool', 'grid', '-o', 'b.png'])\n"
        "main(['kernels'])\n"
        "print('pyplot' if 'matplotlib.pyplot' in sys.modules else 'no pyplot')\n"
        "main(['filter', 'grid', '-k', 'vertical', '--figure', '-o', 'c.png'])\n"
        "print('backend', matplotlib.get_backend().lower())\n"
    )
    lines = run_python(script, cwd=tmp_path, env={"MPLBACKEND": "svg"}).splitlines()
    assert "no pyplot" in lines
    assert lines[-1] == "backend agg"
    assert (tmp_path / "c.png").stat().st_size > 0


@pytest.mark.parametrize("command", [[], ["filter"], ["pool"], ["kernels"]])
def test_module_help_exits_zero(tmp_path: Path, command: list[str]) -> None:
    """`--help` works on the program and on every subcommand."""
    result = _run(*command, "--help", cwd=tmp_path)
    assert result.returncode == 0
    assert result.stdout.startswith("usage: convdemo")
    assert result.stderr == ""


@pytest.mark.parametrize(
    "argv",
    [
        ["filter", "grid", "-k", "nope", "-o", "x.png"],
        ["filter", "grid", "-k", "vertical", "--stride", "0", "-o", "x.png"],
        ["filter", "missing.png", "-k", "vertical", "-o", "x.png"],
        ["frobnicate"],
    ],
)
def test_module_errors_are_one_line_exit_2(tmp_path: Path, argv: list[str]) -> None:
    """A bad argument in a real process: exit 2, one stderr line, no traceback."""
    result = _run(*argv, cwd=tmp_path)
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("convdemo: error: ")
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "x.png").exists()


def test_module_refuses_to_overwrite_input(tmp_path: Path) -> None:
    """Writing the result over the input file is refused; the file is kept."""
    source = save_image(tmp_path / "in.png", grid_image(40, cell=10))
    before = source.read_bytes()
    result = _run("filter", "in.png", "-k", "vertical", "-o", "./in.png", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip() == (
        "convdemo: error: refusing to overwrite the input file 'in.png'"
    )
    assert source.read_bytes() == before


# -------------------------------------------------------------- in-process


def test_filter_reads_an_image_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A path as INPUT is loaded as grey and filtered."""
    image = grid_image(40, cell=10)
    source = save_image(tmp_path / "grid.png", image)
    out = tmp_path / "out.png"
    stdout = _succeeds(
        ["filter", str(source), "-k", "identity", "--clip", "-o", str(out)], capsys
    )
    assert "38 × 38" in stdout
    mode, pixels = _pixels(out)
    assert mode == "L"
    np.testing.assert_array_equal(pixels, to_uint8(image[1:-1, 1:-1]))


_OUTLINE = ["filter", "grid", "-k", "outline"]


@pytest.mark.parametrize(
    ("argv", "shape"),
    [
        (_OUTLINE, (298, 298, 3)),
        ([*_OUTLINE, "--padding", "same"], (300, 300, 3)),
        ([*_OUTLINE, "--padding", "full"], (302, 302, 3)),
        ([*_OUTLINE, "--padding", "3", "--border", "reflect"], (304, 304, 3)),
        ([*_OUTLINE, "--stride", "2"], (149, 149, 3)),
        ([*_OUTLINE, "--stride", "3,1"], (100, 298, 3)),
        ([*_OUTLINE, "--dilation", "2"], (296, 296, 3)),
        (["pool", "grid", "--size", "3"], (100, 100)),
        (["pool", "grid", "--size", "3", "--stride", "1"], (298, 298)),
        (["pool", "grid", "--size", "2,3", "--mode", "avg"], (150, 100)),
        (
            ["pool", "grid", "--size", "2", "--padding", "1", "--mode", "min"],
            (151, 151),
        ),
    ],
)
def test_options_set_output_shape(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    argv: list[str],
    shape: tuple[int, ...],
) -> None:
    """--padding, --border, --stride, --dilation, --size, --mode reach the library."""
    out = tmp_path / "out.png"
    _succeeds([*argv, "-o", str(out)], capsys)
    assert _pixels(out)[1].shape == shape


def test_filter_options_match_the_library(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The written pixels are the library's result for the same options."""
    out = tmp_path / "out.png"
    argv = ["filter", "isometric", "-k", "sobel_x", "--padding", "same"]
    argv += ["--border", "wrap", "--stride", "2", "--dilation", "1,2"]
    status, _, _ = _main([*argv, "-o", str(out)], capsys)
    assert status == 0
    kernel = get_kernel("sobel_x")
    result = correlate2d(
        isometric_image(),
        kernel,
        padding="same",
        border="wrap",
        stride=2,
        dilation=(1, 2),
    )
    np.testing.assert_array_equal(
        _pixels(out)[1], filtered_pixels(result, kernel, clip=False)
    )


def test_filter_flip_is_convolution(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--flip computes convolve2d: for Prewitt x, the negated correlation."""
    kernel = get_kernel("vertical")
    flipped = convolve2d(grid_image(), kernel)
    np.testing.assert_array_equal(flipped, -correlate2d(grid_image(), kernel))
    out = tmp_path / "out.png"
    status, _, _ = _main(
        ["filter", "grid", "-k", "vertical", "--flip", "-o", str(out)], capsys
    )
    assert status == 0
    np.testing.assert_array_equal(
        _pixels(out)[1], filtered_pixels(flipped, kernel, clip=False)
    )


def test_filter_kernel_text_equals_named_kernel(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Typed values and the registry name give the same file."""
    named, typed = tmp_path / "named.png", tmp_path / "typed.png"
    _main(["filter", "grid", "-k", "vertical", "-o", str(named)], capsys)
    status, _, _ = _main(
        ["filter", "grid", "-k", "1 0 -1; 1 0 -1; 1 0 -1", "-o", str(typed)], capsys
    )
    assert status == 0
    assert named.read_bytes() == typed.read_bytes()


def test_filter_kernel_name_accepts_hyphens(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`box-blur` is read as `box_blur`."""
    out = tmp_path / "out.png"
    _succeeds(["filter", "grid", "-k", "box-blur", "-o", str(out)], capsys)


def test_filter_clip_reproduces_the_post_view(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--clip: divide by the kernel's sum, ×255, clip to 0–255, grey."""
    out = tmp_path / "blur.png"
    status, _, _ = _main(
        ["filter", "grid", "-k", "box_blur", "--clip", "-o", str(out)], capsys
    )
    assert status == 0
    mode, pixels = _pixels(out)
    assert mode == "L"
    blurred = correlate2d(grid_image(), np.ones((3, 3))) / 9
    np.testing.assert_array_equal(pixels, np.round(np.clip(blurred, 0, 1) * 255))
    # A zero-sum kernel is not divided; its negative side turns black.
    out = tmp_path / "edges.png"
    _main(["filter", "grid", "-k", "vertical", "--clip", "-o", str(out)], capsys)
    edges = correlate2d(grid_image(), get_kernel("vertical"))
    np.testing.assert_array_equal(_pixels(out)[1], to_uint8(np.clip(edges, 0, 1)))
    assert (_pixels(out)[1][edges < 0] == 0).all()


def test_filter_figure_passes_every_option(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """--figure builds show_filter with the command's options, three panels."""
    calls = _spy(monkeypatch, "show_filter")
    out = tmp_path / "figure.png"
    argv = ["filter", "grid", "-k", "sobel_x", "--padding", "same", "--border"]
    argv += ["wrap", "--stride", "2", "--dilation", "1,2", "--flip", "--figure"]
    stdout = _succeeds([*argv, "-o", str(out)], capsys)
    assert "150 × 150" in stdout
    ((titles, options),) = calls
    assert options == {
        "padding": "same",
        "border": "wrap",
        "stride": 2,
        "dilation": (1, 2),
        "flip": True,
        "clipped": False,
    }
    assert titles == ["Input 300×300", "Kernel 'sobel_x'", "Output 150×150, signed", ""]
    assert _pixels(out)[0] == "RGBA"


def test_filter_figure_clip_adds_the_clipped_panel(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """--clip --figure adds the post's clipped view as a fourth panel."""
    calls = _spy(monkeypatch, "show_filter")
    plain, clipped = tmp_path / "plain.png", tmp_path / "clipped.png"
    _main(["filter", "grid", "-k", "vertical", "--figure", "-o", str(plain)], capsys)
    argv = ["filter", "grid", "-k", "vertical", "--clip", "--figure"]
    status, _, _ = _main([*argv, "-o", str(clipped)], capsys)
    assert status == 0
    assert [options["clipped"] for _, options in calls] == [False, True]
    assert "Clipped to 0–255" not in calls[0][0]
    assert calls[1][0][-1] == "Clipped to 0–255"
    assert len(calls[1][0]) == len(calls[0][0]) + 1
    assert _pixels(clipped)[1].shape[1] > _pixels(plain)[1].shape[1]


@pytest.mark.parametrize(("suffix", "magic"), [(".svg", b"<?xml"), (".pdf", b"%PDF")])
def test_figure_suffix_picks_the_format(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], suffix: str, magic: bytes
) -> None:
    """With --figure, .svg and .pdf outputs are written in those formats."""
    out = tmp_path / f"figure{suffix}"
    _succeeds(["filter", "grid", "-k", "vertical", "--figure", "-o", str(out)], capsys)
    assert out.read_bytes().startswith(magic)


def test_pool_figure_on_a_small_image(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """`pool --figure` draws show_pooling for an input of at most 24 × 24."""
    calls = _spy(monkeypatch, "show_pooling")
    source = save_image(tmp_path / "patch.png", grid_image(22, cell=4))
    out = tmp_path / "pooling.png"
    argv = ["pool", str(source), "--size", "3", "--stride", "2", "--mode", "avg"]
    stdout = _succeeds([*argv, "--padding", "1", "--figure", "-o", str(out)], capsys)
    assert "11 × 11" in stdout
    ((titles, options),) = calls
    assert titles == ["Input 22×22", "Output 11×11"]
    assert options == {"stride": 2, "mode": "avg", "p": 2.0, "padding": 1}
    mode, pixels = _pixels(out)
    assert mode == "RGBA"
    assert pixels.shape[1] > 11


@pytest.mark.parametrize(
    ("size", "options", "fragment"),
    [
        (30, [], "30 × 30 cells"),
        (24, ["--padding", "1"], "26 × 26 cells with padding"),
    ],
)
def test_pool_figure_refuses_large_inputs(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    size: int,
    options: list[str],
    fragment: str,
) -> None:
    """A pooling figure over 24 × 24 cells: one line suggesting a crop, status 2."""
    source = save_image(tmp_path / "in.png", grid_image(size, cell=4))
    out = tmp_path / "out.png"
    status, stdout, stderr = _main(
        ["pool", str(source), *options, "--figure", "-o", str(out)], capsys
    )
    assert (status, stdout) == (2, "")
    assert stderr.count("\n") == 1
    assert stderr.startswith("convdemo: error: the input is too large")
    assert fragment in stderr
    assert "--crop ROW,COL,HEIGHT,WIDTH" in stderr
    assert "drop --figure" in stderr
    assert not out.exists()


@pytest.mark.parametrize("command", ["pool", "filter"])
def test_crop_cuts_the_input_before_anything_else(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str
) -> None:
    """--crop ROW,COL,HEIGHT,WIDTH uses that rectangle, for pixels and figures."""
    image = grid_image()
    patch = image[24:36, 20:34]
    out = tmp_path / "out.png"
    extra = ["-k", "vertical", "--padding", "same"] if command == "filter" else []
    argv = [command, "grid", "--crop", "24,20,12,14", *extra, "-o", str(out)]
    _succeeds(argv, capsys)
    expected = (
        correlate2d(patch, get_kernel("vertical"), padding="same")
        if command == "filter"
        else pool2d(patch, 2)
    )
    assert _pixels(out)[1].shape[:2] == expected.shape
    figure = tmp_path / "figure.png"
    stdout = _succeeds([*argv[:-1], str(figure), "--figure"], capsys)
    assert f"{expected.shape[0]} × {expected.shape[1]}" in stdout


@pytest.mark.parametrize(
    ("crop", "fragment"),
    [
        (
            "290,0,12,12",
            "--crop 290,0,12,12 reaches past the input, which is 300 × 300",
        ),
        ("0,295,1,6", "--crop 0,295,1,6 reaches past"),
        ("1,2,3", "argument --crop: must be ROW,COL,HEIGHT,WIDTH"),
        ("0,0,0,5", "got '0,0,0,5'"),
        ("-1,0,2,2", "got '-1,0,2,2'"),
        ("a,b,c,d", "got 'a,b,c,d'"),
    ],
)
def test_crop_outside_or_malformed_is_one_line_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], crop: str, fragment: str
) -> None:
    """A crop that does not fit, or is not four numbers, names --crop and its value."""
    out = tmp_path / "out.png"
    status, stdout, stderr = _main(
        ["pool", "grid", f"--crop={crop}", "--figure", "-o", str(out)], capsys
    )
    assert (status, stdout) == (2, "")
    assert stderr.count("\n") == 1
    assert fragment in stderr
    assert not out.exists()


def test_filtered_pixels_diverging_is_centred_at_zero() -> None:
    """Equal and opposite values get mirrored colours; 0 gets the middle."""
    kernel = get_kernel("vertical")
    pixels = filtered_pixels(np.array([[-2.0, 0.0, 2.0, 1.0]]), kernel, clip=False)
    low, middle, high, half = pixels[0].astype(int)
    assert low[2] > low[0]  # blue side
    assert high[0] > high[2]  # red side
    assert middle.min() > 240  # near white
    assert 0 < abs(int(half[2]) - int(high[2])) < 255
    zeros = filtered_pixels(np.zeros((2, 2)), kernel, clip=False)
    assert (zeros == middle).all()


def test_pool_writes_gray_maxima(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`pool` writes the 2 × 2 maxima as a grey PNG of half the size."""
    out = tmp_path / "pooled.png"
    stdout = _succeeds(
        ["pool", "grid", "--size", "2", "--mode", "max", "-o", str(out)], capsys
    )
    assert "150 × 150" in stdout
    mode, pixels = _pixels(out)
    assert mode == "L"
    np.testing.assert_array_equal(pixels, to_uint8(pool2d(grid_image(), 2)))


@pytest.mark.parametrize(("mode", "p"), [("l2", 2.0), ("lp", 3.0)])
def test_pool_norm_modes_keep_white_white(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], mode: str, p: float
) -> None:
    """p-norm pooling is scaled so an all-white window stays 255."""
    out = tmp_path / "out.png"
    status, _, _ = _main(
        ["pool", "grid", "--mode", mode, "--p", str(p), "-o", str(out)], capsys
    )
    assert status == 0
    pixels = _pixels(out)[1]
    assert pixels.max() == 255
    result = pool2d(grid_image(), 2, mode=mode, p=p)
    np.testing.assert_array_equal(pixels, pooled_pixels(result, 2, mode=mode, p=p))


def test_kernels_lists_names_values_and_descriptions(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """`kernels` prints every name with its description and values."""
    stdout = _succeeds(["kernels"], capsys)
    for name in kernel_names():
        assert f"\n{name}: " in f"\n{stdout}"
    assert "1  -7   1" in stdout
    assert "unnormalised" in stdout
    # The Gaussian blurs are shown as integers over a common denominator.
    assert "1/16 ×\n" in stdout
    assert "1/256 ×\n" in stdout
    assert "36" in stdout.split("gaussian_blur_5x5:")[1]
    assert stdout.index("identity:") < stdout.index("sobel_x:")


def _vertical(*options: str, output: str = "x.png") -> list[str]:
    """Filter the grid with the vertical kernel, with `options`, into `output`."""
    return ["filter", "grid", "-k", "vertical", *options, "-o", output]


@pytest.mark.parametrize(
    ("argv", "fragment"),
    [
        ([], "required"),
        (["filter", "grid", "-o", "x.png"], "-k/--kernel"),
        (["filter", "grid", "-k", "vertical"], "-o/--output"),
        (["filter", "grid", "-k", "sobel", "-o", "x.png"], "unknown kernel 'sobel'"),
        (["filter", "grid", "-k", "1 2; 3", "-o", "x.png"], "`kernel` rows"),
        (["filter", "grid", "-k", "1 x", "-o", "x.png"], "`kernel`"),
        (_vertical("--padding", "half"), "--padding"),
        (_vertical("--padding", "-1"), "--padding"),
        (_vertical("--border", "mirror"), "--border"),
        (_vertical("--stride", "1.5"), "--stride"),
        (_vertical("--dilation", "0"), "--dilation"),
        (_vertical("--dilation", "200"), "`kernel`"),
        (_vertical(output="x.jpg"), ".png"),
        (_vertical(output="no/such/dir/x.png"), "folder"),
        (_vertical("--unknown"), "unrecognized"),
        (["pool", "grid", "--mode", "mean", "-o", "x.png"], "--mode"),
        (["pool", "grid", "--size", "0", "-o", "x.png"], "--size"),
        (["pool", "grid", "--size", "2", "--padding", "2", "-o", "x.png"], "`padding`"),
        (["pool", "grid", "--mode", "lp", "--p", "0", "-o", "x.png"], "--p"),
        (["pool", "grid", "--size", "400", "-o", "x.png"], "size"),
        (["kernels", "extra"], "unrecognized"),
        (_vertical(output="x.svg"), ".svg and .pdf need"),
        (["pool", "grid", "-o", "x.pdf"], "--figure"),
        (
            _vertical("--figure", output="x.jpg"),
            "with --figure the output must be a .png, .svg or .pdf",
        ),
        (["pool", "grid", "--figure", "-o", "x.png"], "too large"),
        (["pool", "grid", "--figure", "--size", "400", "-o", "x.png"], "size"),
    ],
)
def test_bad_arguments_give_one_line_and_status_2(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    argv: list[str],
    fragment: str,
) -> None:
    """Every bad argument: status 2, one `convdemo: error:` line, no output."""
    monkeypatch.chdir(tmp_path)
    status, stdout, stderr = _main(argv, capsys)
    assert status == 2
    assert stdout == ""
    assert stderr.count("\n") == 1
    assert stderr.startswith("convdemo: error: ")
    assert fragment in stderr
    assert not (tmp_path / "x.png").exists()


@pytest.mark.parametrize("kind", ["missing", "directory", "not_an_image"])
def test_bad_input_files_name_the_path(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], kind: str
) -> None:
    """Unreadable inputs give one line naming the path, status 2."""
    source = tmp_path / f"{kind}.png"
    if kind == "directory":
        source.mkdir()
    elif kind == "not_an_image":
        source.write_bytes(b"GIF89a but not really")
    argv = ["filter", str(source), "-k", "vertical", "-o", str(tmp_path / "o.png")]
    status, _, stderr = _main(argv, capsys)
    assert status == 2
    assert stderr.count("\n") == 1
    assert f"{kind}.png" in stderr


def test_refuses_to_overwrite_input_through_a_symlink(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The check compares resolved paths, so a link to the input is refused."""
    source = save_image(tmp_path / "in.png", grid_image(40, cell=10))
    link = tmp_path / "link.png"
    link.symlink_to(source)
    before = source.read_bytes()
    for command in (["filter", str(source), "-k", "vertical"], ["pool", str(source)]):
        status, _, stderr = _main([*command, "-o", str(link)], capsys)
        assert status == 2
        assert "refusing to overwrite the input file" in stderr
    assert source.read_bytes() == before


def test_builtin_input_names_are_not_paths(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """`grid` means the built-in image, even when a file called grid.png exists."""
    monkeypatch.chdir(tmp_path)
    status, _, _ = _main(["pool", "grid", "-o", "grid.png"], capsys)
    assert status == 0
    status, _, stderr = _main(["pool", "./grid.png", "-o", "grid.png"], capsys)
    assert status == 2
    assert "refusing" in stderr


def test_photo_input_is_the_sample_photo(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`photo` reads matplotlib's 600 × 512 sample photograph."""
    out = tmp_path / "photo.png"
    stdout = _succeeds(["pool", "photo", "--size", "4", "-o", str(out)], capsys)
    assert "150 × 128" in stdout
    assert _pixels(out)[1].shape == (150, 128)


@pytest.mark.parametrize("name", ["gaussian_blur", "vertical", "box_blur"])
def test_clipped_pixels_are_the_shared_clipped_view(name: str) -> None:
    """--clip writes ops.clipped_view (the figure's clipped panel), in 8 bits."""
    kernel = get_kernel(name)
    result = correlate2d(isometric_image(), kernel)
    expected = to_uint8(clipped_view(result, kernel, white=1.0))
    np.testing.assert_array_equal(filtered_pixels(result, kernel, clip=True), expected)
    on_255 = clipped_view(result * 255.0, kernel)
    assert np.abs(filtered_pixels(result, kernel, clip=True) - on_255).max() <= 0.5001
