"""Cell level (pouch, tabs, stack-pressure hardware) and liquid electrolyte fill, by hand.

Repeat unit of tests/data/basic.toml: 4 mAh/cm2 at 3.8 V, 47.268 mg/cm2, 155.40077 um charged.
Test pouch: foil 0.1 mm of 2.0 g/cm3, margin 0.5 cm, tabs 2 x 1 x 0.01 cm of AlT (3.0) and
CuT (9.0). STEEL: 8.0 g/cm3, yield 200 MPa.
"""

import math

import pytest

from asslb_designer import evaluate, loads_design
from asslb_designer.cell import end_plate_thickness, plate_stress_coefficient

from .conftest import DATA

BASIC = (DATA / "basic.toml").read_text()


def with_cell(extra: str):
    return loads_design(BASIC.replace("c_rate = 1\n", "c_rate = 1\n" + extra), "cell.toml")


RU_MASS = 1.068 + 0.2 + 15 + 25 + 4.5 + 1.5     # mg/cm2: Li, IL, SEP, cathode, half Cu, half Al
RU_THICKNESS = 5 + 20 + 19.400768 + 1 + 30 + 75 + 5  # um, charged (plated Li 19.400768)


def test_bare_stack_cell_level(lib):
    r = evaluate(with_cell('electrode_area = "100 cm^2"\nunit_cells = 10\n'), lib)
    # 10 repeat units x 100 cm2 x 4 mAh/cm2 = 4 Ah; x 3.8 V = 15.2 Wh
    assert r["cell_capacity"].m_as("A*h") == pytest.approx(4.0)
    assert r["cell_energy"].m_as("W*h") == pytest.approx(15.2)
    # mass: 10 x 100 x 47.268e-3 g = 47.268 g
    assert r["cell_mass"].m_as("g") == pytest.approx(10 * 100 * RU_MASS * 1e-3)
    # volume: 100 cm2 x 10 x 155.40077e-4 cm = 15.540 cm3
    assert r["cell_volume"].m_as("mL") == pytest.approx(100 * 10 * RU_THICKNESS * 1e-4, rel=1e-6)
    assert r["specific_energy_cell"].m == pytest.approx(15200 / (10 * 100 * RU_MASS * 1e-3))


def test_pouch_cell(lib):
    r = evaluate(with_cell('electrode_width = "10 cm"\nelectrode_height = "10 cm"\n'
                           'unit_cells = 10\npackaging = "pouch"\nextra_mass = "1 g"\n'), lib)
    stack_g = 10 * 100 * RU_MASS * 1e-3        # 47.268 g
    foils_g = 2 * 11 * 11 * 0.01 * 2.0         # two 11 x 11 cm foils, 0.01 cm, 2.0 g/cm3 = 4.84 g
    tabs_g = 2 * 1 * 0.01 * (3.0 + 9.0)        # 0.02 cm3 each: 0.24 g
    mass = stack_g + foils_g + tabs_g + 1.0
    assert r["cell_mass"].m_as("g") == pytest.approx(mass)
    thickness_cm = 10 * RU_THICKNESS * 1e-4 + 2 * 0.01
    volume = 11 * 11 * thickness_cm + 2 * 0.02
    assert r["cell_volume"].m_as("mL") == pytest.approx(volume, rel=1e-6)
    assert r["specific_energy_cell"].m_as("W*h/kg") == pytest.approx(15200 / mass)
    assert r["energy_density_cell"].m_as("W*h/l") == pytest.approx(15200 / volume, rel=1e-6)
    assert r["cell_width"].m_as("mm") == pytest.approx(110.0)
    assert r["cell_thickness"].m_as("mm") == pytest.approx(thickness_cm * 10, rel=1e-6)
    # at 1C: j = 4 mA/cm2, loss 4 mA/cm2 x 50 ohm cm2 = 0.2 V, 3.6 V under load;
    # 4 Ah x 3.6 V = 14.4 Wh and 4 A x 3.6 V = 14.4 W over the whole cell's mass
    assert r["specific_energy_at_rate_cell"].m_as("W*h/kg") == pytest.approx(14400 / mass)
    assert r["specific_power_cell"].m_as("W/kg") == pytest.approx(14400 / mass)


