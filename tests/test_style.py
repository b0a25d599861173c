"""Tests for convdemo.style: role colours, contrast, alt text, deterministic PNG."""

import itertools

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
import pytest
from child_python import run_python
from matplotlib.colors import to_rgb
from PIL import Image

from convdemo import style
from convdemo.style import (
    BACKGROUNDS,
    DIVERGING,
    INPUT,
    KERNEL,
    MUTED,
    OUTPUT,
    PADDING,
    WINDOW,
    cell_fill,
    contrast_ratio,
    get_alt_text,
    relative_luminance,
    save_figure,
    set_alt_text,
    signed_norm,
    styled,
    text_color_for,
)

OKABE_ITO = {
    "#E69F00",
    "#56B4E9",
    "#009E73",
    "#F0E442",
    "#0072B2",
    "#D55E00",
    "#CC79A7",
    "#000000",
}

# Machado, Oliveira & Fernandes (2009), full severity, on linear RGB.
CVD = {
    "protanopia": [
        [0.152286, 1.052583, -0.204868],
        [0.114503, 0.786281, 0.099216],
        [-0.003882, -0.048116, 1.051998],
    ],
    "deuteranopia": [
        [0.367322, 0.860646, -0.227968],
        [0.280085, 0.672501, 0.047413],
        [-0.011820, 0.042940, 0.968881],
    ],
    "tritanopia": [
        [1.255528, -0.076749, -0.178779],
        [-0.078411, 0.930809, 0.147602],
        [0.004733, 0.691367, 0.303900],
    ],
}


# Close every figure a test opened (the fixture is in conftest.py).
pytestmark = pytest.mark.usefixtures("close_figures")


def _simulate(color, matrix):
    """Return how a colour looks under a colour-vision deficiency (sRGB)."""
    rgb = np.asarray(to_rgb(color))
    linear = np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
    seen = np.clip(np.asarray(matrix) @ linear, 0, 1)
    return np.where(seen <= 0.0031308, 12.92 * seen, 1.055 * seen ** (1 / 2.4) - 0.055)


def test_role_colours_are_okabe_ito():
    """Input, kernel, output and window use Okabe–Ito colours, all different."""
    roles = [INPUT, KERNEL, OUTPUT, WINDOW]
    assert {colour.upper() for colour in roles} <= OKABE_ITO
    assert len({*roles, PADDING}) == 5


@pytest.mark.parametrize("deficiency", sorted(CVD))
def test_roles_stay_apart_under_colour_blindness(deficiency):
    """Role colours and cell fills stay distinguishable under simulated CVD."""
    matrix = CVD[deficiency]
    strong = [INPUT, KERNEL, OUTPUT, WINDOW]
    for first, second in itertools.combinations(strong, 2):
        distance = np.linalg.norm(_simulate(first, matrix) - _simulate(second, matrix))
        assert distance > 0.2, (first, second)
    fills = [cell_fill(role) for role in ("input", "kernel", "output", "padding")]
    for first, second in itertools.combinations(fills, 2):
        distance = np.linalg.norm(_simulate(first, matrix) - _simulate(second, matrix))
        assert distance > 0.1, (first, second)


def test_diverging_map_is_white_in_the_middle_and_symmetric():
    """The diverging map is white at 0, blue below, red above."""
    cmap = plt.get_cmap(DIVERGING)
    middle = np.asarray(cmap(0.5)[:3])
    assert middle.min() > 0.9
    low, high = cmap(0.0), cmap(1.0)
    assert low[2] > low[0]
    assert high[0] > high[2]


@pytest.mark.parametrize("theme", sorted(BACKGROUNDS))
def test_muted_text_reads_on_both_themes(theme):
    """Text drawn on the transparent background reaches 3:1 on both themes."""
    assert contrast_ratio(MUTED, BACKGROUNDS[theme]) >= 3.0


def test_relative_luminance_and_contrast_match_wcag():
    """Luminance and contrast follow the WCAG 2 formulas."""
    assert relative_luminance("white") == pytest.approx(1.0)
    assert relative_luminance("black") == pytest.approx(0.0)
    assert contrast_ratio("white", "black") == pytest.approx(21.0)
    assert contrast_ratio("#777777", "white") == pytest.approx(4.48, abs=0.01)
    assert contrast_ratio("#1E2129", "white") == contrast_ratio("white", "#1E2129")


@pytest.mark.parametrize("cmap", ["gray", DIVERGING, "viridis"])
def test_text_colour_keeps_contrast_on_any_fill(cmap):
    """Black or white text reaches 4.5:1 on every colour of a colormap."""
    colormap = plt.get_cmap(cmap)
    for value in np.linspace(0, 1, 101):
        fill = colormap(value)
        assert contrast_ratio(text_color_for(fill), fill) >= 4.5


@pytest.mark.parametrize("role", ["input", "kernel", "output", "padding", "window"])
def test_cell_fill_is_light_enough_for_black_text(role):
    """Each role's cell fill carries its numbers at 4.5:1 or more."""
    fill = cell_fill(role)
    assert contrast_ratio(text_color_for(fill), fill) >= 4.5


