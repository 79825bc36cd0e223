"""Design.with_values checks what a design file would, naming the key (and, for an array,
the first offending index); it resolves material names as files do and refuses keys it
would ignore."""

import numpy as np
import pytest

from asslb_designer import InputError, Quantity, design_from_dict, evaluate, load_design

from .conftest import DATA

BASIC = load_design(DATA / "basic.toml")


def refuses(updates, key, *parts, design=BASIC):
    with pytest.raises(InputError) as caught:
        design.with_values(updates)
    message = str(caught.value)
    assert f": {key}: " in message, message
    for part in parts:
        assert part in message, message
    assert "\n" not in message
    return message


def test_a_bare_number_for_a_dimensional_key_is_the_file_error():
    # 25.0 used to be taken as 25 K (and gave an ASR of 6e65 ohm cm2)
    refuses({"cell.temperature": 25.0}, "cell.temperature", "a bare number needs a unit",
            "'25 degC'")
    refuses({"layer[4].thickness": 30}, "layer[4].thickness", "a bare number needs a unit")


def test_quantities_and_strings_are_read_in_any_unit(lib):
    by_string = evaluate(BASIC.with_values({"cell.temperature": "60 degC"}), lib)
    by_quantity = evaluate(BASIC.with_values({"cell.temperature": Quantity(333.15, "K")}), lib)
    assert by_string["asr_total"].m == pytest.approx(by_quantity["asr_total"].m)
    d = BASIC.with_values({"layer[4].thickness": Quantity(0.03, "mm")})
    assert d.values["layer[4].thickness"] == pytest.approx(30.0)       # 0.03 mm = 30 um
    d = BASIC.with_values({"layer[4].thickness": {"value": 30, "unit": "um"}})
    assert d.values["layer[4].thickness"] == 30.0


@pytest.mark.parametrize("updates, key, reason", [
    ({"layer[4].thickness": Quantity(float("nan"), "um")}, "layer[4].thickness", "finite"),
    ({"layer[4].thickness": Quantity(float("inf"), "um")}, "layer[4].thickness", "finite"),
    ({"layer[4].thickness": None}, "layer[4].thickness", "got None"),
    ({"layer[5].porosity": float("nan")}, "layer[5].porosity", "finite"),
    ({"layer[4].thickness": Quantity(-3, "um")}, "layer[4].thickness", "must be positive"),
    ({"layer[4].thickness": Quantity(0, "um")}, "layer[4].thickness", "must be positive"),
    ({"cell.unit_cells": 2.5}, "cell.unit_cells", "whole number"),
    ({"cell.unit_cells": 0}, "cell.unit_cells", "must be positive"),
    ({"cell.formation_loss": 1}, "cell.formation_loss", "below 1"),
    ({"cell.temperature": Quantity(-300, "degC")}, "cell.temperature", "above absolute zero"),
    ({"layer[5].porosity": 1.5}, "layer[5].porosity", "below 1"),
    ({"layer[5].porosity": 1.0}, "layer[5].porosity", "below 1"),
    ({"layer[4].thickness": "abc"}, "layer[4].thickness", "not a number followed by a unit"),
    ({"layer[4].thickness": ["1 um", "2 um"]}, "layer[4].thickness", "got strings"),
    ({"layer[5].porosity": np.array([0.1 + 1j])}, "layer[5].porosity", "complex"),
    ({"layer[5].porosity": np.array([object()])}, "layer[5].porosity", "objects"),
    ({"layer[5].porosity": [True, False]}, "layer[5].porosity", "true/false"),
    ({"material.SEP.activation_energy": "35 kJ"}, "material.SEP.activation_energy",
     "did you mean '35 kJ/mol'?"),
    ({"material.SEP.ionic_conductivity": Quantity(5, "S/cm")},
     "material.SEP.ionic_conductivity", "must not exceed 1 S/cm"),
])
def test_each_bad_value_is_the_same_input_error_as_in_a_file(updates, key, reason):
    refuses(updates, key, reason)


def test_an_array_names_its_first_offending_index():
    refuses({"layer[5].porosity": np.array([0.1, 0.2, 1.0, 1.5])}, "layer[5].porosity",
            "must be below 1, got 1 at index 2")
    refuses({"layer[4].thickness": Quantity([10.0, -1.0], "um")}, "layer[4].thickness",
            "at index 1")


def test_fractions_that_no_longer_sum_to_one():
    refuses({"layer[5].fractions.active": 0.7}, "layer[5].fractions", "sum to 0.9")
    refuses({"layer[5].fractions.active": np.array([0.8, 0.7])}, "layer[5].fractions",
            "sum to 0.9 at index 1")
    # changed together they still sum to 1: 0.7 + 0.25 + 0.03 + 0.02
    BASIC.with_values({"layer[5].fractions.active": 0.7, "layer[5].fractions.electrolyte": 0.25})


def test_shapes_that_do_not_broadcast_name_both_keys_and_shapes():
    refuses({"layer[4].thickness": Quantity(np.ones(3), "um"),
             "layer[5].loading": Quantity(np.ones(4), "mg/cm^2")}, "layer[5].loading",
            "shape (4,)", "layer[4].thickness of shape (3,)")


