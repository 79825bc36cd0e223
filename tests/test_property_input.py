"""Property: whatever value of whatever TOML type sits under whatever key of a design, an
inline material, a user library, or arrives through Design.with_values, the answer is a
one-line InputError (exit 2 from the CLI) or a result whose metrics are all finite; never
another exception, never NaN or infinity in a result."""

import copy
import datetime as dt
import tomllib

import numpy as np
import pytest
import tomli_w
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from asslb_designer import InputError, Quantity, cli, evaluate, loads_design

from .conftest import replaced
from .test_bad_input import CELL_LEVEL

SETTINGS = settings(max_examples=250, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])

INLINE = """
[[material]]
id = "SEPX"
kind = "solid_electrolyte"
aliases = ["sep-x"]
density = { value = 2.0, unit = "g/cm^3", source = "me" }
ionic_conductivity = { value = "1e-3 S/cm", temperature = "25 degC", source = "me" }
activation_energy = "30 kJ/mol"
note = "inline"

[[interface]]
between = ["SEPX", "CAM"]
asr = "5 ohm*cm^2"
temperature = "25 degC"
activation_energy = "0.3 eV"
source = "me"

[[interface]]
between = ["Li", "IL"]
asr = "10 ohm*cm^2"
critical_current_density = { value = 1.2, unit = "mA/cm^2", temperature = "25 degC", stack_pressure = "5 MPa" }
source = "me"
"""
# every key of a design: the cell-level keys, the charge rate and prelithiation (issue 10),
# an inline material and two inline interfaces, one with a critical current density
DESIGN = tomllib.loads(CELL_LEVEL.replace('material = "SEP"', 'material = "SEPX"').replace(
    "unit_cells = 10", 'unit_cells = 10\ncharge_c_rate = "C/2"\nprelithiation = "0.2 mAh/cm2"')
    + INLINE)

UNITS = ["um", "mm", "nm", "cm", "m", "cm^2", "cm2", "g", "mg/cm^2", "g/cm^3", "mA*h/g",
         "mAh g-1", "mA*h/cm^2", "V", "mV", "S/cm", "S cm-1", "ohm*cm^2", "degC", "K",
         "delta_degC", "degC*percent", "C", "eV", "kJ/mol", "kJ", "mA/cm^2", "MPa", "1/h",
         "mL/(A*h)", "%", "", "kg", "furlong"]
numbers = st.one_of(st.floats(allow_nan=True, allow_infinity=True),
                    st.integers(-10 ** 20, 10 ** 20), st.just(10 ** 400),
                    st.sampled_from([0, 1, 0.5, 1e-300, 5e-324, 1e308, -1, 2.5, 25, 1000]))
quantity_text = st.builds(lambda x, u: f"{x} {u}".strip(), numbers, st.sampled_from(UNITS))
scalars = st.one_of(
    st.text(max_size=16), quantity_text, numbers, st.booleans(),
    st.datetimes(timezones=st.just(dt.timezone.utc)), st.dates(), st.times(),
    st.sampled_from(["C/3", "2C", "25 C", "pores", "none", "Li", "CAM", "SEPX", "pouch",
                     "STEEL", "x" * 300]))
value_tables = st.fixed_dictionaries({"value": st.one_of(numbers, quantity_text)},
                                     optional={"unit": st.one_of(st.sampled_from(UNITS), numbers,
                                                                 st.lists(st.text(max_size=3),
                                                                          max_size=2)),
                                               "source": st.text(max_size=4)})
toml_values = st.recursive(st.one_of(scalars, value_tables),
                           lambda inner: st.one_of(st.lists(inner, max_size=3),
                                                   st.dictionaries(st.text(max_size=6), inner,
                                                                   max_size=3)),
                           max_leaves=6)


def leaves(node, path=()):
    if isinstance(node, dict):
        for k, v in node.items():
            yield from leaves(v, path + (k,))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from leaves(v, path + (i,))
    if path:
        yield path




