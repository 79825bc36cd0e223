"""Inverse design against closed forms (tests/data/basic.toml with the test library):
asr_total = 47 + t/10 ohm cm2 (t the separator in um), areal capacity = 0.2 L mAh/cm2."""

import json

import pytest

from asslb_designer import Quantity, evaluate, load_design
from asslb_designer.cli import main
from asslb_designer.studies.inverse import OutOfReach, solve

from .conftest import DATA, ROOT

BASIC = load_design(DATA / "basic.toml")


@pytest.mark.parametrize("method", ["brentq", "bisection"])
def test_separator_thickness_for_an_asr_target(lib, method):
    if method == "brentq":
        pytest.importorskip("scipy")
    # 47 + t/10 = 60 ohm cm2 -> t = 130 um
    found = solve(BASIC, lib, "separator.thickness", "asr_total", 60.0, 1.0, 500.0,
                  method=method)
    assert found.roots == pytest.approx([130.0], rel=1e-10)
    assert found.method == method


@pytest.mark.parametrize("method", ["brentq", "bisection"])
def test_cathode_loading_for_an_areal_capacity(lib, method):
    if method == "brentq":
        pytest.importorskip("scipy")
    # 0.2 L = 5 mAh/cm2 -> L = 25 mg/cm2
    found = solve(BASIC, lib, "cathode.loading", "areal_capacity", 5.0, 1.0, 60.0,
                  method=method)
    assert found.roots == pytest.approx([25.0], rel=1e-10)


def test_a_target_out_of_reach_says_how_far_the_metric_gets(lib):
    # 40 ohm cm2 is below the 47 ohm cm2 of every other term: no separator reaches it
    with pytest.raises(OutOfReach) as err:
        solve(BASIC, lib, "separator.thickness", "asr_total", 40.0, 1.0, 500.0)
    text = str(err.value)
    assert "out of reach" in text and "47.1" in text and "97" in text   # 47.1 at 1 um, 97 at 500


def test_cathode_loading_for_400_wh_per_kg_at_cell_level(monkeypatch, capsys):
    # the sulfide pouch without interlayer: find the loading, then evaluate it independently
    monkeypatch.setenv("ASSLB_DESIGNER_USER_LIBRARY", "")
    design = ROOT / "examples" / "nmc811-lpscl-li-pouch.toml"
    assert main(["solve", str(design), "--vary", "cathode.loading=5 mg/cm^2:100 mg/cm^2",
                 "--target", "specific_energy_cell=400 W*h/kg", "--json"]) == 0
    found = json.loads(capsys.readouterr().out)
    assert len(found["solutions"]) == 1 and 5 < found["solutions"][0] < 100
    d = load_design(design)
    r = evaluate(d.with_values({d.cathode.key + ".loading":
                                Quantity(found["solutions"][0], "mg/cm^2")}))
    assert r["specific_energy_cell"].m_as("W*h/kg") == pytest.approx(400.0, rel=1e-9)
    # and a bit less loading does not get there
    r = evaluate(d.with_values({d.cathode.key + ".loading":
                                Quantity(found["solutions"][0] * 0.99, "mg/cm^2")}))
    assert r["specific_energy_cell"].m_as("W*h/kg") < 400.0


def test_solve_command_errors(capsys, monkeypatch):
    monkeypatch.setenv("ASSLB_DESIGNER_USER_LIBRARY", str(DATA / "test_library.toml"))
    for argv, reason in [
            (["--vary", "separator.thickness=1 um:500 um", "--target", "asr_total=40 ohm*cm^2"],
             "out of reach"),
            (["--vary", "separator.thickness=1 um:500 um", "--target", "asr_total 40"],
             "METRIC=VALUE"),
            (["--vary", "separator.thickness=1 um:500 um", "--target", "asr_total=40 V"],
             "not a value of asr_total"),
            (["--vary", "separator.thickness=1 um", "--target", "asr_total=40 ohm*cm^2"],
             "KEY=LOW:HIGH")]:
        assert main(["solve", str(DATA / "basic.toml"), *argv]) == 2
        err = capsys.readouterr().err
        assert reason in err and err.count("\n") == 1, err


def test_separator_thickness_for_40_ohm_cm2_when_the_separator_is_all_there_is(lib):
    # only the separator's bulk term counts (tests/test_studies_sensitivity.py's design):
    # t / sigma = 40 ohm cm2 at 1e-3 S/cm -> t = 0.04 cm = 400 um
    from .test_studies_sensitivity import ONLY_SEPARATOR
    found = solve(ONLY_SEPARATOR, lib, "separator.thickness", "asr_total", 40.0, 10.0, 1000.0)
    assert found.roots == pytest.approx([400.0], rel=1e-10)
