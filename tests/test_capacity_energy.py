"""Capacity, N/P, voltage, masses, thicknesses and energy on every basis, derived by hand.

Materials are the round-number test library (tests/data/test_library.toml):
CAM 5.0 g/cm3, 200 mAh/g, 3.8 V; SE 2.0 g/cm3; C 2.0; B 1.0; Li 0.534 g/cm3, 3861 mAh/g;
GR 2.0 g/cm3, 350 mAh/g, 0.1 V; SEP 5.0; IL 2.0; CuT 9.0; AlT 3.0.
"""

import pytest

from asslb_designer import evaluate, load_design, loads_design

from .conftest import DATA

CATHODE = """
[[layer]]
role = "cathode"
active = "CAM"
{size}
fractions = {{ active = 0.8, electrolyte = 0.15, carbon = 0.03, binder = 0.02 }}
electrolyte = "SE"
carbon = "C"
binder = "B"
{pores}
"""


def design(anode: str, cathode_size='loading = "20 mg/cm^2"', pores="porosity = 0.1",
           cell='temperature = "25 degC"', collectors=True, separator="30 um"):
    cu = '[[layer]]\nrole = "current_collector"\nmaterial = "CuT"\nthickness = "10 um"\n'
    al = '[[layer]]\nrole = "current_collector"\nmaterial = "AlT"\nthickness = "10 um"\n'
    text = (f"[cell]\n{cell}\n" + (cu if collectors else "") + anode +
            f'[[layer]]\nrole = "separator"\nmaterial = "SEP"\nthickness = "{separator}"\n' +
            CATHODE.format(size=cathode_size, pores=pores) + (al if collectors else ""))
    return loads_design(text, "test.toml")


LI_FOIL = '[[layer]]\nrole = "anode"\nmaterial = "Li"\nthickness = "20 um"\n'
ANODE_FREE = '[[layer]]\nrole = "anode"\nmaterial = "none"\n'


def test_composite_cathode_by_loading(lib):
    r = evaluate(design(LI_FOIL), lib)
    cathode = r.layers[3]
    # M = L / w = 20 / 0.8 = 25 mg/cm2
    assert cathode["areal_mass"] == pytest.approx(25.0)
    # sum(w/rho) = 0.8/5 + 0.15/2 + 0.03/2 + 0.02/1 = 0.27 cm3/g
    # t = M * 0.27 / (1 - 0.1) = 25 mg/cm2 * 0.27 cm3/g / 0.9 = 7.5e-3 cm = 75 um
    assert cathode["thickness"] == pytest.approx(75.0)
    # Q = 20 mg/cm2 * 200 mAh/g = 4.0 mAh/cm2
    assert r["areal_capacity"].m_as("mA*h/cm^2") == pytest.approx(4.0)
    # phi_SE = (25 mg/cm2 * 0.15 / 2.0 g/cm3) / 75 um = 1.875e-3 cm / 7.5e-3 cm = 0.25
    assert cathode["electrolyte_volume_fraction"] == pytest.approx(0.25)


def test_cathode_by_thickness_equals_by_loading(lib):
    # 75 um at porosity 0.1 holds the 25 mg/cm2 composite of the loading test: L = 20 mg/cm2
    r = evaluate(design(LI_FOIL, cathode_size='thickness = "0.075 mm"'), lib)
    assert r.layers[3]["loading"] == pytest.approx(20.0)
    assert r["areal_capacity"].m_as("mA*h/cm^2") == pytest.approx(4.0)


def test_cathode_by_areal_capacity_and_coating_density(lib):
    # Q = 4 mAh/cm2 -> L = 4 / 200 mAh/g = 20 mg/cm2; coating density 3.333 g/cm3:
    # porosity = 1 - 3.3333 * 0.27 = 0.1; so the same 75 um as the loading test
    r = evaluate(design(LI_FOIL, cathode_size='areal_capacity = "4 mA*h/cm^2"',
                        pores='density = "3.333333333 g/cm^3"'), lib)
    assert r.layers[3]["porosity"] == pytest.approx(0.1, abs=1e-8)
    assert r.layers[3]["thickness"] == pytest.approx(75.0, rel=1e-7)


