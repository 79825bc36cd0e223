"""The open design as the window sees it: the current (last valid) design, its result, the
file it belongs to and an undo stack of design edits.

Every change goes through `apply(edit)`: the edit (asslb_designer.edits) gives a new design,
the engine evaluates it, and only then is it pushed on the QUndoStack. An edit that fails
(the reader or the evaluation raises InputError) changes nothing and is reported through
`rejected`, so the last valid design stays evaluated and shown.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from asslb_designer import InputError, evaluate
from asslb_designer.design import Design
from asslb_designer.edits import SetValues
from asslb_designer.materials import Library, default_library
from asslb_designer.result import Result

_MERGE_ID = 1201


def reason_of(exc: InputError) -> str:
    """The engine's one-line reason, without the (long) file path."""
    return ": ".join(p for p in (exc.key, exc.reason) if p)


class EditCommand(QUndoCommand):
    """One design edit: the design before and after, each with its result."""

    def __init__(self, document: "DesignDocument", edit, before, after):
        super().__init__(getattr(edit, "label", "edit"))
        self.document = document
        self.edit = edit
        self.before = before          # (design, result)
        self.after = after
        self._first = True

    def key(self) -> str | None:
        """The one key a single-value edit sets (consecutive ones of it merge)."""
        if isinstance(self.edit, SetValues) and len(self.edit.updates) == 1:
            return next(iter(self.edit.updates))
        return None

    def id(self) -> int:
        return _MERGE_ID if self.key() is not None else -1

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, EditCommand) or other.key() != self.key():
            return False
        self.after = other.after
        self.edit = other.edit
        if self.after[0].values == self.before[0].values and \
                self.after[0].data == self.before[0].data:
            self.setObsolete(True)        # typed back to where it started: nothing to undo
        return True

    def redo(self) -> None:
        self.document._set_state(*self.after, "edit" if self._first else "redo")
        self._first = False

    def undo(self) -> None:
        self.document._set_state(*self.before, "undo")


class DesignDocument(QObject):
    """Signals: `changed(design, result, why)` after every change of the shown design
    (why: "edit", "undo", "redo", "open"); `rejected(key, reason)` for a refused edit."""

    changed = Signal(object, object, str)
    rejected = Signal(str, str)

    def __init__(self, library: Library | None = None, parent=None):
        super().__init__(parent)
        self.library = library or default_library()
        self.undo_stack = QUndoStack(self)
        self.design: Design | None = None
        self.result: Result | None = None
        self.path: str | None = None

    # -- state
    def evaluate(self, design: Design) -> Result:
        return evaluate(design, self.library)

    def load(self, design: Design, path: str | None, *, clean: bool = True) -> Result:
        """Show `design` (already read); raises InputError if it does not evaluate."""
        result = self.evaluate(design)
        self.undo_stack.clear()
        self.path = path
        self._set_state(design, result, "open")
        if clean:
            self.undo_stack.setClean()
        else:
            self.undo_stack.resetClean()
        return result

    def _set_state(self, design: Design, result: Result, why: str) -> None:
        self.design, self.result = design, result
        self.changed.emit(design, result, why)

    @property
    def modified(self) -> bool:
        return not self.undo_stack.isClean()

    # -- edits
    def apply(self, edit) -> bool:
        """Apply an edit; True if it gave a valid design (now shown and undoable)."""
        if self.design is None:
            return False
        try:
            if isinstance(edit, SetValues) and edit.library is None:
                edit = SetValues(edit.updates, self.library)
            new = edit.apply(self.design)
            result = self.evaluate(new)
        except InputError as exc:
            key = exc.key or (next(iter(edit.updates)) if isinstance(edit, SetValues) else "")
            self.rejected.emit(key or "", reason_of(exc))
            return False
        except Exception as exc:      # an engine bug must not take the window down
            self.rejected.emit("", f"internal error: {type(exc).__name__}: {exc} (please "
                                   "report it; the design is unchanged)")
            return False
        self.undo_stack.push(EditCommand(self, edit, (self.design, self.result), (new, result)))
        return True
