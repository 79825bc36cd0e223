"""Reordering the stack by dragging a row with the mouse.

Offscreen, Qt's platform drag ends at once (QDrag.exec returns IgnoreAction and delivers no
drop): there, the test drives the mouse press and move that start the drag from the row
under the cursor, then sends the drop the view receives. Under a real X server (Xvfb,
when installed) a second test drags for real: press, move, release, with Qt's own drag
loop in between, and checks that the design's layers moved."""

import json
import os
import shutil
import subprocess
import sys
import textwrap

import pytest

pytest.importorskip("PySide6")

from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt  # noqa: E402
from PySide6.QtGui import QDropEvent  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from asslb_designer import evaluate, load_design  # noqa: E402
from asslb_designer.edits import MoveLayer  # noqa: E402

from .test_app import EXAMPLE, metric  # noqa: E402
from .test_app import window  # noqa: E402,F401  (the fixture)


def labels(window):
    return [ly.label for ly in window.document.design.layers]


def test_a_mouse_drag_starts_from_the_row_and_its_drop_moves_the_layer(qtbot, window,
                                                                       monkeypatch):
    from asslb_designer.ui.stack_editor import LayerTable
    table = window.editor.table
    viewport = table.viewport()
    started = []

    def spy(self, actions):
        rows = sorted({i.row() for i in self.selectedIndexes()})
        started.append((rows, actions, self.model().mimeData(self.selectedIndexes())))
        LayerTable.__mro__[1].startDrag(self, actions)     # Qt's own: offscreen, ends at once
    monkeypatch.setattr(LayerTable, "startDrag", spy)

    source = table.visualItemRect(table.item(2, 1)).center()      # row 3: h-BN
    target = table.visualItemRect(table.item(3, 1)).center()      # row 4: the separator
    QTest.mousePress(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                     source)
    assert window.editor.selected_index() == 3       # the press selects the row
    step = QPoint(0, QApplication.startDragDistance() + 2)
    QTest.mouseMove(viewport, source + step / 2)
    assert started == []                             # not yet: under the drag distance
    QTest.mouseMove(viewport, source + step)
    assert len(started) == 1
    rows, actions, mime = started[0]
    assert rows == [2] and actions & Qt.DropAction.MoveAction
    QTest.mouseRelease(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                       source + step)
    assert labels(window) == ["Cu", "Li", "h-BN", "Li6PS5Cl", "NMC811", "Al"]   # no drop yet

    # the drop the view receives at row 4, with the drag's own data. Qt delivers a drop
    # only to the widget that accepted the drag's enter event, which needs a drag in
    # progress: offscreen there is none by now, so the view gets the drop by hand.
    drop = QDropEvent(QPointF(target), Qt.DropAction.MoveAction, mime or QMimeData(),
                      Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    table.dropEvent(drop)
    assert labels(window) == ["Cu", "Li", "Li6PS5Cl", "h-BN", "NMC811", "Al"]
    assert window.editor.selected_index() == 4
    moved = evaluate(MoveLayer(3, 4).apply(load_design(EXAMPLE)))
    assert metric(window, "asr_total") == f"{moved.metrics['asr_total']:.2f} Ω·cm²"
    window.document.undo_stack.undo()
    assert labels(window) == ["Cu", "Li", "h-BN", "Li6PS5Cl", "NMC811", "Al"]


REAL_DRAG = textwrap.dedent('''
    import json, sys
    from PySide6.QtCore import Qt, QPoint, QTimer
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication
    app = QApplication([])
    assert app.platformName() == "xcb", app.platformName()
    from asslb_designer.ui import MainWindow
    w = MainWindow(views=False)
    w.open_design(sys.argv[1], ask=False)
    w.show()
    w.activateWindow()
    assert QTest.qWaitForWindowActive(w)
    table = w.editor.table
    viewport = table.viewport()
    source = table.visualItemRect(table.item(2, 1)).center()      # row 3: h-BN
    target = table.visualItemRect(table.item(3, 1)).center()      # row 4: the separator
    during = []

    def move_and_release():
        # inside QDrag.exec's own event loop: the pointer travels to row 4 and lets go
        during.append(True)
        for i in range(1, 11):
            QTest.mouseMove(viewport, source + (target - source) * (i / 10))
            QTest.qWait(15)
        QTest.mouseRelease(viewport, Qt.MouseButton.LeftButton,
                           Qt.KeyboardModifier.NoModifier, target)

    QTimer.singleShot(300, move_and_release)
    QTest.mousePress(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                     source)
    step = QPoint(0, QApplication.startDragDistance() + 2)
    QTest.mouseMove(viewport, source + step / 2)
    QTest.mouseMove(viewport, source + step)      # starts the drag: exec runs until the drop
    QTest.qWait(1500)
    print(json.dumps({"during_drag": bool(during),
                      "layers": [ly.label for ly in w.document.design.layers],
                      "selected": w.editor.selected_index()}))
    w.document.undo_stack.setClean()
''')


@pytest.mark.slow        # a few seconds: an X server and a window in a fresh process
@pytest.mark.skipif(shutil.which("xvfb-run") is None, reason="needs Xvfb (xvfb-run)")
def test_a_real_mouse_drag_under_xvfb_reorders_the_stack(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env.update(QT_QPA_PLATFORM="xcb", ASSLB_DESIGNER_APP_DIR=str(tmp_path / "settings"))
    done = subprocess.run(["xvfb-run", "-a", "-s", "-screen 0 1600x1000x24", sys.executable,
                           "-c", REAL_DRAG, str(EXAMPLE)], capture_output=True, text=True,
                          timeout=120, env=env)
    missing = ("could not connect to display", "could not load the qt platform plugin")
    if done.returncode != 0 and any(m in done.stderr.lower() for m in missing):
        # no X server, or the xcb libraries PLATFORM.md lists are not installed
        pytest.skip(f"no usable X server here: {done.stderr.strip().splitlines()[0]}")
    assert done.returncode == 0, done.stderr
    state = json.loads(done.stdout.strip().splitlines()[-1])
    assert state["during_drag"]                      # the release came inside Qt's drag loop
    # h-BN (row 3) dropped on the separator's row: it becomes layer 4, and stays selected
    assert state["layers"] == ["Cu", "Li", "Li6PS5Cl", "h-BN", "NMC811", "Al"]
    assert state["selected"] == 4
