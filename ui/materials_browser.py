"""The materials browser: search the library by id, alias or name, filter by kind and
class, and read every value of a record with its unit, conditions, source (the full
citation) and notes, every value of a property that holds several. Custom materials are
added, duplicated from any record, or edited in the user library (the platform's config
folder, or $ASSLB_DESIGNER_USER_LIBRARY), through `asslb_designer.user_library`, which
validates the whole file with the library validator before anything is written."""

from __future__ import annotations

import html
from typing import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDialog, QDialogButtonBox, QHBoxLayout, QLabel,
                               QLineEdit, QListWidget, QListWidgetItem, QPlainTextEdit,
                               QPushButton, QSplitter, QTextBrowser, QVBoxLayout, QWidget)

from asslb_designer.errors import InputError
from asslb_designer.materials import KINDS, Library, Material, default_library, user_library_path
from asslb_designer.units import KINDS as QUANTITY_KINDS
from asslb_designer import user_library
from .display import pretty_quantity, pretty_unit
from .preferences import error_text_colour

NEW_TEMPLATE = '''[[material]]
id = "my-material"            # unique; no '.' or '|'
kind = "solid_electrolyte"    # {kinds}
name = "what it is"
class = "sulfide"             # family: oxide, sulfide, polymer, graphene, h-BN, TMC, MXene, ...
source = "where the numbers come from (a reference id, or free text)"
density = "2.0 g/cm^3"
ionic_conductivity = {{ value = "1e-3 S/cm", temperature = "25 degC" }}
activation_energy = "0.3 eV"
note = "anything a reader should know"
'''


def matches(library: Library, text: str = "", kind: str | None = None,
            family: str | None = None) -> list[Material]:
    """Records whose id, an alias or the name contains `text` (case-insensitive), of the
    given kind and class (None: any); the exact id or alias first."""
    needle = text.strip().lower()
    found = []
    for m in library.by_kind(kind):
        if family and m.family != family:
            continue
        names = [m.id, *m.aliases, m.name]
        if needle and not any(needle in n.lower() for n in names if n):
            continue
        exact = needle in (n.lower() for n in (m.id, *m.aliases))
        found.append((not exact, m.kind, m.id.lower(), m))
    return [m for *_, m in sorted(found, key=lambda t: t[:3])]


def _unit_of(prop: str) -> str:
    from asslb_designer.materials import PROPERTIES
    kind = PROPERTIES.get(prop, "asr")
    return QUANTITY_KINDS[kind].internal


def _cite(src: str, references: dict) -> str:
    ref = references.get(src)
    if ref is None:
        return f"<i>{html.escape(src)}</i> (free text)"
    link = ref.link
    if link:
        href = link if link.startswith("http") else f"https://doi.org/{ref.doi}"
        link = f' <a href="{html.escape(href)}">{html.escape(link)}</a>'
    via = f" (via {html.escape(ref.via)})" if ref.via else ""
    return f"[{html.escape(src)}] {html.escape(ref.citation)}{link}{via}"


