"""What a user sees at 1280x800 and in the dark theme (the second review of issue 12,
docs VERIFY-12b): disabled controls look disabled, the cross-section turns dark with the
window, the Compare table shows the metrics panel's digits, the material texts fit their
boxes (or keep whole names and hold the full text in a tooltip), and each layer's form
holds the fields of its role."""

import pytest

pytest.importorskip("PySide6")

from PySide6.QtCore import QSize  # noqa: E402
from PySide6.QtGui import QColor, QPalette  # noqa: E402
from PySide6.QtWidgets import QComboBox, QLineEdit, QPushButton  # noqa: E402

from asslb_designer import evaluate, load_design  # noqa: E402
from asslb_designer.metrics import METRICS  # noqa: E402

from .conftest import ROOT  # noqa: E402
from .test_app import window  # noqa: E402,F401  (the fixture)

EXAMPLE = ROOT / "examples" / "nmc811-lpscl-li-pouch-hbn.toml"


@pytest.fixture
def dark(qtbot):
    from asslb_designer.ui.preferences import apply_theme
    apply_theme("dark")
    yield
    apply_theme("light")                # the next test starts in the light theme


def lightness(c) -> int:
    return QColor(c).lightness()


def brightest(image, rect) -> int:
    """The lightness of the lightest pixel in `rect` of `image` (the text's ink on a
    dark button, where the text is the only light thing)."""
    return max(image.pixelColor(x, y).lightness()
               for x in range(rect.left(), rect.right() + 1)
               for y in range(rect.top(), rect.bottom() + 1))


# ---- 1. dark theme: a disabled control reads as disabled
def test_a_disabled_button_is_greyed_in_the_dark_theme(qtbot, dark):
    enabled, disabled = QPushButton("Cancel"), QPushButton("Cancel")
    disabled.setEnabled(False)
    for b in (enabled, disabled):
        qtbot.addWidget(b)
        b.resize(120, 32)
        b.show()
    on = enabled.palette().color(QPalette.ColorGroup.Active, QPalette.ColorRole.ButtonText)
    off = disabled.palette().color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.ButtonText)
    assert lightness(on) > 200
    assert lightness(on) - lightness(off) > 60          # a visible step: grey, not white
    for role in (QPalette.ColorRole.WindowText, QPalette.ColorRole.Text):
        assert lightness(QPalette(enabled.palette()).color(QPalette.ColorGroup.Disabled, role)) \
            < lightness(enabled.palette().color(QPalette.ColorGroup.Active, role)) - 60
    # the pixels: the disabled label's ink is darker than the enabled one's
    a, b = enabled.grab().toImage(), disabled.grab().toImage()
    inner = enabled.rect().adjusted(6, 6, -6, -6)
    assert brightest(a, inner) > 180
    assert brightest(b, inner) < brightest(a, inner) - 50


def test_links_are_light_in_the_dark_theme(qtbot, dark):
    """The Materials browser's DOI links: Qt's default link blue (#0000ff, lightness 127)
    on the dark window was unreadable; the dark theme's links are a light blue."""
    from PySide6.QtWidgets import QApplication
    palette = QApplication.palette()
    window = palette.color(QPalette.ColorRole.Base)
    for role in (QPalette.ColorRole.Link, QPalette.ColorRole.LinkVisited):
        assert lightness(palette.color(role)) - lightness(window) > 100, role


