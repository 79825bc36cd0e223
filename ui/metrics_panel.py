"""Live metrics, warnings and sources of the last valid evaluation.

Every metric of `asslb_designer.metrics.METRICS`, grouped, each a QLabel named
``metric:<name>`` whose text is the value and its unit (at least four significant digits),
"—" where the design cannot give it (cell metrics without cell data). Each tooltip is the
metric's definition and basis from the engine (the same text as the README's table).
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QGridLayout, QGroupBox, QLabel, QListWidget, QListWidgetItem,
                               QVBoxLayout, QWidget)

from asslb_designer.metrics import BY_NAME, METRICS

from .display import DisplayUnits, convert, pretty_unit, sig

GROUPS = (
    ("Capacity", ("areal_capacity", "np_ratio", "nominal_voltage", "areal_energy",
                  "areal_mass", "stack_thickness")),
    ("Energy by basis", ("specific_energy_active", "specific_energy_cathode",
                         "specific_energy_electrochemical", "specific_energy_stack",
                         "energy_density_electrochemical", "energy_density_stack")),
    ("Resistance and rate", ("asr_total", "current_density", "voltage_loss",
                             "specific_energy_at_rate", "specific_power")),
    ("Cell", ("specific_energy_cell", "energy_density_cell", "specific_energy_at_rate_cell",
              "specific_power_cell", "cell_capacity", "cell_voltage",
              "cell_energy", "cell_mass", "cell_volume", "cell_width", "cell_height",
              "cell_thickness", "hardware_mass")),
)
_GROUPED = {name for _, names in GROUPS for name in names}
# a metric added to the engine later still shows, in the group of its level
_EXTRA = [m.name for m in METRICS if m.name not in _GROUPED]


def tooltip(metric) -> str:
    """A metric's name, unit, definition and basis, as the README's table gives them."""
    def e(text: str) -> str:
        return html.escape(text, quote=False)
    tip = f"<b>{e(metric.label)}</b> [{e(pretty_unit(metric.unit) or 'no unit')}]<br>" \
          f"{e(metric.description)}<br><i>Basis: {e(metric.basis)}.</i>"
    if metric.cell_level:
        tip += "<br>Needs the electrode size and the number of unit cells."
    return tip


def metric_text(name: str, value, units: DisplayUnits) -> str:
    if value is None:
        return "—"
    metric = BY_NAME[name]
    target = units.for_metric(metric.unit)
    x = convert(float(value), metric.unit, target)
    u = pretty_unit(target)
    return f"{sig(x)} {u}".rstrip()


class MetricsPanel(QWidget):
    def __init__(self, units: DisplayUnits, parent=None):
        super().__init__(parent)
        self.setObjectName("metrics")
        self.units = units
        self.labels: dict[str, QLabel] = {}
        v = QVBoxLayout(self)
        v.setContentsMargins(0, 0, 0, 0)
        groups = [(title, list(names)) for title, names in GROUPS]
        for name in _EXTRA:
            groups[3 if BY_NAME[name].cell_level else 2][1].append(name)
        for title, names in groups:
            box = QGroupBox(title, self)
            grid = QGridLayout(box)
            grid.setColumnStretch(0, 1)
            grid.setVerticalSpacing(2)
            for row, name in enumerate(names):
                metric = BY_NAME[name]
                tip = tooltip(metric)
                label = QLabel(metric.label, box)
                label.setToolTip(tip)
                label.setWordWrap(True)          # a long name wraps; the value never clips
                value = QLabel("—", box)
                value.setObjectName(f"metric:{name}")
                value.setToolTip(tip)
                value.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
                value.setMinimumWidth(value.fontMetrics().horizontalAdvance("00000.0 mWh/cm²"))
                grid.addWidget(label, row, 0)
                grid.addWidget(value, row, 1)
                self.labels[name] = value
            v.addWidget(box)
        v.addStretch(1)

    def show_state(self, design, result) -> None:
        for name, label in self.labels.items():
            label.setText(metric_text(name, result.metrics.get(name), self.units))


class WarningsList(QListWidget):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("warnings")
        self.setWordWrap(True)
        self.setToolTip("What the evaluation warns about: missing data counted as 0, "
                        "assumptions, limits")

    def show_state(self, design, result) -> None:
        self.clear()
        for w in result.warnings:
            self.addItem(QListWidgetItem(f"⚠ {w}"))
        if not result.warnings:
            item = QListWidgetItem("no warnings")
            item.setFlags(Qt.ItemFlag.NoItemFlags)
            self.addItem(item)


class SourcesList(QListWidget):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("sources")
        self.setWordWrap(True)
        self.setToolTip("Every reference a value of this evaluation came from")

    def show_state(self, design, result) -> None:
        self.clear()
        for src in result.sources():
            link = src.get("doi") and f"doi:{src['doi']}" or src.get("url") or ""
            text = f"{src['citation']}" + (f" ({link})" if link else "")
            item = QListWidgetItem(text)
            item.setToolTip("used for: " + ", ".join(src["used_for"]))
            self.addItem(item)
