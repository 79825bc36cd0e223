"""The ASR budget, conductivity at temperature, and the ohmic rate estimate, by hand.

tests/data/basic.toml: Li 20 um | IL 1 um (1e-5 S/cm) | SEP 30 um (1e-3 S/cm, no Ea) |
cathode CAM 75 um with phi_SE 0.25 of SE (1e-3 S/cm at 25 degC, Ea 0.3 eV) | Al.
Interfaces: Li|IL 10, IL|SEP 5, SEP|CAM 2 ohm cm2 (SEP|CAM with Ea 0.3 eV).
"""

import math

import numpy as np
import pytest

from asslb_designer import Quantity, evaluate, load_design
from asslb_designer.resistance import arrhenius, tabulated

from .conftest import DATA

K_B = 8.617333262e-5  # eV/K


def terms(result):
    return {(t["term"], t["where"]): float(t["value"]) for t in result.asr}


def test_asr_budget_at_25C(lib):
    r = evaluate(load_design(DATA / "basic.toml"), lib)
    t = terms(r)
    assert t[("bulk", "IL")] == pytest.approx(10.0)      # 1e-4 cm / 1e-5 S/cm
    assert t[("bulk", "SEP")] == pytest.approx(3.0)      # 30e-4 cm / 1e-3 S/cm
    # sigma_eff = 1e-3 * 0.25^1.5 = 1.25e-4 S/cm; 75e-4 cm / (3 * 1.25e-4) = 20 ohm cm2
    assert t[("electrode", "CAM")] == pytest.approx(20.0)
    assert t[("interface", "Li|IL")] == 10.0
    assert t[("interface", "IL|SEP")] == 5.0
    assert t[("interface", "SEP|CAM")] == 2.0
    assert r["asr_total"].m_as("ohm*cm^2") == pytest.approx(50.0)


def test_asr_at_60C_follows_arrhenius_where_given(lib):
    d = load_design(DATA / "basic.toml")
    r = evaluate(d.with_values({"cell.temperature": Quantity(333.15, "K")}), lib)
    t = terms(r)
    # exp(Ea/kB (1/T - 1/Tref)) with Ea 0.3 eV, T 333.15 K, Tref 298.15 K:
    factor = math.exp(0.3 / K_B * (1 / 333.15 - 1 / 298.15))   # = 0.2935
    assert t[("electrode", "CAM")] == pytest.approx(20.0 * factor)
    assert t[("interface", "SEP|CAM")] == pytest.approx(2.0 * factor)
    # SEP and IL give no activation energy: constant, with a warning each
    assert t[("bulk", "SEP")] == pytest.approx(3.0)
    assert any("SEP: no activation energy" in w for w in r.warnings)
    # interfaces measured at 25 degC without Ea: unchanged and said so
    assert t[("interface", "Li|IL")] == 10.0
    assert any("Li|IL" in w and "unchanged" in w for w in r.warnings)


def test_arrhenius_formula():
    # sigma(T) = 1e-3 exp(-0.3/kB (1/348.15 - 1/298.15)); at T_ref it is sigma_ref
    assert arrhenius(1e-3, 0.3, 298.15, 298.15) == pytest.approx(1e-3)
    expected = 1e-3 * math.exp(-0.3 / K_B * (1 / 348.15 - 1 / 298.15))   # = 5.38e-3
    assert arrhenius(1e-3, 0.3, 298.15, 348.15) == pytest.approx(expected)
    assert expected == pytest.approx(5.38e-3, rel=1e-2)


def test_table_interpolates_in_ln_sigma_vs_inverse_T_and_extrapolates_end_slopes():
    temps, sigmas = (298.15, 348.15), (1e-5, 1e-3)
    # ln(sigma) = ln(1e-5) + slope (1/T - 1/298.15), slope = ln(100)/(1/348.15 - 1/298.15)
    slope = math.log(100) / (1 / 348.15 - 1 / 298.15)
    for T in (323.15, 373.15, 273.15):   # inside, above (extrapolated), below
        expected = math.exp(math.log(1e-5) + slope * (1 / T - 1 / 298.15))
        assert tabulated(temps, sigmas, T) == pytest.approx(expected)
    assert tabulated(temps, sigmas, 298.15) == pytest.approx(1e-5)
    assert tabulated(temps, sigmas, 348.15) == pytest.approx(1e-3)
    # three points with different slopes: each end uses its own segment
    t3, s3 = (273.15, 298.15, 348.15), (1e-7, 1e-5, 1e-3)
    low_slope = math.log(100) / (1 / 298.15 - 1 / 273.15)
    expected = math.exp(math.log(1e-7) + low_slope * (1 / 263.15 - 1 / 273.15))
    assert tabulated(t3, s3, 263.15) == pytest.approx(expected)
    assert np.allclose(tabulated(t3, s3, np.array([273.15, 348.15])), [1e-7, 1e-3])


