"""Autosave of unsaved work to a recovery file, offered back after a crash.

Each running window owns one recovery design file (TOML, written by the same writer as
File > Save; never pickle) plus a small JSON note of the file it belongs to, and holds a
QLockFile while it runs. A recovery file whose lock is free on the next start belongs to
a window that did not close normally: it is offered back. A clean close removes it.

A killed app leaves its lock file behind. QLockFile frees a lock whose process is gone,
but not one that names this very process id (a container restarts the app under the pid
the killed one had) nor one left unreadable (killed while writing it); `stale` frees
those too, and removes lock files that no recovery file belongs to.
"""

from __future__ import annotations

import json
import os
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

    def set_aside(self) -> Path:
        """Keep a recovery file that cannot be read under a name never offered again."""
        aside = self.design_file.with_name(self.design_file.name + ".unreadable")
        self.design_file.replace(aside)
        self.design_file.with_suffix(".json").unlink(missing_ok=True)
        self.lock.unlock()
        self.design_file.with_suffix(".lock").unlink(missing_ok=True)
        return aside


_HELD: set[str] = set()           # the recovery files this process's windows hold
UNREADABLE_LOCK_AGE_S = 10.0      # an unreadable lock this old is no start in progress


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
        _HELD.add(self.name)
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
        _HELD.discard(self.name)


def _take(lock_file: Path) -> QLockFile | None:
    """The lock of a window that is no longer running, now held by us; None while its
    window runs (in this process or another)."""
    lock = QLockFile(str(lock_file))
    lock.setStaleLockTime(0)
    if lock.tryLock(0):
        return lock
    if lock_file.stem in _HELD:
        return None                    # a window of this process
    pid = lock.getLockInfo()[0]          # PySide6: (pid, host, app), pid 0 if unreadable
    readable = pid > 0
    if readable and pid != os.getpid():
        return None                    # a window running in another process
    if not readable:
        try:
            age = time.time() - lock_file.stat().st_mtime
        except OSError:
            return None
        if age < UNREADABLE_LOCK_AGE_S:
            return None                # perhaps a window starting right now
    # left by a killed process: one that had our pid, or one killed mid-write. A lock
    # still held (flock) by a live QLockFile is never removed by removeStaleLockFile.
    lock.removeStaleLockFile()
    return lock if lock.tryLock(0) else None


def stale() -> list[Found]:
    """Recovery files of windows that are no longer running (their lock is free). Lock
    files of windows that ended without a recovery file are removed on the way."""
    folder = recovery_dir()
    for lock_file in folder.glob("*.lock"):
        if not lock_file.with_suffix(".toml").exists():
            lock = _take(lock_file)
            if lock is not None:
                lock.unlock()          # unlock() removes the file
                lock_file.with_suffix(".json").unlink(missing_ok=True)
    out = []
    for design_file in sorted(folder.glob("*.toml")):
        lock = _take(design_file.with_suffix(".lock"))
        if lock is None:
            continue                   # a running window's
        note = {}
        try:
            note = json.loads(design_file.with_suffix(".json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            pass
        out.append(Found(design_file, note.get("original"), str(note.get("saved_at", "")), lock))
    return out
