"""Swelling from data: an electrode whose active record gives a volume_change swells in the
thickest state by  delta t = t x phi_active x dV/V  (the active's volume share of the layer
times its volume change) unless the design states `swelling`. A negative swells at full
charge when the positive is lithiated; a lithium-free positive swells when discharged.
Round-number test library: ALLOY 2.0 g/cm3, 1000 mAh/g, 0.3 V, volume change 1.0."""

import pytest

from asslb_designer import evaluate, load_design, loads_design

from .conftest import ROOT


def alloy_cell(swelling=""):
    return loads_design(f"""
[cell]
temperature = "25 degC"

[[layer]]
role = "anode"
active = "ALLOY"
loading = "4 mg/cm^2"
fractions = {{ active = 0.5, electrolyte = 0.5 }}
electrolyte = "SE"
porosity = 0.2
{swelling}

[[layer]]
role = "separator"
material = "SEP"
thickness = "30 um"

[[layer]]
role = "cathode"
active = "CAM"
loading = "10 mg/cm^2"
fractions = {{ active = 0.5, electrolyte = 0.5 }}
electrolyte = "SE"
porosity = 0.2
""", "alloy.toml")


def test_an_alloy_negative_swells_by_its_volume_share_times_its_volume_change(lib):
    r = evaluate(alloy_cell(), lib)
    # anode: M = 4 / 0.5 = 8 mg/cm2; sum(w/rho) = 0.5/2 + 0.5/2 = 0.5 cm3/g;
    # t = 8 x 0.5 / 0.8 x 10 = 50 um; phi_ALLOY = 8 x 0.5 / 2.0 / 50 x 10 = 0.4;
    # swelling = 50 x 0.4 x 1.0 = 20 um
    assert r.layers[0]["thickness"] == pytest.approx(50.0)
    # cathode: M = 20, sum(w/rho) = 0.5/5 + 0.5/2 = 0.35, t = 20 x 0.35 / 0.8 x 10 = 87.5 um
    # stack (stacked, no collectors): 50 + 20 + 30 + 87.5 = 187.5 um
    assert r["stack_thickness"].m_as("um") == pytest.approx(187.5)
    assert any("layer[1] (ALLOY) swells at full charge" in w for w in r.warnings)


def test_a_stated_swelling_overrides_the_data(lib):
    r = evaluate(alloy_cell("swelling = 0.1"), lib)
    # 10 % of the 50 um layer: 5 um instead of 20 um: 50 + 5 + 30 + 87.5 = 172.5 um
    assert r["stack_thickness"].m_as("um") == pytest.approx(172.5)
    assert not any("swells" in w for w in r.warnings)


def test_silicon_no_longer_evaluates_without_its_expansion():
    # the liquid baseline with the library's Si (2.33 g/cm3, volume change 2.8) instead of
    # graphite: 96 wt% Si at a coating density of 1.6 g/cm3
    text = (ROOT / "examples" / "nmc811-graphite-liquid.toml").read_text()
    assert 'active = "graphite"' in text
    text = text.replace('active = "graphite"', 'active = "Si"')
    with_data = evaluate(loads_design(text, "si.toml"))
    stated = evaluate(loads_design(text.replace('active = "Si"', 'active = "Si"\nswelling = 0'),
                                   "si.toml"))
    t = with_data.layers[1]["thickness"]
    # phi_Si = (M x 0.96 / 2.33) / (M / 1.6) = 0.96 x 1.6 / 2.33 = 0.6592;
    # swelling = t x 0.6592 x 2.8 = 1.846 t
    gained = with_data["stack_thickness"].m_as("um") - stated["stack_thickness"].m_as("um")
    assert gained == pytest.approx(t * 0.96 * 1.6 / 2.33 * 2.8)
    assert with_data["energy_density_stack"].m < stated["energy_density_stack"].m
    assert any("(Si) swells" in w and "volume_change" in w for w in with_data.warnings)
