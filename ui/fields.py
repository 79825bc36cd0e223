"""Editors bound to one design key: quantity fields and choice boxes.

A `QuantityField` is a QLineEdit named ``field:<key>`` that accepts any compatible unit
("30 um", "0.03 mm"); it applies on Enter or when it loses focus, and otherwise shows the
value in the display unit. A refused entry turns it red, with the engine's one-line reason
as its tooltip, and the typed text stays.
"""

from __future__ import annotations

import re

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QComboBox, QLineEdit

from asslb_designer.design import Design, value_kind
from asslb_designer.edits import get_written
from asslb_designer.errors import InputError
from asslb_designer.units import KINDS

from .display import DisplayUnits, convert, pretty_unit, short

ERROR_STYLE = "QLineEdit { background: #ffd8d8; border: 1px solid #d00000; color: #000; }"
_PLAIN_NUMBER = re.compile(r"^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$")


def typed_value(text: str):
    """What a field's text becomes in the design file: a plain number stays a TOML number
    (0.1, 20), anything else the string as typed ("30 um")."""
    text = text.strip()
    if _PLAIN_NUMBER.match(text):
        number = float(text)
        if number.is_integer() and not re.search(r"[.eE]", text):
            return int(text)
        return number
    return text


class QuantityField(QLineEdit):
    """A line edit for the design value at `key`. Emits `submitted(key, value)`."""

    submitted = Signal(str, object)

    def __init__(self, key: str, parent=None, *, optional: bool = False, placeholder: str = ""):
        super().__init__(parent)
        self.key = key
        self.optional = optional      # empty text removes the key
        self.error: str | None = None
        self.setObjectName(f"field:{key}")
        self.setPlaceholderText(placeholder)
        self._help = ""
        self.editingFinished.connect(self._finished)
        self._last_submitted: str | None = None

    def set_help(self, text: str) -> None:
        self._help = text
        if self.error is None:
            self.setToolTip(text)

    def _finished(self) -> None:
        if not self.isModified() and self.error is None:
            return
        text = self.text()
        if self.error is not None and text == self._last_submitted and not self.isModified():
            return                     # the same refused text: do not ask twice
        self._last_submitted = text
        self.setModified(False)
        if not text.strip():
            if self.optional:
                self.submitted.emit(self.key, None)
                return
        self.submitted.emit(self.key, typed_value(text))

    def show_value(self, design: Design, units: DisplayUnits, *, force: bool = False) -> None:
        """Show the design's value in the display unit (or as written); a field the user is
        typing in, or one holding a refused entry, keeps its text unless `force`."""
        if not force and (self.error is not None or (self.hasFocus() and self.isModified())):
            return
        self.set_error(None)
        self.setText(display_text(design, self.key, units))
        self.setModified(False)

    def set_error(self, reason: str | None) -> None:
        self.error = reason
        self.setStyleSheet(ERROR_STYLE if reason else "")
        self.setToolTip(reason if reason else self._help)


def display_text(design: Design, key: str, units: DisplayUnits) -> str:
    """The text a field shows for `key`: the value in the display unit of its kind, or the
    value as the user wrote it when the kind has no display unit; '' when unset."""
    if not design.has(key):
        return ""
    value = design.values[key]
    try:
        kind = value_kind(design, key)
    except InputError:
        kind = None
    # display units are for the stack's layers (thickness, loading); a cell's width or a
    # plate's thickness shows as written
    target = units.for_kind(kind) if kind and key.startswith("layer[") else None
    if target is not None:
        try:
            shown = convert(float(value), KINDS[kind].internal, target)
            return f"{short(shown)} {target}"
        except (TypeError, ValueError):
            pass
    written = get_written(design, key)
    if written is None:
        return short(float(value))
    return str(written)


def unit_hint(design: Design, key: str, units: DisplayUnits) -> str:
    try:
        kind = value_kind(design, key)
    except InputError:
        return ""
    k = KINDS.get(kind)
    if k is None or kind == "dimensionless":
        return "a number, e.g. 0.5"
    target = units.for_kind(kind) or k.internal
    return f"any {kind.replace('_', ' ')} unit, e.g. {k.example!r} (shown in {pretty_unit(target)})"


class ChoiceBox(QComboBox):
    """A combo box for a text option of the design (cell.format, how a layer is sized, ...).
    Emits `chosen(value)` only for a user's choice, never while being refreshed."""

    chosen = Signal(str)

    def __init__(self, name: str, options, parent=None, labels: dict | None = None):
        super().__init__(parent)
        self.setObjectName(f"choice:{name}")
        for option in options:
            self.addItem((labels or {}).get(option, option), option)
        self._quiet = False
        self.activated.connect(lambda i: self._quiet or self.chosen.emit(self.itemData(i)))
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

    def set_current(self, value: str) -> None:
        self._quiet = True
        i = self.findData(value)
        if i >= 0:
            self.setCurrentIndex(i)
        self._quiet = False