def test_li_foil_np_ratio_voltage_and_plated_thickness(lib):
    r = evaluate(design(LI_FOIL), lib)
    # Li foil: 20 um * 0.534 g/cm3 = 1.068 mg/cm2 -> 1.068e-3 g * 3861 mAh/g = 4.1235 mAh/cm2
    assert r["np_ratio"].m == pytest.approx(4.123548 / 4.0)
    assert r["nominal_voltage"].m_as("V") == pytest.approx(3.8)       # plated Li: 0 V
    assert r["areal_energy"].m_as("mW*h/cm^2") == pytest.approx(15.2)  # 4.0 * 3.8
    # plated Li at full charge: 4 mAh/cm2 / (3861 mAh/g * 0.534 g/cm3) = 1.940077e-3 cm
    assert r.extra["plated_lithium"] == pytest.approx(19.40077, rel=1e-5)


def test_repeat_unit_mass_thickness_and_every_energy_basis(lib):
    r = evaluate(design(LI_FOIL), lib)
    # masses mg/cm2: Cu 10um*9.0/10 = 9.0 (half: 4.5); Li 1.068; SEP 30*5.0/10 = 15;
    # cathode 25; Al 10*3.0/10 = 3.0 (half: 1.5)
    electrochemical = 1.068 + 15.0 + 25.0
    stack = electrochemical + 4.5 + 1.5
    assert r["areal_mass"].m_as("mg/cm^2") == pytest.approx(stack)
    # thickness um: half Cu 5 + Li 20 + plated 19.40077 + SEP 30 + cathode 75 + half Al 5
    thickness = 5 + 20 + 19.40077 + 30 + 75 + 5
    assert r["stack_thickness"].m_as("um") == pytest.approx(thickness, rel=1e-6)
    e = 15.2  # mWh/cm2
    assert r["specific_energy_active"].m_as("W*h/kg") == pytest.approx(e / 20 * 1e3)   # 760
    assert r["specific_energy_cathode"].m_as("W*h/kg") == pytest.approx(e / 25 * 1e3)  # 608
    assert r["specific_energy_electrochemical"].m_as("W*h/kg") == \
        pytest.approx(e / electrochemical * 1e3)
    assert r["specific_energy_stack"].m_as("W*h/kg") == pytest.approx(e / stack * 1e3)
    # Wh/L = mWh/cm2 / cm: 15.2 / (thickness * 1e-4)
    assert r["energy_density_stack"].m_as("W*h/l") == pytest.approx(e / (thickness * 1e-4),
                                                                    rel=1e-6)
    assert r["energy_density_electrochemical"].m_as("W*h/l") == \
        pytest.approx(e / ((thickness - 10) * 1e-4), rel=1e-6)


def test_single_and_bipolar_count_collectors_whole(lib):
    stacked = evaluate(design(LI_FOIL), lib)
    single = evaluate(design(LI_FOIL, cell='format = "single"'), lib)
    bipolar = evaluate(design(LI_FOIL, cell='format = "bipolar"'), lib)
    # whole collectors add the other halves: 4.5 + 1.5 mg/cm2 and 5 + 5 um
    assert single["areal_mass"].m - stacked["areal_mass"].m == pytest.approx(6.0)
    assert single["stack_thickness"].m - stacked["stack_thickness"].m == pytest.approx(10.0)
    assert bipolar["areal_mass"].m == pytest.approx(single["areal_mass"].m)
    assert [l["counted_fraction"] for l in single.layers][0] == 1.0
    assert [l["counted_fraction"] for l in stacked.layers][0] == 0.5


def test_anode_free_counts_no_negative_mass_but_plated_thickness(lib):
    r = evaluate(design(ANODE_FREE), lib)
    assert r["np_ratio"].m == 0.0
    assert r["areal_capacity"].m == pytest.approx(4.0)   # the lithium comes from the positive
    assert r.layers[1]["areal_mass"] == 0.0
    # half Cu 5 + plated 19.40077 + SEP 30 + cathode 75 + half Al 5
    assert r["stack_thickness"].m == pytest.approx(5 + 19.40077 + 30 + 75 + 5, rel=1e-6)
    assert r["areal_mass"].m == pytest.approx(4.5 + 15 + 25 + 1.5)


def test_intercalation_anode_limits_capacity_below_np_1_and_warns(lib):
    graphite = """
[[layer]]
role = "anode"
active = "GR"
np_ratio = 0.9
fractions = { active = 1.0 }
porosity = 0.3
"""
    r = evaluate(design(graphite), lib)
    assert r["np_ratio"].m == pytest.approx(0.9)
    # capacity = min(4.0, 0.9 * 4.0) = 3.6 mAh/cm2; V = 3.8 - 0.1 = 3.7 V
    assert r["areal_capacity"].m == pytest.approx(3.6)
    assert r["nominal_voltage"].m == pytest.approx(3.7)
    assert any("N/P < 1" in w for w in r.warnings)
    # graphite: L = 3.6 mAh/cm2 / 350 mAh/g = 10.2857 mg/cm2; t = L / 2.0 / 0.7 = 73.47 um
    assert r.layers[1]["thickness"] == pytest.approx(3.6 / 350 * 1e3 / 2.0 / 0.7 * 10)
    # no plated lithium for an intercalation negative
    assert r.extra["plated_lithium"] == 0.0