def assert_finite(result):
    for name, value in result.metrics.items():
        if value is None:
            continue
        if name == "ccd_margin":    # CCD / 0 mA/cm2 plating in a batch: no limit (JSON null)
            value = np.where(np.isposinf(value), 1.0, value)
        assert np.all(np.isfinite(value)), (name, value)
    for term in result.asr:
        assert np.all(np.isfinite(term["value"])), term
    result.to_json()        # strict JSON: raises on a NaN that slipped through


def check_design_text(text, lib):
    try:
        result = evaluate(loads_design(text, "prop.toml"), lib)
    except InputError as exc:
        message = str(exc)
        assert message.startswith("prop.toml") and "\n" not in message, message
        event("refused")
    else:
        assert_finite(result)
        event("evaluated")


# a second design for the keys the first lacks: a composite negative sized by N/P, a positive
# by areal capacity and coating density, custom hardware, a library packaging record, a
# liquid fill per capacity, swelling, the Bruggeman exponent, the end electrode
OTHER = tomllib.loads("""schema = "asslb-designer/design@1"
name = "other"
[cell]
format = "stacked"
temperature = "60 degC"
current_density = "1 mA/cm2"
electrode_width = "8 cm"
electrode_height = "6 cm"
unit_cells = 4
bruggeman_exponent = 1.5
end_electrode = "negative"
plated_lithium = "none"
packaging = "pouch"
electrolyte = "LIQ"
electrolyte_fill = "1.6 mL/(A*h)"
[cell.hardware]
kind = "custom"
mass = "20 g"
thickness = "2 mm"
[[layer]]
role = "current_collector"
material = "CuT"
thickness = "8 um"
[[layer]]
role = "anode"
active = "GR"
np_ratio = 1.1
fractions = { active = 0.95, binder = 0.05 }
binder = "B"
porosity = 0.3
swelling = 0.05
[[layer]]
role = "separator"
material = "POR"
thickness = "20 um"
porosity = 0.4
[[layer]]
role = "cathode"
active = "CAM"
areal_capacity = "3 mAh/cm2"
fractions = { active = 0.9, carbon = 0.05, binder = 0.05 }
carbon = "C"
binder = "B"
density = "3 g cm-3"
[[layer]]
role = "current_collector"
material = "AlT"
thickness = "12 um"
""")
DESIGN_PATHS = [(DESIGN, p) for p in leaves(DESIGN)] + [(OTHER, p) for p in leaves(OTHER)]


def test_the_unfuzzed_designs_evaluate(lib):
    # the properties start from designs that work
    for data in (DESIGN, OTHER):
        assert_finite(evaluate(loads_design(tomli_w.dumps(data), "prop.toml"), lib))


@SETTINGS
@given(where=st.sampled_from(DESIGN_PATHS), value=toml_values, delete=st.booleans())
def test_any_toml_value_under_any_design_key(lib, where, value, delete):
    design, path = where
    check_design_text(tomli_w.dumps(replaced(design, path, value, delete)), lib)


MATERIAL_KEYS = ["id", "kind", "aliases", "density", "ionic_conductivity", "activation_energy",
                 "reference_temperature", "conductivity_table", "specific_capacity",
                 "average_potential", "electronic_conductivity", "source", "note", "name",
                 "class", "porosity", "lithium_metal", "tab_materials", "volume_change",
                 "lithiated", "critical_current_density"]


@SETTINGS
@given(key=st.sampled_from(MATERIAL_KEYS), value=toml_values, sub=st.booleans())
def test_any_toml_value_under_any_key_of_an_inline_material(lib, key, value, sub):
    data = copy.deepcopy(DESIGN)
    record = data["material"][0]
    if sub and isinstance(record.get(key), dict):      # inside the value table
        record[key]["temperature" if "temperature" in record[key] else "value"] = value
    else:
        record[key] = value
    check_design_text(tomli_w.dumps(data), lib)


