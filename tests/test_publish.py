"""Tests for convdemo.publish: named figures, their files, the manifest, the scraper."""

import json
from pathlib import Path
from types import SimpleNamespace

import matplotlib.pyplot as plt
import numpy as np
import pytest
from PIL import Image

from convdemo.animate import animate_pooling
from convdemo.publish import (
    MANIFEST,
    REFERENCE,
    PublishedFigure,
    main,
    publish_figure,
    publish_open_figures,
    read_manifest,
    reference,
    run_script,
    scrape,
    update_manifest,
)
from convdemo.style import set_alt_text


def _figure(name="square", alt="A grey square", size=(1.5, 1.0)):
    fig = plt.figure(figsize=size)
    fig.add_axes((0, 0, 1, 1)).imshow(np.arange(6).reshape(2, 3), cmap="gray")
    set_alt_text(fig, alt, name=name)
    return fig


def test_still_is_written_at_1x_and_2x(tmp_path):
    """A still figure gives <name>.png and <name>_2x.png, twice the pixels."""
    published = publish_figure(_figure(), tmp_path, source="plot.py")
    plt.close("all")
    assert published.files == ("square.png", "square_2x.png")
    assert (published.width, published.height) == (150, 100)
    with Image.open(tmp_path / "square_2x.png") as double:
        assert double.size == (300, 200)
    assert published.animation is None
    assert published.source == "plot.py"


def test_1x_is_the_2x_drawing_averaged_in_blocks(tmp_path):
    """The 1x file is the 2x drawing scaled down by a box filter, not a redraw."""
    publish_figure(_figure(), tmp_path)
    plt.close("all")
    with Image.open(tmp_path / "square_2x.png") as double:
        expected = double.resize((150, 100), Image.Resampling.BOX)
    with Image.open(tmp_path / "square.png") as single:
        assert np.array_equal(np.asarray(single), np.asarray(expected))


def test_same_figure_gives_the_same_bytes(tmp_path):
    """Two identical figures are published byte for byte the same."""
    publish_figure(_figure(), tmp_path / "a")
    publish_figure(_figure(), tmp_path / "b")
    plt.close("all")
    for name in ("square.png", "square_2x.png"):
        first, second = (tmp_path / folder / name for folder in ("a", "b"))
        assert first.read_bytes() == second.read_bytes()


def test_pngs_carry_no_text_chunks(tmp_path):
    """The PNGs hold pixels only: no software name or time stamp."""
    publish_figure(_figure(), tmp_path)
    plt.close("all")
    data = (tmp_path / "square.png").read_bytes()
    assert b"tEXt" not in data
    assert b"tIME" not in data


@pytest.mark.parametrize("missing", ["name", "alt text"])
def test_figure_without_name_or_alt_text_is_refused(tmp_path, missing):
    """A figure needs a name and alt text; the message names the script."""
    fig = plt.figure()
    if missing == "name":
        set_alt_text(fig, "A blank figure")
    else:
        fig._convdemo_name = "blank"
    with pytest.raises(ValueError, match=rf"plot_01\.py: a figure has no {missing}"):
        publish_figure(fig, tmp_path, source="plot_01.py")
    plt.close(fig)


def test_scales_must_start_at_1(tmp_path):
    """Scales without 1x are refused, naming `scales`."""
    with pytest.raises(ValueError, match="`scales`"):
        publish_figure(_figure(), tmp_path, scales=(2.0,))
    plt.close("all")


def test_animation_is_written_as_webp_with_its_last_frame_as_poster(tmp_path):
    """An animated figure gives an animated WebP and the last frame as stills."""
    anim = animate_pooling(np.arange(16).reshape(4, 4), 2)
    fig = plt.gcf()
    set_alt_text(fig, "Pooling, block by block", name="pooling", animation=anim)
    published = publish_figure(fig, tmp_path)
    plt.close("all")
    assert published.animation == "pooling.webp"
    assert published.files == ("pooling.png", "pooling_2x.png", "pooling.webp")
    frames = []
    with Image.open(tmp_path / "pooling.webp") as moving:
        assert moving.n_frames == 5
        for index in range(moving.n_frames):
            moving.seek(index)
            frames.append(np.asarray(moving.convert("RGBA"), dtype=float))
    with Image.open(tmp_path / "pooling.png") as poster:
        still = np.asarray(poster.convert("RGBA"), dtype=float)
    # Drawn at 2x and scaled down: nearest to the last frame, not equal to it.
    distances = [np.abs(still - frame).mean() for frame in frames]
    assert int(np.argmin(distances)) == 4


