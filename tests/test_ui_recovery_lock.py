"""A killed app leaves its recovery lock file behind: the next start must neither be
blocked by it (work not offered back) nor confused by it (offered twice, or a lock file
that stays forever). The app is really killed here (SIGKILL), not asked to quit."""

import os
import select
import shutil
import signal
import subprocess
import sys
import textwrap
import time

import pytest

pytest.importorskip("PySide6")

from PySide6.QtCore import QLockFile  # noqa: E402
from PySide6.QtWidgets import QMessageBox  # noqa: E402

from .test_app import EXAMPLE  # noqa: E402

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")

RUNNING = textwrap.dedent('''
    import os, sys
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from PySide6.QtWidgets import QApplication
    app = QApplication([])
    from asslb_designer.edits import SetValues
    from asslb_designer.ui import MainWindow
    w = MainWindow(views=False)
    w.open_design(sys.argv[1])
    if sys.argv[2] == "edit":
        assert w.apply_edit(SetValues({"layer[4].thickness": "45 um"}))
        w.autosave()
    print("ready", flush=True)
    sys.stdin.readline()           # runs until killed
''')


def start_app(edit: bool):
    proc = subprocess.Popen([sys.executable, "-c", RUNNING, str(EXAMPLE),
                             "edit" if edit else "clean"], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    ready, _, _ = select.select([proc.stdout], [], [], 90)     # never wait forever
    if not ready:
        proc.kill()
        pytest.fail("the app did not start within 90 s")
    line = proc.stdout.readline()
    assert line.strip() == "ready", proc.stderr.read()
    return proc


def kill(proc) -> None:
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL


def questions(monkeypatch, answer=QMessageBox.StandardButton.Yes):
    asked = []
    monkeypatch.setattr(QMessageBox, "question",
                        lambda *a, **k: asked.append(a[2]) or answer)
    return asked


def new_window(qtbot):
    from asslb_designer.ui import MainWindow
    w = MainWindow(views=False)
    qtbot.addWidget(w)
    return w


def test_a_running_app_is_left_alone_and_a_killed_one_is_offered_back(
        qtbot, monkeypatch, app_dir):
    proc = start_app(edit=True)
    try:
        w = new_window(qtbot)
        asked = questions(monkeypatch)
        assert not w.offer_recovery()                 # its window still runs: not offered
        assert asked == []
        assert len(list((app_dir / "recovery").glob("*.lock"))) == 2   # its and ours
    finally:
        kill(proc)
    assert w.offer_recovery()                         # killed: its work comes back
    assert len(asked) == 1 and str(EXAMPLE) in asked[0]
    assert w.document.design.value("layer[4].thickness") == pytest.approx(45.0)
    assert not w.offer_recovery() and len(asked) == 1     # once only
    w.document.undo_stack.setClean()


def test_killed_before_any_autosave_leaves_nothing_behind(qtbot, monkeypatch, app_dir):
    kill(start_app(edit=False))
    folder = app_dir / "recovery"
    assert len(list(folder.glob("*.lock"))) == 1     # the killed window's lock file
    w = new_window(qtbot)
    asked = questions(monkeypatch)
    assert not w.offer_recovery()
    assert asked == []
    # its lock file is gone; this window's own lock is the only one left
    assert [p.stem for p in folder.glob("*.lock")] == [w.recovery.name]


def leave_recovery_file(app_dir, name: str, text: str | None = None):
    """A recovery design file as a window leaves it (the example, 45 um separator)."""
    folder = app_dir / "recovery"
    folder.mkdir(parents=True, exist_ok=True)
    design_file = folder / f"{name}.toml"
    if text is None:
        text = EXAMPLE.read_text(encoding="utf-8").replace(
            'thickness = "30 um"', 'thickness = "45 um"', 1)
    design_file.write_text(text, encoding="utf-8")
    return design_file


def test_a_lock_naming_this_process_id_left_by_an_earlier_process(qtbot, monkeypatch, app_dir):
    # A container restarts the app under the pid the killed one had: its lock file names
    # this very process id. Made here by copying a lock this process holds, then freeing it.
    leave_recovery_file(app_dir, "previous")
    folder = app_dir / "recovery"
    mine = QLockFile(str(folder / "template.lock"))
    assert mine.tryLock(0)
    shutil.copy(folder / "template.lock", folder / "previous.lock")
    mine.unlock()
    assert QLockFile(str(folder / "previous.lock")).getLockInfo()[0] == os.getpid()
    w = new_window(qtbot)
    asked = questions(monkeypatch)
    assert w.offer_recovery()
    assert len(asked) == 1
    assert w.document.design.value("layer[4].thickness") == pytest.approx(45.0)
    assert not (folder / "previous.lock").exists()
    w.document.undo_stack.setClean()


def test_an_unreadable_lock_file(qtbot, monkeypatch, app_dir):
    # killed while writing its lock file: an empty file. A young one may be a window
    # starting right now and is left alone; an old one is stale.
    leave_recovery_file(app_dir, "halfway")
    lock_file = app_dir / "recovery" / "halfway.lock"
    lock_file.write_bytes(b"")
    w = new_window(qtbot)
    asked = questions(monkeypatch)
    assert not w.offer_recovery() and asked == []
    old = time.time() - 60
    os.utime(lock_file, (old, old))
    assert w.offer_recovery() and len(asked) == 1
    assert w.document.design.value("layer[4].thickness") == pytest.approx(45.0)
    w.document.undo_stack.setClean()


def test_an_unreadable_recovery_file_is_reported_once_and_kept(qtbot, monkeypatch, app_dir):
    design_file = leave_recovery_file(app_dir, "broken", "[[layer]\nrole = ")
    errors = []
    monkeypatch.setattr(QMessageBox, "critical", lambda *a, **k: errors.append(a[2]))
    w = new_window(qtbot)
    before = w.document.design
    asked = questions(monkeypatch)
    assert not w.offer_recovery()
    assert len(asked) == 1 and len(errors) == 1
    assert "not valid TOML" in errors[0]
    kept = design_file.with_name("broken.toml.unreadable")
    assert kept.exists() and str(kept) in errors[0]       # the user can still look at it
    assert w.document.design is before
    assert not w.offer_recovery()                         # not asked again at each start
    assert len(asked) == 1 and len(errors) == 1