USER_LIBRARY = {
    "references": {"U1": {"citation": "user data", "doi": "10.1/x"}},
    "material": [
        {"id": "USEP", "kind": "solid_electrolyte", "density": "2 g/cm^3", "source": "U1",
         "ionic_conductivity": [{"value": "1e-3 S/cm", "temperature": "25 degC",
                                 "preferred": True},
                                {"value": "3e-3 S/cm", "temperature": "60 degC"}],
         "activation_energy": {"value": 0.3, "unit": "eV"}},
        {"id": "UCAM", "kind": "cathode_active", "density": "4.8 g/cm^3", "source": "U1",
         "specific_capacity": "180 mAh g-1", "average_potential": "3.7 V", "lithiated": True,
         "conductivity_table": {"points": [["25 degC", "1e-6 S/cm"], ["60 degC", "1e-5 S/cm"]]}},
    ],
    "interface": [{"between": ["Li", "USEP"], "asr": "20 ohm*cm^2", "source": "U1",
                   "critical_current_density": {"value": 1.0, "unit": "mA/cm^2",
                                                "temperature": "25 degC"}}],
}
USER_DESIGN = """schema = "asslb-designer/design@1"
[cell]
temperature = "25 degC"
c_rate = "C/3"
[[layer]]
role = "anode"
material = "Li"
thickness = "20 um"
[[layer]]
role = "separator"
material = "USEP"
thickness = "30 um"
[[layer]]
role = "cathode"
active = "UCAM"
loading = "15 mg/cm^2"
fractions = { active = 0.8, electrolyte = 0.2 }
electrolyte = "USEP"
porosity = 0.1
"""
USER_PATHS = list(leaves(USER_LIBRARY))


def test_the_unfuzzed_user_library_evaluates(tmp_path, monkeypatch, capsys):
    # the property below must start from a library and design that work
    (tmp_path / "mine.toml").write_text(tomli_w.dumps(USER_LIBRARY))
    (tmp_path / "d.toml").write_text(USER_DESIGN)
    monkeypatch.setenv("ASSLB_DESIGNER_USER_LIBRARY", str(tmp_path / "mine.toml"))
    assert cli.main(["evaluate", str(tmp_path / "d.toml"), "--json"]) == 0, capsys.readouterr().err


