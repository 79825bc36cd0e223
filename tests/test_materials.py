"""The materials library: loading, the spread of values, the validator, user and inline materials."""

import json

import pytest

from asslb_designer import cli, evaluate, loads_design
from asslb_designer.library_check import check_builtin, check_files
from asslb_designer.materials import (builtin_library, default_library, load_files,
                                      read_library_text)

from .conftest import DATA

REF = '[references.R1]\ncitation = "A. Author, J. Test. 2020, 1, 1"\n'


def problems_of(text, tmp_path):
    path = tmp_path / "lib.toml"
    path.write_text(REF + text)
    report = check_files([path])
    return [str(e) for e in report.errors], [str(w) for w in report.warnings]


def test_builtin_library_is_valid():
    report = check_builtin(include_user=False)
    assert report.ok, "\n".join(str(e) for e in report.errors)
    assert report.materials > 50


def test_every_builtin_value_has_a_unit_and_a_resolvable_source():
    lib = builtin_library()
    for m in lib:
        for prop, values in m.properties.items():
            for v in values:
                assert v.source, f"{m.id}.{prop} has no source"
                for s in v.source:
                    assert s in lib.references, f"{m.id}.{prop}: {s}"


GOOD = """
[[material]]
id = "X"
kind = "solid_electrolyte"
source = "R1"
density = "2 g/cm^3"
ionic_conductivity = { value = 1e-3, unit = "S/cm", temperature = "25 degC" }
"""


def test_a_good_file_passes(tmp_path):
    errors, warnings = problems_of(GOOD, tmp_path)
    assert errors == []


@pytest.mark.parametrize("change, expected", [
    (('density = "2 g/cm^3"\n', ""), "needs density"),
    (('"2 g/cm^3"', '"2 g"'), "expected a density"),
    (('"2 g/cm^3"', '"-2 g/cm^3"'), "must be positive"),
    (('density =', 'densty ='), "unknown field (did you mean 'density'"),
    (('source = "R1"', 'source = "R2"'), "source 'R2' is not a reference id"),
    (('temperature = "25 degC"', 'temperature = "25 kg"'), "expected a temperature"),
    (('{ value = 1e-3, unit = "S/cm", temperature = "25 degC" }',
      '{ value = 1e-3, unit = "S/cm" }'), "give the temperature of the measurement"),
    (('kind = "solid_electrolyte"', 'kind = "electrolyte"'), "unknown kind"),
])
def test_validator_errors(tmp_path, change, expected):
    errors, _ = problems_of(GOOD.replace(*change), tmp_path)
    assert any(expected in e for e in errors), errors


def test_conductivity_table_must_rise_with_temperature(tmp_path):
    # the review's Table 1 printed 2.9e-5 (25 C), 1.2e-5 (60 C): such a table is refused
    text = GOOD.replace('ionic_conductivity = { value = 1e-3, unit = "S/cm", temperature = "25 degC" }',
                        'conductivity_table = [["25 degC", "2.9e-5 S/cm"], ["60 degC", "1.2e-5 S/cm"]]')
    errors, _ = problems_of(text, tmp_path)
    assert any("must rise with temperature" in e for e in errors), errors


def test_values_of_one_source_must_rise_with_temperature(tmp_path):
    text = GOOD.replace(
        'ionic_conductivity = { value = 1e-3, unit = "S/cm", temperature = "25 degC" }',
        'ionic_conductivity = [{ value = 1e-3, unit = "S/cm", temperature = "25 degC", preferred = true },'
        ' { value = 1e-4, unit = "S/cm", temperature = "60 degC" }]')
    errors, _ = problems_of(text, tmp_path)
    assert any("must rise with temperature" in e for e in errors), errors


def test_several_values_need_exactly_one_preferred(tmp_path):
    text = GOOD.replace('density = "2 g/cm^3"',
                        'density = [{ value = 2, unit = "g/cm^3" }, { value = 2.1, unit = "g/cm^3" }]')
    errors, _ = problems_of(text, tmp_path)
    assert any("mark exactly one `preferred = true`" in e for e in errors), errors


def test_preferred_value_is_used_and_the_spread_is_kept(tmp_path):
    path = tmp_path / "lib.toml"
    path.write_text(REF + GOOD.replace(
        'density = "2 g/cm^3"',
        'density = [{ value = 2, unit = "g/cm^3" }, '
        '{ value = 2.2, unit = "g/cm^3", preferred = true, method = "pycnometry" }]'))
    lib = load_files([path])
    m = lib.get("x")
    assert m.get("density") == 2.2
    assert [v.value for v in m.values("density")] == [2.0, 2.2]
    assert m.values("density")[1].method == "pycnometry"


