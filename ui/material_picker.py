"""A material picker: the library's materials of the kinds a place accepts, searchable by
id, alias and name (type any part of one; the popup lists the matches)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QComboBox, QCompleter

from asslb_designer.materials import Library

from .fields import ERROR_STYLE

SEP = " — "


def search_text(m) -> str:
    aliases = f" ({', '.join(m.aliases)})" if m.aliases else ""
    return f"{m.id}{SEP}{m.name}{aliases}"


class MaterialPicker(QComboBox):
    """Editable combo box named ``picker:<key>``; emits `submitted(key, id)`."""

    submitted = Signal(str, object)

    def __init__(self, key: str, library: Library, kinds, parent=None, *, allow_none=False):
        super().__init__(parent)
        self.key = key
        self.library = library
        self.error: str | None = None
        self.setObjectName(f"picker:{key}")
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.setMaxVisibleItems(20)
        self.materials = [m for m in library.by_kind() if m.kind in kinds]
        self.materials.sort(key=lambda m: m.id.lower())
        if allow_none:
            self.addItem("none" + SEP + "anode-free (lithium plated from the positive)", "none")
        for m in self.materials:
            self.addItem(search_text(m), m.id)
            self.setItemData(self.count() - 1, f"{m.kind}, {m.family or 'no class'}\n"
                             + (m.note or ""), Qt.ItemDataRole.ToolTipRole)
        model = QStandardItemModel(self)
        for i in range(self.count()):
            model.appendRow(QStandardItem(self.itemText(i)))
        completer = QCompleter(model, self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.setCompleter(completer)
        self._quiet = False
        self.activated.connect(self._picked)
        self.lineEdit().editingFinished.connect(self._typed)
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.setMinimumContentsLength(14)
        self.current_id: str | None = None

    def matches(self, text: str) -> list[str]:
        """Ids whose id, alias or name contains `text` (case-insensitive)."""
        t = text.strip().lower()
        return [self.itemData(i) for i in range(self.count()) if t in self.itemText(i).lower()]

    def resolve(self, text: str) -> str:
        """The id meant by `text`: a listed entry, an id or alias, or the one match."""
        text = text.strip()
        if SEP in text:
            text = text.split(SEP)[0].strip()
        if text.lower() == "none" and self.findData("none") >= 0:
            return "none"
        m = self.library.find(text)
        if m is not None:
            return m.id
        named = [m.id for m in self.materials if m.name.lower() == text.lower()]
        if len(named) == 1:
            return named[0]
        hits = self.matches(text)
        return hits[0] if len(hits) == 1 else text

    def _picked(self, index: int) -> None:
        if not self._quiet:
            self._submit(self.itemData(index))

    def _typed(self) -> None:
        if self._quiet:
            return
        value = self.resolve(self.lineEdit().text())
        if value != self.current_id or self.error is not None:
            self._submit(value)

    def _submit(self, value: str) -> None:
        if value and (value != self.current_id or self.error is not None):
            self.submitted.emit(self.key, value)

    def set_current(self, material_id: str | None) -> None:
        self._quiet = True
        self.set_error(None)
        self.current_id = material_id
        i = self.findData(material_id) if material_id is not None else -1
        if i < 0 and material_id is not None:
            found = self.library.find(material_id)
            i = self.findData(found.id) if found else -1
        if i >= 0:
            self.setCurrentIndex(i)
        else:
            self.setEditText(material_id or "")
        self.lineEdit().setCursorPosition(0)     # the id first, not the end of the name
        self._quiet = False

    def set_error(self, reason: str | None) -> None:
        self.error = reason
        self.setStyleSheet(ERROR_STYLE.replace("QLineEdit", "QComboBox") if reason else "")
        self.setToolTip(reason or "type part of an id, alias or name")