@settings(max_examples=120, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(path=st.sampled_from(USER_PATHS), value=toml_values, delete=st.booleans())
def test_any_toml_value_in_a_user_library(tmp_path, monkeypatch, capsys, path, value, delete):
    library = tmp_path / "mine.toml"
    library.write_text(tomli_w.dumps(replaced(USER_LIBRARY, path, value, delete)))
    design = tmp_path / "d.toml"
    design.write_text(USER_DESIGN)
    monkeypatch.setenv("ASSLB_DESIGNER_USER_LIBRARY", str(library))
    for command in (["materials", "list"], ["validate", str(library)],
                    ["evaluate", str(design), "--json"]):
        code = cli.main(command)
        out, err = capsys.readouterr()
        assert code in (0, 2), err
        event(f"{command[0]} exit {code}")
        if command[0] == "validate":
            # a validator's report: one line per problem, then a summary if any error
            lines = err.strip().splitlines()
            assert all(line.startswith(("warning: ", "error: ", f"{library}: ")) for line in lines)
            assert code == 0 or any(line.startswith("error: ") for line in lines), err
        elif code == 2:
            assert len(err.strip().splitlines()) == 1 and err.startswith("error: "), err
        elif command[0] == "evaluate":
            import json
            metrics = json.loads(out, parse_constant=lambda c: pytest.fail(c))["metrics"]
            # null marks a cell-level metric this design cannot give; every other is a number
            assert all(m is None or isinstance(m["value"], float) for m in metrics.values())


BASE = loads_design(CELL_LEVEL.replace('material = "SEP"', 'material = "SEPX"') + INLINE, "api")
API_KEYS = sorted(BASE.values) + [
    "material.SEPX.ionic_conductivity", "material.sep-x.density", "material.CAM.density",
    "material.cam.specific_capacity", "material.SE.activation_energy", "material.NOPE.density",
    "cell.current_density", "cell.electrode_area", "layer[5].thickness", "layer[4].porosity",
    "cell.hardware.mass", "layer[9].thickness", "cell.packaging.tab_protrusion", "nonsense"]
magnitudes = st.one_of(numbers, st.lists(st.floats(allow_nan=True), min_size=1, max_size=4),
                       st.integers(1, 4).map(lambda n: np.linspace(0.0, 2.0, n)))
python_values = st.one_of(
    numbers, st.none(), st.booleans(), st.text(max_size=10), quantity_text,
    st.builds(lambda m, u: Quantity(m, u) if u else m, magnitudes,
              st.sampled_from([u for u in UNITS if u not in ("furlong", "C")])),
    st.lists(st.one_of(numbers, st.text(max_size=3)), max_size=3),
    st.sampled_from([np.int64(3), np.float32(0.5), np.array([1 + 1j]), np.array([object()]),
                     np.array([True]), np.zeros((2, 3)), np.array([]), {"value": 30, "unit": "um"},
                     {"value": "30 um", "unit": "mm"}, 1j]))


OTHER_BASE = loads_design(tomli_w.dumps(OTHER), "api")
BASES = [(BASE, API_KEYS),
         (OTHER_BASE, sorted(OTHER_BASE.values) + ["material.GR.density", "material.gr.density",
                                                   "material.LIQ.ionic_conductivity",
                                                   "cell.hardware.stack_pressure",
                                                   "cell.packaging.foil_thickness",
                                                   "material.pouch.foil_thickness",
                                                   "cell.c_rate", "layer[2].loading"])]


def internal_unit(design, key):
    """The key's internal unit (units.KINDS), so that some generated values are plausible."""
    from asslb_designer.design import value_kind
    from asslb_designer.units import KINDS
    try:
        return KINDS[value_kind(design, key)].internal
    except InputError:
        return "um"


@st.composite
def api_updates(draw):
    design, keys = draw(st.sampled_from(BASES))
    updates = {}
    for key in draw(st.lists(st.sampled_from(keys), min_size=1, max_size=2, unique=True)):
        plausible = st.builds(Quantity, st.one_of(st.floats(0.0, 2.0), st.floats(0.0, 1e3),
                                                  st.lists(st.floats(0.0, 5.0), min_size=1,
                                                           max_size=3).map(np.array)),
                              st.just(internal_unit(design, key)))
        updates[key] = draw(st.one_of(plausible, plausible, python_values))
    return design, updates


@SETTINGS
@given(drawn=api_updates())
def test_any_python_value_through_with_values(lib, drawn):
    design, updates = drawn
    try:
        result = evaluate(design.with_values(updates), lib)
    except InputError as exc:
        message = str(exc)
        assert message.startswith("api:") and "\n" not in message, message
        event("refused")
    else:
        assert_finite(result)
        event("evaluated")


@SETTINGS
@given(which=st.sampled_from(BASES), factors=st.lists(st.floats(0.5, 2.0), min_size=1,
                                                       max_size=4), data=st.data())
def test_the_designs_own_values_scaled_give_finite_metrics(lib, which, factors, data):
    # nearby designs (each value of the design x 0.5-2, as arrays): mostly valid, all finite
    from asslb_designer.design import value_kind
    from asslb_designer.units import KINDS
    design, _ = which
    keys = data.draw(st.lists(st.sampled_from(sorted(design.values)), min_size=1, max_size=3,
                              unique=True))
    updates = {k: Quantity(np.asarray(design.values[k]) * np.array(factors),
                           KINDS[value_kind(design, k)].internal) for k in keys}
    try:
        result = evaluate(design.with_values(updates), lib)
    except InputError as exc:
        assert "\n" not in str(exc)
        event("refused")
    else:
        assert_finite(result)
        event("evaluated")
