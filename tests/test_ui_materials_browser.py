"""The materials browser: search by id, alias and name; filters; custom materials written
to the user library only when the library validator accepts them."""

import pytest

pytest.importorskip("PySide6")

from asslb_designer.materials import default_library  # noqa: E402
from asslb_designer.ui.materials_browser import MaterialsBrowser, matches  # noqa: E402

CUSTOM = '''[[material]]
id = "my-LPSCl"
kind = "solid_electrolyte"
name = "our own argyrodite batch 7"
class = "sulfide"
source = "lab notebook 2026-11, p. 12"
density = "1.9 g/cm^3"
ionic_conductivity = { value = "2.5 mS/cm", temperature = "25 degC" }
activation_energy = "0.32 eV"
'''


def ids(view):
    return [view.list.item(i).data(0x0100) for i in range(view.list.count())]


@pytest.fixture
def browser(qtbot):
    view = MaterialsBrowser()
    qtbot.addWidget(view)
    return view


def test_search_finds_by_id_alias_and_name(qtbot, browser):
    qtbot.keyClicks(browser.search, "Li6PS5Cl")                 # the id
    assert ids(browser)[0] == "Li6PS5Cl"
    browser.search.clear()
    qtbot.keyClicks(browser.search, "argyrodite")               # an alias (and the name)
    assert "Li6PS5Cl" in ids(browser)
    browser.search.clear()
    qtbot.keyClicks(browser.search, "hexagonal boron")          # words of the name only
    assert ids(browser)[0] == "h-BN" and "LLZO" not in ids(browser)
    browser.search.setText("BNNS")                              # alias, case-insensitive
    assert ids(browser)[0] == "h-BN"
    assert "hexagonal boron nitride" in browser.detail.toPlainText()


def test_filter_by_kind_and_class(browser):
    browser.kind_box.setCurrentIndex(browser.kind_box.findData("solid_electrolyte"))
    browser.class_box.setCurrentIndex(browser.class_box.findData("sulfide"))
    found = browser.results()
    assert found and all(m.kind == "solid_electrolyte" and m.family == "sulfide" for m in found)
    assert "Li6PS5Cl" in ids(browser) and "LLZO" not in ids(browser)


def test_detail_shows_every_value_with_unit_citation_and_note(browser):
    browser.search.setText("PEO-LiTFSI")
    text = browser.detail.toPlainText()
    lib = default_library()
    m = lib.find("PEO-LiTFSI")
    values = m.values("ionic_conductivity")
    assert len(values) > 1
    assert f"ionic_conductivity (1 of {len(values)})" in text
    for v in values:
        assert v.written in text                                  # value with its unit
    cited = values[0].source[0]
    assert lib.references[cited].citation[:40] in text            # the full citation
    assert values[0].note[:30] in text
    assert "★" in text                                            # the preferred one


def test_custom_material_is_written_and_found_by_a_fresh_library(qtbot, browser, tmp_path,
                                                                 monkeypatch):
    user = tmp_path / "config" / "materials.toml"
    monkeypatch.setenv("ASSLB_DESIGNER_USER_LIBRARY", str(user))
    dialog = browser.editor_for(CUSTOM, None, "New")
    qtbot.addWidget(dialog)
    assert dialog.save()
    assert user.is_file()
    fresh = default_library()
    m = fresh.find("my-LPSCl")
    assert m is not None and m.get("ionic_conductivity") == pytest.approx(2.5e-3)   # S/cm
    assert ids(browser) and browser.current_id() == "my-LPSCl"    # reloaded and selected
    assert browser.edit_button.isEnabled()
    # edit it: the record is replaced, not added twice
    edited = CUSTOM.replace('"1.9 g/cm^3"', '"1.95 g/cm^3"')
    dialog = browser.editor_for(edited, "my-LPSCl", "Edit")
    qtbot.addWidget(dialog)
    assert dialog.save()
    assert default_library().find("my-LPSCl").get("density") == pytest.approx(1.95)
    assert user.read_text().count("[[material]]") == 1


