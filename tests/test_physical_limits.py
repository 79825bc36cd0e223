"""Physical limits instead of silent numbers: a layer with no ion path, ASR terms without
data (asr_total then a lower bound, each missing term named), collectors that cannot work
where they are. Round-number test library (tests/data/test_library.toml)."""

import json

import pytest

from asslb_designer import cli, evaluate, loads_design
from asslb_designer.errors import InputError
from asslb_designer.report import evaluation_text

from .conftest import DATA

BASIC = (DATA / "basic.toml").read_text()


def test_a_dry_polyolefin_separator_is_an_error(lib):
    # POR is a porous separator (kind separator, porosity 0.4) and the cell has no liquid
    text = BASIC.replace('material = "SEP"', 'material = "POR"')
    with pytest.raises(InputError) as err:
        evaluate(loads_design(text, "dry.toml"), lib)
    message = str(err.value)
    assert message.startswith("dry.toml: layer[4].material:") and "no ion path" in message
    # filled with a liquid it conducts: sigma = 1e-2 S/cm x 0.4^1.5 = 2.530e-3 S/cm,
    # 30 um -> 3e-3 cm / 2.530e-3 = 1.186 ohm cm2
    wet = text.replace("c_rate = 1", 'c_rate = 1\nelectrolyte = "LIQ"')
    r = evaluate(loads_design(wet, "wet.toml"), lib)
    bulk = next(t for t in r.asr if t["where"] == "POR")
    assert bulk["value"] == pytest.approx(3e-3 / (1e-2 * 0.4 ** 1.5))


def test_an_interlayer_without_data_makes_the_total_a_lower_bound(lib, tmp_path, capsys):
    # BN has no ionic conductivity, and no interface record pairs it with Li or SEP:
    # three terms without data (its bulk and both its interfaces)
    text = BASIC.replace('material = "IL"', 'material = "BN"')
    r = evaluate(loads_design(text, "bn.toml"), lib)
    assert r.asr_complete is False
    assert r.asr_missing == ["bulk BN (layer[3])", "interface Li|BN", "interface BN|SEP"]
    out = r.to_dict()
    assert out["asr_complete"] is False and out["asr_missing"] == r.asr_missing
    assert "a lower bound: 3 terms without data" in evaluation_text(r)
    # the complete case says so too
    full = evaluate(loads_design(BASIC, "basic.toml"), lib)
    assert full.asr_complete is True and full.to_dict()["asr_missing"] == []
    assert "lower bound" not in evaluation_text(full)


def test_an_electrode_without_an_ion_conductor_is_a_missing_term(lib):
    text = BASIC.replace(
        "fractions = { active = 0.8, electrolyte = 0.15, carbon = 0.03, binder = 0.02 }\n"
        'electrolyte = "SE"\n', "fractions = { active = 0.95, carbon = 0.03, binder = 0.02 }\n")
    r = evaluate(loads_design(text, "film.toml"), lib)
    assert "electrode CAM (layer[5])" in r.asr_missing
    assert not any(t["term"] == "electrode" for t in r.asr)


def test_an_active_that_conducts_lithium_carries_the_electrode_term(lib):
    # a thin-film cathode: no catholyte, but the active has its own ionic conductivity
    text = BASIC.replace(
        "fractions = { active = 0.8, electrolyte = 0.15, carbon = 0.03, binder = 0.02 }\n"
        'electrolyte = "SE"\n', "fractions = { active = 1.0 }\n").replace(
        'active = "CAM"', 'active = "ionic-CAM"').replace("porosity = 0.1", "porosity = 0.2")
    text += """
[[material]]
id = "ionic-CAM"
kind = "cathode_active"
lithiated = true
density = "5.0 g/cm^3"
specific_capacity = "200 mA*h/g"
average_potential = "3.8 V"
ionic_conductivity = { value = 1e-6, unit = "S/cm", temperature = "25 degC" }
activation_energy = "0.4 eV"
source = "T1"
"""
    r = evaluate(loads_design(text, "film.toml"), lib)
    # M = 20 mg/cm2, t = 20 / 5 / 0.8 x 10 = 50 um; phi_active = 0.8;
    # sigma_eff = 1e-6 x 0.8^1.5 = 7.155e-7 S/cm; t / (3 sigma_eff) = 5e-3 / 2.1466e-6 = 2329 ohm cm2
    term = next(t for t in r.asr if t["term"] == "electrode")
    assert term["value"] == pytest.approx(5e-3 / (3 * 1e-6 * 0.8 ** 1.5))
    assert not any(m.startswith("electrode") for m in r.asr_missing)


def test_cli_json_carries_the_incomplete_asr(tmp_path, capsys, monkeypatch):
    from asslb_designer import materials
    monkeypatch.setattr(materials, "default_library",
                        lambda: materials.load_files([DATA / "test_library.toml"]))
    from asslb_designer import evaluation
    monkeypatch.setattr(evaluation, "default_library", materials.default_library)
    path = tmp_path / "bn.toml"
    path.write_text(BASIC.replace('material = "IL"', 'material = "BN"'))
    assert cli.main(["evaluate", str(path), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["asr_complete"] is False and len(out["asr_missing"]) == 3


def test_aluminium_against_a_lithium_negative_is_a_warning(lib):
    swapped = BASIC.replace('material = "CuT"', 'material = "Al-foil"') + """
[[material]]
id = "Al-foil"
kind = "current_collector"
density = "2.7 g/cm^3"
source = "T1"
"""
    r = evaluate(loads_design(swapped, "swap.toml"), lib)
    assert any("layer[1]" in w and "alloys" in w and "aluminium" in w for w in r.warnings)
    plain = evaluate(loads_design(BASIC, "basic.toml"), lib)
    assert not any("alloys" in w for w in plain.warnings)


def test_copper_against_a_high_voltage_positive_is_a_warning(lib):
    swapped = BASIC.replace('material = "AlT"', 'material = "Cu-foil"') + """
[[material]]
id = "Cu-foil"
kind = "current_collector"
density = "8.96 g/cm^3"
source = "T1"
"""
    r = evaluate(loads_design(swapped, "swap.toml"), lib)
    assert any("layer[6]" in w and "copper" in w and "3.5 V" in w for w in r.warnings)


def test_a_stacked_cell_without_a_collector_is_a_warning(lib):
    text = BASIC.replace('[[layer]]\nrole = "current_collector"\nmaterial = "CuT"\n'
                         'thickness = "10 um"\n', "", 1)
    r = evaluate(loads_design(text, "nocu.toml"), lib)   # stacked is the default format
    assert any("without a negative current collector" in w for w in r.warnings)
    single = evaluate(loads_design(text.replace("[cell]", '[cell]\nformat = "single"'),
                                   "nocu.toml"), lib)
    assert not any("current collector" in w for w in single.warnings)
