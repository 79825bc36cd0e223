"""Starting the app: `asslb-designer gui [DESIGN]`, or a screenshot of its window.

Imported only by the `gui` command, so Qt never slows down the CLI's other commands.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path


def has_display() -> bool:
    """False on a Linux machine without X11 or Wayland (Qt would abort there)."""
    if not sys.platform.startswith("linux"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def _size(text: str) -> tuple[int, int]:
    from asslb_designer.errors import InputError
    try:
        w, h = (int(x) for x in text.lower().split("x"))
        if w < 200 or h < 150 or w > 10000 or h > 10000:
            raise ValueError
    except ValueError:
        raise InputError(None, "--size", f"expected WIDTHxHEIGHT such as 1280x800, got {text!r}") from None
    return w, h


def _quiet_offscreen(mode, context, message) -> None:
    """Qt's offscreen platform says it cannot propagate size hints on every show; that
    is no news to a user. Everything else goes to stderr as Qt would print it."""
    if "propagateSizeHints" in message:
        return
    sys.stderr.write(message + "\n")


def application():
    from PySide6.QtCore import qInstallMessageHandler
    from PySide6.QtWidgets import QApplication
    app = QApplication.instance()
    if app is None:
        if os.environ.get("QT_QPA_PLATFORM") == "offscreen":
            qInstallMessageHandler(_quiet_offscreen)
        app = QApplication(sys.argv[:1])
        app.setApplicationName("ASSLB Designer")
        app.setOrganizationName("asslb-designer")
    from .preferences import apply_theme
    from .settings import theme
    apply_theme(theme(), app)
    return app


def save_screenshot(window, out: str | Path, tab: str | None = None) -> Path:
    """Render `window` (shown offscreen or on screen) to a PNG."""
    from PySide6.QtWidgets import QApplication
    from asslb_designer.errors import InputError
    if tab and not window.show_tab(tab):
        names = [window.tabs.tabText(i) for i in range(window.tabs.count())]
        raise InputError(None, "--tab", f"no tab {tab!r}; tabs: {', '.join(names)}")
    for _ in range(3):
        QApplication.processEvents()
    window.flush_views()
    QApplication.processEvents()
    for view in getattr(window, "app_views", {}).values():
        settle = getattr(view, "settle", None)     # a view with work on a thread ends it
        if settle is not None:
            settle()
    out = Path(out)
    if not window.grab().save(str(out), "PNG"):
        raise InputError(str(out), None, "cannot write the PNG there")
    return out


def run(design: str | None = None, *, screenshot: str | None = None, tab: str | None = None,
        size: str = "1280x800") -> int:
    from asslb_designer.design_file import load_design
    from asslb_designer.errors import InputError
    width, height = _size(size)
    if design is not None:
        load_design(design)              # a bad file: the CLI's one-line error, exit 2
    if screenshot is not None:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    elif not has_display() and not os.environ.get("QT_QPA_PLATFORM"):
        raise InputError(None, "gui", "no display (DISPLAY and WAYLAND_DISPLAY are unset): "
                         "use --screenshot OUT.png, or run under xvfb-run")
    app = application()
    from .main_window import MainWindow
    window = MainWindow(path=design, views=screenshot is not None)
    window.resize(width, height)
    window.show()
    if screenshot is None and os.environ.get("ASSLB_DESIGNER_EXIT_WHEN_SHOWN"):
        # benchmarks/bench_app.py: the time from process start to the window on screen
        app.processEvents()
        print("window shown")
        window.close()
        return 0
    if screenshot is not None:
        path = save_screenshot(window, screenshot, tab)
        print(f"{path}: window screenshot ({width}x{height}"
              f"{', tab ' + tab if tab else ''})")
        window.document.undo_stack.setClean()
        window.close()
        return 0
    from PySide6.QtCore import QTimer

    def after_shown():
        window.install_views()
        window.offer_recovery()
    QTimer.singleShot(0, after_shown)
    return app.exec()
