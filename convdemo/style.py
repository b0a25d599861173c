"""The visual language of every figure: role colours, colormaps, fonts, output.

One colour per role, taken from the Okabe–Ito palette, which stays
distinguishable under the common forms of colour-vision deficiency:

========  ===========  ==================================================
role      colour       used for
========  ===========  ==================================================
input     sky blue     the image or feature map being filtered
kernel    orange       the filter (kernel) values
output    bluish green the result (feature map, pooled map)
padding   light grey   cells added around the input, always drawn dashed
window    vermillion   outline of the current window (where the kernel is)
========  ===========  ==================================================

Signed results use a diverging colormap centred at 0 (:data:`DIVERGING`,
blue for negative, white for 0, red for positive) with a symmetric norm
(:func:`signed_norm`); plain images use :data:`GRAY`.

Figures have a transparent background so that they sit on both the light and
the dark theme of the site. Everything drawn straight on that background
(tick labels, operator signs, notes) uses :data:`MUTED`, a mid grey that keeps
a contrast of about 4:1 against white and against the dark slate
``#1e2129``. Titles and captions sit on small opaque rounded boxes, and the
text inside a cell is black or white, whichever contrasts more with the
cell's fill (always at least 4.5:1).

The style is applied by the drawing functions themselves (:func:`styled`),
since mkdocs-gallery resets ``rcParams`` before each example; importing this
module changes no global setting.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TypeVar

import matplotlib as mpl
import numpy as np
import numpy.typing as npt
from matplotlib.animation import Animation
from matplotlib.colors import Normalize, to_rgb
from matplotlib.figure import Figure

from convdemo._validate import one_of

__all__ = [
    "BACKGROUNDS",
    "DIVERGING",
    "FIGURE_NAME",
    "FONT",
    "GRAY",
    "INPUT",
    "KERNEL",
    "MUTED",
    "OUTPUT",
    "PADDING",
    "ROLES",
    "WINDOW",
    "apply_style",
    "blend",
    "cell_fill",
    "contrast_ratio",
    "get_alt_text",
    "get_figure_animation",
    "get_figure_name",
    "relative_luminance",
    "save_figure",
    "set_alt_text",
    "signed_norm",
    "styled",
    "text_color_for",
]

_T = TypeVar("_T")

#: Input role: Okabe–Ito sky blue.
INPUT = "#56B4E9"
#: Kernel role: Okabe–Ito orange.
KERNEL = "#E69F00"
#: Output role: Okabe–Ito bluish green.
OUTPUT = "#009E73"
#: Padding role: a neutral light grey; padding cells are also drawn dashed.
PADDING = "#C8C8C8"
#: Current-window role: Okabe–Ito vermillion, drawn as a thick outline.
WINDOW = "#D55E00"
#: Colour for text and lines drawn straight on the transparent background.
MUTED = "#7F7F7F"
#: Diverging colormap for signed values (ColorBrewer RdBu reversed).
DIVERGING = "RdBu_r"
#: Colormap for plain images.
GRAY = "gray"
#: The font family of every figure; it ships with matplotlib.
FONT = "DejaVu Sans"
#: The page backgrounds a figure must read on: light and dark theme.
BACKGROUNDS = {"light": "#FFFFFF", "dark": "#1E2129"}

#: Role name → role colour, the choices of ``role=`` in :mod:`convdemo.draw`.
ROLES = {
    "input": INPUT,
    "kernel": KERNEL,
    "output": OUTPUT,
    "padding": PADDING,
    "window": WINDOW,
}

# How much of the role colour a cell fill keeps (the rest is white): light
# enough for black numbers, saturated enough to name the role.
_CELL_TINT = 0.55

# Typed as Any: matplotlib types rcParams keys as a Literal of every name.
_RC: Any = {
    "font.family": "sans-serif",
    "font.sans-serif": [FONT],
    "font.size": 10.0,
    "axes.titlesize": 11.0,
    "axes.titleweight": "bold",
    "axes.titlepad": 8.0,
    "axes.labelsize": 10.0,
    "axes.unicode_minus": True,
    "text.color": MUTED,
    "axes.labelcolor": MUTED,
    "axes.edgecolor": MUTED,
    "axes.titlecolor": "black",
    "xtick.color": MUTED,
    "ytick.color": MUTED,
    "xtick.labelcolor": MUTED,
    "ytick.labelcolor": MUTED,
    "xtick.labelsize": 9.0,
    "ytick.labelsize": 9.0,
    "figure.facecolor": "none",
    "figure.edgecolor": "none",
    "axes.facecolor": "none",
    "savefig.facecolor": "none",
    "savefig.edgecolor": "none",
    "savefig.transparent": True,
    "figure.dpi": 100.0,
    "savefig.dpi": 100.0,
    "image.cmap": GRAY,
    "image.interpolation": "antialiased",
    "legend.frameon": False,
    "svg.hashsalt": "convdemo",
    "path.simplify": True,
}


def apply_style() -> None:
    """Set the convdemo style in the global ``rcParams``.

    The drawing functions do not need this (they apply the style themselves
    through :func:`styled`); call it in a script whose own plots should match.

    See Also
    --------
    styled : The same settings, only inside a ``with`` block.

    Examples
    --------
    >>> import matplotlib as mpl
    >>> with mpl.rc_context():
    ...     apply_style()
    ...     mpl.rcParams["font.sans-serif"][0]
    'DejaVu Sans'
    """
    mpl.rcParams.update(_RC)


@contextlib.contextmanager
def styled() -> Iterator[None]:
    """Apply the convdemo style inside a ``with`` block only.

    Yields
    ------
    None
        ``rcParams`` are restored when the block ends.

    Notes
    -----
    Matplotlib reads most settings when an artist is created, so figures,
    axes and texts must be created inside the block.

    Examples
    --------
    >>> import matplotlib as mpl
    >>> with styled():
    ...     mpl.rcParams["figure.facecolor"]
    'none'
    """
    with mpl.rc_context(_RC):
        yield


def relative_luminance(color: Any) -> float:
    """Return the WCAG relative luminance of a colour.

    Parameters
    ----------
    color : matplotlib colour
        A name, hex string or RGB(A) tuple; alpha is ignored.

    Returns
    -------
    float
        0 for black, 1 for white.

    Examples
    --------
    >>> relative_luminance("white"), relative_luminance("black")
    (1.0, 0.0)
    >>> round(relative_luminance("#7F7F7F"), 3)
    0.212
    """
    channels = np.asarray(to_rgb(color), dtype=np.float64)
    linear = np.where(
        channels <= 0.04045, channels / 12.92, ((channels + 0.055) / 1.055) ** 2.4
    )
    return float(np.dot([0.2126, 0.7152, 0.0722], linear))


def contrast_ratio(color_a: Any, color_b: Any) -> float:
    """Return the WCAG contrast ratio of two colours, from 1 to 21.

    Parameters
    ----------
    color_a, color_b : matplotlib colour
        The two colours (order does not matter).

    Returns
    -------
    float
        ``(L_light + 0.05) / (L_dark + 0.05)``.

    Examples
    --------
    >>> contrast_ratio("black", "white")
    21.0
    >>> contrast_ratio(MUTED, BACKGROUNDS["light"]) > 3.9
    True
    >>> contrast_ratio(MUTED, BACKGROUNDS["dark"]) > 3.9
    True
    """
    first, second = relative_luminance(color_a), relative_luminance(color_b)
    light, dark = max(first, second), min(first, second)
    return (light + 0.05) / (dark + 0.05)


def text_color_for(fill: Any) -> str:
    """Return black or white, whichever reads better on `fill`.

    Parameters
    ----------
    fill : matplotlib colour
        The opaque background the text sits on.

    Returns
    -------
    str
        ``"black"`` or ``"white"``; the contrast with `fill` is then at least
        4.58:1 for any fill.

    Examples
    --------
    >>> text_color_for(INPUT), text_color_for("#08306B")
    ('black', 'white')
    """
    on_black = contrast_ratio(fill, "black")
    on_white = contrast_ratio(fill, "white")
    return "black" if on_black >= on_white else "white"


def blend(color: Any, amount: float, base: Any = "white") -> tuple[float, float, float]:
    """Mix `amount` of `color` with ``1 - amount`` of `base`.

    Parameters
    ----------
    color, base : matplotlib colour
        The colour and the colour it is mixed into.
    amount : float
        Share of `color`, from 0 (only `base`) to 1 (only `color`).

    Returns
    -------
    (float, float, float)
        The opaque RGB mix.

    Examples
    --------
    >>> blend("black", 0.5)
    (0.5, 0.5, 0.5)
    """
    mixed = amount * np.asarray(to_rgb(color)) + (1 - amount) * np.asarray(to_rgb(base))
    return (float(mixed[0]), float(mixed[1]), float(mixed[2]))


def cell_fill(role: str) -> tuple[float, float, float]:
    """Return the opaque fill of a matrix cell for a role.

    Parameters
    ----------
    role : {'input', 'kernel', 'output', 'padding', 'window'}
        The role of the matrix.

    Returns
    -------
    (float, float, float)
        A light tint of the role colour.

    Raises
    ------
    ValueError
        If `role` is not one of the roles.

    Examples
    --------
    >>> text_color_for(cell_fill("kernel"))
    'black'
    """
    one_of(role, "role", ROLES)
    if role == "padding":
        return blend(PADDING, 0.6)
    return blend(ROLES[role], _CELL_TINT)


# The fill of an output cell that an animation has not computed yet: a faint
# tint of the output colour, lighter than cell_fill("output").
_PENDING_FILL = blend(OUTPUT, 0.12)


def signed_norm(values: npt.ArrayLike, *, percentile: float = 100.0) -> Normalize:
    """Return a symmetric norm that puts 0 in the middle of the colormap.

    Parameters
    ----------
    values : array_like
        The signed values to colour.
    percentile : float, optional
        Which percentile of ``|values|`` sets the ends of the scale. 100 (the
        default) uses the largest magnitude; a value such as 99.5 keeps a few
        extreme pixels of a photograph from washing out everything else.

    Returns
    -------
    matplotlib.colors.Normalize
        ``vmin = -m`` and ``vmax = m`` with ``m`` the chosen percentile of
        ``|values|`` (the largest magnitude if that percentile is 0); ``m = 1``
        when every value is 0, so the norm is never degenerate.

    Raises
    ------
    ValueError
        If `percentile` is not in (0, 100].

    Examples
    --------
    >>> norm = signed_norm([[-1, 0], [3, 2]])
    >>> norm.vmin, norm.vmax, float(norm(0))
    (-3.0, 3.0, 0.5)
    >>> signed_norm([0, 0]).vmax
    1.0
    >>> signed_norm([-1, 1, 1, 1, 100], percentile=50).vmax
    1.0
    """
    if not 0 < percentile <= 100:
        raise ValueError(f"`percentile` must be in (0, 100], got {percentile!r}")
    array = np.asarray(values, dtype=np.float64)
    magnitude = np.abs(array[np.isfinite(array)])
    largest = float(magnitude.max()) if magnitude.size else 0.0
    limit = float(np.percentile(magnitude, percentile)) if magnitude.size else 0.0
    if limit == 0.0:
        limit = largest if largest > 0.0 else 1.0
    return Normalize(vmin=-limit, vmax=limit)


#: What a figure name looks like: lowercase words of letters and digits joined
#: by hyphens (``"vertical-edges-zoom"``), so that it is also a file name.
FIGURE_NAME = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def set_alt_text(
    fig: Figure,
    text: str,
    *,
    name: str | None = None,
    animation: Animation | None = None,
) -> None:
    """Attach alternative text, and optionally a name, to a figure.

    The site publishes every figure under its name (:mod:`convdemo.publish`):
    chapters embed it by that name, and `text` becomes the ``alt`` of its
    image wherever it appears, so the description is written once.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        The figure.
    text : str
        A description of what the figure shows, for readers who cannot see it.
    name : str, optional
        The figure's name on the site, unique across the gallery: lowercase
        words joined by hyphens, such as ``"vertical-edges-zoom"``. Left as it
        was when omitted.
    animation : matplotlib.animation.Animation, optional
        An animation drawn on `fig` (from :func:`convdemo.animate_correlation`
        or :func:`convdemo.animate_pooling`): the figure is then published as
        that animation, with the figure as it stands afterwards as its still
        poster. Left as it was when omitted.

    Raises
    ------
    TypeError
        If `text` is not a string or `animation` is not an ``Animation``.
    ValueError
        If `text` is empty or `name` is not lowercase words joined by hyphens.

    See Also
    --------
    get_alt_text, get_figure_name, get_figure_animation

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig = plt.figure()
    >>> set_alt_text(fig, "A blank figure", name="blank")
    >>> get_alt_text(fig), get_figure_name(fig)
    ('A blank figure', 'blank')
    >>> plt.close(fig)
    """
    if not isinstance(text, str):
        raise TypeError(f"`text` must be a string, got {type(text).__name__}")
    if not text.strip():
        raise ValueError(f"`text` must describe the figure, got {text!r}")
    if name is not None and (
        not isinstance(name, str) or FIGURE_NAME.fullmatch(name) is None
    ):
        raise ValueError(
            "`name` must be lowercase words of letters and digits joined by "
            f"hyphens, such as 'vertical-edges', got {name!r}"
        )
    if animation is not None and not isinstance(animation, Animation):
        raise TypeError(
            "`animation` must be a matplotlib Animation, got "
            f"{type(animation).__name__}"
        )
    # Matplotlib has no alt-text or name property on figures; private
    # attributes keep them with the figure until it is published.
    fig._convdemo_alt_text = text.strip()  # type: ignore[attr-defined]
    if name is not None:
        fig._convdemo_name = name  # type: ignore[attr-defined]
    if animation is not None:
        fig._convdemo_animation = animation  # type: ignore[attr-defined]


def _attached(fig: Figure, key: str, kind: type[_T]) -> _T | None:
    """Return what :func:`set_alt_text` attached to `fig` as `key`, if a `kind`."""
    value = getattr(fig, f"_convdemo_{key}", None)
    return value if isinstance(value, kind) else None


def get_alt_text(fig: Figure) -> str | None:
    """Return the alternative text of a figure, or None if it has none.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        The figure.

    Returns
    -------
    str or None
        The text given to :func:`set_alt_text`, without the white space
        around it.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig = plt.figure()
    >>> get_alt_text(fig) is None
    True
    >>> set_alt_text(fig, "  A blank figure ")
    >>> get_alt_text(fig)
    'A blank figure'
    >>> plt.close(fig)
    """
    return _attached(fig, "alt_text", str)


def get_figure_name(fig: Figure) -> str | None:
    """Return the name given to a figure by :func:`set_alt_text`, or None.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        The figure.

    Returns
    -------
    str or None
        The figure's name on the site.

    Examples
    --------
    A new description without a name keeps the name given before:

    >>> import matplotlib.pyplot as plt
    >>> fig = plt.figure()
    >>> get_figure_name(fig) is None
    True
    >>> set_alt_text(fig, "A blank figure", name="blank")
    >>> set_alt_text(fig, "A blank figure, still")
    >>> get_figure_name(fig), get_alt_text(fig)
    ('blank', 'A blank figure, still')
    >>> plt.close(fig)
    """
    return _attached(fig, "name", str)


def get_figure_animation(fig: Figure) -> Animation | None:
    """Return the animation registered with a figure by :func:`set_alt_text`.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        The figure.

    Returns
    -------
    matplotlib.animation.Animation or None
        The animation the figure is published as, or None for a still figure.

    Examples
    --------
    >>> import tempfile
    >>> import matplotlib.pyplot as plt
    >>> from convdemo.animate import animate_pooling, save_animation
    >>> anim = animate_pooling([[1, 2], [3, 4]], 2)
    >>> fig = plt.gcf()
    >>> get_figure_animation(fig) is None
    True
    >>> set_alt_text(fig, "Pooling, one window", name="pool", animation=anim)
    >>> get_figure_animation(fig) is anim
    True
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = save_animation(anim, f"{folder}/pool.webp")
    >>> plt.close("all")
    """
    return _attached(fig, "animation", Animation)


def save_figure(fig: Figure, path: str | Path, *, dpi: float = 100) -> Path:
    """Save a figure with byte-identical output for identical input.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        The figure.
    path : str or Path
        Destination; the suffix picks the format (``.png``, ``.svg``,
        ``.pdf``).
    dpi : float, optional
        Pixels per inch; a figure 7.5 inches wide at 100 dpi is 750 pixels
        wide, the width of a documentation page.

    Returns
    -------
    Path
        The path written.

    Notes
    -----
    The background stays transparent. Metadata that would change from run to
    run or machine to machine (software version, creation date) is left out.

    Examples
    --------
    >>> import tempfile
    >>> import matplotlib.pyplot as plt
    >>> fig = plt.figure(figsize=(1, 1))
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     first = save_figure(fig, Path(folder) / "a.png").read_bytes()
    ...     second = save_figure(fig, Path(folder) / "b.png").read_bytes()
    >>> first == second
    True
    >>> plt.close(fig)
    """
    target = Path(path)
    suffix = target.suffix.lower()
    metadata: dict[str, Any]
    if suffix == ".png":
        metadata = {"Software": None}
    elif suffix == ".svg":
        metadata = {"Date": None, "Creator": None}
    elif suffix == ".pdf":
        metadata = {"CreationDate": None, "ModDate": None, "Producer": None}
    else:
        raise ValueError(
            f"`path` must end in '.png', '.svg' or '.pdf', got {str(path)!r}"
        )
    with styled():
        fig.savefig(target, dpi=dpi, metadata=metadata, transparent=True)
    return target
