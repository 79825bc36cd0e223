"""The stack editor: the layers from the negative to the positive collector, and a form
for the selected layer. A thin view: every change is an edit (asslb_designer.edits) sent
to the window through `edit_requested(edit, widget)`; the widget turns red if refused.
"""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (QAbstractItemView, QFormLayout, QHBoxLayout, QHeaderView,
                               QLabel, QMenu, QPushButton, QStackedWidget, QStyledItemDelegate,
                               QTableWidget, QTableWidgetItem, QToolButton, QVBoxLayout,
                               QWidget)

from asslb_designer.design import Design, Layer
from asslb_designer.edits import (LAYER_TEMPLATES, AddLayer, DuplicateLayer, MoveLayer,
                                  RemoveLayer, SetValues, accepted_kinds, switch)
from asslb_designer.errors import InputError

from .display import DisplayUnits, convert, pretty_unit, sig
from .fields import ChoiceBox, QuantityField, unit_hint
from .material_picker import MaterialPicker
from .preferences import error_text_colour

ROLE_LABELS = {"current_collector": "current collector", "anode": "anode (negative)",
               "interlayer": "interlayer", "separator": "separator",
               "cathode": "cathode (positive)"}
SIZING_LABELS = {"loading": "active loading", "thickness": "thickness",
                 "areal_capacity": "areal capacity", "np_ratio": "N/P ratio",
                 "porosity": "porosity", "density": "coating density"}
FRACTIONS = ("active", "electrolyte", "carbon", "binder")


def structure(design: Design) -> tuple:
    """What decides which widgets the forms hold (not the numbers in them)."""
    layers = tuple((ly.role, ly.composite, ly.sizing, ly.pores, ly.anode_free,
                    tuple(k.split(".", 1)[1] for k in design.values if k.startswith(ly.key + ".")))
                   for ly in design.layers)
    return layers, tuple(m.id for m in design.materials)


class LayerTable(QTableWidget):
    """The stack as a table; drag a row, or Alt+Up/Down, to reorder (Delete and Ctrl+D are
    the main window's Remove and Duplicate layer actions)."""

    move_requested = Signal(int, int)       # 1-based from, to

    COLUMNS = ("#", "role", "material", "thickness", "areal mass")

    def __init__(self, parent=None):
        super().__init__(0, len(self.COLUMNS), parent)
        self.setObjectName("layers")
        self.setHorizontalHeaderLabels(list(self.COLUMNS))
        self.verticalHeader().setVisible(False)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.setDragEnabled(True)
        self.setAcceptDrops(True)
        self.setDropIndicatorShown(True)
        self.setDragDropOverwriteMode(False)
        self.setWordWrap(False)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.setItemDelegateForColumn(2, MaterialDelegate(self))
        self.setToolTip("The stack from the negative current collector (top) to the positive "
                        "one. Drag a row or press Alt+Up/Alt+Down to move a layer, Delete to "
                        "remove it, Ctrl+D to duplicate it.")

    def selected_index(self) -> int | None:
        rows = self.selectionModel().selectedRows()
        return rows[0].row() + 1 if rows else None

    def dropEvent(self, event):
        source = self.selected_index()
        target = self.indexAt(event.position().toPoint()).row()
        event.ignore()                      # the design, not Qt, moves the row
        if source is None:
            return
        n = self.rowCount()
        to = n if target < 0 else target + 1
        if to != source:
            self.move_requested.emit(source, to)

    def keyPressEvent(self, event):
        i = self.selected_index()
        mods = event.modifiers()
        if i is not None:
            if mods & Qt.KeyboardModifier.AltModifier and event.key() == Qt.Key.Key_Up and i > 1:
                self.move_requested.emit(i, i - 1)
                return
            if mods & Qt.KeyboardModifier.AltModifier and event.key() == Qt.Key.Key_Down \
                    and i < self.rowCount():
                self.move_requested.emit(i, i + 1)
                return
        super().keyPressEvent(event)

    def show_state(self, design: Design, result, units: DisplayUnits) -> None:
        keep = self.selected_index()
        self.blockSignals(True)
        self.setRowCount(len(design.layers))
        for r, layer in enumerate(design.layers):
            row = result.layers[r] if result is not None and r < len(result.layers) else {}
            thickness = row.get("thickness")
            mass = row.get("areal_mass")
            cells = [str(layer.index), ROLE_LABELS[layer.role], _material_label(layer),
                     f"{sig(convert(float(thickness), 'um', units.thickness))} "
                     f"{pretty_unit(units.thickness)}" if thickness is not None else "",
                     f"{sig(convert(float(mass), 'mg/cm^2', units.loading))} "
                     f"{pretty_unit(units.loading)}" if mass is not None else ""]
            for c, text in enumerate(cells):
                item = self.item(r, c)
                if item is None:
                    item = QTableWidgetItem(text)
                    item.setFlags(Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEnabled
                                  | Qt.ItemFlag.ItemIsDragEnabled)
                    if c >= 3:
                        item.setTextAlignment(Qt.AlignmentFlag.AlignRight
                                              | Qt.AlignmentFlag.AlignVCenter)
                    self.setItem(r, c, item)
                elif item.text() != text:
                    item.setText(text)
                if c == 2:
                    item.setToolTip(text)
                    item.setData(PARTS_ROLE, _material_parts(layer))
        self.blockSignals(False)
        if keep is not None and keep <= self.rowCount():
            self.select(keep)

    def select(self, index: int) -> None:
        if 1 <= index <= self.rowCount():
            self.selectionModel().select(
                self.model().index(index - 1, 0),
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows)
            self.setCurrentCell(index - 1, 0)


