"""Each metric's tooltip gives its definition and basis as the README's metric table states
them (read from the README here, not from the code), and the report gives the same."""

import html
import re

import pytest

pytest.importorskip("PySide6")

from PySide6.QtGui import QTextDocument  # noqa: E402
from PySide6.QtWidgets import QLabel  # noqa: E402

from asslb_designer import evaluate, load_design  # noqa: E402
from asslb_designer.metrics import METRICS  # noqa: E402

from .conftest import ROOT  # noqa: E402
from .test_app import EXAMPLE  # noqa: E402
from .test_app import window  # noqa: E402,F401  (the fixture)


def readme_table() -> dict[str, tuple[str, str, str]]:
    """name -> (unit, meaning, basis) from the README's table of metrics."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    header = "| metric | unit | meaning | basis |\n| --- | --- | --- | --- |\n"
    assert header in text
    rows = {}
    for line in text.split(header, 1)[1].splitlines():
        if not line.startswith("| `"):
            break
        cells = [c.strip() for c in line.strip("|").split(" | ")]
        assert len(cells) == 4, line
        rows[cells[0].strip("`")] = tuple(cells[1:])
    return rows


def plain(rich: str) -> str:
    """What a reader sees of a rich-text tooltip, whitespace folded."""
    doc = QTextDocument()
    doc.setHtml(rich)
    return re.sub(r"\s+", " ", doc.toPlainText())


def test_the_readme_gives_every_metric_a_meaning_and_a_basis():
    rows = readme_table()
    assert set(rows) == {m.name for m in METRICS}
    for name, (unit, meaning, basis) in rows.items():
        assert meaning and basis, name


def test_every_tooltip_holds_the_readme_definition_and_basis(window):
    rows = readme_table()
    for m in METRICS:
        unit, meaning, basis = rows[m.name]
        value = window.findChild(QLabel, f"metric:{m.name}")
        tip = plain(value.toolTip())
        assert meaning in tip, m.name
        assert f"Basis: {basis}." in tip, m.name
        # the name beside the value explains the same
        name_label = next(w for w in value.parentWidget().findChildren(QLabel)
                          if w.text() == m.label)
        assert plain(name_label.toolTip()) == tip, m.name
    # e.g. the energy bases: active material, composite, electrochemical stack, repeat unit
    tip = plain(window.findChild(QLabel, "metric:specific_energy_electrochemical").toolTip())
    assert "Randau" in tip and "no collectors" in tip


def test_the_report_gives_each_metric_its_readme_basis():
    from asslb_designer.ui.report import report_html
    design = load_design(EXAMPLE)
    page = report_html(design, evaluate(design))
    for name, (unit, meaning, basis) in readme_table().items():
        assert f"Basis: {html.escape(basis)}." in page, name