def material_html(m: Material, references: dict, user_path=None) -> str:
    """A record as HTML: every value with its unit, conditions, sources and notes."""
    e = html.escape
    out = [f"<h2>{e(m.id)}</h2>"]
    if m.name:
        out.append(f"<p><b>{e(m.name)}</b></p>")
    facts = [f"kind: <b>{e(m.kind)}</b>"]
    if m.family:
        facts.append(f"class: <b>{e(m.family)}</b>")
    if m.aliases:
        facts.append("aliases: " + ", ".join(e(a) for a in m.aliases))
    out.append("<p>" + " &nbsp;·&nbsp; ".join(facts) + "</p>")
    if m.composition:
        out.append(f"<p>composition: {e(m.composition)}</p>")
    if m.lithium_metal:
        out.append("<p>lithium metal: plates and strips lithium</p>")
    out.append('<table border="1" cellspacing="0" cellpadding="4" width="100%">'
               "<tr><th>property</th><th>value</th><th>at</th><th>source</th>"
               "<th>method, printed, note</th></tr>")
    for prop, values in m.properties.items():
        for i, v in enumerate(values):
            star = " ★" if v.preferred and len(values) > 1 else ""
            at = f"{v.temperature_K - 273.15:.4g} °C" if v.temperature_K else ""
            sources = "<br>".join(_cite(s, references) for s in v.source) or "—"
            extra = "<br>".join(f"<i>{label}:</i> {e(text)}" for label, text in
                                (("method", v.method), ("printed", v.printed),
                                 ("note", v.note)) if text)
            unit = _unit_of(prop)
            internal = f" <span style='color:#707070'>(= {v.value:.4g} {e(pretty_unit(unit))})" \
                "</span>" if unit and v.written and unit.replace("**", "^") not in v.written \
                else ""
            name = e(prop) + (f" ({i + 1} of {len(values)})" if len(values) > 1 else "")
            out.append(f"<tr><td>{name}{star}</td><td>{e(pretty_quantity(v.written))}{internal}</td><td>{at}</td>"
                       f"<td>{sources}</td><td>{extra}</td></tr>")
    out.append("</table>")
    if any(len(vs) > 1 for vs in m.properties.values()):
        out.append("<p>★ the preferred value, which the engine uses; the others are the "
                   "literature's spread.</p>")
    t = m.conductivity_table
    if t is not None:
        rows = "".join(f"<tr><td>{T - 273.15:.4g} °C</td><td>{s:.4g} S/cm</td></tr>"
                       for T, s in zip(t.temperatures_K, t.sigmas_S_cm))
        out.append("<h3>Conductivity table (interpolated in ln σ vs 1/T)</h3>"
                   f'<table border="1" cellspacing="0" cellpadding="4">{rows}</table>'
                   "<p>source: " + "; ".join(_cite(s, references) for s in t.source) + "</p>")
        if t.note:
            out.append(f"<p><i>note:</i> {e(t.note)}</p>")
    if m.tab_materials:
        out.append(f"<p>tab materials (positive, negative): {e(', '.join(m.tab_materials))}</p>")
    if m.source:
        out.append("<p>record source: " + "; ".join(_cite(s, references) for s in m.source)
                   + "</p>")
    if m.note:
        out.append(f"<p><i>note:</i> {e(m.note)}</p>")
    custom = user_path is not None and m.origin == str(user_path)
    out.append(f"<p style='color:#606060'>defined in: {e(m.origin)}"
               + (" (your custom library)" if custom else "") + "</p>")
    return "\n".join(out)


def used_materials(result) -> set[str]:
    """Ids of the materials whose values an evaluation used (from what it cited)."""
    used = set()
    for uses in result.cited.values():
        for what in uses:
            head = what.split(" ")[0]
            used.update(head.split("|"))
    library = result.library
    return {m.id for name in used if library is not None
            for m in [library.find(name)] if m is not None}


