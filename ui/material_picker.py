"""A material picker: the library's materials of the kinds a place accepts, searchable by
id, alias and name (type any part of one; the popup lists the matches)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QComboBox, QCompleter

from asslb_designer.materials import Library

from .fields import ERROR_STYLE

SEP = " — "


HINT = "type part of an id, alias or name"


def search_text(m) -> str:
    """What a search matches: id, name and aliases."""
    aliases = f" ({', '.join(m.aliases)})" if m.aliases else ""
    return f"{display_text(m)}{aliases}"


def display_text(m) -> str:
    """What the box shows: id and name (the aliases, which made the text too long for the
    form at 1280x800, are in the search and the tooltip)."""
    return f"{m.id}{SEP}{m.name}"


class MaterialPicker(QComboBox):
    """Editable combo box named ``picker:<key>``; emits `submitted(key, id)`."""

    submitted = Signal(str, object)

    def __init__(self, key: str, library: Library, kinds, parent=None, *, allow_none=False):
        super().__init__(parent)
        self._listed = False           # the box shows a listed material (not typed text)
        self._elided: str | None = None  # the shortened text it shows for it, if any
        self.key = key
        self.library = library
        self.error: str | None = None
        self.setObjectName(f"picker:{key}")
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.setMaxVisibleItems(20)
        self.materials = [m for m in library.by_kind() if m.kind in kinds]
        self.materials.sort(key=lambda m: m.id.lower())
        self.search_texts: list[str] = []      # per item: id, name and aliases
        if allow_none:
            none = "none" + SEP + "anode-free (lithium plated from the positive)"
            self.addItem(none, "none")
            self.search_texts.append(none)
        for m in self.materials:
            self.addItem(display_text(m), m.id)
            self.search_texts.append(search_text(m))
            self.setItemData(self.count() - 1, f"{search_text(m)}\n{m.kind}, "
                             f"{m.family or 'no class'}\n" + (m.note or ""),
                             Qt.ItemDataRole.ToolTipRole)
        model = QStandardItemModel(self)
        for text in self.search_texts:
            model.appendRow(QStandardItem(text))
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
        return [self.itemData(i) for i in range(self.count())
                if t in self.search_texts[i].lower()]

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
        self.current_id = material_id
        i = self.findData(material_id) if material_id is not None else -1
        if i < 0 and material_id is not None:
            found = self.library.find(material_id)
            i = self.findData(found.id) if found else -1
        self._listed = i >= 0
        if i >= 0:
            self.setCurrentIndex(i)
            self._fit()
        else:
            self.setEditText(material_id or "")
        self.lineEdit().setCursorPosition(0)     # the id first, not the end of the name
        self.set_error(None)                     # the tooltip: the full text of the choice
        self._quiet = False

    def _fit(self) -> None:
        """Show the listed choice elided to the box's width ("NMC811 — LiNi0.8Mn0.1…"),
        always with its whole id (the text still resolves to the same material when the
        focus leaves); the tooltip holds the full text."""
        edit, i = self.lineEdit(), self.currentIndex()
        if not self._listed or i < 0 or edit.hasFocus() or self.error:
            return
        full = self.itemText(i)
        room = edit.width() - 6
        text = edit.fontMetrics().elidedText(full, Qt.TextElideMode.ElideRight, room)
        if SEP.rstrip() not in text:
            text = str(self.itemData(i))
        self._elided = text if text != full else None
        if text != edit.text():
            quiet, self._quiet = self._quiet, True
            edit.setText(text)
            edit.setCursorPosition(0)
            self._quiet = quiet

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._fit()

    def focusInEvent(self, event) -> None:
        """Editing starts from the full text of the choice (only if the box shows the elided
        text it set itself: never over what the user typed)."""
        i = self.currentIndex()
        elided = self._elided
        if elided is not None and i >= 0 and self.lineEdit().text() == elided:
            self._elided = None
            quiet, self._quiet = self._quiet, True
            self.lineEdit().setText(self.itemText(i))
            self.lineEdit().setCursorPosition(0)
            self._quiet = quiet
        super().focusInEvent(event)

    def focusOutEvent(self, event) -> None:
        super().focusOutEvent(event)
        i = self.currentIndex()
        if i >= 0 and self.lineEdit().text() == self.itemText(i):   # left as it was
            self._fit()

    def set_error(self, reason: str | None) -> None:
        self.error = reason
        self.setStyleSheet(ERROR_STYLE.replace("QLineEdit", "QComboBox") if reason else "")
        if reason:
            self.setToolTip(reason)
        else:
            i = self.currentIndex()
            full = self.search_texts[i] if self._listed \
                and 0 <= i < len(self.search_texts) else self.currentText()
            self.setToolTip(f"{full}\n{HINT}" if full else HINT)
