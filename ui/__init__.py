"""The Qt desktop app (imported as asslb_designer.ui). The engine never imports it.

    from asslb_designer.ui import MainWindow
    window = MainWindow(); window.open_design("examples/nmc811-lpscl-li-pouch-hbn.toml")

The contract for views is in ui/README.md.
"""

from .main_window import MainWindow

__all__ = ["MainWindow"]