def test_inline_pouch_table_equals_library_record(lib):
    inline = """electrode_area = "100 cm^2"
unit_cells = 10
[cell.packaging]
foil_thickness = "100 um"
foil_density = "2 g/cm^3"
sealing_margin = "5 mm"
tab_length = "2 cm"
tab_width = "10 mm"
tab_thickness = "0.1 mm"
tab_materials = ["AlT", "CuT"]
"""
    a = evaluate(with_cell(inline), lib)
    b = evaluate(with_cell('electrode_area = "100 cm^2"\nunit_cells = 10\npackaging = "pouch"\n'),
                 lib)
    assert a["cell_mass"].m == pytest.approx(b["cell_mass"].m)
    assert a["cell_volume"].m == pytest.approx(b["cell_volume"].m)


def test_bipolar_cell_adds_voltage_not_capacity(lib):
    r = evaluate(loads_design(BASIC.replace('temperature = "25 degC"',
                                            'temperature = "25 degC"\nformat = "bipolar"\n'
                                            'electrode_area = "100 cm^2"\nunit_cells = 10'),
                              "bipolar.toml"), lib)
    assert r["cell_capacity"].m_as("A*h") == pytest.approx(0.4)     # one unit's 100 x 4 mAh
    assert r["cell_voltage"].m_as("V") == pytest.approx(38.0)       # 10 x 3.8 V
    assert r["cell_energy"].m_as("W*h") == pytest.approx(15.2)
    # at 1C: 100 cm2 x 4 mA/cm2 = 0.4 A through 10 units of 3.6 V under load (36 V):
    # 0.4 Ah x 36 V = 14.4 Wh, 0.4 A x 36 V = 14.4 W, over 10 x 100 cm2 x 53.268 mg/cm2
    # (the bipolar unit counts its collectors whole: 47.268 + 4.5 + 1.5 mg/cm2)
    mass = 10 * 100 * (RU_MASS + 4.5 + 1.5) * 1e-3
    assert r["cell_mass"].m_as("g") == pytest.approx(mass)
    assert r["specific_energy_at_rate_cell"].m_as("W*h/kg") == pytest.approx(14400 / mass)
    assert r["specific_power_cell"].m_as("W/kg") == pytest.approx(14400 / mass)


def test_roark_coefficients():
    assert plate_stress_coefficient(10, 10) == pytest.approx(0.2874)
    assert plate_stress_coefficient(20, 10) == pytest.approx(0.6102)
    assert plate_stress_coefficient(10, 15) == pytest.approx((0.4530 + 0.5172) / 2)
    # t = b sqrt(beta p / sigma) = 10 cm sqrt(0.2874 x 5 / 100) = 1.19875 cm
    assert end_plate_thickness(5.0, 100.0, 10.0, 10.0) == pytest.approx(1.198749, rel=1e-6)


def test_end_plates_sized_for_stack_pressure(lib):
    hardware = """electrode_width = "10 cm"
electrode_height = "10 cm"
unit_cells = 10
packaging = "pouch"
[cell.hardware]
kind = "end_plates"
stack_pressure = "5 MPa"
material = "STEEL"
safety_factor = 2
"""
    r = evaluate(with_cell(hardware), lib)
    t = 10 * math.sqrt(0.2874 * 5 / 100)             # 1.19875 cm each plate
    plates = 2 * 13 * 13 * t * 8.0                   # pouch 11 cm + 1 cm rod margin each side
    pouch_cm = 10 * RU_THICKNESS * 1e-4 + 0.02
    rods = (5 * 100 / 100) * (pouch_cm + 2 * t) * 8.0  # p A / sigma_allow = 5 cm2 of steel
    assert r["hardware_mass"].m_as("g") == pytest.approx(plates + rods, rel=1e-6)
    pouch_mass = 10 * 100 * RU_MASS * 1e-3 + 4.84 + 0.24
    assert r["cell_mass"].m == pytest.approx(pouch_mass + plates + rods, rel=1e-6)
    volume = 13 * 13 * (pouch_cm + 2 * t) + 0.04
    assert r["cell_volume"].m == pytest.approx(volume, rel=1e-6)
    assert r["specific_energy_cell"].m == pytest.approx(15200 / (pouch_mass + plates + rods),
                                                        rel=1e-6)


