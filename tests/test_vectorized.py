"""One code path for one design and a million: arrays broadcast, and properties hold."""

import subprocess
import sys

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from asslb_designer import Quantity, evaluate, load_design

from .conftest import DATA, ROOT

BASIC = load_design(DATA / "basic.toml")
positive = st.floats(min_value=0.1, max_value=10.0)


def separator_term(result):
    return next(t["value"] for t in result.asr if t["where"] == "SEP")


@settings(max_examples=30, deadline=None)
@given(thickness=st.floats(min_value=1.0, max_value=500.0))
def test_doubling_the_separator_doubles_its_bulk_term(lib, thickness):
    one = evaluate(BASIC.with_values({"layer[4].thickness": Quantity(thickness, "um")}), lib)
    two = evaluate(BASIC.with_values({"layer[4].thickness": Quantity(2 * thickness, "um")}), lib)
    assert separator_term(two) == pytest.approx(2 * separator_term(one))


@settings(max_examples=30, deadline=None)
@given(extra=st.floats(min_value=0.01, max_value=50.0), which=st.sampled_from(
    ["layer[1].thickness", "layer[6].thickness", "layer[4].thickness", "layer[3].thickness"]))
def test_more_inactive_mass_lowers_specific_energy(lib, extra, which):
    base = evaluate(BASIC, lib)
    thicker = evaluate(BASIC.with_values({which: Quantity(BASIC.values[which] + extra, "um")}),
                       lib)
    assert thicker["specific_energy_stack"].m < base["specific_energy_stack"].m
    assert thicker["energy_density_stack"].m < base["energy_density_stack"].m
    assert thicker["areal_energy"].m == pytest.approx(base["areal_energy"].m)


@settings(max_examples=20, deadline=None)
@given(extra_g=st.floats(min_value=0.001, max_value=100.0))
def test_extra_cell_mass_lowers_cell_specific_energy(lib, extra_g):
    d = BASIC.with_values({"cell.electrode_area": "100 cm^2", "cell.unit_cells": 10})
    base = evaluate(d, lib)
    heavier = evaluate(d.with_values({"cell.extra_mass": Quantity(extra_g, "g")}), lib)
    assert heavier["specific_energy_cell"].m < base["specific_energy_cell"].m


@settings(max_examples=10, deadline=None)
@given(st.lists(st.tuples(st.floats(5, 200), st.floats(2, 40), st.floats(0.0, 0.5),
                          st.floats(250, 400)), min_size=1, max_size=8))
def test_vectorized_and_scalar_evaluation_agree(lib, rows):
    sep, loading, porosity, temperature = (np.array(c) for c in zip(*rows))
    batch = evaluate(BASIC.with_values({
        "layer[4].thickness": Quantity(sep, "um"),
        "layer[5].loading": Quantity(loading, "mg/cm^2"),
        "layer[5].porosity": porosity,
        "cell.temperature": Quantity(temperature, "K")}), lib)
    for i in range(len(rows)):
        one = evaluate(BASIC.with_values({
            "layer[4].thickness": Quantity(float(sep[i]), "um"),
            "layer[5].loading": Quantity(float(loading[i]), "mg/cm^2"),
            "layer[5].porosity": float(porosity[i]),
            "cell.temperature": Quantity(float(temperature[i]), "K")}),
            lib)
        for name, value in one.metrics.items():
            if value is None:
                assert batch.metrics[name] is None
            else:
                assert np.asarray(batch.metrics[name])[i] == pytest.approx(float(value), rel=1e-12)


def test_a_million_designs_in_one_call(lib):
    n = 1_000_000
    rng = np.random.default_rng(1)
    d = BASIC.with_values({"layer[4].thickness": Quantity(rng.uniform(10, 100, n), "um"),
                           "layer[5].loading": Quantity(rng.uniform(5, 30, n), "mg/cm^2")})
    r = evaluate(d, lib)
    assert r.shape == (n,)
    # spot-check one design against a scalar evaluation
    one = evaluate(BASIC.with_values({
        "layer[4].thickness": Quantity(float(d.values["layer[4].thickness"][7]), "um"),
        "layer[5].loading": Quantity(float(d.values["layer[5].loading"][7]), "mg/cm^2")}), lib)
    assert r.metrics["specific_energy_stack"][7] == pytest.approx(float(one.metrics["specific_energy_stack"]))


def test_material_values_can_be_varied_as_arrays(lib):
    sigma = np.array([1e-4, 1e-3, 1e-2])
    r = evaluate(BASIC.with_values({"material.SEP.ionic_conductivity": Quantity(sigma, "S/cm")}), lib)
    # bulk SEP term: 30e-4 cm / sigma
    assert np.allclose(separator_term(r), 30e-4 / sigma)


def test_with_values_checks_units(lib):
    from asslb_designer import InputError
    with pytest.raises(InputError, match="layer\\[4\\].thickness.*expected a length"):
        BASIC.with_values({"layer[4].thickness": Quantity(3, "kg")})
    with pytest.raises(InputError, match="layer\\[4\\].thicknes: not a value of layer\\[4\\].*"
                                         "did you mean 'thickness'"):
        BASIC.with_values({"layer[4].thicknes": "3 um"})


def test_csv_has_one_row_per_design(lib):
    r = evaluate(BASIC.with_values({"layer[4].thickness": Quantity([10.0, 20.0, 30.0], "um")}), lib)
    lines = r.to_csv().splitlines()
    assert len(lines) == 4
    assert lines[0].startswith("design,areal_capacity [mA * h / cm ** 2],")


def test_the_engine_never_imports_qt():
    code = ("import sys, asslb_designer, asslb_designer.cli, asslb_designer.report;"
            "from asslb_designer import evaluate, load_design;"
            "from asslb_designer.materials import load_files;"
            f"lib = load_files([{str(DATA / 'test_library.toml')!r}]);"
            f"evaluate(load_design({str(DATA / 'basic.toml')!r}), lib);"
            "bad = [m for m in sys.modules if m.split('.')[0] in "
            "('PySide6', 'shiboken6', 'pyqtgraph', 'PyQt5', 'PyQt6')];"
            "assert not bad, bad")
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)


def test_with_values_refuses_values_the_design_would_ignore():
    from asslb_designer import InputError
    # the cathode (layer[5]) is sized by loading: its thickness is a result, not an input
    with pytest.raises(InputError, match="sized by loading"):
        BASIC.with_values({"layer[5].thickness": "70 um"})
    with pytest.raises(InputError, match="gives its porosity"):
        BASIC.with_values({"layer[5].density": "3 g/cm^3"})
    # basic.toml gives c_rate: a current density would never be read
    with pytest.raises(InputError, match="gives cell.c_rate; cell.current_density would be"):
        BASIC.with_values({"cell.current_density": "1 mA/cm^2"})
    with pytest.raises(InputError, match="not a value of this design"):
        BASIC.with_values({"layer[9].thickness": "1 um"})