def test_duplicate_of_a_builtin_record_validates_and_saves(qtbot, browser, tmp_path,
                                                           monkeypatch):
    user = tmp_path / "materials.toml"
    monkeypatch.setenv("ASSLB_DESIGNER_USER_LIBRARY", str(user))
    browser.search.setText("PEO-LiTFSI")
    from asslb_designer import user_library
    m = browser.library.find("PEO-LiTFSI")
    text = user_library.record_toml(user_library.material_record(m, "PEO-LiTFSI-custom"))
    dialog = browser.editor_for(text, None, "Duplicate")
    qtbot.addWidget(dialog)
    assert dialog.save(), dialog.error.text()
    copy = default_library().find("PEO-LiTFSI-custom")
    assert len(copy.values("ionic_conductivity")) == len(m.values("ionic_conductivity"))
    assert copy.conductivity_table.sigmas_S_cm == pytest.approx(m.conductivity_table.sigmas_S_cm,
                                                                rel=1e-5)


@pytest.mark.parametrize("change, reason", [
    ('density = "1.9 g/cm^3"', "needs density"),                   # required field missing
    ('"2.5 mS/cm"', "expected a conductivity"),                   # wrong dimension
    ('"1.9 g/cm^3"', "must be positive"),                        # negative density
])
def test_an_invalid_material_is_refused_with_the_reason_and_nothing_written(
        qtbot, browser, tmp_path, monkeypatch, change, reason):
    user = tmp_path / "materials.toml"
    monkeypatch.setenv("ASSLB_DESIGNER_USER_LIBRARY", str(user))
    replacement = {"needs density": "", "expected a conductivity": '"2.5 mS"',
                   "must be positive": '"-1.9 g/cm^3"'}[reason]
    bad = CUSTOM.replace(change, replacement)
    dialog = browser.editor_for(bad, None, "New")
    qtbot.addWidget(dialog)
    assert not dialog.save()
    assert reason in dialog.error.text() and "Not saved" in dialog.error.text()
    assert not user.exists()
    assert list(tmp_path.iterdir()) == []                      # no temporary file left


def test_refused_edit_keeps_the_existing_library_file(qtbot, browser, tmp_path, monkeypatch):
    user = tmp_path / "materials.toml"
    monkeypatch.setenv("ASSLB_DESIGNER_USER_LIBRARY", str(user))
    dialog = browser.editor_for(CUSTOM, None, "New")
    qtbot.addWidget(dialog)
    assert dialog.save()
    before = user.read_text()
    dialog = browser.editor_for(CUSTOM.replace('kind = "solid_electrolyte"', 'kind = "solid"'),
                                "my-LPSCl", "Edit")
    qtbot.addWidget(dialog)
    assert not dialog.save()
    assert "unknown kind" in dialog.error.text()
    assert user.read_text() == before


def test_matches_is_usable_without_a_window():
    lib = default_library()
    assert [m.id for m in matches(lib, "lpscl")][0] == "Li6PS5Cl"
    assert matches(lib, "no-such-material-xyz") == []


def test_the_designs_own_materials_and_inline_records(qtbot, browser):
    from asslb_designer import evaluate, loads_design
    from .conftest import ROOT
    text = (ROOT / "examples" / "nmc811-lpscl-li-pouch-hbn.toml").read_text()
    text += ('\n[[material]]\nid = "inline-SE"\nkind = "solid_electrolyte"\n'
             'density = "2 g/cm^3"\nsource = "this design"\n')
    design = loads_design(text)
    browser.show_state(design, evaluate(design))
    browser.search.setText("inline-SE")
    assert ids(browser) == ["inline-SE"]                    # the design's inline record
    browser.search.setText("")
    browser.design_only.setChecked(True)
    shown = set(ids(browser))
    assert {"NMC811", "Li6PS5Cl", "h-BN", "Li", "Cu", "Al"} <= shown
    assert "LLZO" not in shown and "inline-SE" not in shown  # unused by the evaluation