# ---- 3. the cross-section follows the theme
def test_the_cross_section_is_dark_in_the_dark_theme(qtbot, dark):
    from asslb_designer.ui.cross_section import CrossSection
    design = load_design(EXAMPLE)
    view = CrossSection()
    qtbot.addWidget(view)
    view.resize(700, 420)
    view.show()
    view.show_state(design, evaluate(design))
    image = view.canvas.grab().toImage()
    assert lightness(image.pixelColor(3, 3)) < 60                      # the ground
    assert lightness(image.pixelColor(image.width() - 4, image.height() - 4)) < 60
    # the labels (right of the stack, where only text and colour keys are drawn): light ink
    rects = view.band_rects()
    label_x = int(max(r.right() for r, _ in rects)) + 90
    title = view.canvas.rect().adjusted(16, 10, 0, 0)
    title.setHeight(14)
    assert brightest(image, title) > 200                               # the title
    column = title.adjusted(label_x - 16, 40, 0, 200)
    column.setHeight(int(rects[-1][0].bottom()) - column.top())
    assert brightest(image, column) > 200                              # the band labels
    # exports and the report keep the light drawing
    exported = view.image(QSize(600, 400))
    assert lightness(exported.pixelColor(3, 3)) == 255


def test_the_cross_section_is_white_in_the_light_theme(qtbot):
    from asslb_designer.ui.cross_section import CrossSection
    design = load_design(EXAMPLE)
    view = CrossSection()
    qtbot.addWidget(view)
    view.resize(700, 420)
    view.show()
    view.show_state(design, evaluate(design))
    assert lightness(view.canvas.grab().toImage().pixelColor(3, 3)) == 255


# ---- 4. the Compare table shows the metrics panel's numbers
def test_compare_cells_show_the_metrics_panels_number(qtbot):
    from asslb_designer.ui.display import DisplayUnits
    from asslb_designer.ui.metrics_panel import MetricsPanel
    from asslb_designer.ui.plots.comparison import ComparisonView
    design = load_design(EXAMPLE)
    result = evaluate(design)
    panel = MetricsPanel(DisplayUnits())          # the engine's units, as the table's
    qtbot.addWidget(panel)
    panel.show_state(design, result)
    compare = ComparisonView()
    qtbot.addWidget(compare)
    compare.show_state(design, result)
    shown = 0
    for row, m in enumerate(METRICS):
        text = panel.labels[m.name].text()
        if text == "—":
            continue
        assert compare.table.item(row, 1).text() == text.partition(" ")[0], m.name
        shown += 1
    assert shown > 20
    # e.g. the nominal voltage 3.86 V reads "3.860" in both, at least four digits
    row = [m.name for m in METRICS].index("nominal_voltage")
    assert compare.table.item(row, 1).text() == "3.860"


# ---- 5. texts fit at 1280x800
def test_material_texts_fit_or_elide_by_whole_names_at_1280x800(qtbot, window):
    window.resize(1280, 800)
    qtbot.wait(50)
    table = window.editor.table
    # the composite cathode's cell: whole material names that fit, the rest counted
    item = table.item(4, 2)
    assert item.toolTip() == "NMC811 + Li6PS5Cl + VGCF + PVDF"
    delegate = table.itemDelegateForColumn(2)
    width = table.columnWidth(2)
    shown = delegate.shown_text(item.data(delegate_parts_role()), width, table.fontMetrics())
    assert table.fontMetrics().horizontalAdvance(shown) <= width - delegate.PADDING
    assert shown.startswith("NMC811")
    if shown != item.toolTip():        # a narrow column: "NMC811 +3", never "NMC811 + Li…"
        assert shown.rsplit(" +", 1)[1].isdigit(), shown
    # wide enough, the full text
    assert delegate.shown_text(item.data(delegate_parts_role()), 2000,
                               table.fontMetrics()) == "NMC811 + Li6PS5Cl + VGCF + PVDF"
    # every picker of every layer: what the box shows fits it; the tooltip has the full text
    # (id, name and aliases); the shown text still means the same material
    for index in range(1, len(window.document.design.layers) + 1):
        window.editor.select_layer(index)
        qtbot.wait(20)
        pickers = [p for p in window.findChildren(QComboBox)
                   if p.objectName().startswith(f"picker:layer[{index}].") and p.isVisible()]
        assert pickers, index
        for p in pickers:
            edit = p.lineEdit()
            assert edit.fontMetrics().horizontalAdvance(edit.text()) <= edit.width(), \
                (p.objectName(), edit.text())
            full = p.search_texts[p.currentIndex()]
            assert full in p.toolTip()
            assert p.resolve(edit.text()) == p.current_id, (p.objectName(), edit.text())
    copper = window.findChild(QComboBox, "picker:layer[1].material")
    window.editor.select_layer(1)
    assert "copper" in copper.toolTip().lower()             # an alias, in the tooltip


