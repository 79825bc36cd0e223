"""The design model: edits as data, each a new design or an InputError naming the key.

Headless: no QApplication, no Qt import (test_engine_imports_no_qt checks the engine).
"""

import pytest

from asslb_designer import InputError, evaluate, load_design
from asslb_designer.edits import (AddLayer, DuplicateLayer, MoveLayer, RemoveInterface,
                                  RemoveLayer, RemoveMaterial, SetInterface, SetMaterial,
                                  SetValues, accepted_kinds, get_written, new_design,
                                  set_value)
from asslb_designer.materials import default_library

from .conftest import ROOT

EXAMPLE = ROOT / "examples" / "nmc811-lpscl-li-pouch-hbn.toml"


@pytest.fixture
def design():
    return load_design(EXAMPLE)


def test_set_value_keeps_text_and_leaves_the_old_design(design):
    new = set_value(design, "layer[4].thickness", "0.06 mm")
    assert new.value("layer[4].thickness") == pytest.approx(60.0)   # 0.06 mm = 60 um
    assert new.written["layer[4].thickness"] == "0.06 mm"
    assert get_written(new, "layer[4].thickness") == "0.06 mm"
    # the design it came from is untouched, values and data
    assert design.value("layer[4].thickness") == pytest.approx(30.0)
    assert design.data["layer"][3]["thickness"] == "30 um"
    # the separator is counted whole in the repeat unit: 30 um more separator is 30 um more
    # stack, and 30 um x 1.87 g/cm^3 (Li6PS5Cl) = 5.61 mg/cm^2 more mass
    before, after = evaluate(design), evaluate(new)
    assert after.metrics["stack_thickness"] - before.metrics["stack_thickness"] == pytest.approx(30.0)
    assert after.metrics["areal_mass"] - before.metrics["areal_mass"] == pytest.approx(5.61)


def test_cell_value_and_text_keys(design):
    warm = set_value(design, "cell.temperature", "60 degC")
    assert warm.value("cell.temperature") == pytest.approx(333.15)   # 60 + 273.15 K
    single = set_value(design, "cell.format", "single")
    assert single.format == "single"
    assert design.format == "stacked"
    named = set_value(design, "name", "my cell")
    assert named.name == "my cell"


@pytest.mark.parametrize("key, text, reason", [
    ("layer[4].thickness", "30 kg", "expected a length"),
    ("layer[4].thickness", "-5 um", "must be positive"),
    ("layer[4].thickness", "nan um", "finite"),
    ("cell.temperature", "-300 degC", "absolute zero"),
    ("layer[5].porosity", "1.2", "below 1"),
    ("cell.format", "stacke", "did you mean 'stacked'"),
    ("layer[4].thicknes", "30 um", "did you mean 'thickness'"),
])
def test_bad_values_name_the_key(design, key, text, reason):
    with pytest.raises(InputError) as err:
        set_value(design, key, text)
    assert err.value.key == key
    assert reason in err.value.reason
    assert design.value("layer[4].thickness") == pytest.approx(30.0)


def test_fractions_must_sum_to_one(design):
    with pytest.raises(InputError) as err:
        set_value(design, "layer[5].fractions.active", 0.7)   # 0.7+0.15+0.03+0.02 = 0.90
    assert err.value.key == "layer[5].fractions"
    assert "sum to 0.9" in err.value.reason
    # two fractions in one edit: 0.70 + 0.25 + 0.03 + 0.02 = 1
    new = SetValues({"layer[5].fractions.active": 0.70,
                     "layer[5].fractions.electrolyte": 0.25}).apply(design)
    assert new.value("layer[5].fractions.active") == pytest.approx(0.70)
    # loading (active mass) stays 20 mg/cm^2: the positive capacity does not change
    assert evaluate(new).metrics["areal_capacity"] == pytest.approx(
        evaluate(design).metrics["areal_capacity"])


def test_material_choice_checked_against_the_library(design):
    lib = default_library()
    new = set_value(design, "layer[3].material", "graphene", lib)
    assert new.layers[2].material == "graphene"
    with pytest.raises(InputError) as err:
        set_value(design, "layer[2].material", "Lithum", lib)
    assert err.value.key == "layer[2].material" and "unknown material 'Lithum'" in err.value.reason
    with pytest.raises(InputError) as err:            # a binder is no cathode active
        set_value(design, "layer[5].active", "PVDF", lib)
    assert err.value.key == "layer[5].active" and "cathode_active" in err.value.reason
    assert accepted_kinds("cathode", "active") == {"cathode_active"}
    assert "solid_electrolyte" in accepted_kinds("separator", "material")


def test_switch_sizing_in_one_edit(design):
    new = SetValues({"layer[5].loading": None, "layer[5].thickness": "100 um"}).apply(design)
    assert new.layers[4].sizing == "thickness"
    with pytest.raises(InputError) as err:     # both at once is refused by the reader
        set_value(design, "layer[5].thickness", "100 um")
    assert err.value.key == "layer[5].loading"


