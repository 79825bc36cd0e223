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