def test_np_above_one_does_not_warn(lib):
    graphite = """
[[layer]]
role = "anode"
active = "GR"
np_ratio = 1.1
fractions = { active = 1.0 }
porosity = 0.3
"""
    r = evaluate(design(graphite), lib)
    assert r["areal_capacity"].m == pytest.approx(4.0)
    assert not any("N/P" in w for w in r.warnings)


def test_alloy_foil_sized_by_np_ratio(lib):
    # LiIn foil, 200 mAh/g, 7.0 g/cm3, N/P 2: 8 mAh/cm2 -> 40 mg/cm2 -> 40/7.0*10 = 57.14 um
    foil = '[[layer]]\nrole = "anode"\nmaterial = "LiIn"\nnp_ratio = 2\n'
    r = evaluate(design(foil), lib)
    assert r.layers[1]["areal_mass"] == pytest.approx(40.0)
    assert r.layers[1]["thickness"] == pytest.approx(400 / 7.0)
    assert r["nominal_voltage"].m == pytest.approx(3.8 - 0.6)


def test_formation_loss_scales_every_capacity_and_energy(lib):
    base = evaluate(design(LI_FOIL), lib)
    lossy = evaluate(design(LI_FOIL, cell="formation_loss = 0.1"), lib)
    assert lossy["areal_capacity"].m == pytest.approx(0.9 * base["areal_capacity"].m)
    assert lossy["specific_energy_stack"].m == pytest.approx(0.9 * base["specific_energy_stack"].m)
    # the built N/P is unchanged by the formation loss
    assert lossy["np_ratio"].m == pytest.approx(base["np_ratio"].m)


def test_example_shape_of_json(lib):
    r = evaluate(load_design(DATA / "basic.toml"), lib)
    d = r.to_dict()
    assert d["schema"] == "asslb-designer/result@1"
    assert d["metrics"]["areal_capacity"] == {"value": pytest.approx(4.0),
                                              "unit": "mA * h / cm ** 2"}
    assert d["metrics"]["specific_energy_cell"] is None       # no cell-level data given
    assert d["layers"][0]["counted_fraction"] == 0.5
    assert d["layers"][0]["thickness"] == {"value": 10.0, "unit": "um"}
    assert {"term": "interface", "where": "IL|SEP", "value": 5.0, "unit": "ohm * cm ** 2",
            "source": "T1"} in d["asr"]
    assert d["sources"][0]["id"] == "T1"
    assert "SEP|CAM asr" in d["sources"][0]["used_for"]


def test_swelling_adds_charged_thickness_only(lib):
    base = evaluate(design(LI_FOIL), lib)
    swollen = evaluate(design(LI_FOIL, pores="porosity = 0.1\nswelling = 0.1"), lib)
    # 10 % of the 75 um cathode at full charge: +7.5 um, no mass, less Wh/L
    assert swollen["stack_thickness"].m - base["stack_thickness"].m == pytest.approx(7.5)
    assert swollen["areal_mass"].m == pytest.approx(base["areal_mass"].m)
    assert swollen["specific_energy_stack"].m == pytest.approx(base["specific_energy_stack"].m)


def test_plated_lithium_options(lib):
    lossy = 'formation_loss = 0.1\nplated_lithium = "{}"'
    delivered = evaluate(design(ANODE_FREE, cell=lossy.format("delivered")), lib)
    built = evaluate(design(ANODE_FREE, cell=lossy.format("built")), lib)
    none = evaluate(design(ANODE_FREE, cell=lossy.format("none")), lib)
    # delivered 3.6 mAh/cm2, built 4.0 mAh/cm2 -> x 4.850192 um per mAh/cm2
    per = 1 / (3861 * 0.534) * 1e4
    assert delivered.extra["plated_lithium"] == pytest.approx(3.6 * per)
    assert built.extra["plated_lithium"] == pytest.approx(4.0 * per)
    assert none.extra["plated_lithium"] == 0.0
    assert built["stack_thickness"].m - none["stack_thickness"].m == pytest.approx(4.0 * per)
