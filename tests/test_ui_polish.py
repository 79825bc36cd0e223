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
