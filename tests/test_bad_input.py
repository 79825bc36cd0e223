"""Bad input never crashes: one line naming the file, the key and the reason; exit 2."""

import pytest

from asslb_designer import cli

from .conftest import DATA

BASIC = (DATA / "basic.toml").read_text()


@pytest.fixture(autouse=True)
def test_materials(monkeypatch):
    # the CLI reads the default library; give it the round-number test materials
    monkeypatch.setenv("ASSLB_DESIGNER_USER_LIBRARY", str(DATA / "test_library.toml"))


def run(capsys, tmp_path, text, name="design.toml"):
    path = tmp_path / name
    path.write_text(text)
    code = cli.main(["evaluate", str(path)])
    captured = capsys.readouterr()
    return code, captured.err.strip(), path


def one_line_error(capsys, tmp_path, text, key, *reason_parts):
    code, err, path = run(capsys, tmp_path, text)
    assert code == 2, err
    assert len(err.splitlines()) == 1, err
    assert "Traceback" not in err
    assert err.startswith(f"error: {path}: {key}: "), err
    for part in reason_parts:
        assert part in err, err
    return err


def test_good_file_evaluates(capsys, tmp_path):
    code, err, _ = run(capsys, tmp_path, BASIC)
    assert code == 0, err


def test_malformed_toml(capsys, tmp_path):
    code, err, path = run(capsys, tmp_path, BASIC + "\n[[layer]\nrole = ")
    assert code == 2 and len(err.splitlines()) == 1
    assert f"{path}: not valid TOML" in err


def test_missing_file(capsys, tmp_path):
    code = cli.main(["evaluate", str(tmp_path / "nope.toml")])
    err = capsys.readouterr().err
    assert code == 2 and "nope.toml: cannot read" in err


@pytest.mark.parametrize("value, reason", [
    ('"30 kg"', "expected a length such as '30 um'"),
    ('"-30 um"', "must be positive"),
    ('"0 um"', "must be positive"),
    ('"nan um"', "must be a finite number"),
    ("30", "a bare number needs a unit"),
    ('"30 furlongs_per_fortnight"', "cannot read the unit"),
])
def test_bad_separator_thickness(capsys, tmp_path, value, reason):
    text = BASIC.replace('thickness = "30 um"', f"thickness = {value}")
    one_line_error(capsys, tmp_path, text, "layer[4].thickness", reason)


def test_missing_key(capsys, tmp_path):
    text = BASIC.replace('thickness = "30 um"\n', "")
    one_line_error(capsys, tmp_path, text, "layer[4].thickness", "needs a thickness")


def test_unknown_material_lists_closest_ids(capsys, tmp_path):
    text = BASIC.replace('material = "SEP"', 'material = "SEPP"')
    one_line_error(capsys, tmp_path, text, "layer[4].material", "unknown material 'SEPP'",
                   "did you mean", "'SEP'")


def test_material_of_the_wrong_kind(capsys, tmp_path):
    text = BASIC.replace('material = "SEP"', 'material = "CuT"')
    one_line_error(capsys, tmp_path, text, "layer[4].material", "is a current_collector")


def test_fractions_must_sum_to_one(capsys, tmp_path):
    text = BASIC.replace("binder = 0.02 }", "binder = 0.12 }")
    one_line_error(capsys, tmp_path, text, "layer[5].fractions", "sum to 1", "1.1")


@pytest.mark.parametrize("porosity, reason", [("1.0", "must be below 1"),
                                              ("-0.1", "must be zero or positive"),
                                              ('"10 %"', None)])
def test_porosity_range(capsys, tmp_path, porosity, reason):
    text = BASIC.replace("porosity = 0.1", f"porosity = {porosity}")
    if reason is None:   # "10 %" is a dimensionless 0.1: accepted
        code, err, _ = run(capsys, tmp_path, text)
        assert code == 0, err
    else:
        one_line_error(capsys, tmp_path, text, "layer[5].porosity", reason)


def test_coating_density_above_solid_density(capsys, tmp_path):
    text = BASIC.replace("porosity = 0.1", 'density = "4 g/cm^3"')   # solids: 1/0.27 = 3.7
    one_line_error(capsys, tmp_path, text, "layer[5].density", "above the density of its solids")


def test_unsupported_schema(capsys, tmp_path):
    text = BASIC.replace("design@1", "design@9")
    one_line_error(capsys, tmp_path, text, "schema", "unsupported schema",
                   "asslb-designer/design@1")


def test_typo_in_table_name(capsys, tmp_path):
    text = BASIC.replace("[cell]", "[cel]")
    one_line_error(capsys, tmp_path, text, "cel", "unknown key", "'cell'")