def delegate_parts_role():
    from asslb_designer.ui.stack_editor import PARTS_ROLE
    return PARTS_ROLE


def test_fitted_parts_keeps_whole_names(qtbot):
    from PySide6.QtGui import QFontMetricsF, QFont
    from asslb_designer.ui.stack_editor import fitted_parts
    fm = QFontMetricsF(QFont())
    parts = ["NMC811", "Li6PS5Cl", "VGCF", "PVDF"]
    two = fm.horizontalAdvance("NMC811 + Li6PS5Cl +2")
    assert fitted_parts(parts, two + 1, fm) == "NMC811 + Li6PS5Cl +2"
    assert fitted_parts(parts, fm.horizontalAdvance("NMC811 +3") + 1, fm) == "NMC811 +3"
    assert fitted_parts(["Cu"], 500, fm) == "Cu"


# ---- 6. each role's form holds its role's fields
def form_contents(qtbot, window, index) -> tuple[set, set]:
    """(fields, pickers) the selected layer's form shows, as the part of their objectName
    after `field:layer[N].` / `picker:layer[N].`."""
    window.editor.select_layer(index)
    qtbot.wait(10)
    prefix = f"layer[{index}]."

    def shown(kind, names):
        start = f"{names}:{prefix}"
        return {w.objectName()[len(start):] for w in window.findChildren(kind)
                if w.objectName().startswith(start) and w.isVisible()}
    return shown(QLineEdit, "field"), shown(QComboBox, "picker")


def test_each_layer_role_form_holds_its_fields(qtbot, window):
    design = window.document.design
    roles = [layer.role for layer in design.layers]
    # the example: Cu | Li | h-BN | Li6PS5Cl | NMC811 composite | Al
    assert roles == ["current_collector", "anode", "interlayer", "separator", "cathode",
                     "current_collector"]
    expected = {
        1: ({"thickness"}, {"material"}),                         # a dense foil: no porosity
        2: ({"thickness", "swelling"}, {"material"}),             # Li foil, sized by thickness
        3: ({"thickness", "porosity"}, {"material"}),
        4: ({"thickness", "porosity"}, {"material"}),
        5: ({"loading", "fractions.active", "fractions.electrolyte", "fractions.carbon",
             "fractions.binder", "porosity", "swelling"},          # sized by loading
            {"active", "electrolyte", "carbon", "binder"}),
        6: ({"thickness"}, {"material"}),
    }
    for index, want in expected.items():
        assert form_contents(qtbot, window, index) == want, (index, roles[index - 1])


def test_composite_and_anode_free_anode_forms(qtbot, window):
    # a graphite composite anode sized by N/P, its pores given by density
    assert window.open_design(ROOT / "examples" / "nmc811-graphite-liquid.toml")
    anode = next(layer.index for layer in window.document.design.layers
                 if layer.role == "anode")
    assert form_contents(qtbot, window, anode) == (
        {"np_ratio", "fractions.active", "fractions.electrolyte", "fractions.carbon",
         "fractions.binder", "density", "swelling"},
        {"active", "electrolyte", "carbon", "binder"})
    window.document.undo_stack.setClean()
    # an anode-free negative: only the choice of material ("none"), nothing to size
    assert window.open_design(ROOT / "examples" / "nmc811-lpscl-anodefree-pouch.toml")
    anode = next(layer.index for layer in window.document.design.layers
                 if layer.role == "anode")
    assert form_contents(qtbot, window, anode) == (set(), {"material"})