def test_cell_fill_rejects_unknown_role():
    """An unknown role names `role` and lists the choices."""
    with pytest.raises(ValueError, match=r"`role` must be one of 'input'.*got 'image'"):
        cell_fill("image")


def test_signed_norm_is_symmetric_around_zero():
    """The norm spans ±max|values| with 0 in the middle."""
    norm = signed_norm([[-2.0, 0.5], [1.0, 0.0]])
    assert (norm.vmin, norm.vmax) == (-2.0, 2.0)
    assert float(norm(0.0)) == 0.5


def test_signed_norm_never_degenerates():
    """All-zero input still gives a usable norm."""
    norm = signed_norm(np.zeros((3, 3)))
    assert norm.vmin < 0 < norm.vmax


def test_styled_restores_rcparams():
    """The context manager leaves rcParams as it found them."""
    before = dict(mpl.rcParams)
    with styled():
        assert mpl.rcParams["font.sans-serif"][0] == "DejaVu Sans"
        assert mpl.rcParams["figure.facecolor"] == "none"
    assert dict(mpl.rcParams) == before


def test_apply_style_sets_the_font():
    """apply_style puts DejaVu Sans and the muted text colour in rcParams."""
    with mpl.rc_context():
        style.apply_style()
        assert mpl.rcParams["font.sans-serif"][0] == "DejaVu Sans"
        assert mpl.rcParams["text.color"] == MUTED


def test_import_changes_no_global_setting():
    """Importing the drawing modules leaves rcParams untouched."""
    code = (
        "import matplotlib as mpl\n"
        "before = dict(mpl.rcParams)\n"
        "import convdemo.style, convdemo.draw, convdemo.animate\n"
        "changed = [k for k in before if before[k] != mpl.rcParams[k]]\n"
        "assert not changed, changed\n"
    )
    run_python(code, env={"MPLBACKEND": "Agg"})


def test_alt_text_round_trip():
    """set_alt_text stores the text; get_alt_text reads it back."""
    fig = plt.figure()
    assert get_alt_text(fig) is None
    set_alt_text(fig, "  A 3×3 kernel  ")
    assert get_alt_text(fig) == "A 3×3 kernel"


def test_alt_text_rejects_empty_and_non_strings():
    """Alt text must be a non-empty string."""
    fig = plt.figure()
    with pytest.raises(ValueError, match="`text`"):
        set_alt_text(fig, "   ")
    with pytest.raises(TypeError, match="`text`"):
        set_alt_text(fig, None)


def test_alt_text_names_a_figure():
    """A name given with the alt text is kept; a later call without one keeps it."""
    fig = plt.figure()
    assert style.get_figure_name(fig) is None
    set_alt_text(fig, "A blank figure", name="blank-2")
    set_alt_text(fig, "A blank figure, described again")
    assert style.get_figure_name(fig) == "blank-2"
    assert get_alt_text(fig) == "A blank figure, described again"
    plt.close(fig)


@pytest.mark.parametrize("name", ["", "Vertical", "vertical_edges", "-a", "a--b", 3])
def test_alt_text_rejects_names_that_are_not_lowercase_words(name):
    """A figure name is lowercase words of letters and digits joined by hyphens."""
    fig = plt.figure()
    with pytest.raises(ValueError, match="`name`"):
        set_alt_text(fig, "A blank figure", name=name)
    assert style.get_figure_name(fig) is None
    plt.close(fig)


def test_alt_text_registers_an_animation(tmp_path):
    """The animation given with the alt text is the one the figure publishes."""
    from convdemo.animate import animate_pooling, save_animation

    anim = animate_pooling(np.arange(16).reshape(4, 4), 2)
    fig = plt.gcf()
    assert style.get_figure_animation(fig) is None
    set_alt_text(fig, "Pooling, block by block", name="pool", animation=anim)
    assert style.get_figure_animation(fig) is anim
    with pytest.raises(TypeError, match="`animation`"):
        set_alt_text(fig, "Pooling", animation=fig)
    save_animation(anim, tmp_path / "pool.webp")  # an animation never drawn warns
    plt.close("all")


def test_save_figure_is_byte_identical(tmp_path):
    """The same figure saved twice gives the same bytes, without metadata."""
    with styled():
        fig, ax = plt.subplots(figsize=(2, 1))
        ax.plot([0, 1], [1, 0])
    first = save_figure(fig, tmp_path / "a.png").read_bytes()
    second = save_figure(fig, tmp_path / "b.png").read_bytes()
    assert first == second
    assert b"Software" not in first
    assert b"matplotlib" not in first.lower()


def test_save_figure_keeps_the_background_transparent(tmp_path):
    """The page colour shows through the figure background."""
    with styled():
        fig = plt.figure(figsize=(1, 1))
    path = save_figure(fig, tmp_path / "blank.png", dpi=50)
    with Image.open(path) as image:
        assert image.mode == "RGBA"
        assert image.size == (50, 50)
        assert image.getpixel((0, 0))[3] == 0


def test_save_figure_rejects_unknown_suffix(tmp_path):
    """Only PNG, SVG and PDF are written."""
    fig = plt.figure()
    with pytest.raises(ValueError, match=r"`path` must end in '\.png'"):
        save_figure(fig, tmp_path / "figure.jpg")