def _material_parts(layer: Layer) -> list[str]:
    if layer.composite:
        return [layer.active] + [p for p in (layer.electrolyte, layer.carbon, layer.binder) if p]
    return ["none (anode-free)" if layer.anode_free else (layer.material or "")]


def _material_label(layer: Layer) -> str:
    return " + ".join(_material_parts(layer))


PARTS_ROLE = Qt.ItemDataRole.UserRole + 1     # a material cell's parts, for eliding by part


def fitted_parts(parts: list[str], width: float, fm) -> str:
    """The composite's parts that fit in `width` px, the rest counted: 'NMC811 + Li6PS5Cl'
    in full if it fits, else 'NMC811 + Li6PS5Cl +2', 'NMC811 +3'; the first part elided
    as a last resort. The cell's tooltip holds the full text."""
    full = " + ".join(parts)
    if fm.horizontalAdvance(full) <= width or len(parts) < 2:
        return fm.elidedText(full, Qt.TextElideMode.ElideRight, int(width))
    for n in range(len(parts) - 1, 0, -1):
        text = f"{' + '.join(parts[:n])} +{len(parts) - n}"
        if fm.horizontalAdvance(text) <= width:
            return text
    return fm.elidedText(f"{parts[0]} +{len(parts) - 1}", Qt.TextElideMode.ElideRight,
                         int(width))


class MaterialDelegate(QStyledItemDelegate):
    """Draws a material cell with `fitted_parts`: a composite keeps whole material names and
    says how many more it holds, instead of a name cut in the middle."""

    PADDING = 10      # px of the cell's margins (Fusion: about 4 px each side)

    def initStyleOption(self, option, index) -> None:
        super().initStyleOption(option, index)
        parts = index.data(PARTS_ROLE)
        if parts:
            option.text = self.shown_text(parts, option.rect.width(), option.fontMetrics)

    def shown_text(self, parts, width, fm) -> str:
        return fitted_parts(list(parts), width - self.PADDING, fm)


