"""Lithium inventory: the cell cycles min(positive capacity, lithium available), and its
thickest state depends on where the lithium sits as built. Derived by hand with the
round-number test library (tests/data/test_library.toml):
CAM 5.0 g/cm3, 200 mAh/g, 3.8 V, lithiated; SUL 2.0 g/cm3, 1000 mAh/g, 2.0 V, lithium-free,
volume change 0.8; SE 2.0; C 2.0; SEP 5.0; Li 0.534 g/cm3, 3861 mAh/g (4.85 um per mAh/cm2).
"""

import numpy as np
import pytest

from asslb_designer import Quantity, evaluate, loads_design
from asslb_designer.design import Design
from asslb_designer.errors import InputError
from asslb_designer.library_check import check_builtin, check_files
from asslb_designer.materials import builtin_library

LI_UM_PER_MAH = 1e4 / (3861 * 0.534)     # 4.850 um of lithium per mAh/cm2


def cell(anode: str, active="CAM", loading="20 mg/cm^2", cell_keys="", extra=""):
    return loads_design(f"""
[cell]
temperature = "25 degC"
{cell_keys}

[[layer]]
role = "current_collector"
material = "CuT"
thickness = "10 um"

{anode}

[[layer]]
role = "separator"
material = "SEP"
thickness = "30 um"

[[layer]]
role = "cathode"
active = "{active}"
loading = "{loading}"
fractions = {{ active = 0.5, electrolyte = 0.4, carbon = 0.1 }}
electrolyte = "SE"
carbon = "C"
porosity = 0.2

[[layer]]
role = "current_collector"
material = "AlT"
thickness = "10 um"
{extra}
""", "cell.toml")


def foil(um):
    return f'[[layer]]\nrole = "anode"\nmaterial = "Li"\nthickness = "{um} um"\n'


ANODE_FREE = '[[layer]]\nrole = "anode"\nmaterial = "none"\n'


def test_lithium_free_positive_is_limited_by_the_foil(lib):
    r = evaluate(cell(foil(5), active="SUL", loading="5 mg/cm^2"), lib)
    # positive: 5 mg/cm2 x 1000 mAh/g = 5.0 mAh/cm2; foil: 5 um x 0.534 g/cm3 = 0.267 mg/cm2
    # x 3861 mAh/g = 1.0309 mAh/cm2 of lithium: the cell cycles 1.031, not 5.0
    assert r["areal_capacity"].m_as("mA*h/cm^2") == pytest.approx(1.0309, rel=1e-4)
    assert r.limited_by == "lithium inventory"
    assert r.to_dict()["capacity_limited_by"] == "lithium inventory"
    assert any("lithium inventory limits" in w for w in r.warnings)
    # all the foil's lithium cycles: excess 1.031 / 1.031 = 1
    assert r["lithium_excess"].m == pytest.approx(1.0)


def test_lithiated_positive_is_not_limited_by_the_foil(lib):
    r = evaluate(cell(foil(20)), lib)
    # 20 mg/cm2 x 200 mAh/g = 4.0 mAh/cm2; lithium = 4.0 (positive) + 4.124 (foil) > 4.0
    assert r["areal_capacity"].m_as("mA*h/cm^2") == pytest.approx(4.0)
    assert r.limited_by == "positive"
    # excess = foil 20 x 0.534 / 10 x 3.861 = 4.1236 mAh/cm2 / 4.0 = 1.0309
    assert r["lithium_excess"].m == pytest.approx(1.0309, rel=1e-4)
    # N/P keeps its meaning: foil capacity / positive capacity, the same 1.0309 here
    assert r["np_ratio"].m == pytest.approx(1.0309, rel=1e-4)


def test_anode_free_with_a_lithium_free_positive_is_an_error(lib):
    with pytest.raises(InputError) as err:
        evaluate(cell(ANODE_FREE, active="SUL", loading="5 mg/cm^2"), lib)
    message = str(err.value)
    assert "layer[2].material" in message and "no lithium" in message
    assert "\n" not in message


def test_anode_free_with_a_lithium_free_positive_in_a_batch_is_zero_with_a_warning(lib):
    d = cell(ANODE_FREE, active="SUL", loading="5 mg/cm^2")
    batch = d.with_values({"layer[4].loading": Quantity(np.array([4.0, 5.0]), "mg/cm^2")})
    r = evaluate(batch, lib)
    assert np.all(r["areal_capacity"].m == 0)
    assert np.all(r["specific_energy_stack"].m == 0)
    assert any("no lithium" in w and "(in 2 of 2 designs)" in w for w in r.warnings)


def test_prelithiation_is_lithium_available_with_its_mass_and_thickness(lib):
    d = cell(ANODE_FREE, active="SUL", loading="5 mg/cm^2",
             cell_keys='prelithiation = "2 mA*h/cm^2"')
    r = evaluate(d, lib)
    # min(5.0 positive, 0 + 0 + 2.0 prelithiation) = 2.0 mAh/cm2
    assert r["areal_capacity"].m_as("mA*h/cm^2") == pytest.approx(2.0)
    # its lithium: 2 / 3861 x 1000 = 0.5180 mg/cm2, 0.5180 / 0.534 x 10 = 9.700 um on the negative
    assert r.layers[1]["areal_mass"] == pytest.approx(0.51800, rel=1e-4)
    assert r.layers[1]["thickness"] == pytest.approx(9.700, rel=1e-3)
    # a lithium-free positive is assembled charged: nothing more plates
    assert r.extra["plated_lithium"] == 0
    assert r["lithium_excess"].m == pytest.approx(1.0)        # 2.0 / 2.0


