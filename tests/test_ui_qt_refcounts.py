"""The Qt binding must not drop references to None or True: on Python 3.11 (where they
are not immortal) PySide6 6.12.0 did, on every void call and every bool signal, and the
app died after a few thousand edits with "Fatal Python error: none_dealloc"."""

import sys

import pytest

pytest.importorskip("PySide6")
from PySide6.QtCore import QObject, Signal  # noqa: E402
from PySide6.QtWidgets import QLabel  # noqa: E402


class _Emitter(QObject):
    toggled = Signal(bool)


def test_void_calls_and_bool_signals_keep_none_and_true_alive(qapp):
    label = QLabel()
    emitter = _Emitter()
    emitter.toggled.connect(lambda on: None)
    none_before, true_before = sys.getrefcount(None), sys.getrefcount(True)
    for _ in range(500):
        label.setText("x")                 # returns None
        emitter.toggled.emit(True)
    # a healthy binding leaves both counts where they were (give or take a few);
    # the broken one took 500 from each
    assert sys.getrefcount(None) > none_before - 50
    assert sys.getrefcount(True) > true_before - 50