def test_typo_in_key(capsys, tmp_path):
    text = BASIC.replace('thickness = "30 um"', 'thicknes = "30 um"')
    one_line_error(capsys, tmp_path, text, "layer[4].thicknes", "unknown key", "'thickness'")


def test_typo_in_fraction_key(capsys, tmp_path):
    text = BASIC.replace("carbon = 0.03", "carbn = 0.03")
    one_line_error(capsys, tmp_path, text, "layer[5].fractions.carbn", "'carbon'")


def test_unknown_role_and_format(capsys, tmp_path):
    one_line_error(capsys, tmp_path, BASIC.replace('role = "separator"', 'role = "seperator"'),
                   "layer[4].role", "unknown role", "'separator'")
    one_line_error(capsys, tmp_path, BASIC.replace('temperature = "25 degC"',
                                                   'temperature = "25 degC"\nformat = "stacks"'),
                   "cell.format", "'stacked'")


def test_c_rate_and_current_density_conflict(capsys, tmp_path):
    text = BASIC.replace("c_rate = 1", 'c_rate = 1\ncurrent_density = "1 mA/cm^2"')
    one_line_error(capsys, tmp_path, text, "cell.current_density", "not both")


def test_temperature_below_absolute_zero(capsys, tmp_path):
    text = BASIC.replace('"25 degC"', '"-300 degC"')
    one_line_error(capsys, tmp_path, text, "cell.temperature", "above absolute zero")


def test_layers_out_of_order(capsys, tmp_path):
    # put the cathode first: the reader says which way round layers go
    text = BASIC.replace('role = "anode"', 'role = "XX"').replace('role = "cathode"',
                                                                  'role = "anode"')
    text = text.replace('role = "XX"', 'role = "cathode"')
    code, err, _ = run(capsys, tmp_path, text)
    assert code == 2 and len(err.splitlines()) == 1


def test_formation_loss_and_unit_cells_ranges(capsys, tmp_path):
    one_line_error(capsys, tmp_path, BASIC.replace("c_rate = 1", "c_rate = 1\nformation_loss = 1"),
                   "cell.formation_loss", "below 1")
    one_line_error(capsys, tmp_path, BASIC.replace("c_rate = 1", "c_rate = 1\nunit_cells = 2.5"),
                   "cell.unit_cells", "whole number")


def test_inline_material_with_bad_value(capsys, tmp_path):
    text = BASIC + """
[[material]]
id = "X"
kind = "cathode_active"
density = "4.75 g/cm^3"
specific_capacity = "200 mA*h"
average_potential = "3.8 V"
source = "me"
"""
    one_line_error(capsys, tmp_path, text, "material[1].specific_capacity",
                   "expected a specific capacity")


def test_internal_failure_is_one_line_exit_1(capsys, tmp_path, monkeypatch):
    import asslb_designer.evaluation as ev

    def broken(*args, **kwargs):
        raise RuntimeError("boom")
    monkeypatch.setattr(ev, "evaluate", broken)
    code, err, _ = run(capsys, tmp_path, BASIC)
    assert code == 1
    assert len(err.splitlines()) == 1 and "internal error: RuntimeError: boom" in err


def test_validate_design_file(capsys, tmp_path):
    path = tmp_path / "d.toml"
    path.write_text(BASIC)
    assert cli.main(["validate", str(path)]) == 0
    assert "ok" in capsys.readouterr().out
    path.write_text(BASIC.replace('"30 um"', '"30 kg"'))
    assert cli.main(["validate", str(path)]) == 2


def test_a_design_needs_its_anode_layer(capsys, tmp_path):
    text = BASIC.replace('[[layer]]\nrole = "anode"\nmaterial = "Li"\nthickness = "20 um"\n', "")
    one_line_error(capsys, tmp_path, text, "layer", "exactly one anode layer", 'material = "none"')


def test_c_rate_may_carry_its_unit(capsys, tmp_path):
    code, err, _ = run(capsys, tmp_path, BASIC.replace("c_rate = 1", 'c_rate = "0.5 1/h"'))
    assert code == 0, err
    one_line_error(capsys, tmp_path, BASIC.replace("c_rate = 1", 'c_rate = "0.5 mA"'),
                   "cell.c_rate", "expected a c rate")


CELL_LEVEL = BASIC.replace("c_rate = 1\n", """c_rate = 1
electrode_width = "10 cm"
electrode_height = "10 cm"
unit_cells = 10
formation_loss = 0.05
extra_mass = "2 g"
end_electrode = "negative"
plated_lithium = "built"
electrolyte = "LIQ"
electrolyte_fill = "1.6 mL/(A*h)"

[cell.packaging]
foil_thickness = "0.1 mm"
foil_density = "1.8 g/cm^3"
sealing_margin = "5 mm"
tab_length = "2 cm"
tab_width = "1 cm"
tab_thickness = "0.1 mm"
tab_protrusion = "1 cm"
tab_materials = ["AlT", "CuT"]

[cell.hardware]
stack_pressure = "2 MPa"
material = "STEEL"
safety_factor = 2
cells_per_frame = 4
""").replace('loading = "20 mg/cm^2"', 'areal_capacity = "4 mA*h/cm^2"').replace(
    "porosity = 0.1", 'density = "3.3 g/cm^3"')


