"""Sensitivity: elasticities against analytic derivatives, in one evaluation; Sobol
indices of an additive function against their analytic values."""

import json

import numpy as np
import pytest

from asslb_designer import design_from_dict, load_design
from asslb_designer.cli import main
from asslb_designer.studies.sensitivity import elasticities, sobol_analysis, sobol_of_design

from .conftest import DATA

BASIC = load_design(DATA / "basic.toml")

# Only the separator's bulk term: no interlayer, a cathode without catholyte (no ionic
# term), Li|SEP without data (0), SEP|CAM set to 0: asr_total = t / sigma exactly.
ONLY_SEPARATOR = design_from_dict({
    "cell": {"c_rate": 1},
    "layer": [
        {"role": "anode", "material": "Li", "thickness": "20 um"},
        {"role": "separator", "material": "SEP", "thickness": "30 um"},
        {"role": "cathode", "active": "CAM", "loading": "20 mg/cm^2",
         "fractions": {"active": 0.95, "carbon": 0.03, "binder": 0.02}, "carbon": "C",
         "binder": "B", "porosity": 0.1},
    ],
    "interface": [{"between": ["SEP", "CAM"], "asr": "0 ohm*cm^2", "source": "test"}],
})


def test_the_separator_bulk_asr_has_elasticity_plus_one_in_thickness_minus_one_in_sigma(lib):
    el = elasticities(ONLY_SEPARATOR, lib, ["separator.thickness",
                                            "material.SEP.ionic_conductivity"], ["asr_total"])
    # asr = t / sigma: d ln asr / d ln t = 1, d ln asr / d ln sigma = -1 (exact for any h)
    assert el.values[:, 0] == pytest.approx([1.0, -1.0], abs=1e-9)


def test_elasticities_of_the_basic_cell_match_analytic_derivatives(lib):
    el = elasticities(BASIC, lib, metrics=["asr_total", "areal_capacity", "voltage_loss",
                                           "specific_energy_active", "specific_energy_cathode"])
    e = {(k, m): el.values[i, j] for i, k in enumerate(el.keys)
         for j, m in enumerate(el.metrics)}
    # areal capacity = L x 200 mAh/g: elasticity 1 in the loading, 1 in the capacity
    assert e[("layer[5].loading", "areal_capacity")] == pytest.approx(1.0, abs=1e-9)
    assert e[("material.CAM.specific_capacity", "areal_capacity")] == pytest.approx(1.0, abs=1e-9)
    # per active mass the loading cancels: 0
    assert e[("layer[5].loading", "specific_energy_active")] == pytest.approx(0.0, abs=1e-9)
    # asr_total = 47 + 0.1 t (t in um): d ln asr / d ln t = 0.1 x 30 / 50 = 0.06;
    # asr = 47 + 3e-3 / sigma: -3 / 50 = -0.06 (central differences: error O(h^2))
    assert e[("layer[4].thickness", "asr_total")] == pytest.approx(0.06, rel=1e-4)
    assert e[("material.SEP.ionic_conductivity", "asr_total")] == pytest.approx(-0.06, rel=1e-4)
    # voltage loss = C-rate x Q x asr: 1 in the C-rate; in the loading 1 + 20/50 = 1.4
    # (Q ~ L, and the cathode term, 20 of 50 ohm cm2, ~ its thickness ~ L)
    assert e[("cell.c_rate", "voltage_loss")] == pytest.approx(1.0, abs=1e-9)
    assert e[("layer[5].loading", "voltage_loss")] == pytest.approx(1.4, rel=1e-4)
    # more active fraction (the other parts rescaled, still summing to 1) at a fixed
    # loading L: composite mass L / w_active, so energy per composite mass ~ w_active: 1
    assert e[("layer[5].fractions.active", "specific_energy_cathode")] == \
        pytest.approx(1.0, abs=1e-9)
    assert e[("layer[5].fractions.active", "areal_capacity")] == pytest.approx(0.0, abs=1e-12)
    # ranked: for asr_total the cathode loading (0.4) comes before the separator (0.06)
    ranked = [k for k, *_ in el.ranked("asr_total")]
    assert ranked.index("layer[5].loading") < ranked.index("layer[4].thickness")


def test_all_elasticities_come_from_one_evaluation(lib, monkeypatch):
    calls = []
    import asslb_designer.evaluation as evaluation
    real = evaluation.evaluate
    monkeypatch.setattr(evaluation, "evaluate", lambda d, l=None: calls.append(
        max((np.size(v) for v in d.values.values()), default=1)) or real(d, l))
    el = elasticities(BASIC, lib, metrics=["asr_total"])
    batch = [c for c in calls if c > 1]
    assert batch == [2 * len(el.keys)]    # one batch: two designs per input


def test_sobol_indices_of_an_additive_function():
    # f = x1 + 2 x2 + 0 x3, x uniform on [0, 1]: Var(a x) = a^2 / 12, so
    # S1 = ST = (1, 4, 0) / 5 = (0.2, 0.8, 0)
    pytest.importorskip("SALib")
    found = sobol_analysis(lambda x: x[:, 0] + 2 * x[:, 1] + 0 * x[:, 2], ["a", "b", "c"],
                           [(0, 1)] * 3, n=4096, seed=1)["y"]
    assert found["S1"] == pytest.approx([0.2, 0.8, 0.0], abs=0.03)
    assert found["ST"] == pytest.approx([0.2, 0.8, 0.0], abs=0.03)


def test_sobol_of_the_basic_cell(lib):
    # areal capacity = 0.2 L depends on the loading only: S(loading) = 1, S(separator) = 0
    pytest.importorskip("SALib")
    found = sobol_of_design(BASIC, lib, ["cathode.loading", "separator.thickness"],
                            ["areal_capacity"], n=1024)
    s = found["indices"]["areal_capacity"]
    assert s["S1"] == pytest.approx([1.0, 0.0], abs=0.02)
    assert s["ST"] == pytest.approx([1.0, 0.0], abs=0.02)
    assert found["bounds"][0] == pytest.approx((18.0, 22.0))   # 20 mg/cm2 +- 10 %


def test_sensitivity_command(monkeypatch, capsys):
    monkeypatch.setenv("ASSLB_DESIGNER_USER_LIBRARY", str(DATA / "test_library.toml"))
    assert main(["sensitivity", str(DATA / "basic.toml"), "--metrics", "areal_capacity",
                 "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    first = out["elasticities"]["metrics"]["areal_capacity"][0]
    assert first["elasticity"] == pytest.approx(1.0, abs=1e-9)
    assert first["key"] in ("layer[5].loading", "material.CAM.specific_capacity")
    assert main(["sensitivity", str(DATA / "basic.toml"), "--metrics", "areal_capacity"]) == 0
    assert "layer[5].loading" in capsys.readouterr().out