class LayerForm(QWidget):
    """The form of one layer: its material pickers, quantity fields and sizing choice."""

    edit_requested = Signal(object, object)     # edit, the widget to mark if refused

    def __init__(self, design: Design, layer: Layer, library, units: DisplayUnits, parent=None):
        super().__init__(parent)
        self.layer = layer
        self.units = units
        self.fields: list[QuantityField] = []
        self.pickers: list[MaterialPicker] = []
        self.choices: dict[str, ChoiceBox] = {}
        self.library = design.library(library)
        self.result = None
        self.design = design
        form = QFormLayout(self)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        k = layer.key
        title = QLabel(f"<b>Layer {layer.index}: {ROLE_LABELS[layer.role]}</b>")
        form.addRow(title)
        if layer.composite:
            self._picker(form, f"{k}.active", "active material", "active")
            sizes = ("loading", "thickness", "areal_capacity") + \
                (("np_ratio",) if layer.role == "anode" else ())
            self._sizing(form, "sizing", sizes, layer.sizing)
            self.fractions = FractionEditor(layer, self)
            self.fractions.edit_requested.connect(self.edit_requested)
            self.fields += self.fractions.fields
            form.addRow("mass fractions", self.fractions)
            for part, label in (("electrolyte", "catholyte" if layer.role == "cathode"
                                 else "electrolyte"), ("carbon", "carbon"), ("binder", "binder")):
                self._picker(form, f"{k}.{part}", label, part)
            self._sizing(form, "pores", ("porosity", "density"), layer.pores)
            self._field(form, f"{k}.swelling", "swelling", optional=True,
                        placeholder="as the record says")
        else:
            self._picker(form, f"{k}.material", "material", "material",
                         allow_none=layer.role == "anode")
            if layer.role == "anode" and not layer.anode_free:
                self._sizing(form, "sizing", ("thickness", "np_ratio", "areal_capacity"),
                             layer.sizing)
                self._field(form, f"{k}.swelling", "swelling", optional=True,
                            placeholder="none")
            elif layer.role != "anode":
                self._field(form, f"{k}.thickness", "thickness")
                if layer.role != "current_collector":
                    self._field(form, f"{k}.porosity", "porosity", optional=True,
                                placeholder="0 (dense)")

    # -- builders
    def _field(self, form, key, label, *, optional=False, placeholder=""):
        f = QuantityField(key, self, optional=optional, placeholder=placeholder)
        f.set_help(f"{key}: {unit_hint(self.design, key, self.units)}"
                   + ("; leave empty for the default" if optional else ""))
        f.submitted.connect(lambda key, value, f=f: self.edit_requested.emit(
            SetValues({key: value}), f))
        self.fields.append(f)
        form.addRow(label, f)
        return f

    def _picker(self, form, key, label, part, allow_none=False):
        p = MaterialPicker(key, self.library, accepted_kinds(self.layer.role, part), self,
                           allow_none=allow_none)
        p.submitted.connect(lambda key, value, p=p: self.edit_requested.emit(
            SetValues({key: value}), p))
        self.pickers.append(p)
        form.addRow(label, p)

    def _sizing(self, form, name, options, current):
        """A choice of how the layer is sized (or its pores given), and that value's field."""
        box = ChoiceBox(f"{self.layer.key}.{name}", options, self, SIZING_LABELS)
        box.set_current(current)
        box.setToolTip("switch keeps the design as it is: the new value is computed by the "
                       "engine from the current result")
        self.choices[name] = box
        row = QWidget(self)
        h = QHBoxLayout(row)
        h.setContentsMargins(0, 0, 0, 0)
        h.addWidget(box)
        key = f"{self.layer.key}.{current}"
        f = QuantityField(key, row)
        f.set_help(f"{key}: {unit_hint(self.design, key, self.units)}")
        f.submitted.connect(lambda key, value, f=f: self.edit_requested.emit(
            SetValues({key: value}), f))
        self.fields.append(f)
        h.addWidget(f, 1)
        form.addRow("sized by" if name == "sizing" else "pores by", row)
        box.chosen.connect(lambda new, old=current, box=box: self._switch(old, new, box))

    def _switch(self, old: str, new: str, box: ChoiceBox) -> None:
        if old == new or self.result is None:
            return
        k = self.layer.key
        try:
            edit = switch(self.design, self.result, f"{k}.{old}", f"{k}.{new}")
        except InputError:
            edit = SetValues({f"{k}.{old}": None, f"{k}.{new}": ""})
        self.edit_requested.emit(edit, box)
        box.set_current(old)            # the rebuilt form shows the new choice if it held

    # -- state
    def show_state(self, design: Design, result, units: DisplayUnits, force=False) -> None:
        self.design, self.result, self.units = design, result, units
        layer = design.layers[self.layer.index - 1]
        for f in self.fields:
            f.show_value(design, units, force=force)
        for p in self.pickers:
            part = p.key.rsplit(".", 1)[1]
            p.set_current(getattr(layer, part))
        if layer.composite:
            self.fractions.show_sum(design)


