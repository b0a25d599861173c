"""The command line under hostile input: one line, exit 2, nothing written.

Each test is a row of the robustness issue. Most run :func:`convdemo.cli.main`
in-process with the streams captured (``capfd`` sees descriptor 2 too, where
libtiff writes); a few need a real process: a strict UTF-8 standard output,
a closed one.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import numpy as np
import pytest
from hostile import (
    run_convdemo,
    write_bad_exif_jpeg,
    write_corrupt_tiff,
    write_png16,
    write_text_bomb_png,
    write_tiff16,
)
from PIL import Image

import convdemo.cli as cli
from convdemo.cli import main
from convdemo.images import load_image

needs_posix = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs POSIX")


def run(argv: list[str], capfd: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """Run main in-process; return (status, stdout, stderr) as a terminal shows."""
    status = main(argv)
    captured = capfd.readouterr()
    return status, captured.out, captured.err


def refused(argv: list[str], capfd: pytest.CaptureFixture[str], *words: str) -> str:
    """Assert exit 2 with one stderr line holding every word; return the line."""
    status, out, err = run(argv, capfd)
    assert status == 2, err
    assert out == ""
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("convdemo: error: ")
    for word in words:
        assert word in lines[0]
    return lines[0]


def test_symlink_loop_input_is_one_line(tmp_path: Path, capfd) -> None:
    """convdemo filter loop.png, a symlink to itself: one line, exit 2."""
    loop = tmp_path / "loop.png"
    loop.symlink_to(loop)
    out = tmp_path / "out.png"
    refused(["filter", str(loop), "-k", "vertical", "-o", str(out)], capfd, "loop.png")
    assert not out.exists()


def test_symlink_loop_output_is_one_line(tmp_path: Path, capfd) -> None:
    """An output that is a symlink loop: one line, exit 2."""
    loop = tmp_path / "loop.png"
    loop.symlink_to(loop)
    refused(["filter", "grid", "-k", "vertical", "-o", str(loop)], capfd, "loop.png")


@pytest.mark.parametrize("p", ["0.001", "1e-300"])
def test_tiny_lp_exponent_names_p(tmp_path: Path, capfd, p: str) -> None:
    """--mode lp --p 0.001 or 1e-300: 4^(1/p) has no float64, the line names p."""
    out = tmp_path / "o.png"
    argv = ["pool", "grid", "--mode", "lp", "--p", p, "-o", str(out)]
    refused(argv, capfd, "`p`")
    assert not out.exists()


@pytest.mark.parametrize(
    ("options", "name"),
    [
        (["--padding", "100000"], "`padding`"),
        (["--padding", "full", "--dilation", "20000"], "`dilation`"),
        (["--padding", "6000"], "`padding`"),
    ],
)
def test_absurd_sizes_are_refused_before_allocating(
    tmp_path: Path, capfd, options: list[str], name: str
) -> None:
    """Padding and dilation that would need GiBs are refused by name, at once."""
    out = tmp_path / "o.png"
    refused(["filter", "grid", "-k", "vertical", *options, "-o", str(out)], capfd, name)
    assert not out.exists()


@pytest.mark.parametrize("clip", [[], ["--clip"]])
def test_overflowing_kernel_is_named_and_nothing_written(
    tmp_path: Path, capfd, clip: list[str]
) -> None:
    """-k "1e308 1e308; 1e308 1e308": one line about the kernel, no PNG of inf."""
    out = tmp_path / "k.png"
    argv = ["filter", "grid", "-k", "1e308 1e308; 1e308 1e308", *clip, "-o", str(out)]
    refused(argv, capfd, "`kernel`", "overflows")
    assert not out.exists()


def test_huge_finite_kernel_still_colours(tmp_path: Path, capfd) -> None:
    """Results near ±1.2e308 are finite: the colours match the same kernel at 1."""
    big, small = tmp_path / "big.png", tmp_path / "small.png"
    assert main(["filter", "grid", "-k", "1.5e308 -1.5e308", "-o", str(big)]) == 0
    assert main(["filter", "grid", "-k", "1 -1", "-o", str(small)]) == 0
    _, _, err = run(["kernels"], capfd)
    assert err == ""
    with Image.open(big) as first, Image.open(small) as second:
        assert np.array_equal(np.asarray(first), np.asarray(second))


def test_kernel_starting_with_minus_is_accepted(tmp_path: Path, capfd) -> None:
    """-k -1,0,1;-1,0,1;-1,0,1 reads as a kernel, as --kernel=… does."""
    first, second = tmp_path / "a.png", tmp_path / "b.png"
    values = "-1,0,1;-1,0,1;-1,0,1"
    status, _, err = run(["filter", "grid", "-k", values, "-o", str(first)], capfd)
    assert (status, err) == (0, "")
    assert main(["filter", "grid", f"--kernel={values}", "-o", str(second)]) == 0
    assert first.read_bytes() == second.read_bytes()


def test_missing_kernel_value_suggests_the_equals_form(capfd) -> None:
    """-k followed by an option: the error says how to write a negative kernel."""
    refused(["filter", "grid", "-k", "-o", "x.png"], capfd, "--kernel=")


def test_long_kernel_is_quoted_shortened(tmp_path: Path, capfd) -> None:
    """A 120 KB kernel ending in 'x': one line of a few hundred characters."""
    text = "1 0 -1; " * 15000 + "x"
    line = refused(["filter", "grid", "-k", text, "-o", str(tmp_path / "x.png")], capfd)
    assert len(line) < 400
    assert "(120,001 characters)" in line


def test_long_argument_is_cut(capfd) -> None:
    """Any message is one line of at most a few hundred characters."""
    line = refused(["pool", "grid", "--mode", "m" * 100_000, "-o", "x.png"], capfd)
    assert len(line) < 450


def test_text_bomb_error_names_the_file(tmp_path: Path, capfd) -> None:
    """A PNG with a 64 MiB zTXt chunk: the one line names the file."""
    bomb = write_text_bomb_png(tmp_path / "bomb.png")
    refused(
        ["filter", str(bomb), "-k", "vertical", "-o", str(tmp_path / "o.png")],
        capfd,
        "bomb.png",
        "too large",
    )


@needs_posix
def test_fifo_input_and_output_are_refused(tmp_path: Path, capfd) -> None:
    """A FIFO named fifo.png is neither read (it would block) nor written."""
    fifo = tmp_path / "fifo.png"
    os.mkfifo(fifo)
    refused(
        ["filter", str(fifo), "-k", "vertical", "-o", str(tmp_path / "o.png")],
        capfd,
        "fifo.png",
        "not a regular file",
    )
    refused(["filter", "grid", "-k", "vertical", "-o", str(fifo)], capfd, "fifo.png")


def test_corrupt_exif_is_at_most_one_line_ours(tmp_path: Path, capfd) -> None:
    """A JPEG with corrupt EXIF: written, and one warning line of ours at most."""
    jpeg = write_bad_exif_jpeg(tmp_path / "exif.jpg")
    status, out, err = run(
        ["filter", str(jpeg), "-k", "vertical", "-o", str(tmp_path / "o.png")], capfd
    )
    assert status == 0
    assert len(out.splitlines()) == 1
    assert err.count("\n") == 1
    assert err.startswith("convdemo: warning: ")
    assert "exif.jpg" in err


def test_corrupt_tiff_is_one_line_ours(tmp_path: Path, capfd) -> None:
    """libtiff's message joins ours instead of printing a line of its own."""
    tiff = write_corrupt_tiff(tmp_path / "bad.tif")
    line = refused(
        ["filter", str(tiff), "-k", "vertical", "-o", str(tmp_path / "o.png")], capfd
    )
    assert "bad.tif" in line