def test_every_cell_level_key_together_is_accepted(capsys, tmp_path):
    code, err, _ = run(capsys, tmp_path, CELL_LEVEL)
    assert code == 0, err


@pytest.mark.parametrize("old, new, key, reason", [
    ('areal_capacity = "4 mA*h/cm^2"', 'areal_capacity = "4 mA*h"', "layer[5].areal_capacity",
     "expected an areal capacity"),
    ('areal_capacity = "4 mA*h/cm^2"', 'areal_capacity = "-4 mA*h/cm^2"', "layer[5].areal_capacity",
     "must be positive"),
    ('density = "3.3 g/cm^3"', 'density = "3.3 g"', "layer[5].density", "expected a density"),
    ('density = "3.3 g/cm^3"', 'density = "3.3 g/cm^3"\nporosity = 0.1', "layer[5].porosity",
     "exactly one of porosity or (coating) density"),
    ('electrode_width = "10 cm"', 'electrode_width = "10 cm^2"', "cell.electrode_width",
     "expected a length"),
    ('electrode_height = "10 cm"\n', "", "cell.electrode_height", "go together"),
    ("unit_cells = 10", "unit_cells = 0", "cell.unit_cells", "must be positive"),
    ("formation_loss = 0.05", "formation_loss = -0.05", "cell.formation_loss", "positive"),
    ('extra_mass = "2 g"', 'extra_mass = "2 mL"', "cell.extra_mass", "expected a mass"),
    ('end_electrode = "negative"', 'end_electrode = "positive"', "cell.end_electrode",
     "unknown option"),
    ('plated_lithium = "built"', 'plated_lithium = "bilt"', "cell.plated_lithium", "'built'"),
    ('electrolyte = "LIQ"', 'electrolyte = "LIQUID"', "cell.electrolyte", "unknown material"),
    ('electrolyte = "LIQ"', 'electrolyte = "CuT"', "cell.electrolyte", "is a current_collector"),
    ('electrolyte_fill = "1.6 mL/(A*h)"', 'electrolyte_fill = "1.6 mL"', "cell.electrolyte_fill",
     "expected a fill per capacity"),
    ('electrolyte_fill = "1.6 mL/(A*h)"', 'electrolyte_fill = "lots"', "cell.electrolyte_fill",
     "not a number followed by a unit"),
    ('foil_thickness = "0.1 mm"', 'foil_thickness = "-0.1 mm"', "cell.packaging.foil_thickness",
     "must be positive"),
    ('foil_density = "1.8 g/cm^3"\n', "", "cell.packaging.foil_density", "missing"),
    ('tab_protrusion = "1 cm"', 'tab_protrusion = "1 kg"', "cell.packaging.tab_protrusion",
     "expected a length"),
    ('tab_materials = ["AlT", "CuT"]', 'tab_materials = ["AlT"]', "cell.packaging.tab_materials",
     "[positive, negative]"),
    ('tab_materials = ["AlT", "CuT"]', 'tab_materials = ["AlT", "CAM"]',
     "cell.packaging.tab_materials", "is a cathode_active"),
    ('stack_pressure = "2 MPa"', 'stack_pressure = "2 MPa*m"', "cell.hardware.stack_pressure",
     "expected a pressure"),
    ("safety_factor = 2", "safety_factor = 0.5", "cell.hardware.safety_factor", "at least 1"),
    ("cells_per_frame = 4", "cells_per_frame = 1.5", "cell.hardware.cells_per_frame",
     "whole number"),
    ('material = "STEEL"', 'material = "STEL"', "cell.hardware.material", "'STEEL'"),
])
def test_bad_value_of_each_cell_level_key(capsys, tmp_path, old, new, key, reason):
    assert old in CELL_LEVEL
    one_line_error(capsys, tmp_path, CELL_LEVEL.replace(old, new, 1), key, reason)


def test_np_ratio_of_the_negative(capsys, tmp_path):
    text = BASIC.replace('thickness = "20 um"', "np_ratio = -1")
    one_line_error(capsys, tmp_path, text, "layer[2].np_ratio", "must be positive")
    text = BASIC.replace('thickness = "20 um"', 'np_ratio = 1.5\nthickness = "20 um"')
    one_line_error(capsys, tmp_path, text, "layer[2].thickness", "exactly one of")