def test_duplicate_ids_and_unknown_interface_materials(tmp_path):
    a, b = tmp_path / "a.toml", tmp_path / "b.toml"
    a.write_text(REF + GOOD)
    b.write_text(GOOD + '\n[[interface]]\nbetween = ["X", "Nope"]\nasr = "5 ohm*cm^2"\n'
                        'source = "R1"\n')
    report = check_files([a, b])
    messages = [str(e) for e in report.errors]
    assert any("defined twice" in e for e in messages), messages
    assert any("unknown material 'Nope'" in e for e in messages), messages


def test_capacity_above_theoretical_is_a_warning(tmp_path):
    text = """
[[material]]
id = "Fe3S4x"
kind = "cathode_active"
lithiated = false
source = "R1"
density = "4.1 g/cm^3"
specific_capacity = "1001 mA*h/g"
theoretical_capacity = "725 mA*h/g"
average_potential = "1.8 V"
"""
    errors, warnings = problems_of(text, tmp_path)
    assert errors == []
    assert any("exceeds the theoretical capacity" in w for w in warnings), warnings


def test_user_library_merges_over_the_builtin(tmp_path, monkeypatch):
    user = tmp_path / "materials.toml"
    user.write_text("""
[[material]]
id = "my-cathode"
kind = "cathode_active"
density = "4.7 g/cm^3"
specific_capacity = "210 mA*h/g"
average_potential = "3.85 V"
source = "supplier datasheet 2026"
""")
    monkeypatch.setenv("ASSLB_DESIGNER_USER_LIBRARY", str(user))
    lib = default_library()
    assert lib.get("my-cathode").get("specific_capacity") == 210
    assert lib.find("NMC811") is not None          # the built-in library is still there
    assert cli.main(["materials", "validate"]) == 0


def test_user_library_default_location_is_the_platform_config_folder(monkeypatch):
    monkeypatch.delenv("ASSLB_DESIGNER_USER_LIBRARY")
    monkeypatch.setenv("XDG_CONFIG_HOME", "/tmp/xdg-test")
    from asslb_designer.materials import user_library_path
    assert str(user_library_path()) == "/tmp/xdg-test/asslb-designer/materials.toml"


def test_inline_material_shadows_the_library(lib):
    text = (DATA / "basic.toml").read_text() + """
[[material]]
id = "CAM"
kind = "cathode_active"
density = "5.0 g/cm^3"
specific_capacity = "100 mA*h/g"
average_potential = "3.8 V"
source = "supplier datasheet"
"""
    r = evaluate(loads_design(text, "inline.toml"), lib)
    assert r["areal_capacity"].m == pytest.approx(2.0)    # 20 mg/cm2 x 100 mAh/g
    assert any(s["citation"] == "supplier datasheet" for s in r.to_dict()["sources"])


def test_library_text_reports_all_problems_at_once():
    parsed = read_library_text('[[material]]\nid = "A"\nkind = "binder"\n\n'
                               '[[material]]\nid = "B"\nkind = "binder"\ndensity = "1 kg"\n', "x")
    assert len(parsed.problems.errors) == 2


def test_materials_cli(capsys):
    assert cli.main(["materials", "list", "--kind", "solid_electrolyte"]) == 0
    out = capsys.readouterr().out
    assert "Li6PS5Cl" in out and "NMC811" not in out
    assert cli.main(["materials", "list", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert {"NMC811", "h-BN", "Li"} <= {m["id"] for m in listed}
    assert cli.main(["materials", "show", "nmc811"]) == 0
    out = capsys.readouterr().out
    assert "specific_capacity" in out and "references:" in out
    assert cli.main(["materials", "show", "NMC812"]) == 2
    assert "did you mean" in capsys.readouterr().err
    assert cli.main(["materials", "list", "--kind", "cathode"]) == 2


def test_validate_library_file_cli(tmp_path, capsys):
    path = tmp_path / "lib.toml"
    path.write_text(REF + GOOD.replace('"2 g/cm^3"', '"2 kg"'))
    assert cli.main(["validate", str(path)]) == 2
    assert "expected a density" in capsys.readouterr().err
    path.write_text(REF + GOOD)
    assert cli.main(["validate", str(path)]) == 0