def test_hardware_shared_by_cells_in_one_frame_weighs_less_per_cell(lib):
    base = """electrode_area = "100 cm^2"
unit_cells = 10
[cell.hardware]
stack_pressure = "5 MPa"
material = "STEEL"
"""
    one = evaluate(with_cell(base), lib)
    four = evaluate(with_cell(base + "cells_per_frame = 4\n"), lib)
    assert four["hardware_mass"].m < one["hardware_mass"].m
    assert four["specific_energy_cell"].m > one["specific_energy_cell"].m


def test_custom_hardware(lib):
    r = evaluate(with_cell('electrode_area = "100 cm^2"\nunit_cells = 10\n'
                           '[cell.hardware]\nkind = "custom"\nmass = "100 g"\nthickness = "1 cm"\n'),
                 lib)
    assert r["hardware_mass"].m == 100.0
    assert r["cell_mass"].m == pytest.approx(10 * 100 * RU_MASS * 1e-3 + 100)
    assert r["cell_volume"].m == pytest.approx(100 * (10 * RU_THICKNESS * 1e-4 + 1.0), rel=1e-6)


LIQUID = """
[cell]
temperature = "25 degC"
c_rate = 1
electrolyte = "LIQ"
{fill}

[[layer]]
role = "anode"
active = "GR"
np_ratio = 1.1
fractions = {{ active = 1.0 }}
porosity = 0.3

[[layer]]
role = "separator"
material = "POR"
thickness = "20 um"

[[layer]]
role = "cathode"
active = "CAM"
loading = "20 mg/cm^2"
fractions = {{ active = 1.0 }}
porosity = 0.25
"""


def test_liquid_fill_every_pore(lib):
    r = evaluate(loads_design(LIQUID.format(fill='electrolyte_fill = "pores"'), "l.toml"), lib)
    # cathode: 20 mg/cm2 / 5.0 / 0.75 = 53.333 um, pores 13.333 um
    # graphite: 4.4 mAh/cm2 / 350 = 12.571 mg/cm2 / 2.0 / 0.7 = 89.796 um, pores 26.939 um
    # separator POR: library porosity 0.4 x 20 um = 8 um; solid 20 x 1.0 x 0.6 / 10 = 1.2 mg/cm2
    t_cat = 20 / 5.0 / 0.75 * 10
    t_gr = 4.4 / 350 * 1e3 / 2.0 / 0.7 * 10
    pores_um = 0.25 * t_cat + 0.3 * t_gr + 0.4 * 20
    fill_mg = pores_um * 1e-4 * 1.2 * 1e3          # cm3/cm2 x g/cm3 -> mg/cm2
    assert r.extra["electrolyte_fill"] == pytest.approx(fill_mg)
    assert r.layers[1]["areal_mass"] == pytest.approx(1.2)
    assert r["areal_mass"].m == pytest.approx(20 + 12.5714286 + 1.2 + fill_mg)
    # separator through its pores: 1e-2 x 0.4^1.5 = 2.5298e-3 S/cm; 20e-4 / that = 0.79 ohm cm2
    sep = [t for t in r.asr if t["where"] == "POR"][0]
    assert sep["value"] == pytest.approx(20e-4 / (1e-2 * 0.4 ** 1.5))
    # one note instead of a warning per pair without interface data
    assert any("liquid electrolyte" in w for w in r.warnings)
    assert not any("no interface data" in w for w in r.warnings)


def test_liquid_fill_per_ampere_hour(lib):
    r = evaluate(loads_design(LIQUID.format(fill='electrolyte_fill = "1.6 mL/(A*h)"\n'
                                                 'formation_loss = 0.05'), "l.toml"), lib)
    # delivered 4.0 x 0.95 = 3.8 mAh/cm2; 1.6 mL/Ah x 3.8e-3 Ah/cm2 = 6.08e-3 cm3/cm2
    # x 1.2 g/cm3 = 7.296 mg/cm2
    assert r.extra["electrolyte_fill"] == pytest.approx(7.296)
    # more than the 4.9 um of pores the electrodes and separator hold: warned
    assert any("exceeds the pore volume" in w for w in r.warnings)