def test_sixteen_bit_png_is_filtered_at_full_precision(tmp_path: Path, capfd) -> None:
    """A 16-bit RGB PNG: no warning, and the result is computed from 16 bits."""
    samples = np.random.default_rng(0).integers(0, 65536, (6, 7, 3))
    png = write_png16(tmp_path / "deep.png", samples)
    status, out, err = run(
        ["filter", str(png), "-k", "1", "-o", str(tmp_path / "o.png")], capfd
    )
    assert (status, err) == (0, "")
    grey = load_image(png)
    assert f"values {grey.min():.4g} to {grey.max():.4g}" in out
    assert len(np.unique(np.round(grey * 65535) % 257)) > 1  # not 8-bit values


def test_sixteen_bit_tiff_reduction_is_reported(tmp_path: Path, capfd) -> None:
    """A 16-bit RGB TIFF is read at 8 bits by Pillow: one warning line says so."""
    samples = np.random.default_rng(0).integers(0, 65536, (4, 5, 3))
    tiff = write_tiff16(tmp_path / "deep.tif", samples)
    status, _, err = run(
        ["filter", str(tiff), "-k", "1", "-o", str(tmp_path / "o.png")], capfd
    )
    assert status == 0
    assert err.startswith("convdemo: warning: ")
    assert "8 bits" in err
    assert err.count("\n") == 1