class MaterialEditor(QDialog):
    """Edit one record as TOML; Save validates it with the library validator and writes it
    to the user library, or shows the validator's reason and writes nothing."""

    def __init__(self, text: str, replace_id: str | None = None, parent=None,
                 title: str = "Custom material"):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setObjectName("material_editor")
        self.replace_id = replace_id
        self.saved_path = None
        self.editor = QPlainTextEdit(text)
        self.editor.setObjectName("material_editor:text")
        self.editor.setFont(QFontDatabase.systemFont(QFontDatabase.FixedFont))
        self.error = QLabel("")
        self.error.setObjectName("material_editor:error")
        self.error.setWordWrap(True)
        self.error.setStyleSheet(f"color: {error_text_colour()}")
        path = user_library_path()
        where = QLabel(f"Saved to your library: {path}" if path else
                       "No user library (ASSLB_DESIGNER_USER_LIBRARY is empty): cannot save.")
        where.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.Save | QDialogButtonBox.Cancel)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        self.buttons = buttons
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Same format as materials_db/*.toml: every number with its "
                                "unit; a property may hold several values (mark one "
                                "preferred = true)."))
        layout.addWidget(self.editor, 1)
        layout.addWidget(where)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.resize(820, 560)

    def save(self) -> bool:
        try:
            record = user_library.parse_record_text(self.editor.toPlainText())
            self.saved_path = user_library.save_material(record, self.replace_id)
        except InputError as exc:
            self.error.setText(f"Not saved: {exc}")
            return False
        self.error.setText("")
        self.saved_id = record.get("id")
        self.accept()
        return True


class MaterialsBrowser(QWidget):
    """Search, filter and read the library; add, duplicate and edit custom materials."""

    material_saved = Signal(str)      # the id of a custom material just written

    def __init__(self, parent=None, library_loader: Callable[[], Library] = default_library):
        super().__init__(parent)
        self.setObjectName("materials_browser")
        self.library_loader = library_loader
        self.library = library_loader()
        self.search = QLineEdit()
        self.search.setObjectName("materials:search")
        self.search.setPlaceholderText("Search by id, alias or name (e.g. LPSCl, argyrodite, BN)")
        self.search.setClearButtonEnabled(True)
        self.kind_box = QComboBox()
        self.kind_box.setObjectName("materials:kind")
        self.kind_box.addItem("all kinds", None)
        for kind in sorted({m.kind for m in self.library} | set(KINDS)):
            self.kind_box.addItem(kind.replace("_", " "), kind)
        self.used: set[str] = set()
        self.design_only = QCheckBox("only this design's")
        self.design_only.setObjectName("materials:design_only")
        self.design_only.setToolTip("Only the materials whose values the current evaluation used")
        self.design_only.setEnabled(False)
        self.design_only.toggled.connect(self.refresh)
        self.class_box = QComboBox()
        self.class_box.setObjectName("materials:class")
        self._fill_classes()
        self.list = QListWidget()
        self.list.setObjectName("materials:list")
        self.detail = QTextBrowser()
        self.detail.setObjectName("materials:detail")
        self.detail.setOpenExternalLinks(True)
        # a followed link shows another page: the next selection sets its page again
        self.detail.sourceChanged.connect(lambda *_: setattr(self, "_detail_html", None))
        self.count = QLabel("")
        new = QPushButton("New custom material…")
        new.setObjectName("materials:new")
        self.duplicate_button = QPushButton("Duplicate as custom…")
        self.duplicate_button.setObjectName("materials:duplicate")
        self.edit_button = QPushButton("Edit custom…")
        self.edit_button.setObjectName("materials:edit")
        self.edit_button.setToolTip("Only records of your own library can be edited; "
                                    "duplicate a built-in record to change it")
        new.clicked.connect(self.new_material)
        self.duplicate_button.clicked.connect(self.duplicate_material)
        self.edit_button.clicked.connect(self.edit_material)
        filters = QHBoxLayout()
        filters.addWidget(self.search, 2)
        filters.addWidget(self.kind_box, 1)
        filters.addWidget(self.class_box, 1)
        filters.addWidget(self.design_only)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.list, 1)
        left_layout.addWidget(self.count)
        splitter = QSplitter(Qt.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(self.detail)
        splitter.setSizes([330, 950])
        buttons = QHBoxLayout()
        for b in (new, self.duplicate_button, self.edit_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(splitter, 1)
        layout.addLayout(buttons)
        self.search.textChanged.connect(self.refresh)
        self.kind_box.currentIndexChanged.connect(self._kind_changed)
        self.class_box.currentIndexChanged.connect(self.refresh)
        self.list.currentItemChanged.connect(self._selected)
        self.refresh()

    # ---- the view contract: the library as the design sees it (its inline materials too)
    def show_state(self, design, result) -> None:
        self.used = used_materials(result)
        self.design_only.setEnabled(bool(self.used))
        self.library = design.library(self.library_loader())
        self._fill_classes()
        self.refresh()

    def _fill_classes(self) -> None:
        kind = self.kind_box.currentData()
        current = self.class_box.currentData()
        self.class_box.blockSignals(True)
        self.class_box.clear()
        self.class_box.addItem("all classes", None)
        for family in sorted({m.family for m in self.library.by_kind(kind) if m.family},
                             key=str.lower):
            self.class_box.addItem(family, family)
        i = self.class_box.findData(current)
        self.class_box.setCurrentIndex(max(0, i))
        self.class_box.blockSignals(False)

    def _kind_changed(self, *_):
        self._fill_classes()
        self.refresh()

    def results(self) -> list[Material]:
        found = matches(self.library, self.search.text(), self.kind_box.currentData(),
                        self.class_box.currentData())
        if self.design_only.isChecked():
            found = [m for m in found if m.id in self.used]
        return found

    def refresh(self, *_) -> None:
        selected = self.current_id()
        found = self.results()
        self.list.blockSignals(True)
        self.list.clear()
        for m in found:
            item = QListWidgetItem(f"{m.id}   ·  {m.kind.replace('_', ' ')}"
                                   + (f", {m.family}" if m.family else ""))
            item.setData(Qt.UserRole, m.id)
            item.setToolTip(m.name or m.id)
            self.list.addItem(item)
        self.list.blockSignals(False)
        self.count.setText(f"{len(found)} of {len(self.library)} materials")
        ids = [m.id for m in found]
        if ids:
            self.select(selected if selected in ids else ids[0])
        else:
            self.detail.setHtml("<p>No material matches.</p>")
            self._detail_html = None

    def current_id(self) -> str | None:
        item = self.list.currentItem()
        return item.data(Qt.UserRole) if item is not None else None

    def select(self, material_id: str) -> None:
        for i in range(self.list.count()):
            if self.list.item(i).data(Qt.UserRole) == material_id:
                self.list.setCurrentRow(i)
                self._selected(self.list.item(i))
                return

    def _selected(self, item, *_):
        if item is None:
            return
        m = self.library.find(item.data(Qt.UserRole))
        if m is None:
            return
        user = user_library_path()
        html = material_html(m, self.library.references, user)
        # an edit of the design (or the selection signal after select) mostly gives the
        # same page: setHtml lays the whole page out again, so only when it changed
        if html != getattr(self, "_detail_html", None):
            self.detail.setHtml(html)
            self._detail_html = html
        self.edit_button.setEnabled(user is not None and m.origin == str(user))

    # ---- custom materials
    def new_material(self) -> None:
        self._edit(NEW_TEMPLATE.format(kinds=" | ".join(KINDS)), None, "New custom material")

    def duplicate_material(self) -> None:
        m = self.library.find(self.current_id() or "")
        if m is not None:
            text = user_library.record_toml(user_library.material_record(m, f"{m.id}-custom"))
            self._edit(text, None, f"Duplicate {m.id}")

    def edit_material(self) -> None:
        m = self.library.find(self.current_id() or "")
        if m is not None:
            self._edit(user_library.record_toml(user_library.material_record(m)), m.id,
                       f"Edit {m.id}")

    def editor_for(self, text: str, replace_id: str | None, title: str) -> MaterialEditor:
        """The dialog (tests drive it without exec)."""
        dialog = MaterialEditor(text, replace_id, self, title)
        dialog.accepted.connect(lambda: self._saved(dialog))
        return dialog

    def _edit(self, text: str, replace_id: str | None, title: str) -> None:
        self.editor_for(text, replace_id, title).exec()

    def _saved(self, dialog: MaterialEditor) -> None:
        self.reload()
        saved = getattr(dialog, "saved_id", None)
        if saved:
            self.search.setText("")
            self.select(saved)
            self.material_saved.emit(saved)

    def reload(self) -> None:
        """Read the library again (after a custom material was written)."""
        self.library = self.library_loader()
        self._fill_classes()
        self.refresh()
