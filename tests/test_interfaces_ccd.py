"""Interface records: one per pair with several sourced values inside, duplicates refused
(library files and inline tables alike), inline pairs must name known materials; and the
critical-current check of the negative's interface. Round-number test library."""

import pytest

from asslb_designer import evaluate, loads_design
from asslb_designer.errors import InputError
from asslb_designer.library_check import check_files
from asslb_designer.materials import builtin_library, load_files

from .conftest import DATA

BASIC = (DATA / "basic.toml").read_text()      # Li | IL | SEP | CAM 20 mg/cm2, 1C


def test_li_llzto_is_one_record_with_the_curated_value_preferred():
    lib = builtin_library()
    records = [i for i in lib.interfaces if {b.lower() for b in i.between} == {"li", "llzto"}]
    assert len(records) == 1
    values = sorted(v.value for v in records[0].asr)
    assert 560 in values and 70 in values
    assert records[0].preferred_asr().value == 70


def test_li_li6ps5cl_holds_no_zero_asr():
    record = builtin_library().interface("Li", "Li6PS5Cl")
    assert all(v.value > 0 for v in record.asr)       # a zero is not a measurement
    assert record.preferred_ccd() is not None


def test_a_pair_without_an_asr_is_missing_data():
    from asslb_designer import load_design
    from .conftest import ROOT
    r = evaluate(load_design(ROOT / "examples" / "nmc811-lpscl-li-pouch.toml"))
    assert "interface Li|Li6PS5Cl" in r.asr_missing
    assert any("no interface data for Li|Li6PS5Cl" in w for w in r.warnings)


LIB_HEAD = '[references.R1]\ncitation = "x"\n\n'
PAIR = '[[interface]]\nbetween = ["{a}", "{b}"]\nasr = "{v} ohm*cm^2"\nsource = "R1"\n\n'
MAT = ('[[material]]\nid = "{id}"\nkind = "solid_electrolyte"\nsource = "R1"\n'
       'density = "2 g/cm^3"\n\n')


def test_the_same_pair_twice_in_a_library_file_is_an_error(tmp_path):
    f = tmp_path / "lib.toml"
    f.write_text(LIB_HEAD + MAT.format(id="A") + MAT.format(id="B")
                 + PAIR.format(a="A", b="B", v=1) + PAIR.format(a="b", b="a", v=2))
    report = check_files([f])
    assert any("interface[2].between" in str(e) and "has a record already" in str(e)
               and str(f) in str(e) for e in report.errors), report.errors
    with pytest.raises(InputError, match="has a record already"):
        load_files([f])


def test_the_same_pair_in_two_library_files_is_an_error(tmp_path):
    one, two = tmp_path / "one.toml", tmp_path / "two.toml"
    one.write_text(LIB_HEAD + MAT.format(id="A") + MAT.format(id="B")
                   + PAIR.format(a="A", b="B", v=1))
    two.write_text(PAIR.format(a="B", b="A", v=2))
    report = check_files([one, two])
    assert any("has a record already" in str(e) and str(two) in str(e) for e in report.errors)


def test_a_zero_asr_in_a_library_file_is_flagged_as_not_a_measurement(tmp_path):
    # "Li|Li6PS5Cl = 0 ohm cm2" was once library data: a resolution limit, not a value
    f = tmp_path / "lib.toml"
    f.write_text(LIB_HEAD + MAT.format(id="A") + MAT.format(id="B")
                 + PAIR.format(a="A", b="B", v=0))
    report = check_files([f])
    assert any(e.key == "A|B.asr" and "a zero ASR is not a measurement" in e.reason
               for e in report.warnings), report.warnings
    f.write_text(LIB_HEAD + MAT.format(id="A") + MAT.format(id="B")
                 + PAIR.format(a="A", b="B", v=0.5))
    assert not any("zero ASR" in str(e) for e in check_files([f]).warnings)


def test_ids_differing_only_in_case_across_files_are_an_error(tmp_path):
    one, two = tmp_path / "one.toml", tmp_path / "two.toml"
    one.write_text(LIB_HEAD + MAT.format(id="LLZOx"))
    two.write_text(MAT.format(id="llzox"))
    report = check_files([one, two])
    assert any("defined twice" in str(e) for e in report.errors)
    with pytest.raises(InputError, match="defined twice"):
        load_files([one, two])


INLINE_MAT = """
[[material]]
id = "{id}"
kind = "binder"
density = "1 g/cm^3"
source = "x"
"""


