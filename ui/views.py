"""The views the app shows besides the Stack tab's editor and metrics.

`install(window)` is called once by every MainWindow: add each view with
``window.add_view(title, widget)`` (a tab) or ``window.set_cross_section(widget)`` (on the
Stack tab). Each view is a QWidget with ``show_state(design, result)``; see ui/README.md.
"""

from __future__ import annotations


def install(window) -> None:
    """No views beyond the Stack tab yet (the cross-section and plots come next)."""