def test_prelithiation_can_be_swept(lib):
    d = cell(ANODE_FREE, active="SUL", loading="5 mg/cm^2",
             cell_keys='prelithiation = "1 mA*h/cm^2"')
    r = evaluate(d.with_values({"cell.prelithiation": Quantity([1.0, 6.0], "mA*h/cm^2")}), lib)
    # min(5, 1) = 1; min(5, 6) = 5 (then the positive limits)
    assert r["areal_capacity"].m == pytest.approx([1.0, 5.0])
    assert list(r.limited_by) == ["lithium inventory", "positive"]


def test_thickest_state_plates_the_built_capacity_by_default(lib):
    d = cell(ANODE_FREE, cell_keys="formation_loss = 0.1")
    assert Design.__dataclass_fields__["plated_lithium"].default == "built"
    assert d.plated_lithium == "built"
    r = evaluate(d, lib)
    # built 4.0 mAh/cm2 plates at the first charge: 4.0 x 4.850 = 19.40 um (the 0.4 mAh/cm2
    # lost in formation stays on the negative as inactive lithium); delivered would be 17.46
    assert r.extra["plated_lithium"] == pytest.approx(4.0 * LI_UM_PER_MAH)
    assert r["areal_capacity"].m == pytest.approx(3.6)


def test_lithium_free_positive_swells_in_the_thickest_state(lib):
    r = evaluate(cell(foil(50), active="SUL", loading="5 mg/cm^2"), lib)
    # composite: M = 5 / 0.5 = 10 mg/cm2; sum(w/rho) = 0.5/2 + 0.4/2 + 0.1/2 = 0.5 cm3/g;
    # t = 10 x 0.5 / 0.8 x 10 = 62.5 um; phi_SUL = 10 x 0.5 / 2.0 / 62.5 x 10 = 0.4;
    # swelling on lithiation = 62.5 x 0.4 x 0.8 = 20.0 um; no plated lithium (assembled charged)
    assert r.layers[3]["thickness"] == pytest.approx(62.5)
    assert r.extra["plated_lithium"] == 0
    # stack: 5 (half Cu) + 50 (Li as built) + 30 + 62.5 + 20 + 5 (half Al) = 172.5 um
    assert r["stack_thickness"].m_as("um") == pytest.approx(172.5)
    assert any("swells" in w and "volume_change" in w for w in r.warnings)


def test_inline_positive_without_lithiated_is_taken_as_lithiated_with_a_warning(lib):
    inline = """
[[material]]
id = "my-CAM"
kind = "cathode_active"
density = "5.0 g/cm^3"
specific_capacity = "200 mA*h/g"
average_potential = "3.8 V"
source = "datasheet"
"""
    r = evaluate(cell(ANODE_FREE, active="my-CAM", extra=inline), lib)
    assert r["areal_capacity"].m == pytest.approx(4.0)         # lithiated: its own 4.0
    assert any("my-CAM" in w and "taken as lithiated" in w for w in r.warnings)


def test_an_anode_active_foil_at_zero_volts_is_lithium_metal(lib):
    inline = """
[[material]]
id = "my-Li"
kind = "anode_active"
density = "0.534 g/cm^3"
specific_capacity = "3861 mA*h/g"
average_potential = "0 V"
source = "handbook"
"""
    r = evaluate(cell(foil(5).replace('"Li"', '"my-Li"'), extra=inline), lib)
    # Li metal: never limits the lithiated 4.0 mAh/cm2 positive (as an intercalation negative
    # it would limit to its 1.031 and warn that lithium may plate)
    assert r["areal_capacity"].m == pytest.approx(4.0)
    assert not any("N/P < 1" in w for w in r.warnings)
    # stated otherwise, it is not
    r = evaluate(cell(foil(5).replace('"Li"', '"my-Li"'),
                      extra=inline + "lithium_metal = false\n"), lib)
    assert r["areal_capacity"].m == pytest.approx(1.0309, rel=1e-4)
    assert r["lithium_excess"] is None


def test_every_library_positive_states_whether_it_is_lithiated():
    lib = builtin_library()
    positives = lib.by_kind("cathode_active")
    assert positives and all(m.lithiated is not None for m in positives)
    free = {"S", "MoS2", "TiS2", "VS2", "V2O5", "FeS", "Fe3S4", "Co3S4", "CuCo2S4", "Cu2SnS3",
            "CZTS", "MoS3", "VS4", "rGO@S"}
    for mid in free:
        assert lib.get(mid).lithiated is False, mid
    for mid in ("NMC811", "NMC622", "LCO", "LFP", "Li2S"):
        assert lib.get(mid).lithiated is True, mid
    assert check_builtin(include_user=False).ok


def test_the_validator_requires_lithiated_in_a_library_file(tmp_path):
    f = tmp_path / "lib.toml"
    f.write_text("""
[references.R1]
citation = "x"

[[material]]
id = "P1"
kind = "cathode_active"
source = "R1"
density = "4 g/cm^3"
specific_capacity = "100 mA*h/g"
average_potential = "3 V"
""")
    report = check_files([f])
    assert any("P1.lithiated" in str(e) for e in report.errors)


def test_the_report_names_the_limiting_side(lib):
    from asslb_designer.report import evaluation_text
    r = evaluate(cell(foil(5), active="SUL", loading="5 mg/cm^2"), lib)
    assert "capacity limited by: lithium inventory" in evaluation_text(r)
    d = cell(ANODE_FREE, active="SUL", loading="5 mg/cm^2",
             cell_keys='prelithiation = "1 mA*h/cm^2"')
    batch = evaluate(d.with_values({"cell.prelithiation": Quantity([1.0, 6.0, 7.0],
                                                                   "mA*h/cm^2")}), lib)
    text = evaluation_text(batch)
    assert "lithium inventory (1 designs)" in text and "positive (2 designs)" in text