class FractionEditor(QWidget):
    """The four mass fractions of a composite and their sum. Editing one sends all four,
    so a user can change two in turn: the first shows the off sum in red until the
    second brings it back to 1."""

    edit_requested = Signal(object, object)

    def __init__(self, layer: Layer, parent=None):
        super().__init__(parent)
        self.layer = layer
        h = QHBoxLayout(self)
        h.setContentsMargins(0, 0, 0, 0)
        self.fields = []
        for part in FRACTIONS:
            f = QuantityField(f"{layer.key}.fractions.{part}", self, optional=part != "active")
            f.set_help(f"mass fraction of the {part} (0 to 1); the four sum to 1")
            f.setPlaceholderText(part)
            f.setMinimumWidth(44)
            f.submitted.connect(lambda key, value, f=f: self._submit(f))
            self.fields.append(f)
            col = QVBoxLayout()
            col.setSpacing(0)
            small = QLabel(part)
            small.setStyleSheet("font-size: 8pt; color: palette(mid);")
            col.addWidget(small)
            col.addWidget(f)
            h.addLayout(col)
        self.sum_label = QLabel(self)
        self.sum_label.setObjectName(f"sum:{layer.key}.fractions")
        col = QVBoxLayout()
        col.setSpacing(0)
        small = QLabel("sum")
        small.setStyleSheet("font-size: 8pt; color: palette(mid);")
        col.addWidget(small)
        col.addWidget(self.sum_label)
        h.addLayout(col)

    def typed(self) -> dict:
        out = {}
        for f in self.fields:
            text = f.text().strip()
            try:
                out[f.key] = float(text) if text else (None if f.optional else text)
            except ValueError:
                out[f.key] = text
        return out

    def _submit(self, field: QuantityField) -> None:
        values = self.typed()
        self._update_sum(values)
        self.edit_requested.emit(SetValues(values), field)

    def _update_sum(self, values: dict) -> None:
        try:
            total = sum(float(v) for v in values.values() if v is not None)
        except (TypeError, ValueError):
            self.sum_label.setText("?")
            return
        ok = abs(total - 1) <= 1e-6
        self.sum_label.setText(f"{total:.3f}")
        self.sum_label.setStyleSheet(
            "" if ok else f"color: {error_text_colour()}; font-weight: bold;")
        self.sum_label.setToolTip("the mass fractions sum to 1" if ok else
                                  f"the mass fractions sum to {total:.4g}: they must sum to 1")

    def show_sum(self, design: Design) -> None:
        if any(f.error for f in self.fields):
            self._update_sum(self.typed())
            return
        self._update_sum({f.key: design.values.get(f.key, 0.0) for f in self.fields})