def test_add_duplicate_move_remove_layers(design):
    # a second 500 nm h-BN interlayer adds 0.5 um of stack
    dup = DuplicateLayer(3).apply(design)
    assert [layer.material for layer in dup.layers[2:4]] == ["h-BN", "h-BN"]
    assert len(dup.layers) == 7 and len(design.layers) == 6
    assert evaluate(dup).metrics["stack_thickness"] - evaluate(design).metrics["stack_thickness"] \
        == pytest.approx(0.5)
    added = AddLayer(4, "interlayer", {"role": "interlayer", "material": "graphene",
                                      "thickness": "1 um"}).apply(design)
    assert added.layers[3].material == "graphene" and added.layers[4].material == "Li6PS5Cl"
    moved = MoveLayer(3, 4).apply(design)        # Li | Li6PS5Cl | h-BN | NMC811
    assert [layer.label for layer in moved.layers[1:5]] == ["Li", "Li6PS5Cl", "h-BN", "NMC811"]
    assert moved.written["layer[4].thickness"] == "500 nm"
    removed = RemoveLayer(3).apply(design)
    assert [layer.role for layer in removed.layers].count("interlayer") == 0
    with pytest.raises(InputError) as err:
        RemoveLayer(4).apply(design)             # the only separator
    assert "separator" in err.value.reason
    with pytest.raises(InputError) as err:
        MoveLayer(5, 2).apply(design)            # the cathode before the anode
    assert err.value.key is not None and err.value.key.startswith("layer[")
    with pytest.raises(InputError) as err:
        RemoveLayer(9).apply(design)
    assert err.value.key == "layer[9]"
    assert len(design.layers) == 6


def test_inline_material_and_interface(design):
    record = {"id": "my-NMC", "kind": "cathode_active", "density": "4.75 g/cm^3",
              "specific_capacity": "200 mA*h/g", "average_potential": "3.80 V",
              "source": "supplier datasheet"}
    mine = SetValues({"layer[5].active": "my-NMC"}).apply(SetMaterial(record).apply(design))
    # 20 mg/cm^2 x 200 mAh/g = 4.0 mAh/cm^2, x (1 - 0.10 formation loss) = 3.6 mAh/cm^2
    assert evaluate(mine).metrics["areal_capacity"] == pytest.approx(3.6)
    edited = SetMaterial(dict(record, specific_capacity="250 mA*h/g")).apply(mine)
    assert len(edited.materials) == 1
    # 20 x 250 = 5.0 mAh/cm^2, x 0.9 = 4.5
    assert evaluate(edited).metrics["areal_capacity"] == pytest.approx(4.5)
    with pytest.raises(InputError) as err:
        SetMaterial(dict(record, density="4.75 kg")).apply(design)
    assert err.value.key.startswith("material[1].density")
    assert len(RemoveMaterial("my-NMC").apply(SetMaterial(record).apply(design)).materials) == 0

    # the example assumes 5 ohm cm^2 for Li|h-BN; 50 adds 45 to the total
    worse = SetInterface({"between": ["h-BN", "Li"], "asr": "50 ohm*cm^2",
                          "source": "test"}).apply(design)
    assert len(worse.interfaces) == 2
    assert evaluate(worse).metrics["asr_total"] - evaluate(design).metrics["asr_total"] \
        == pytest.approx(45.0)
    fewer = RemoveInterface(("Li", "h-BN")).apply(design)
    assert len(fewer.interfaces) == 1


def test_new_design_is_valid():
    d = new_design()
    r = evaluate(d)
    # 20 mg/cm^2 NMC811 at the library's practical capacity; no formation loss
    assert r.metrics["areal_capacity"] > 0
    assert [layer.role for layer in d.layers] == ["current_collector", "anode", "separator",
                                                  "cathode", "current_collector"]


def test_switch_keeps_the_evaluated_design(design):
    from asslb_designer.edits import switch
    result = evaluate(design)
    by_thickness = switch(design, result, "layer[5].loading", "layer[5].thickness").apply(design)
    assert by_thickness.layers[4].sizing == "thickness"
    # the cathode's thickness from its loading, back to the same loading and capacity
    assert evaluate(by_thickness).metrics["areal_capacity"] == pytest.approx(
        result.metrics["areal_capacity"], rel=1e-5)
    by_density = switch(design, result, "layer[5].porosity", "layer[5].density").apply(design)
    # 25 mg/cm^2 composite in 75.68 um: 25e-3 g / 75.68e-4 cm^3 = 3.303 g/cm^3
    assert by_density.value("layer[5].density") == pytest.approx(3.303, rel=1e-3)
    assert evaluate(by_density).metrics["stack_thickness"] == pytest.approx(
        result.metrics["stack_thickness"], rel=1e-5)
    by_current = switch(design, result, "cell.c_rate", "cell.current_density").apply(design)
    # C/3 (0.33 per h) x 3.654 mAh/cm^2 = 1.206 mA/cm^2
    assert by_current.value("cell.current_density") == pytest.approx(0.33 * 3.654, rel=1e-3)
