"""Play convdemo's animations in Jupyter and Colab notebooks.

Run with plain ``python``, a gallery script shows its animations in a
window. In a notebook, Matplotlib's inline backend shows each figure as a
still PNG when the cell ends, so an animation would show its last frame
only. :func:`enable_notebook_animations`, which the first cell of every
notebook of the gallery calls, shows a figure that carries an animation
(registered with ``set_alt_text(fig, ..., animation=anim)``) as Matplotlib's
JavaScript player instead, frames and controls embedded in the notebook.
"""

from __future__ import annotations

import sys
from typing import Any

from matplotlib.figure import Figure

from convdemo.style import get_figure_animation

__all__ = ["enable_notebook_animations"]


def _player(fig: Figure) -> str | None:
    """Return the HTML player of a figure's animation, or None (a still)."""
    animation = get_figure_animation(fig)
    if animation is None:
        return None
    html: str = animation.to_jshtml()
    return html


def enable_notebook_animations() -> bool:
    """Show figures that carry an animation as players in this notebook.

    Registers an HTML representation of Matplotlib figures with IPython:
    a figure named with an animation (see :func:`convdemo.set_alt_text`) is
    displayed as the animation's player (``Animation.to_jshtml``, every
    frame embedded), any other figure as before. Notebook front ends
    (Jupyter, Colab, VS Code) prefer the HTML to the PNG that the inline
    backend also makes.

    Returns
    -------
    bool
        True when running under IPython (the representation is registered),
        False otherwise, where nothing changes: plain ``python`` plays
        animations in a window of its own.

    Notes
    -----
    Call it after ``%matplotlib inline`` (or any other backend magic):
    selecting a backend makes IPython forget every way of showing a figure
    that it was given, this one included.

    Examples
    --------
    Outside IPython there is nothing to do:

    >>> enable_notebook_animations()
    False
    """
    ipython_module = sys.modules.get("IPython")
    if ipython_module is None:
        return False
    shell: Any = ipython_module.get_ipython()
    if shell is None:
        return False
    formatter = shell.display_formatter.formatters["text/html"]
    formatter.for_type(Figure, _player)
    return True