class StackEditor(QWidget):
    """Layer table, buttons, and the selected layer's form."""

    edit_requested = Signal(object, object)
    layer_selected = Signal(int)

    def __init__(self, library, units: DisplayUnits, parent=None):
        super().__init__(parent)
        self.setObjectName("stack_editor")
        self.library = library
        self.units = units
        self.design: Design | None = None
        self.result = None
        self._structure = None
        self.forms: list[LayerForm] = []
        v = QVBoxLayout(self)
        v.setContentsMargins(0, 0, 0, 0)
        self.table = LayerTable(self)
        v.addWidget(self.table, 2)
        buttons = QHBoxLayout()
        self.add_button = QToolButton(self)
        self.add_button.setObjectName("button:add_layer")
        self.add_button.setText("Add layer")
        self.add_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(self.add_button)
        for role in ("interlayer", "separator", "current_collector"):
            act = QAction(f"{ROLE_LABELS[role]} after the selected layer", menu)
            act.setObjectName(f"action:add_{role}")
            act.triggered.connect(lambda checked=False, role=role: self.add_layer(role))
            menu.addAction(act)
        self.add_button.setMenu(menu)
        self.add_button.setToolTip("Insert a new layer after the selected one")
        buttons.addWidget(self.add_button)
        self.buttons = {}
        for name, text, tip in (("remove", "Remove", "Remove the selected layer (Delete)"),
                                ("duplicate", "Duplicate", "Copy the selected layer (Ctrl+D)"),
                                ("up", "▲ Up", "Move the selected layer up (Alt+Up)"),
                                ("down", "▼ Down", "Move the selected layer down (Alt+Down)")):
            b = QPushButton(text, self)
            b.setObjectName(f"button:{name}_layer")
            b.setToolTip(tip)
            buttons.addWidget(b)
            self.buttons[name] = b
        buttons.addStretch(1)
        v.addLayout(buttons)
        self.buttons["remove"].clicked.connect(lambda: self._on_selected(self.remove_layer))
        self.buttons["duplicate"].clicked.connect(lambda: self._on_selected(self.duplicate_layer))
        self.buttons["up"].clicked.connect(lambda: self._on_selected(lambda i: self.move_layer(i, i - 1)))
        self.buttons["down"].clicked.connect(lambda: self._on_selected(lambda i: self.move_layer(i, i + 1)))
        self.table.move_requested.connect(self.move_layer)
        self.form_stack = QStackedWidget(self)
        self.form_stack.setObjectName("layer_forms")
        self.table.itemSelectionChanged.connect(self._selection_changed)

    # -- actions
    def _on_selected(self, fn) -> None:
        i = self.table.selected_index()
        if i is not None:
            fn(i)

    def add_layer(self, role: str) -> None:
        i = self.table.selected_index() or max(1, len(self.design.layers) - 2)
        self._pending_select = i + 1
        self.edit_requested.emit(AddLayer(i + 1, role, LAYER_TEMPLATES[role]), self.table)

    def remove_layer(self, i: int) -> None:
        self._pending_select = max(1, i - 1)
        self.edit_requested.emit(RemoveLayer(i), self.table)

    def duplicate_layer(self, i: int) -> None:
        self._pending_select = i + 1
        self.edit_requested.emit(DuplicateLayer(i), self.table)

    def move_layer(self, i: int, to: int) -> None:
        if not 1 <= to <= len(self.design.layers):
            return
        self._pending_select = to
        self.edit_requested.emit(MoveLayer(i, to), self.table)

    def select_layer(self, index: int) -> None:
        self.table.select(index)

    def selected_index(self) -> int | None:
        """The selected layer, 1-based."""
        return self.table.selected_index()

    def _selection_changed(self) -> None:
        i = self.table.selected_index()
        if i is not None and i <= len(self.forms):
            self.form_stack.setCurrentIndex(i - 1)
            self.layer_selected.emit(i)

    # -- state
    def show_state(self, design: Design, result, why: str = "edit") -> None:
        selected = getattr(self, "_pending_select", None) or self.table.selected_index() or 1
        self._pending_select = None
        self.design, self.result = design, result
        self.table.show_state(design, result, self.units)
        shape = structure(design)
        if shape != self._structure:
            self._rebuild(design)
            self._structure = shape
        for form in self.forms:
            form.show_state(design, result, self.units, force=why != "edit")
        self.table.select(min(selected, len(design.layers)))
        self._selection_changed()

    def _rebuild(self, design: Design) -> None:
        while self.form_stack.count():
            w = self.form_stack.widget(0)
            self.form_stack.removeWidget(w)
            w.setParent(None)           # gone from findChild at once, freed later
            w.deleteLater()
        self.forms = []
        for layer in design.layers:
            form = LayerForm(design, layer, self.library, self.units, self.form_stack)
            form.edit_requested.connect(self.edit_requested)
            self.forms.append(form)
            self.form_stack.addWidget(form)

    def fields(self) -> list[QuantityField]:
        return [f for form in self.forms for f in form.fields]

    def pickers(self) -> list[MaterialPicker]:
        return [p for form in self.forms for p in form.pickers]