def test_table_conductivity_used_for_a_separator(lib):
    d = load_design(DATA / "basic.toml")
    from dataclasses import replace
    layers = list(d.layers)
    layers[3] = replace(layers[3], material="TAB")
    r = evaluate(replace(d, layers=tuple(layers)).with_values({"cell.temperature": "50 degC"}), lib)
    sigma = tabulated((298.15, 348.15), (1e-5, 1e-3), 323.15)
    assert terms(r)[("bulk", "TAB")] == pytest.approx(30e-4 / sigma)
    assert any("no interface data for IL|TAB" in w for w in r.warnings)


def test_missing_interlayer_conductivity_and_interface_data_warn_and_count_zero(lib):
    d = load_design(DATA / "basic.toml")
    from dataclasses import replace
    layers = list(d.layers)
    layers[2] = replace(layers[2], material="BN")
    r = evaluate(replace(d, layers=tuple(layers)), lib)
    assert ("bulk", "BN") not in terms(r)
    assert terms(r)[("interface", "Li|BN")] == 0.0
    assert "no interface data for Li|BN: counted as 0" in r.warnings
    assert any("no ionic conductivity for BN" in w for w in r.warnings)
    # 3 (SEP) + 20 (cathode) + 0 + 0 + 2 (SEP|CAM)
    assert r["asr_total"].m == pytest.approx(25.0)


def test_design_interface_override_shadows_the_library(lib):
    text = (DATA / "basic.toml").read_text() + """
[[interface]]
between = ["IL", "Li"]
asr = "1 ohm*cm^2"
source = "our lab"
"""
    from asslb_designer import loads_design
    r = evaluate(loads_design(text, "override.toml"), lib)
    assert terms(r)[("interface", "Li|IL")] == 1.0
    assert r["asr_total"].m == pytest.approx(41.0)
    assert any(s["id"] == "our lab" for s in r.to_dict()["sources"])


def test_bruggeman_exponent_is_a_named_parameter(lib):
    d = load_design(DATA / "basic.toml").with_values({"cell.bruggeman_exponent": 2.0})
    r = evaluate(d, lib)
    # sigma_eff = 1e-3 * 0.25^2 = 6.25e-5; 75e-4 / (3 * 6.25e-5) = 40 ohm cm2
    assert terms(r)[("electrode", "CAM")] == pytest.approx(40.0)


def test_rate_from_c_rate(lib):
    r = evaluate(load_design(DATA / "basic.toml"), lib)
    # 1C x 4 mAh/cm2 = 4 mA/cm2; dV = 4 mA/cm2 x 50 ohm cm2 = 200 mV
    assert r["current_density"].m_as("mA/cm^2") == pytest.approx(4.0)
    assert r["voltage_loss"].m_as("V") == pytest.approx(0.2)
    m = r["areal_mass"].m   # 47.268 mg/cm2
    # energy at rate: 4 mAh/cm2 x (3.8 - 0.2) V / 47.268 mg/cm2 = 304.6 Wh/kg
    assert r["specific_energy_at_rate"].m_as("W*h/kg") == pytest.approx(4 * 3.6 / m * 1e3)
    # power: 4 mA/cm2 x 3.6 V / 47.268 mg/cm2 = 304.6 W/kg
    assert r["specific_power"].m_as("W/kg") == pytest.approx(4 * 3.6 / m * 1e3)


def test_rate_from_current_density_and_overload(lib):
    text = (DATA / "basic.toml").read_text().replace("c_rate = 1", 'current_density = "100 mA/cm^2"')
    from asslb_designer import loads_design
    r = evaluate(loads_design(text, "j.toml"), lib)
    # 100 mA/cm2 x 50 ohm cm2 = 5 V > 3.8 V: nothing left
    assert r["voltage_loss"].m == pytest.approx(5.0)
    assert r["specific_energy_at_rate"].m == 0.0
    assert r["specific_power"].m == 0.0
    assert any("exceeds the nominal voltage" in w for w in r.warnings)


def test_default_rate_is_c_over_3(lib):
    text = (DATA / "basic.toml").read_text().replace("c_rate = 1\n", "")
    from asslb_designer import loads_design
    r = evaluate(loads_design(text, "default.toml"), lib)
    assert r["current_density"].m == pytest.approx(4.0 / 3)
