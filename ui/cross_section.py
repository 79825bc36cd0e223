"""A to-scale cross-section of the repeat unit in its thickest state (full charge; for a
lithium-free positive, discharge: see the `stack_thickness` metric).

The bands come from the engine's result, never from a formula here: each layer's
`thickness` (as built) plus its `swelling` (um added at full charge), the current
collectors at the share the cell format counts (`counted_fraction`: half of each in a
stacked cell), and the lithium plated at full charge (`result.extra["plated_lithium"]`) as a
band of its own, just after the negative electrode. The bands add up to the
`stack_thickness` metric.

Linear mode draws every band to one scale (a 500 nm interlayer is a hairline beside a
100 um cathode, drawn at least 1 px). Log mode draws band heights proportional to
log10(1 + t / 0.1 um), so a thin interlayer stays visible; it is marked as not to scale.
Clicking a band emits `layer_selected(index)` with the 1-based layer index (the plated
lithium band selects the negative electrode).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetricsF, QImage, QPainter, QPalette, QPen
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from . import export

ROLE_COLOURS = {
    "current_collector": "#b8bcc4",
    "anode": "#7f9cc0",
    "plated": "#c6d8ee",
    "interlayer": "#6fb36f",
    "separator": "#e6c15a",
    "cathode": "#4d5d7e",
}
MATERIAL_COLOURS = {"cu": "#c58a5a", "al": "#c3c7cf"}   # collectors look like their metal
ROLE_NAMES = {
    "current_collector": "current collector", "anode": "negative electrode",
    "interlayer": "interlayer", "separator": "separator", "cathode": "positive electrode",
    "plated": "plated lithium",
}
SHORT_ROLES = {"current_collector": "CC", "anode": "neg.", "interlayer": "IL",
               "separator": "sep.", "cathode": "pos."}
LOG_FLOOR_UM = 0.1   # log mode: height ~ log10(1 + t / 0.1 um)

#: The drawing's own ink (ground, text, outline, ruler, leader lines, selection) per theme;
#: the band colours are the same in both. Exports and the report use the light ink.
INK = {
    False: {"ground": "#ffffff", "text": "#202020", "outline": "#303030", "ruler": "#404040",
            "leader": "#808080", "selected": "#d03030"},
    True: {"ground": "#1e1e20", "text": "#e6e6e6", "outline": "#c8c8c8", "ruler": "#c0c0c0",
           "leader": "#909090", "selected": "#ff6b6b"},
}


def format_thickness(um: float) -> str:
    """A thickness for a label: nm below 1 um, else um; four significant digits."""
    if um < 1.0:
        return f"{um * 1e3:.4g} nm"
    return f"{um:.4g} µm"


@dataclass(frozen=True)
class Band:
    """One band of the drawing. `thickness_um` is what the repeat unit holds (thickest state)."""

    index: int            # 1-based layer index the band belongs to
    role: str             # a layer role, or "plated"
    material: str
    thickness_um: float
    built_um: float       # the layer's whole thickness as built
    swelling_um: float = 0.0
    counted: float = 1.0

    @property
    def label(self) -> str:
        if self.role == "plated":
            return (f"{self.index}  plated lithium at full charge   "
                    f"{format_thickness(self.thickness_um)}")
        text = f"{self.index}  {ROLE_NAMES.get(self.role, self.role)}   {self.material}   "
        if self.counted != 1.0:
            share = "half" if self.counted == 0.5 else f"{self.counted:g}"
            text += (f"{format_thickness(self.thickness_um)} "
                     f"({share} of the {format_thickness(self.built_um)} foil counted)")
        else:
            text += format_thickness(self.thickness_um)
        if self.swelling_um > 0:
            text += f" incl. {format_thickness(self.swelling_um)} swelling"
        return text

    @property
    def short_label(self) -> str:
        """The label for a narrow view."""
        if self.role == "plated":
            return f"{self.index} plated Li {format_thickness(self.thickness_um)}"
        role = SHORT_ROLES.get(self.role, self.role)
        text = f"{self.index} {self.material} {role} {format_thickness(self.thickness_um)}"
        if self.counted != 1.0:
            text += f" (of {format_thickness(self.built_um)})"
        if self.swelling_um > 0:
            text += " swollen"
        return text

    @property
    def colour(self) -> str:
        if self.role == "current_collector":
            return MATERIAL_COLOURS.get(self.material.lower(), ROLE_COLOURS[self.role])
        return ROLE_COLOURS.get(self.role, "#999999")


def _scalar(x) -> float:
    arr = np.asarray(x, dtype=float)
    return float(arr.ravel()[0]) if arr.ndim else float(arr)


def bands_from_result(result) -> list[Band]:
    """The repeat unit's bands, negative collector first, from an evaluation's result."""
    bands = []
    plated = _scalar(result.extra.get("plated_lithium", 0.0))
    for i, layer in enumerate(result.layers, 1):
        built = _scalar(layer["thickness"])
        counted = _scalar(layer.get("counted_fraction", 1.0))
        swelling = _scalar(layer.get("swelling", 0.0))
        charged = built * counted + swelling
        if charged > 0:
            bands.append(Band(i, layer["role"], layer["material"], charged, built, swelling,
                              counted))
        if layer["role"] == "anode" and plated > 0:
            bands.append(Band(i, "plated", "Li", plated, plated))
    return bands


class CrossSectionPainter:
    """Draws bands into any paint device (a widget, a QImage for the report)."""

    margin = 16.0
    header = 34.0

    def __init__(self, bands: list[Band], log: bool = False, selected: int | None = None,
                 title: str = "", dark: bool = False):
        self.bands = bands
        self.ink = {k: QColor(v) for k, v in INK[bool(dark)].items()}
        self.log = log
        self.selected = selected
        self.title = title
        self.rects: list[tuple[QRectF, Band]] = []

    def heights(self) -> list[float]:
        if self.log:
            return [math.log10(1.0 + b.thickness_um / LOG_FLOOR_UM) for b in self.bands]
        return [b.thickness_um for b in self.bands]

    def paint(self, painter: QPainter, width: float, height: float) -> None:
        painter.setRenderHint(QPainter.Antialiasing, True)
        painter.fillRect(QRectF(0, 0, width, height), self.ink["ground"])
        font = QFont(painter.font())
        font.setPointSizeF(10.0)
        painter.setFont(font)
        fm = QFontMetricsF(font)
        self.rects = []
        total = sum(b.thickness_um for b in self.bands)
        title = self.title or "Repeat unit, thickest state"
        painter.setPen(self.ink["text"])
        bold = QFont(font)
        bold.setBold(True)
        painter.setFont(bold)
        mode = ("log thickness: not to scale" if self.log else "to scale")
        line = f"{title}  —  total {format_thickness(total)} ({mode})"
        bold_fm = QFontMetricsF(bold)
        if bold_fm.horizontalAdvance(line) > width - 2 * self.margin:   # two lines
            name, _, what = title.rpartition(": ")
            first, second = (name, f"{what}: total") if name else (title, "total")
            painter.drawText(QPointF(self.margin, self.margin + fm.ascent() - 6),
                             bold_fm.elidedText(first, Qt.ElideRight, width - 2 * self.margin))
            painter.setFont(font)
            painter.drawText(QPointF(self.margin, self.margin + fm.ascent() + fm.height() - 6),
                             fm.elidedText(f"{second} {format_thickness(total)} ({mode})",
                                           Qt.ElideRight, width - 2 * self.margin))
        else:
            painter.drawText(QPointF(self.margin, self.margin + fm.ascent()), line)
        painter.setFont(font)
        if not self.bands:
            return
        top, bottom, x0, stack_w, label_x, scale = self.layout(width, height)
        y = top
        centres = []
        for rect, band in self.rects:
            h = rect.height()
            painter.setPen(Qt.NoPen)
            brush = QBrush(QColor(band.colour))
            painter.fillRect(rect, brush)
            if band.role == "plated":
                painter.fillRect(rect, QBrush(QColor("#7f9cc0"), Qt.BDiagPattern))
            if h >= 3:
                painter.setPen(QPen(QColor(255, 255, 255, 200), 1.0))
                painter.drawLine(QPointF(x0, y), QPointF(x0 + stack_w, y))
            centres.append(y + h / 2.0)
            y += h
        painter.setPen(QPen(self.ink["outline"], 1.0))
        painter.setBrush(Qt.NoBrush)
        painter.drawRect(QRectF(x0, top, stack_w, y - top))
        if self.selected is not None:
            painter.setPen(QPen(self.ink["selected"], 2.5))
            for rect, band in self.rects:
                if band.index == self.selected and band.role != "plated":
                    painter.drawRect(rect.adjusted(-2, -1, 2, 1))
        if not self.log:
            self._ruler(painter, fm, x0, top, total, scale)
        # labels: at the band centres, pushed apart to stay legible, joined by leader lines
        line_h = fm.height() + 2.0
        ys = _spread(centres, line_h, top + line_h / 2, bottom - line_h / 2)
        room = max(50.0, width - label_x - 16 - 14)
        # one form for every label: the long one only if all of them fit (a mix of the two
        # spellings reads unevenly)
        long_fits = all(fm.horizontalAdvance(b.label) <= room for _, b in self.rects)
        for (rect, band), yc, yl in zip(self.rects, centres, ys):
            painter.setPen(QPen(self.ink["leader"], 0.8))
            elbow = label_x - (18 if width < 800 else 30)
            painter.drawLine(QPointF(x0 + stack_w + 2, yc), QPointF(elbow, yc))
            painter.drawLine(QPointF(elbow, yc), QPointF(label_x - 6, yl))
            painter.fillRect(QRectF(label_x - 2, yl - fm.height() / 2 + 2, 10, fm.height() - 4),
                             QColor(band.colour))
            painter.setPen(self.ink["selected"] if band.index == self.selected
                           and band.role != "plated" else self.ink["text"])
            text = band.label if long_fits else band.short_label
            text = fm.elidedText(text, Qt.ElideRight, room)
            painter.drawText(QPointF(label_x + 14, yl + fm.ascent() / 2 - 1), text)

    def layout(self, width: float, height: float):
        """Place the bands (fills self.rects); returns the geometry the painting uses."""
        self.rects = []
        top = self.margin + self.header
        bottom = height - self.margin
        x0 = self.margin + (0.0 if self.log else 62.0)     # room for the ruler
        narrow = width < 800
        stack_w = max(70.0, min(260.0, (0.2 if narrow else 0.28) * width))
        label_x = x0 + stack_w + (36.0 if narrow else 60.0)
        avail = max(10.0, bottom - top)
        heights = self.heights()
        if not heights:
            return top, bottom, x0, stack_w, label_x, 1.0
        scale = avail / sum(heights)
        # bands, at least 1 px each, the slack taken from the largest band
        px = [max(1.0, h * scale) for h in heights]
        excess = sum(px) - avail
        if excess > 0:
            big = int(np.argmax(px))
            px[big] = max(1.0, px[big] - excess)
        y = top
        for band, h in zip(self.bands, px):
            self.rects.append((QRectF(x0, y, stack_w, h), band))
            y += h
        if self.log:
            return top, bottom, x0, stack_w, label_x, scale
        return top, bottom, x0, stack_w, label_x, (y - top) / sum(b.thickness_um for b in self.bands)

    def _ruler(self, painter, fm, x0, top, total, scale) -> None:
        """A thickness axis in um beside the drawing (linear mode)."""
        step = _nice_step(total / 6.0)
        painter.setPen(QPen(self.ink["ruler"], 1.0))
        x = x0 - 8
        painter.drawLine(QPointF(x, top), QPointF(x, top + total * scale))
        t = 0.0
        while t <= total * 1.0001:
            yy = top + t * scale
            painter.drawLine(QPointF(x - 4, yy), QPointF(x, yy))
            text = f"{t:g}"
            painter.drawText(QPointF(x - 8 - fm.horizontalAdvance(text), yy + fm.ascent() / 2 - 1),
                             text)
            t += step
        painter.save()
        painter.translate(self.margin - 2, top + total * scale / 2)
        painter.rotate(-90)
        painter.drawText(QPointF(-fm.horizontalAdvance("depth (µm)") / 2, fm.ascent()),
                         "depth (µm)")
        painter.restore()

    def band_at(self, point: QPointF) -> Band | None:
        for rect, band in self.rects:
            if rect.adjusted(0, -1.5, 0, 1.5).contains(point) if rect.height() < 3 \
                    else rect.contains(point):
                return band
        return None


def _nice_step(raw: float) -> float:
    if raw <= 0:
        return 1.0
    exp = 10 ** math.floor(math.log10(raw))
    for m in (1, 2, 5, 10):
        if raw <= m * exp:
            return m * exp
    return 10 * exp


def _spread(wanted: list[float], gap: float, low: float, high: float) -> list[float]:
    """Label positions near `wanted` (sorted), at least `gap` apart, within [low, high]."""
    ys = []
    for w in wanted:
        ys.append(max(w, low, ys[-1] + gap if ys else low))
    overflow = ys[-1] - high if ys else 0
    if overflow > 0:   # push back up from the bottom
        ys[-1] = high
        for i in range(len(ys) - 2, -1, -1):
            ys[i] = min(ys[i], ys[i + 1] - gap)
    return ys


class CrossSection(QWidget):
    """The cross-section view: `show_state(design, result)`; emits `layer_selected(int)`."""

    layer_selected = Signal(int)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("cross_section")
        self.bands: list[Band] = []
        self.selected: int | None = None
        self.title = ""
        self.log_toggle = QCheckBox("Log thickness")
        self.log_toggle.setObjectName("cross_section:log")
        self.log_toggle.setToolTip("Keeps thin interlayers visible. Band heights proportional "
                                   "to log10(1 + t / 0.1 µm): not to scale, but a 500 nm "
                                   "interlayer stays visible beside a 100 µm cathode.")
        self.log_toggle.toggled.connect(self.update)
        self.canvas = _Canvas(self)
        top = QHBoxLayout()
        top.addWidget(self.log_toggle)
        top.addStretch(1)
        for label, kind in (("Export PNG…", "png"), ("Export SVG…", "svg"),
                            ("Export CSV…", "csv")):
            button = QPushButton(label)
            button.setObjectName(f"cross_section:export:{kind}")
            button.setToolTip(f"Save the cross-section as {kind.upper()}"
                              + (" (the bands' thicknesses, µm)" if kind == "csv" else ""))
            button.clicked.connect(lambda _=False, k=kind: self._ask_export(k))
            top.addWidget(button)
        hint = QLabel("Click a band to select its layer.")
        hint.setForegroundRole(QPalette.ColorRole.PlaceholderText)   # legible in both themes
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.canvas, 1)
        layout.addWidget(hint)

    @property
    def log(self) -> bool:
        return self.log_toggle.isChecked()

    def set_log(self, on: bool) -> None:
        self.log_toggle.setChecked(on)

    def show_state(self, design, result) -> None:
        self.bands = bands_from_result(result)
        self.title = f"{design.name}: repeat unit, thickest state" if design is not None \
            else "Repeat unit, thickest state"
        self.canvas.update()

    def select_layer(self, index: int | None) -> None:
        """Highlight a layer (the editor's selection); does not emit."""
        self.selected = index
        self.canvas.update()

    def painter_for(self) -> CrossSectionPainter:
        """The on-screen drawing: dark ground and light ink when the window's palette is
        dark (the dark theme), like the plots."""
        dark = self.palette().color(QPalette.ColorRole.Window).lightness() < 128
        return CrossSectionPainter(self.bands, self.log, self.selected, self.title, dark)

    def image(self, size: QSize = QSize(1000, 600)) -> QImage:
        """The drawing as an image (for the report); safe to call off the GUI thread."""
        return render_image(self.bands, size, self.log, self.title)

    # ---- export, like the plots: PNG and SVG of the drawing, CSV of its bands
    def svg(self, size: QSize = QSize(1000, 600)) -> bytes:
        """The drawing as SVG (vector: the painter draws straight into QSvgGenerator)."""
        painter = CrossSectionPainter(self.bands, self.log, None, self.title)
        return export.painted_svg_bytes(
            lambda p: painter.paint(p, size.width(), size.height()), size,
            self.title or "cross-section")

    def export_png(self, path, size: QSize = QSize(1000, 600)) -> Path:
        return export.atomic_write(path, export.image_png_bytes(self.image(size)))

    def export_svg(self, path, size: QSize = QSize(1000, 600)) -> Path:
        return export.atomic_write(path, self.svg(size))

    def data_table(self) -> tuple[list[str], list[list]]:
        header = ["layer", "role", "material", "thickness [um]", "counted_fraction"]
        return header, [[b.index, b.role, b.material, b.thickness_um, b.counted]
                        for b in self.bands]

    def export_csv(self, path) -> Path:
        return export.export_csv(*self.data_table(), path)

    def _ask_export(self, kind: str) -> None:
        export.ask_and_export(self, kind, "cross-section")

    def band_rects(self) -> list:
        """(QRectF, Band) of every band at the canvas's present size."""
        self.canvas.relayout()
        return list(self.canvas.last.rects)

    def band_centre(self, index: int) -> QPointF:
        """Centre of the first band of a layer, in the canvas's coordinates (for tests)."""
        for rect, band in self.band_rects():
            if band.index == index:
                return rect.center()
        raise KeyError(index)


def render_image(bands: list[Band], size: QSize, log: bool = False, title: str = "") -> QImage:
    image = QImage(size, QImage.Format_ARGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    CrossSectionPainter(bands, log, None, title).paint(painter, size.width(), size.height())
    painter.end()
    return image


class _Canvas(QWidget):
    def __init__(self, owner: CrossSection):
        super().__init__(owner)
        self.owner = owner
        self.last = CrossSectionPainter([])
        self.setMinimumSize(420, 260)
        self.setCursor(Qt.PointingHandCursor)

    def relayout(self) -> None:
        self.last = self.owner.painter_for()
        self.last.layout(self.width(), self.height())

    def paintEvent(self, event) -> None:
        painter = QPainter(self)
        self.last = self.owner.painter_for()
        self.last.paint(painter, self.width(), self.height())
        painter.end()

    def mousePressEvent(self, event) -> None:
        self.relayout()
        band = self.last.band_at(event.position())
        if band is not None:
            self.owner.select_layer(band.index)
            self.owner.layer_selected.emit(band.index)
