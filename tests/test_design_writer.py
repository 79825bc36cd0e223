"""save_design: TOML that load_design reads back to the same values, what the user typed
kept, the file's comments and order kept, written atomically."""

import os

import pytest

from asslb_designer import InputError, evaluate, load_design
from asslb_designer.design_file import design_text, save_design
from asslb_designer.edits import DuplicateLayer, MoveLayer, SetValues, new_design, set_value

from .conftest import ROOT

EXAMPLES = sorted((ROOT / "examples").glob("*.toml"))

COMMENTED = '''# my cell, for the group meeting
schema = "asslb-designer/design@1"
name = "commented"

[cell]
temperature = "60 degC"   # the PEO cells run warm
c_rate = 0.1

[[layer]]
role = "current_collector"
material = "Cu"
thickness = "10 um"

[[layer]]
role = "anode"
material = "Li"
thickness = "0.05 mm"     # as the supplier states it

[[layer]]
# the 2D interlayer under test
role = "interlayer"
material = "h-BN"
thickness = "500 nm"

[[layer]]
role = "separator"
material = "LLZTO"
thickness = "300 um"

[[layer]]
role = "cathode"
active = "LFP"
loading = "5 mg/cm^2"
fractions = { active = 0.7, electrolyte = 0.2, carbon = 0.1 }
electrolyte = "PEO-LiTFSI"
carbon = "carbon-black"
porosity = 0.05

[[layer]]
role = "current_collector"
material = "Al"
thickness = "12 um"
'''


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_unchanged_example_is_written_byte_for_byte(path, tmp_path):
    design = load_design(path)
    out = save_design(design, tmp_path / path.name)
    assert out.read_text(encoding="utf-8") == path.read_text(encoding="utf-8")
    assert load_design(out).values == design.values


def test_edits_keep_typed_text_comments_and_order(tmp_path):
    src = tmp_path / "cell.toml"
    src.write_text(COMMENTED, encoding="utf-8")
    design = load_design(src)
    edited = MoveLayer(3, 4).apply(set_value(design, "layer[4].thickness", "0.25 mm"))
    edited = set_value(edited, "cell.temperature", "70 degC")
    out = save_design(edited, tmp_path / "edited.toml")
    text = out.read_text(encoding="utf-8")
    back = load_design(out)
    assert back.values == edited.values
    assert back.written["layer[3].thickness"] == "0.25 mm"     # the separator, now third
    assert 'thickness = "0.05 mm"     # as the supplier states it' in text
    assert "# my cell, for the group meeting" in text
    assert 'temperature = "70 degC"   # the PEO cells run warm' in text
    # the interlayer moved after the separator and took its own comment with it
    assert text.index("# the 2D interlayer under test") > text.index('material = "LLZTO"')
    assert text.index("[cell]") < text.index("[[layer]]")
    assert evaluate(back).metrics["asr_total"] == pytest.approx(evaluate(edited).metrics["asr_total"])


def test_added_tables_and_duplicates_read_back(tmp_path):
    src = tmp_path / "cell.toml"
    src.write_text(COMMENTED, encoding="utf-8")
    edited = DuplicateLayer(3).apply(load_design(src))
    edited = SetValues({"cell.hardware": {"kind": "end_plates", "stack_pressure": "1 MPa",
                                          "material": "Al-6061-T6"},
                        "cell.electrode_area": "100 cm^2", "cell.unit_cells": 10}).apply(edited)
    out = save_design(edited, tmp_path / "more.toml")
    back = load_design(out)
    assert back.values == edited.values
    assert [layer.label for layer in back.layers].count("h-BN") == 2
    assert "[cell.hardware]" in out.read_text(encoding="utf-8")


def test_new_design_without_a_file(tmp_path):
    design = new_design()
    out = save_design(design, tmp_path / "new.toml")
    assert load_design(out).values == design.values
    assert design_text(design).startswith('schema = "asslb-designer/design@1"')


def test_save_is_atomic(tmp_path, monkeypatch):
    target = tmp_path / "cell.toml"
    target.write_text(COMMENTED, encoding="utf-8")
    edited = set_value(load_design(target), "layer[4].thickness", "0.25 mm")

    def crash(src, dst):
        raise OSError("disk pulled out mid-save")
    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(OSError):
        save_design(edited, target)
    assert target.read_text(encoding="utf-8") == COMMENTED       # the old file, whole
    assert [p.name for p in tmp_path.iterdir()] == ["cell.toml"]  # no temporary left


def test_with_values_design_is_refused(tmp_path):
    design = load_design(EXAMPLES[0]).with_values({"cell.temperature": "330 K"})
    with pytest.raises(InputError) as err:
        save_design(design, tmp_path / "x.toml")
    assert "with_values" in err.value.reason


def test_cli_new_writes_through_the_same_writer(tmp_path, capsys):
    from asslb_designer import cli
    out = tmp_path / "start.toml"
    assert cli.main(["new", str(out)]) == 0
    assert [layer.role for layer in load_design(out).layers] == [
        "current_collector", "anode", "separator", "cathode", "current_collector"]
    assert cli.main(["new", str(out)]) == 2                  # never replaces silently
    assert "exists already" in capsys.readouterr().err
    example = ROOT / "examples" / "nmc811-lpscl-li-pouch-hbn.toml"
    assert cli.main(["new", str(out), "--example", example.stem, "--force"]) == 0
    assert out.read_text(encoding="utf-8") == example.read_text(encoding="utf-8")
    assert cli.main(["new", str(tmp_path / "x.toml"), "--example", "nmc811-lpscl-li-pouh"]) == 2
    assert "did you mean 'nmc811-lpscl-li-pouch'" in capsys.readouterr().err