def test_unexpected_failure_is_one_line(monkeypatch, capfd) -> None:
    """The last line of defence: an unexpected exception is one line, exit 1."""

    def broken(arguments: object) -> str:
        raise RuntimeError("something nobody foresaw")

    monkeypatch.setattr(cli, "_run_kernels", broken)
    status, out, err = run(["kernels"], capfd)
    assert status == 1
    assert out == ""
    assert err.count("\n") == 1
    assert "RuntimeError: something nobody foresaw" in err


def test_out_of_memory_is_one_line(monkeypatch, capfd) -> None:
    """A MemoryError is one line, exit 2, with advice."""

    def hungry(arguments: object) -> str:
        raise MemoryError

    monkeypatch.setattr(cli, "_run_kernels", hungry)
    status, _, err = run(["kernels"], capfd)
    assert status == 2
    assert err == "convdemo: error: not enough memory; try a smaller image, or --crop\n"


@pytest.mark.skipif(os.name != "posix", reason="bytes file names need POSIX")
def test_undecodable_output_name_with_strict_stdout(tmp_path: Path) -> None:
    """-o $'\\xff\\xfe.png' with a strict UTF-8 stdout: written, summary escaped."""
    env = {**os.environ, "PYTHONIOENCODING": "utf-8:strict"}
    done = run_convdemo(
        ["filter", "grid", "-k", "vertical", "-o", b"\xff\xfe.png"], tmp_path, env=env
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == b""
    assert b"wrote \\udcff\\udcfe.png" in done.stdout
    assert (tmp_path / os.fsdecode(b"\xff\xfe.png")).exists()


@pytest.mark.skipif(os.name != "posix", reason="closes a descriptor with preexec_fn")
def test_closed_stdout_is_tolerated(tmp_path: Path) -> None:
    """Standard output closed (>&-): the file is written, no traceback, exit 0."""
    done = run_convdemo(
        ["filter", "grid", "-k", "vertical", "-o", "o.png"],
        tmp_path,
        stdout=None,
        stderr=subprocess.PIPE,
        preexec_fn=lambda: os.close(1),
    )
    assert done.returncode == 0
    assert done.stderr == b""
    assert (tmp_path / "o.png").exists()


def test_corrupt_tiff_in_a_real_process_is_one_line(tmp_path: Path) -> None:
    """In a fresh process too, libtiff adds no line of its own."""
    tiff = write_corrupt_tiff(tmp_path / "bad.tif")
    done = run_convdemo(
        ["filter", str(tiff), "-k", "vertical", "-o", "o.png"], tmp_path
    )
    assert done.returncode == 2
    assert done.stderr.count(b"\n") == 1
    assert done.stderr.startswith(b"convdemo: error: ")
