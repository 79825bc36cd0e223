"""Monte Carlo: percentiles against analytic quantiles, constraint probabilities, and the
library's spread varied by default.

tests/data/basic.toml: asr_total = 47 + (30 um = 30e-4 cm) / sigma_SEP ohm cm2. With
sigma_SEP log-uniform on [1e-4, 1e-3] S/cm, its q-quantile is 1e-4 x 10^q S/cm, and
asr_total falls as sigma rises, so asr_total's q-quantile is 47 + 30 / 10^(1 - q):
  P5  = 47 + 30 / 10^0.95 = 47 + 3.3661  = 50.3661
  P50 = 47 + 30 / 10^0.50 = 47 + 9.4868  = 56.4868
  P95 = 47 + 30 / 10^0.05 = 47 + 26.7378 = 73.7378
  mean: E[1/sigma] = (1/a - 1/b) / ln(b/a) = 9000 / 2.302585 = 3908.65 cm/S -> 58.7259
  P(asr_total <= 53) = P(sigma >= 30e-4 / 6 = 5e-4) = 1 - log10(5) = 0.30103
"""

import json

import pytest

from asslb_designer import load_design
from asslb_designer.cli import main
from asslb_designer.materials import default_library
from asslb_designer.studies.constraints import parse_constraint
from asslb_designer.studies.montecarlo import monte_carlo_study, run_monte_carlo
from asslb_designer.studies.study_file import distribution_from_spec

from .conftest import DATA, ROOT

SIGMA = "material.SEP.ionic_conductivity=log-uniform:1e-4 S/cm:1e-3 S/cm"


@pytest.fixture(autouse=True)
def test_library_env(monkeypatch):
    monkeypatch.setenv("ASSLB_DESIGNER_USER_LIBRARY", str(DATA / "test_library.toml"))


@pytest.mark.parametrize("method, rel", [("lhs", 2e-4), ("random", 2e-2)])
def test_percentiles_of_a_log_uniform_conductivity_match_the_analytic_quantiles(method, rel):
    design = load_design(DATA / "basic.toml")
    library = default_library()
    varied = [distribution_from_spec(design, library, SIGMA)]
    constraint = parse_constraint("asr_total <= 53 ohm*cm^2", None, "test")
    study = monte_carlo_study(design, library, varied, n=40_000, seed=3, method=method,
                              metrics=["asr_total"], constraints=[constraint])
    summary, interrupted = run_monte_carlo(study)
    assert not interrupted
    asr = next(m for m in summary.metrics if m.name == "asr_total")
    assert asr.p5 == pytest.approx(50.3661, rel=rel)
    assert asr.p50 == pytest.approx(56.4868, rel=rel)
    assert asr.p95 == pytest.approx(73.7378, rel=rel)
    assert asr.mean == pytest.approx(58.7259, rel=rel * 5)
    assert summary.constraints[0][1] == pytest.approx(0.30103, abs=0.01)
    assert [k for k, _, _ in summary.varied] == ["material.SEP.ionic_conductivity"]


def test_mc_command_prints_json_and_writes_samples(tmp_path, capsys):
    samples = tmp_path / "samples.csv"
    assert main(["mc", str(DATA / "basic.toml"), "--dist", SIGMA, "--n", "2000",
                 "--metrics", "asr_total", "--constraint", "asr_total <= 53 ohm*cm^2",
                 "--samples", str(samples), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["samples"] == 2000
    assert out["metrics"]["asr_total"]["p50"] == pytest.approx(56.4868, rel=1e-3)
    assert out["constraints"][0]["probability"] == pytest.approx(0.30103, abs=0.01)
    lines = samples.read_text().splitlines()
    assert len(lines) == 2001
    assert lines[0] == ("material.SEP.ionic_conductivity [S/cm],asr_total [ohm*cm**2],"
                        "meets_constraints")


def test_by_default_the_library_spread_varies_and_is_named(monkeypatch, capsys):
    # the built-in library: Li6PS5Cl holds several cited conductivities at 25 degC
    monkeypatch.setenv("ASSLB_DESIGNER_USER_LIBRARY", "")
    design = ROOT / "examples" / "nmc811-lpscl-li-pouch.toml"
    assert main(["mc", str(design), "--n", "500", "--json", "--metrics", "asr_total"]) == 0
    out = json.loads(capsys.readouterr().out)
    varied = {v["key"]: v for v in out["varied"]}
    assert "material.Li6PS5Cl.ionic_conductivity" in varied
    assert varied["material.Li6PS5Cl.ionic_conductivity"]["from"] == "library spread"
    values = [v.value for v in default_library().get("Li6PS5Cl").values("ionic_conductivity")]
    text = varied["material.Li6PS5Cl.ionic_conductivity"]["distribution"]
    assert f"{min(values):g} to {max(values):g}" in text
    # the spread moves asr_total: it is not one number
    m = out["metrics"]["asr_total"]
    assert m["p5"] < m["p50"] < m["p95"]


def test_nothing_to_vary_is_an_error(capsys):
    # the test library has no property with several values
    assert main(["mc", str(DATA / "basic.toml"), "--n", "10"]) == 2
    assert "nothing to vary" in capsys.readouterr().err


def test_bad_distribution_specs(capsys):
    for spec, reason in [("material.SEP.ionic_conductivity=gauss:1:2", "DIST one of"),
                         ("material.SEP.ionic_conductivity=uniform:1e-3 S/cm", "takes low:high"),
                         ("material.SEP.ionic_conductivity=normal:1e-3 S/cm:-1e-4 S/cm",
                          "std must be positive"),
                         ("material.SEP.ionic_conductivity=library", "no spread")]:
        assert main(["mc", str(DATA / "basic.toml"), "--dist", spec, "--n", "10"]) == 2
        err = capsys.readouterr().err
        assert reason in err and err.count("\n") == 1, err



def test_an_untruncated_normal_that_reaches_negative_thickness_is_refused(capsys):
    # 30 um +- 10 um reaches 30 - 7.03 x 10 = -40.3 um (the 1e-12 quantile)
    assert main(["mc", str(DATA / "basic.toml"), "--dist",
                 "separator.thickness=normal:30 um:10 um", "--n", "100"]) == 2
    err = capsys.readouterr().err
    assert "its range reaches -40.3" in err and "truncate it" in err
    assert main(["mc", str(DATA / "basic.toml"), "--dist",
                 "separator.thickness=normal:30 um:10 um:1 um:60 um", "--n", "100",
                 "--metrics", "asr_total"]) == 0
