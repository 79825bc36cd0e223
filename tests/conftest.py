import os

# Qt must never look for a display in tests; without this Qt aborts the whole pytest process.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Tests never read the developer's own materials library.
os.environ["ASSLB_DESIGNER_USER_LIBRARY"] = ""

import copy  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

DATA = Path(__file__).parent / "data"
ROOT = Path(__file__).parent.parent


def replaced(data, path, value, delete=False):
    """A deep copy of parsed TOML `data` with the leaf at `path` (a tuple of keys and
    indices) set to `value`, or deleted when `delete` and it sits in a table."""
    data = copy.deepcopy(data)
    node = data
    for key in path[:-1]:
        node = node[key]
    if delete and isinstance(node, dict):
        del node[path[-1]]
    else:
        node[path[-1]] = value
    return data


@pytest.fixture(autouse=True)
def app_dir(tmp_path, monkeypatch):
    """The app's settings and recovery files go to a fresh folder in every test."""
    folder = tmp_path / "app-settings"
    monkeypatch.setenv("ASSLB_DESIGNER_APP_DIR", str(folder))
    return folder


@pytest.fixture(autouse=True)
def no_modal_dialogs(request, monkeypatch):
    """Offscreen, nobody can answer a modal dialog: a test that leaves unsaved changes
    would hang at teardown (the window asks). Unless a test answers them itself
    (monkeypatching QMessageBox again), questions are answered Discard and errors noted."""
    if not request.module.__name__.split(".")[-1].startswith(("test_ui", "test_app")):
        return
    try:
        from PySide6.QtWidgets import QMessageBox
    except ImportError:
        return
    monkeypatch.setattr(QMessageBox, "question",
                        lambda *a, **k: QMessageBox.StandardButton.Discard)
    monkeypatch.setattr(QMessageBox, "critical", lambda *a, **k: None)


@pytest.fixture(scope="session")
def lib():
    """A small library of round-number materials, so tests can do the arithmetic by hand."""
    from asslb_designer.materials import load_files
    return load_files([DATA / "test_library.toml"])