def test_open_figures_are_published_in_order_and_closed(tmp_path):
    """Every open figure is published, by pyplot number, then all are closed."""
    _figure("first")
    _figure("second")
    names = [p.name for p in publish_open_figures(tmp_path, source="plot.py")]
    assert names == ["first", "second"]
    assert plt.get_fignums() == []


def test_manifest_round_trips_sorted_by_name(tmp_path):
    """read_manifest gives back what update_manifest wrote, sorted by name."""
    b = PublishedFigure("b", "B", "two.py", 2, 1, ((1.0, "b.png"), (2.0, "b_2x.png")))
    a = PublishedFigure("a", "A", "one.py", 4, 3, ((1.0, "a.png"),), "a.webp")
    update_manifest(tmp_path, [b, a])
    assert list(json.loads((tmp_path / MANIFEST).read_text(encoding="utf-8"))) == [
        "a",
        "b",
    ]
    assert read_manifest(tmp_path) == {"a": a, "b": b}


def test_manifest_bytes_do_not_depend_on_the_order_of_updates(tmp_path):
    """The same entries give the same manifest bytes, whatever the order."""
    a = PublishedFigure("a", "A", "one.py", 4, 3, ((1.0, "a.png"),))
    b = PublishedFigure("b", "B", "two.py", 2, 1, ((1.0, "b.png"),))
    update_manifest(tmp_path / "x", [a])
    update_manifest(tmp_path / "x", [b])
    update_manifest(tmp_path / "y", [b, a])
    assert (tmp_path / "x" / MANIFEST).read_bytes() == (
        tmp_path / "y" / MANIFEST
    ).read_bytes()


def test_a_script_run_again_replaces_its_figures(tmp_path):
    """replace_source drops the script's old entries and their old files only."""
    old = PublishedFigure("old", "Old", "one.py", 1, 1, ((1.0, "old.png"),))
    kept = PublishedFigure("kept", "Kept", "one.py", 1, 1, ((1.0, "kept.png"),))
    other = PublishedFigure("other", "Other", "two.py", 1, 1, ((1.0, "other.png"),))
    for name in ("old.png", "kept.png", "other.png"):
        (tmp_path / name).write_bytes(b"png")
    update_manifest(tmp_path, [old, kept, other])
    update_manifest(tmp_path, [kept], replace_source="one.py")
    assert sorted(read_manifest(tmp_path)) == ["kept", "other"]
    assert sorted(p.name for p in tmp_path.glob("*.png")) == ["kept.png", "other.png"]


def test_reference_is_what_the_pattern_reads():
    """reference() writes the line that REFERENCE matches, caption included."""
    plain = REFERENCE.fullmatch(reference("vertical-edges"))
    captioned = REFERENCE.fullmatch(reference("vertical-edges", "The grid."))
    assert plain is not None
    assert captioned is not None
    assert (plain["name"], plain["caption"]) == ("vertical-edges", None)
    assert (captioned["name"], captioned["caption"]) == ("vertical-edges", "The grid.")


@pytest.mark.parametrize(
    "line",
    [
        "![[Vertical]]",
        "![[a_b]]",
        "text ![[a]]",
        "![[a]] text",
        "![a](a.png)",
        "![[a | a caption\non two lines]]",
    ],
)
def test_reference_pattern_needs_a_name_alone_on_its_line(line):
    """Only a lowercase-hyphen name alone on its line is a reference."""
    assert REFERENCE.search(line) is None


_SCRIPT = """\
import matplotlib.pyplot as plt
from pathlib import Path
from convdemo.style import set_alt_text

assert Path("data.txt").read_text() == "here"
fig = plt.figure(figsize=(1, 1))
set_alt_text(fig, "A blank square", name="{name}")
plt.show()
"""


