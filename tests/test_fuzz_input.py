"""Bad input never crashes: any value in any place gives a result or an InputError, in a
design and in a user library, bare or as a `{ value, unit }` table."""

import tomllib

import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from asslb_designer import InputError, design_from_dict, evaluate, load_design
from asslb_designer.materials import builtin_library, load_files

from .conftest import DATA, replaced

BASE = tomllib.loads((DATA / "basic.toml").read_text())
BASE["cell"].update({"electrode_area": "100 cm^2", "unit_cells": 10, "packaging": "pouch",
                     "hardware": {"stack_pressure": "5 MPa", "material": "STEEL"}})


def leaves(node, path=()):
    if isinstance(node, dict):
        for k, v in node.items():
            yield from leaves(v, path + (k,))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from leaves(v, path + (i,))
    yield path


junk = st.one_of(
    st.none(), st.booleans(), st.integers(-10**6, 10**6), st.floats(allow_nan=True),
    st.text(max_size=12),
    st.sampled_from(["30 um", "30 kg", "-1 um", "nan um", "inf um", "0", "1e400 um", "25 degC",
                     "-300 degC", "none", "Li", "CAM", "pores", "1.6 mL/(A*h)", "1 1/h", "%",
                     "0.5", "1e-30 um", "um", ""]),
    st.lists(st.integers(), max_size=3), st.dictionaries(st.text(max_size=5), st.integers(),
                                                         max_size=2),
    # value tables: a unit that is not text, given twice, a huge integer, no value
    st.fixed_dictionaries({"value": st.one_of(st.floats(allow_nan=True), st.integers(),
                                              st.just(10 ** 400), st.sampled_from(["30 um",
                                                                                   "nan"]))},
                          optional={"unit": st.one_of(st.sampled_from(["um", "degC", "S/cm",
                                                                       "g/cm^3", "", "kg"]),
                                                      st.integers(), st.lists(st.text(max_size=2),
                                                                              max_size=2)),
                                    "source": st.one_of(st.text(max_size=3), st.integers())}),
    st.fixed_dictionaries({"unit": st.just("um")}))
PATHS = [p for p in leaves(BASE) if p]


@settings(max_examples=1500, deadline=None, derandomize=True)
@given(choice=st.sampled_from(PATHS), value=junk, delete=st.booleans())
def test_any_value_anywhere_gives_a_result_or_an_input_error(lib, choice, value, delete):
    data = replaced(BASE, choice, value, delete)
    try:
        evaluate(design_from_dict(data, "fuzz.toml"), lib)
    except InputError as exc:
        assert str(exc).startswith("fuzz.toml"), str(exc)
        assert "\n" not in str(exc)


LIBRARY = tomllib.loads((DATA / "test_library.toml").read_text())
LIBRARY_PATHS = [p for p in leaves(LIBRARY) if p]
BASIC_DESIGN = load_design(DATA / "basic.toml")


@settings(max_examples=250, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(choice=st.sampled_from(LIBRARY_PATHS), value=junk.filter(lambda v: v is not None),
       delete=st.booleans())
def test_any_value_anywhere_in_a_user_library(tmp_path, choice, value, delete):
    # the test library as a user's library over the built-in one, as the CLI merges it
    data = replaced(LIBRARY, choice, value, delete)
    path = tmp_path / "mine.toml"
    path.write_text(tomli_w.dumps(data))
    try:
        library = load_files([path], builtin_library(), require_known_sources=False)
        evaluate(BASIC_DESIGN, library)
    except InputError as exc:
        assert "\n" not in str(exc)
