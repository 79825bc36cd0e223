"""The one atomic writer every view exports through."""

import os

import pytest

pytest.importorskip("PySide6")
from asslb_designer.ui import export  # noqa: E402


def test_atomic_write_replaces_the_whole_file(tmp_path):
    target = tmp_path / "out.csv"
    target.write_text("old\n")
    export.atomic_write(target, "a,b\n1,2\n")
    assert target.read_text() == "a,b\n1,2\n"


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path, monkeypatch):
    target = tmp_path / "out.svg"
    target.write_text("<svg/>")

    def broken_replace(src, dst):
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError):
        export.atomic_write(target, b"<svg>half")
    assert target.read_text() == "<svg/>"
    assert [p.name for p in tmp_path.iterdir()] == ["out.svg"]


def test_csv_text_quotes_and_keeps_full_precision():
    text = export.csv_text(["item", "value [um]"], [["Li|h-BN, interface", 0.1 + 0.2]])
    assert text == 'item,value [um]\n"Li|h-BN, interface",0.30000000000000004\n'
