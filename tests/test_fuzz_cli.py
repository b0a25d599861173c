"""Fuzzing the command line: any arguments give exit 0 or 2 and one line at most.

Hypothesis builds argument lists for the three subcommands from valid and
hostile values (absurd sizes, bad numbers, negative kernels, long text,
unknown options). :func:`convdemo.cli.main` runs in-process with its streams
redirected, so each example takes milliseconds; a few hostile lists also run
in a real process. Inputs are cropped small, so that no example runs long.
"""

from __future__ import annotations

import contextlib
import io
import tempfile
from datetime import timedelta
from pathlib import Path

import pytest
from hostile import run_convdemo
from hypothesis import event, given, settings
from hypothesis import strategies as st

from convdemo.cli import main


def sometimes(good: st.SearchStrategy[str], *bad: str) -> st.SearchStrategy[str]:
    """Draw from `good` seven times in eight, else one of the `bad` texts."""
    worse = st.sampled_from(bad)
    return st.integers(0, 7).flatmap(lambda n: worse if n == 7 else good)


numbers = st.integers(1, 3).map(str)
pairs = st.tuples(st.integers(1, 3), st.integers(1, 3)).map(lambda p: f"{p[0]},{p[1]}")
steps = sometimes(
    st.one_of(numbers, pairs), "0", "-1", "1.5", "2,", "1,2,3", "x", "9" * 40
)
values = st.sampled_from(["1", "-1", "0", "0.5", "1/9", "-2", "1e308", "1e-320", "−1"])
kernels = sometimes(
    st.one_of(
        st.sampled_from(["vertical", "horizontal", "sobel-x", "box_blur", "identity"]),
        st.lists(st.lists(values, min_size=2, max_size=2), min_size=1, max_size=3).map(
            lambda rows: ";".join(",".join(row) for row in rows)
        ),
    ),
    "",
    "nonexistent",
    "1 2; 3",
    "1/0",
    "nan",
    "inf",
    "1 x",
    "-1,0,1;-1,0,1;-1,0,1",
    "1 " * 5000 + "x",
)
paddings = sometimes(
    st.sampled_from(["valid", "same", "full", "0", "1", "2"]),
    "100000",
    "-1",
    "half",
    "9" * 30,
)
crops = sometimes(
    st.tuples(
        st.integers(0, 20), st.integers(0, 20), st.integers(1, 8), st.integers(1, 8)
    ).map(lambda c: ",".join(map(str, c))),
    "0,0,0,0",
    "1,2,3",
    "999,999,5,5",
    "-1,0,2,2",
)
inputs = sometimes(
    st.sampled_from(["grid", "isometric", "photo"]), "missing.png", ".", ""
)


@st.composite
def command_lines(draw: st.DrawFn) -> list[str]:
    """Draw the arguments of one convdemo command, valid or not."""
    command = draw(
        sometimes(st.sampled_from(["filter", "pool", "kernels"]), "blur", "")
    )
    argv = [command]
    if command == "kernels":
        return argv + draw(st.sampled_from([[], ["--help"], ["extra"]]))
    argv.append(draw(inputs))
    if draw(st.integers(0, 9)) > 0:
        argv += ["--crop", draw(crops)]
    if command == "filter":
        argv += ["-k", draw(kernels)]
        options = {
            "--padding": paddings,
            "--border": sometimes(
                st.sampled_from(["zeros", "reflect", "replicate", "wrap"]), "mirror"
            ),
            "--stride": steps,
            "--dilation": sometimes(st.one_of(numbers, pairs), "20000", "0", "a"),
        }
        flags = ["--flip", "--clip", "--figure"]
    else:
        options = {
            "--size": steps,
            "--stride": steps,
            "--mode": sometimes(
                st.sampled_from(["max", "avg", "min", "l2", "lp"]), "mean", "MAX"
            ),
            "--p": sometimes(
                st.sampled_from(["1", "2", "3.5", "400"]),
                "0",
                "-1",
                "0.001",
                "1e-300",
                "nan",
                "inf",
                "two",
            ),
            "--padding": sometimes(st.sampled_from(["0", "1"]), "5", "-1", "100000"),
        }
        flags = ["--figure"]
    chosen = st.lists(st.sampled_from(sorted(options)), unique=True, max_size=3)
    for option in draw(chosen):
        argv += [option, draw(options[option])]
    for flag in draw(st.lists(st.sampled_from(flags), unique=True, max_size=2)):
        argv.append(flag)
    if draw(st.integers(0, 19)) == 0:
        argv.append(draw(st.sampled_from(["--unknown", "-z", "--", "stray"])))
    return argv


def output_name(argv: list[str], number: int) -> str:
    """Pick an output name: mostly a PNG (an SVG with --figure), sometimes bad."""
    if number == 0:
        return "out.jpg"
    if number == 1:
        return "no/such/folder/out.png"
    return "out.svg" if "--figure" in argv and number % 2 else "out.png"


@settings(max_examples=80, deadline=timedelta(seconds=60))
@given(argv=command_lines(), number=st.integers(0, 27))
def test_any_command_line_gives_status_0_or_2_and_one_line(argv, number) -> None:
    """Exit 0 (an output written, one summary) or 2 (one line, nothing written)."""
    with tempfile.TemporaryDirectory() as folder:
        output = Path(folder) / output_name(argv, number)
        if argv[0] in ("filter", "pool"):
            argv = [*argv, "-o", str(output)]
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            status = main(argv)
        event(f"{argv[0]}: exit {status}")
        assert status in (0, 2), (argv, err.getvalue())
        assert err.getvalue().count("\n") <= 1, (argv, err.getvalue())
        if status == 2:
            assert err.getvalue().startswith("convdemo: error: "), err.getvalue()
            assert not output.exists()
        elif argv[0] in ("filter", "pool") and "--help" not in argv:
            assert output.exists(), argv
            assert out.getvalue().startswith("wrote "), out.getvalue()


HOSTILE = [
    ["filter", "grid", "-k", "1e308 1e308; 1e308 1e308", "-o", "o.png"],
    [
        "filter",
        "grid",
        "-k",
        "-1,0,1;-1,0,1;-1,0,1",
        "--dilation",
        "20000",
        "-o",
        "o.png",
    ],
    ["pool", "grid", "--mode", "lp", "--p", "1e-300", "-o", "o.png"],
    ["pool", "photo", "--size", "9" * 40, "-o", "o.png"],
    ["filter", "missing.png", "-k", "x" * 100_000, "-o", "o.png"],
]


@pytest.mark.parametrize("argv", HOSTILE, ids=lambda argv: " ".join(argv)[:40])
def test_hostile_command_lines_in_a_real_process(tmp_path: Path, argv) -> None:
    """The same promise in a fresh interpreter: exit 2, one line, no output file."""
    done = run_convdemo(argv, tmp_path)
    assert done.returncode == 2, done.stderr
    assert done.stderr.count(b"\n") == 1
    assert done.stderr.startswith(b"convdemo: error: ")
    assert len(done.stderr) < 450
    assert not (tmp_path / "o.png").exists()