def test_numpy_scalars_and_non_string_keys():
    assert BASIC.with_values({"cell.unit_cells": np.int64(3)}).values["cell.unit_cells"] == 3.0
    assert BASIC.with_values({"layer[5].porosity": np.float32(0.25)}).values[
        "layer[5].porosity"] == 0.25
    with pytest.raises(InputError, match="a value's key is text"):
        BASIC.with_values({5: 1.0})


def test_a_quantity_array_inside_design_from_dict():
    data = {"cell": {"temperature": "25 degC"}, "layer": [
        {"role": "anode", "material": "Li", "thickness": Quantity(np.array([20.0, 30.0]), "um")},
        {"role": "separator", "material": "SEP", "thickness": "30 um"},
        {"role": "cathode", "active": "CAM", "loading": "20 mg/cm^2", "porosity": 0.1}]}
    with pytest.raises(InputError, match="layer.1..thickness: expected one value, got an array"):
        design_from_dict(data)
    data["layer"][0]["thickness"] = Quantity(20.0, "um")      # one Quantity reads
    assert design_from_dict(data).values["layer[1].thickness"] == 20.0
    with pytest.raises(InputError, match="a key is text"):
        design_from_dict({**data, 5: 1})


def test_material_ids_resolve_by_alias_and_in_any_case(lib):
    # SEP holds 1e-3 S/cm in the test library; its bulk term is t / sigma
    r = evaluate(BASIC.with_values({"material.sep.ionic_conductivity": Quantity(2e-3, "S/cm")}), lib)
    bulk = next(t["value"] for t in r.asr if t["where"] == "SEP")
    assert bulk == pytest.approx(30e-4 / 2e-3)     # 30 um = 30e-4 cm: 1.5 ohm cm2
    with pytest.raises(InputError, match="material.SEPP.density: unknown material 'SEPP'.*'SEP'"):
        evaluate(BASIC.with_values({"material.SEPP.density": Quantity(1, "g/cm^3")}), lib)


@pytest.mark.parametrize("key, value", [
    ("material.GR.density", Quantity(1, "g/cm^3")),            # a material the design lacks
    ("material.SEP.youngs_modulus", Quantity(1, "GPa")),       # a property it does not read
])
def test_material_values_the_evaluation_would_ignore(lib, key, value):
    with pytest.raises(InputError, match=f"{key}: this design does not use"):
        evaluate(BASIC.with_values({key: value}), lib)



def test_cell_keys_the_design_would_ignore(lib):
    refuses({"cell.packaging.foil_thickness": Quantity(1, "mm")}, "cell.packaging.foil_thickness",
            "no [cell.packaging]")
    refuses({"cell.hardware.mass": Quantity(1, "g")}, "cell.hardware.mass", "no [cell.hardware]")
    refuses({"cell.electrolyte_fill": "1 mL/(A*h)"}, "cell.electrolyte_fill", "no cell.electrolyte")
    text = (DATA / "basic.toml").read_text().replace("c_rate = 1", 'c_rate = 1\n'
            'electrode_area = "100 cm^2"\nunit_cells = 2\npackaging = "pouch"\n'
            'electrolyte = "LIQ"\n\n[cell.hardware]\nkind = "custom"\nmass = "10 g"\n'
            'thickness = "1 cm"')
    from asslb_designer import loads_design
    d = loads_design(text, "cell.toml")
    refuses({"cell.packaging.foil_thickness": Quantity(1, "mm")}, "cell.packaging.foil_thickness",
            "library record 'pouch'", "material.pouch.foil_thickness", design=d)
    refuses({"cell.hardware.stack_pressure": Quantity(1, "MPa")}, "cell.hardware.stack_pressure",
            "custom hardware does not use stack_pressure", design=d)
    refuses({"cell.electrolyte_fill": "1 mL/(A*h)"}, "cell.electrolyte_fill", "fills every pore",
            design=d)
    # what the design does read is accepted: 10 g -> 20 g of hardware
    r = evaluate(d.with_values({"cell.hardware.mass": Quantity([10, 20], "g")}), lib)
    assert np.diff(r["cell_mass"].m_as("g"))[0] == pytest.approx(10.0)


def test_an_extra_mass_without_cell_level_figures(lib):
    # basic.toml has no electrode area: an extra mass would count nowhere
    refuses({"cell.extra_mass": Quantity(5, "g")}, "cell.extra_mass", "cell.unit_cells")
    d = BASIC.with_values({"cell.extra_mass": Quantity([0, 5], "g"), "cell.unit_cells": 10,
                           "cell.electrode_area": "100 cm^2"})
    assert np.diff(evaluate(d, lib)["cell_mass"].m_as("g"))[0] == pytest.approx(5.0)
    # in a file it is a warning (the file reads whole, as written)
    from asslb_designer import loads_design
    text = (DATA / "basic.toml").read_text().replace("c_rate = 1", 'c_rate = 1\nextra_mass = "5 g"')
    assert any("cell-level figures need" in w for w in evaluate(loads_design(text), lib).warnings)


def test_one_material_value_given_under_two_names(lib):
    d = BASIC.with_values({"material.SEP.density": Quantity(2, "g/cm^3"),
                           "material.sep.density": Quantity(3, "g/cm^3")})
    with pytest.raises(InputError, match="material.sep.density: the same value as "
                                         "material.SEP.density"):
        evaluate(d, lib)