def test_two_inline_materials_with_one_id_are_an_error():
    text = BASIC + INLINE_MAT.format(id="myB") + INLINE_MAT.format(id="MYB")
    with pytest.raises(InputError) as err:
        loads_design(text, "d.toml")
    assert str(err.value).startswith("d.toml: material[2].id:") and "twice" in str(err.value)


def test_two_inline_interfaces_for_one_pair_are_an_error():
    text = BASIC + PAIR.format(a="Li", b="IL", v=1) + PAIR.format(a="IL", b="li", v=2)
    with pytest.raises(InputError) as err:
        loads_design(text, "d.toml")
    assert str(err.value).startswith("d.toml: interface[2].between:")


def test_an_inline_interface_naming_an_unknown_material_is_an_error(lib):
    d = loads_design(BASIC + PAIR.format(a="Li", b="ILL", v=1), "d.toml")
    with pytest.raises(InputError) as err:
        evaluate(d, lib)
    message = str(err.value)
    assert message.startswith("d.toml: interface[1].between:") and "'ILL'" in message
    assert "IL" in message.split("'ILL'")[1]          # the closest id is suggested


CCD = """
[[interface]]
between = ["Li", "IL"]
asr = "10 ohm*cm^2"
critical_current_density = { value = 2.0, unit = "mA/cm^2", temperature = "25 degC" }
source = "lab"
"""


def test_ccd_margin_at_the_discharge_rate_warns_below_one(lib):
    r = evaluate(loads_design(BASIC + CCD, "d.toml"), lib)
    # 20 mg/cm2 x 200 mAh/g = 4.0 mAh/cm2 at 1C: j = 4.0 mA/cm2; 2.0 / 4.0 = 0.5
    assert r["ccd_margin"].m == pytest.approx(0.5)
    assert any("critical current density" in w and "Li|IL" in w for w in r.warnings)


@pytest.mark.parametrize("charge, margin", [
    ("charge_c_rate = 0.25", 2.0),                    # 0.25 x 4.0 = 1.0 mA/cm2: 2.0 / 1.0
    ('charge_current_density = "0.5 mA/cm^2"', 4.0),  # 2.0 / 0.5
])
def test_ccd_margin_uses_the_charge_rate(lib, charge, margin):
    text = BASIC.replace("c_rate = 1", f"c_rate = 1\n{charge}") + CCD
    r = evaluate(loads_design(text, "d.toml"), lib)
    assert r["ccd_margin"].m == pytest.approx(margin)
    assert not any("critical current density of" in w for w in r.warnings)


def test_a_li_side_record_gives_the_ccd_when_the_interface_does_not(lib):
    li = """
[[material]]
id = "LiX"
kind = "anode_active"
density = "0.534 g/cm^3"
specific_capacity = "3861 mA*h/g"
average_potential = "0 V"
critical_current_density = "1.5 mA/cm^2"
source = "x"
"""
    text = BASIC.replace('material = "Li"', 'material = "LiX"') + li
    r = evaluate(loads_design(text, "d.toml"), lib)
    assert r["ccd_margin"].m == pytest.approx(1.5 / 4.0)    # j = 4.0 mA/cm2 at 1C


def test_the_library_li_bnns_ccd_is_read():
    from asslb_designer import load_design
    from .conftest import ROOT
    r = evaluate(load_design(ROOT / "examples" / "li-bnns-llzto-lfp.toml"))
    j = r["current_density"].m_as("mA/cm^2")
    assert r["ccd_margin"].m == pytest.approx(1.5 / j)
    assert any("Li-BNNS critical current density" in u for s in r.sources()
               for u in s["used_for"])


def test_no_ccd_without_a_lithium_metal_negative(lib):
    gr = BASIC.replace('[[layer]]\nrole = "anode"\nmaterial = "Li"\nthickness = "20 um"\n',
                       '[[layer]]\nrole = "anode"\nmaterial = "GR"\nnp_ratio = 1.1\n')
    assert evaluate(loads_design(gr, "d.toml"), lib)["ccd_margin"] is None


@pytest.mark.parametrize("pair", [("Li", "LLZO"), ("Li", "LLZTO"), ("Li", "Li6PS5Cl"),
                                  ("Li", "LiPON")])
def test_common_lithium_interfaces_have_a_sourced_ccd(pair):
    lib = builtin_library()
    ccd = lib.interface(*pair).preferred_ccd()
    assert ccd is not None and ccd.source and all(s in lib.references for s in ccd.source)
    assert 0.01 < ccd.value < 50                          # mA/cm2
