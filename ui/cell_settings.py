"""The cell around the stack: format, temperature, rate, electrode size, unit cells,
packaging, stack-pressure hardware, formation loss. Fields and choices bound to the
``cell.*`` keys of the design; switches between alternative keys keep the evaluated design
(C-rate <-> current density through `edits.switch`)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFormLayout, QGroupBox, QHBoxLayout, QVBoxLayout, QWidget

from asslb_designer.design import END_ELECTRODES, FORMATS, PLATING, Design
from asslb_designer.edits import SetValues, switch
from asslb_designer.errors import InputError

from .display import DisplayUnits
from .fields import ChoiceBox, QuantityField, unit_hint
from .material_picker import MaterialPicker

FORMAT_LABELS = {"stacked": "stacked (double-sided electrodes)", "single": "single (lab cell)",
                 "bipolar": "bipolar"}
RATE_LABELS = {"c_rate": "C-rate", "current_density": "current density"}
SIZE_LABELS = {"none": "not given (stack level only)", "width_height": "width x height",
               "area": "area"}
HARDWARE_LABELS = {"none": "none", "end_plates": "end plates (sized from the pressure)",
                   "custom": "custom (mass and thickness)"}
NEW_HARDWARE = {
    "end_plates": {"kind": "end_plates", "stack_pressure": "1 MPa", "material": "Al-6061-T6"},
    "custom": {"kind": "custom", "mass": "20 g", "thickness": "10 mm"},
}


def cell_structure(design: Design) -> tuple:
    data = design.data or {}
    cell = data.get("cell", {}) if isinstance(data.get("cell", {}), dict) else {}
    return (tuple(sorted(k for k in design.values if k.startswith("cell."))),
            isinstance(cell.get("packaging"), dict),
            design.hardware.kind if design.hardware else None)


class CellSettings(QWidget):
    edit_requested = Signal(object, object)

    def __init__(self, library, units: DisplayUnits, parent=None):
        super().__init__(parent)
        self.setObjectName("cell_settings")
        self.library = library
        self.units = units
        self.design = None
        self.result = None
        self._structure = None
        self.fields: list[QuantityField] = []
        self.pickers: list[MaterialPicker] = []
        self.box = QVBoxLayout(self)
        self.box.setContentsMargins(0, 0, 0, 0)
        self.inner = None

    def _emit(self, edit, widget) -> None:
        self.edit_requested.emit(edit, widget)

    def _field(self, form, key, label, *, optional=False, placeholder=""):
        f = QuantityField(key, self.inner, optional=optional, placeholder=placeholder)
        f.set_help(f"{key}: {unit_hint(self.design, key, self.units)}"
                   + ("; leave empty for the default" if optional else ""))
        f.submitted.connect(lambda key, value, f=f: self._emit(SetValues({key: value}), f))
        self.fields.append(f)
        form.addRow(label, f)
        return f

    def _choice(self, form, name, options, current, labels, on_choose, label):
        box = ChoiceBox(name, options, self.inner, labels)
        box.set_current(current)
        box.chosen.connect(lambda value, box=box: on_choose(value, box))
        form.addRow(label, box)
        return box

    def _build(self, design: Design) -> None:
        if self.inner is not None:
            self.box.removeWidget(self.inner)
            self.inner.setParent(None)
            self.inner.deleteLater()
        self.fields, self.pickers = [], []
        self.inner = QWidget(self)
        v = QVBoxLayout(self.inner)
        v.setContentsMargins(0, 0, 0, 0)
        self.box.addWidget(self.inner)
        lib = design.library(self.library)

        general = QGroupBox("Operation", self.inner)
        form = QFormLayout(general)
        self._choice(form, "cell.format", FORMATS, design.format, FORMAT_LABELS,
                     lambda value, box: self._emit(SetValues({"cell.format": value}), box),
                     "format")
        self._field(form, "cell.temperature", "temperature", optional=True,
                    placeholder="25 degC")
        rate = "current_density" if design.has("cell.current_density") else "c_rate"
        row = QWidget(general)
        h = QHBoxLayout(row)
        h.setContentsMargins(0, 0, 0, 0)
        box = ChoiceBox("cell.rate", ("c_rate", "current_density"), row, RATE_LABELS)
        box.set_current(rate)
        box.chosen.connect(lambda value, box=box, old=rate: self._switch(
            f"cell.{old}", f"cell.{value}", box))
        h.addWidget(box)
        f = QuantityField(f"cell.{rate}", row, optional=True, placeholder="0.333 (C/3)")
        f.set_help(f"cell.{rate}: {unit_hint(design, f'cell.{rate}', self.units)}")
        f.submitted.connect(lambda key, value, f=f: self._emit(SetValues({key: value}), f))
        self.fields.append(f)
        h.addWidget(f, 1)
        form.addRow("discharge rate", row)
        self._field(form, "cell.formation_loss", "formation loss", optional=True,
                    placeholder="0")
        self._choice(form, "cell.end_electrode", END_ELECTRODES, design.end_electrode, None,
                     lambda value, box: self._emit(SetValues({"cell.end_electrode": value}), box),
                     "end electrode")
        self._choice(form, "cell.plated_lithium", PLATING, design.plated_lithium, None,
                     lambda value, box: self._emit(SetValues({"cell.plated_lithium": value}), box),
                     "plated lithium from")
        v.addWidget(general)

        size = QGroupBox("Cell (for cell-level figures)", self.inner)
        form = QFormLayout(size)
        mode = "area" if design.has("cell.electrode_area") else \
            "width_height" if design.has("cell.electrode_width") else "none"
        self._choice(form, "cell.electrode_size", ("none", "width_height", "area"), mode,
                     SIZE_LABELS, self._size_mode, "electrode size")
        if mode == "width_height":
            self._field(form, "cell.electrode_width", "electrode width")
            self._field(form, "cell.electrode_height", "electrode height")
        elif mode == "area":
            self._field(form, "cell.electrode_area", "electrode area")
        self._field(form, "cell.unit_cells", "unit cells", optional=True,
                    placeholder="needed for cell figures")
        self._field(form, "cell.extra_mass", "extra mass", optional=True, placeholder="0 g")
        packagings = [m.id for m in lib.by_kind("packaging")]
        data_cell = (design.data or {}).get("cell", {})
        inline = isinstance(data_cell.get("packaging"), dict)
        current = "inline" if inline else (design.packaging.record if design.packaging else "none")
        options = ["none"] + packagings + (["inline"] if inline else [])
        self._choice(form, "cell.packaging", options, current,
                     {"none": "none", "inline": "inline table (below)"},
                     lambda value, box: self._emit(SetValues(
                         {"cell.packaging": None if value == "none" else value}), box),
                     "packaging")
        if inline:
            from asslb_designer.design import PACKAGING_NUMBERS, PACKAGING_OPTIONAL
            for k in PACKAGING_NUMBERS:
                self._field(form, f"cell.packaging.{k}", k.replace("_", " "),
                            optional=k in PACKAGING_OPTIONAL)
        v.addWidget(size)

        hw = QGroupBox("Stack-pressure hardware", self.inner)
        form = QFormLayout(hw)
        kind = design.hardware.kind if design.hardware else "none"
        self._choice(form, "cell.hardware", ("none", "end_plates", "custom"), kind,
                     HARDWARE_LABELS, self._hardware_kind, "hardware")
        if kind == "end_plates":
            self._field(form, "cell.hardware.stack_pressure", "stack pressure")
            p = MaterialPicker("cell.hardware.material", lib, {"structural"}, hw)
            p.submitted.connect(lambda key, value, p=p: self._emit(SetValues({key: value}), p))
            self.pickers.append(p)
            form.addRow("plate material", p)
            self._field(form, "cell.hardware.safety_factor", "safety factor", optional=True,
                        placeholder="2")
            self._field(form, "cell.hardware.plate_margin", "plate margin", optional=True,
                        placeholder="1 cm")
            self._field(form, "cell.hardware.cells_per_frame", "cells per frame",
                        optional=True, placeholder="1")
            self._field(form, "cell.hardware.plate_thickness", "plate thickness",
                        optional=True, placeholder="sized from the pressure")
        elif kind == "custom":
            self._field(form, "cell.hardware.mass", "mass")
            self._field(form, "cell.hardware.thickness", "thickness")
        v.addWidget(hw)
        v.addStretch(1)

    def _switch(self, old: str, new: str, box) -> None:
        if old == new or self.result is None:
            return
        try:
            edit = switch(self.design, self.result, old, new)
        except InputError:
            return
        self._emit(edit, box)

    def _size_mode(self, mode: str, box) -> None:
        updates = {"cell.electrode_width": None, "cell.electrode_height": None,
                   "cell.electrode_area": None}
        if mode == "width_height":
            updates.update({"cell.electrode_width": "10 cm", "cell.electrode_height": "10 cm"})
        elif mode == "area":
            updates["cell.electrode_area"] = "100 cm^2"
        if mode != "none" and not self.design.has("cell.unit_cells"):
            updates["cell.unit_cells"] = 1
        self._emit(SetValues(updates), box)

    def _hardware_kind(self, kind: str, box) -> None:
        self._emit(SetValues({"cell.hardware": NEW_HARDWARE.get(kind)}), box)

    def show_state(self, design: Design, result, why: str = "edit") -> None:
        self.design, self.result = design, result
        shape = cell_structure(design)
        if shape != self._structure:
            self._build(design)
            self._structure = shape
        for f in self.fields:
            f.show_value(design, self.units, force=why != "edit")
        for p in self.pickers:
            p.set_current(design.hardware.material if design.hardware else None)
