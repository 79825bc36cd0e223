"""`asslb-designer params`: every number a study may vary, role names, interface ASRs.

tests/data/basic.toml with the round-number test library: Cu 10 um | Li 20 um | IL 1 um |
SEP 30 um | cathode CAM 20 mg/cm2 | Al 10 um; interfaces Li|IL 10, IL|SEP 5, SEP|CAM 2
ohm cm2; asr_total = 10 (IL) + 3 (SEP) + 20 (cathode) + 17 (interfaces) = 50 ohm cm2.
"""

import json

import pytest

from asslb_designer import Quantity, evaluate, load_design
from asslb_designer.cli import main
from asslb_designer.errors import InputError
from asslb_designer.studies import params

from .conftest import DATA

BASIC = load_design(DATA / "basic.toml")


@pytest.fixture
def test_library_env(monkeypatch):
    """The CLI reads the default library: merge the test library over it."""
    monkeypatch.setenv("ASSLB_DESIGNER_USER_LIBRARY", str(DATA / "test_library.toml"))


def test_role_names_resolve_to_the_numbered_keys():
    assert params.resolve(BASIC, "separator.thickness") == "layer[4].thickness"
    assert params.resolve(BASIC, "cathode.loading") == "layer[5].loading"
    assert params.resolve(BASIC, "anode.thickness") == "layer[2].thickness"
    assert params.resolve(BASIC, "cathode.fractions.active") == "layer[5].fractions.active"
    assert params.resolve(BASIC, "layer[4].thickness") == "layer[4].thickness"


def test_an_ambiguous_role_name_names_both_layers():
    with pytest.raises(InputError) as err:
        params.kind_of(BASIC, "current_collector.thickness")
    assert "layer[1].thickness or layer[6].thickness" in str(err.value)


def test_an_unknown_key_names_the_closest():
    with pytest.raises(InputError) as err:
        params.kind_of(BASIC, "separator.thicknes")
    assert "separator.thickness" in str(err.value) and "params" in str(err.value)


def test_params_json_lists_values_units_and_role_names(test_library_env, capsys):
    assert main(["params", str(DATA / "basic.toml"), "--json"]) == 0
    found = {p["key"]: p for p in json.loads(capsys.readouterr().out)}
    sep = found["layer[4].thickness"]
    assert sep["aliases"] == ["separator.thickness"]
    assert (sep["value"], sep["unit"]) == (30.0, "um")
    assert "separator (SEP)" in sep["description"]
    assert found["layer[5].loading"]["aliases"] == ["cathode.loading"]
    assert (found["layer[5].loading"]["value"], found["layer[5].loading"]["unit"]) == \
        (20.0, "mg/cm**2")
    assert found["cell.temperature"]["value"] == pytest.approx(298.15)
    # material properties the evaluation reads, in their internal unit
    assert found["material.SEP.ionic_conductivity"]["value"] == pytest.approx(1e-3)
    assert found["material.SEP.ionic_conductivity"]["unit"] == "S/cm"
    assert found["material.CAM.specific_capacity"]["value"] == pytest.approx(200.0)
    # interface ASRs, from the library's records
    assert found["interface[Li|IL].asr"]["value"] == pytest.approx(10.0)
    assert found["interface[SEP|CAM].asr"]["value"] == pytest.approx(2.0)
    assert found["interface[IL|SEP].asr"]["unit"] == "ohm*cm**2"


def test_params_text_table(test_library_env, capsys):
    assert main(["params", str(DATA / "basic.toml")]) == 0
    out = capsys.readouterr().out
    assert "layer[4].thickness  (separator.thickness)" in out
    assert "interface[Li|IL].asr" in out


def test_an_interface_asr_is_addressable(lib):
    # Li|IL 10 -> 25 ohm cm2 adds 15 to the 50 ohm cm2 total; either order of the pair
    for key in ("interface[Li|IL].asr", "interface[IL|Li].asr"):
        r = evaluate(BASIC.with_values({key: Quantity(25.0, "ohm*cm^2")}), lib)
        assert r["asr_total"].m_as("ohm*cm^2") == pytest.approx(65.0)
    # and as an array: 0, 10, 20 -> 40, 50, 60
    r = evaluate(BASIC.with_values({"interface[Li|IL].asr":
                                    Quantity([0.0, 10.0, 20.0], "ohm*cm^2")}), lib)
    assert list(r["asr_total"].m_as("ohm*cm^2")) == pytest.approx([40.0, 50.0, 60.0])


def test_an_interface_that_is_not_in_the_stack_is_refused(lib):
    with pytest.raises(InputError) as err:
        evaluate(BASIC.with_values({"interface[Li|SEP].asr": Quantity(5.0, "ohm*cm^2")}), lib)
    assert "interface[Li|SEP].asr" in str(err.value)
    assert "Li|IL, IL|SEP, SEP|CAM" in str(err.value)


def test_an_interface_asr_needs_a_resistance_unit():
    with pytest.raises(InputError) as err:
        BASIC.with_values({"interface[Li|IL].asr": Quantity(5.0, "um")})
    assert "interface[Li|IL].asr" in str(err.value)


def test_a_property_with_several_cited_values_shows_its_spread():
    # the built-in library's Li6PS5Cl holds three conductivities at 25 degC
    from asslb_designer.materials import default_library
    design = load_design(DATA.parent.parent / "examples" / "nmc811-lpscl-li-pouch.toml")
    found = {p.key: p for p in params.parameters(design, default_library())}
    sigma = found["material.Li6PS5Cl.ionic_conductivity"]
    record = default_library().get("Li6PS5Cl").values("ionic_conductivity")
    assert len(sigma.spread) >= 2
    assert set(sigma.spread) <= {v.value for v in record}
    assert min(sigma.spread) < sigma.value <= max(sigma.spread) or \
        sigma.value in (min(sigma.spread), max(sigma.spread))
