"""Autosave of unsaved work to a recovery file, offered back after a crash.

Each running window owns one recovery design file (TOML, written by the same writer as
File > Save; never pickle) plus a small JSON note of the file it belongs to, and holds a
QLockFile while it runs. A recovery file whose lock is free on the next start belongs to
a window that did not close normally: it is offered back. A clean close removes it.
"""

from __future__ import annotations

import json
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QLockFile

from asslb_designer.design import Design
from asslb_designer.design_file import save_design

from .settings import app_dir


def recovery_dir() -> Path:
    path = app_dir() / "recovery"
    path.mkdir(parents=True, exist_ok=True)
    return path


@dataclass
class Found:
    design_file: Path
    original: str | None
    saved_at: str
    lock: QLockFile

    def discard(self) -> None:
        for p in (self.design_file, self.design_file.with_suffix(".json")):
            p.unlink(missing_ok=True)
        self.lock.unlock()
        self.design_file.with_suffix(".lock").unlink(missing_ok=True)


class Recovery:
    """The recovery file of one window."""

    def __init__(self):
        self.name = f"{uuid.uuid4().hex[:12]}"
        folder = recovery_dir()
        self.design_file = folder / f"{self.name}.toml"
        self.note_file = folder / f"{self.name}.json"
        self.lock = QLockFile(str(folder / f"{self.name}.lock"))
        self.lock.setStaleLockTime(0)
        self.lock.tryLock(0)
        self.last_written: str | None = None

    def write(self, design: Design, original: str | None) -> Path:
        save_design(design, self.design_file)
        self.note_file.write_text(json.dumps({"original": original,
                                              "saved_at": time.strftime("%Y-%m-%d %H:%M:%S")}),
                                  encoding="utf-8")
        return self.design_file

    def discard(self) -> None:
        self.design_file.unlink(missing_ok=True)
        self.note_file.unlink(missing_ok=True)

    def close(self) -> None:
        self.discard()
        self.lock.unlock()


def stale() -> list[Found]:
    """Recovery files of windows that are no longer running (their lock is free)."""
    out = []
    for design_file in sorted(recovery_dir().glob("*.toml")):
        lock = QLockFile(str(design_file.with_suffix(".lock")))
        lock.setStaleLockTime(0)
        if not lock.tryLock(0):
            continue                   # a running window's
        note = {}
        try:
            note = json.loads(design_file.with_suffix(".json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            pass
        out.append(Found(design_file, note.get("original"), str(note.get("saved_at", "")), lock))
    return out
