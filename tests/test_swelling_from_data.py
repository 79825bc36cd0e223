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


def prelithiated_alloy_cell(prelithiation):
    from .test_lithium_inventory import cell
    foil = '[[layer]]\nrole = "anode"\nmaterial = "ALLOY"\nthickness = "10 um"\n'
    return cell(foil, active="SUL", loading="1 mg/cm^2",
                cell_keys=f'prelithiation = "{prelithiation} mA*h/cm^2"')


def test_a_prelithiated_alloy_foil_with_a_lithium_free_positive_swells_as_built(lib):
    # the Li-In | MoS2 case: lithium pressed onto the alloy foil is in it as built.
    # ALLOY foil 10 um: Q_neg = 10e-4 cm x 2.0 g/cm3 x 1000 mAh/g = 2.0 mAh/cm2; its full swing
    # = 10 um x phi 1 x dV/V 1.0 = 10 um. SUL 1 mg/cm2: Q_pos = 1.0 mAh/cm2; composite
    # M = 2 mg/cm2, t = 2 x 0.5 / 0.8 x 10 = 12.5 um, phi = 1 / 2.0 / 12.5 x 10 = 0.4, swing
    # = 12.5 x 0.4 x 0.8 = 4.0 um. Prelithiation 1.2: cycled = min(1.0, 1.2, 2.0) = 1.0.
    # As built: 10 x 1.2 / 2.0 = 6.0 um; discharged: 10 x (1.2 - 1.0) / 2.0 + 4.0 = 5.0 um.
    r = evaluate(prelithiated_alloy_cell(1.2), lib)
    assert r["areal_capacity"].m == pytest.approx(1.0)
    assert r.layers[1]["swelling"] == pytest.approx(6.0)
    assert r.layers[3]["swelling"] == pytest.approx(0.0)     # the positive is not lithiated then
    # stack: 5 (half CuT) + 10 + 6.0 + 30 + 12.5 + 5 (half AlT) = 68.5 um
    assert r["stack_thickness"].m_as("um") == pytest.approx(68.5)
    assert any("(ALLOY) holds the prelithiation's lithium as built" in w and "+6 um" in w
               for w in r.warnings)
    assert not any("(SUL) swells" in w for w in r.warnings)


def test_the_prelithiated_alloy_swells_by_the_share_of_its_capacity_filled(lib):
    # prelithiation 3.0 > Q_neg 2.0: as built the foil is fully lithiated, 10 um (min(1, 1.5));
    # discharged: 10 x (3.0 - 1.0) / 2.0 = 10 um (min 1) + 4.0: the discharge is thicker, 14 um
    r = evaluate(prelithiated_alloy_cell(3.0), lib)
    assert r.layers[1]["swelling"] == pytest.approx(10.0)
    assert r.layers[3]["swelling"] == pytest.approx(4.0)
    assert r["stack_thickness"].m_as("um") == pytest.approx(5 + 10 + 10 + 30 + 12.5 + 4 + 5)
    assert any("(SUL) swells at discharge" in w for w in r.warnings)


def test_the_li_in_example_counts_its_prelithiated_indium():
    # np_ratio 5 x 1.56 mAh/cm2 = 7.8 mAh/cm2 of In -> LiIn; 7.8 / 233.4 mAh/g / 7.31 g/cm3
    # = 45.72 um of indium; 3.9 mAh/cm2 pressed on fills half: 45.72 x 0.5 x 0.5 = 11.43 um
    r = evaluate(load_design(ROOT / "examples" / "liin-li3ps4-mos2.toml"))
    assert r.layers[1]["thickness"] == pytest.approx(45.72, abs=0.01)
    assert r.layers[1]["swelling"] == pytest.approx(11.43, abs=0.01)
    # 10 (Cu) + 45.72 + 11.43 + 500 + 32.82 (MoS2 composite) + 15 (Al) = 614.97 um
    assert r["stack_thickness"].m_as("um") == pytest.approx(614.97, abs=0.05)