def test_run_script_runs_in_its_folder_and_publishes(tmp_path):
    """A script runs from its own folder; its figures and manifest are written."""
    folder = tmp_path / "gallery"
    folder.mkdir()
    (folder / "data.txt").write_text("here")
    script = folder / "plot_01.py"
    script.write_text(_SCRIPT.format(name="blank"))
    published = run_script(script, tmp_path / "out", source="gallery/plot_01.py")
    assert [p.name for p in published] == ["blank"]
    assert read_manifest(tmp_path / "out")["blank"].source == "gallery/plot_01.py"
    assert plt.get_fignums() == []


def test_run_script_again_drops_a_renamed_figure(tmp_path):
    """After a rename, the figure's old name and files are gone."""
    (tmp_path / "data.txt").write_text("here")
    script = tmp_path / "plot_01.py"
    script.write_text(_SCRIPT.format(name="before"))
    run_script(script, tmp_path / "out")
    script.write_text(_SCRIPT.format(name="after"))
    run_script(script, tmp_path / "out")
    assert sorted(read_manifest(tmp_path / "out")) == ["after"]
    assert not (tmp_path / "out" / "before.png").exists()


def test_command_line_prints_each_figure(tmp_path, capsys):
    """python -m convdemo.publish lists the files of each figure it wrote."""
    (tmp_path / "data.txt").write_text("here")
    script = tmp_path / "plot_01.py"
    script.write_text(_SCRIPT.format(name="blank"))
    assert main([str(script), "--into", str(tmp_path / "out")]) == 0
    assert capsys.readouterr().out.splitlines() == ["blank: blank.png, blank_2x.png"]


def test_command_line_names_a_missing_script(tmp_path, capsys):
    """A script that does not exist: one line naming it, exit status 2."""
    with pytest.raises(SystemExit) as exit_info:
        main([str(tmp_path / "plot_99.py"), "--into", str(tmp_path)])
    assert exit_info.value.code == 2
    error = capsys.readouterr().err.strip().splitlines()[-1]
    assert "`scripts` must be Python files" in error
    assert "plot_99.py" in error


class _GalleryScript:
    """A stand-in for the script object mkdocs-gallery hands its scrapers."""

    def __init__(self, docs: Path, srcset=("2x",)) -> None:
        self.gallery = SimpleNamespace(all_info=SimpleNamespace(mkdocs_docs_dir=docs))
        self.src_py_file_rel_project = Path("gallery/1_story/plot_01.py")
        self.gallery_conf = {"image_srcset": list(srcset)}


def test_scraper_publishes_a_cell_and_returns_references(tmp_path):
    """After a cell, its figures are in docs/generated/images and referenced."""
    _figure("first")
    _figure("second")
    markdown = scrape(None, _GalleryScript(tmp_path))
    assert markdown == "\n\n![[first]]\n\n\n\n![[second]]\n\n"
    figures = read_manifest(tmp_path / "generated/images")
    assert sorted(figures) == ["first", "second"]
    assert figures["first"].source == "gallery/1_story/plot_01.py"
    assert figures["first"].files == ("first.png", "first_2x.png")


def test_scraper_keeps_earlier_cells_and_forgets_earlier_runs(tmp_path):
    """Within a run, cells add figures; a new run starts from no figures."""
    run = _GalleryScript(tmp_path)
    _figure("one")
    scrape(None, run)
    _figure("two")
    scrape(None, run)
    assert sorted(read_manifest(tmp_path / "generated/images")) == ["one", "two"]
    _figure("three")
    scrape(None, _GalleryScript(tmp_path))
    assert sorted(read_manifest(tmp_path / "generated/images")) == ["three"]


def test_scraper_refuses_a_name_used_twice_in_a_run(tmp_path):
    """Two figures of one script with the same name fail, naming the script."""
    run = _GalleryScript(tmp_path)
    _figure("same")
    scrape(None, run)
    _figure("same")
    with pytest.raises(ValueError, match=r"plot_01\.py: two figures are named 'same'"):
        scrape(None, run)


def test_scraper_refuses_a_malformed_srcset(tmp_path):
    """image_srcset entries must look like '2x'."""
    _figure()
    with pytest.raises(ValueError, match="`image_srcset`"):
        scrape(None, _GalleryScript(tmp_path, srcset=("800w",)))
    plt.close("all")
