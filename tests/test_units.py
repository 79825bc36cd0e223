"""Reading one value: the checked path every input takes (units.read)."""

import math

import numpy as np
import pytest

from asslb_designer.units import KJ_PER_MOL_PER_EV, Quantity, Rule, UnitProblem, read

LENGTH, TEMPERATURE, ENERGY = Rule("length"), Rule("temperature"), Rule("energy")


@pytest.mark.parametrize("written, kind, expected", [
    ("4.5 mAh/cm2", "areal_capacity", 4.5),
    ("100 cm2", "area", 100.0),
    ("1 m2", "area", 1e4),                   # 1 m^2 = 10^4 cm^2
    ("200 mAh g-1", "specific_capacity", 200.0),
    ("1e-3 S cm-1", "conductivity", 1e-3),
    ("0.1 S m-1", "conductivity", 1e-3),     # 0.1 S/m = 0.1/100 S/cm
    ("9 ohm cm2", "asr", 9.0),
    ("9 Ω·cm²", "asr", 9.0),
    ("3.4 g cm-3", "density", 3.4),
])
def test_datasheet_units_are_read(written, kind, expected):
    assert read(written, Rule(kind)) == pytest.approx(expected)


@pytest.mark.parametrize("written, per_hour", [("C/3", 1 / 3), ("C/10", 0.1), ("0.5C", 0.5),
                                               ("2C", 2.0), ("2 C", 2.0), ("1C", 1.0),
                                               ("0.5", 0.5), ("0.5 1/h", 0.5)])
def test_c_rates_as_cell_makers_write_them(written, per_hour):
    assert read(written, Rule("c_rate", zero_ok=True)) == pytest.approx(per_hour)


def test_a_temperature_is_absolute():
    assert read("25 degC", TEMPERATURE) == pytest.approx(298.15)
    assert read("77 degF", TEMPERATURE) == pytest.approx(298.15)   # (77 - 32) / 1.8 = 25 degC
    with pytest.raises(UnitProblem, match="temperature difference"):
        read("25 delta_degC", TEMPERATURE)       # would be 25 K
    with pytest.raises(UnitProblem, match="not a plain temperature unit"):
        read("25 degC*percent", TEMPERATURE)     # would be 0.25 K
    with pytest.raises(UnitProblem, match="did you mean '25 degC'"):
        read("25 C", TEMPERATURE)                # 25 coulombs
    with pytest.raises(UnitProblem, match="above absolute zero"):
        read("-300 degC", TEMPERATURE)


def test_a_molar_activation_energy_reads_and_a_lost_per_mole_is_named():
    # 35 kJ/mol / 96.485 kJ/mol per eV = 0.3627 eV
    assert read("35 kJ/mol", ENERGY) == pytest.approx(35 / KJ_PER_MOL_PER_EV)
    assert read("0.36 eV", ENERGY) == pytest.approx(0.36)
    with pytest.raises(UnitProblem, match=r"must not exceed 2 eV.*did you mean '35 kJ/mol'\?"):
        read("35 kJ", ENERGY)                    # 2.2e23 eV per particle


@pytest.mark.parametrize("written, rule, fix", [
    ("4750 g/cm^3", Rule("density"), "4750 kg/m^3"),
    ("0.02 g/cm^3", Rule("density"), None),                 # below 0.05 g/cm^3
    ("50 S/cm", Rule("conductivity", high=1.0), "50 mS/cm"),  # a solid ion conductor < 1 S/cm
    ("6000 mA*h/g", Rule("specific_capacity"), None),         # above 5000 mAh/g
    ("200 A*h/g", Rule("specific_capacity"), "200 mA*h/g"),
    ("3800 V", Rule("potential"), "3800 mV"),                 # potentials 0-6 V
])
def test_values_outside_their_physical_range_are_errors_with_the_likely_fix(written, rule, fix):
    with pytest.raises(UnitProblem) as caught:
        read(written, rule)
    message = str(caught.value)
    assert "must" in message and repr(written) in message
    if fix:
        assert f"did you mean '{fix}'?" in message
    else:
        assert "did you mean" not in message


def test_numbers_a_float_cannot_hold():
    with pytest.raises(UnitProblem, match="too large for a number"):
        read(10 ** 400, Rule("dimensionless"))
    with pytest.raises(UnitProblem, match="too large"):
        read("1e308 km", LENGTH)                 # 1e308 km = 1e317 um: overflows
    with pytest.raises(UnitProblem, match="underflows to zero"):
        read("1e-400 um", LENGTH)
    with pytest.raises(UnitProblem, match="must be at least"):
        read("5e-324 mg/cm^2", Rule("areal_mass"))   # a positive value that is no value


def test_a_unit_string_of_100k_characters_is_refused():
    # (how fast: benchmarks/bench_bad_input.py; pint alone takes minutes on such strings)
    with pytest.raises(UnitProblem, match="too long"):
        read("1 " + "m*" * 50_000 + "m", LENGTH)
    with pytest.raises(UnitProblem, match="too long"):
        read("1" + " " * 100_000 + "um", LENGTH)
    with pytest.raises(UnitProblem, match="too long"):
        read(30, LENGTH, unit="u" * 100_000)


def test_arrays_are_checked_element_by_element_naming_the_first_bad_index():
    x = read(Quantity(np.array([1.0, 2.0]), "mm"), LENGTH, arrays=True)
    assert x.tolist() == [1000.0, 2000.0]
    with pytest.raises(UnitProblem, match="must be positive, got -2 um at index 1"):
        read(Quantity(np.array([1.0, -2.0, -3.0]), "um"), LENGTH, arrays=True)
    with pytest.raises(UnitProblem, match="complex"):
        read(np.array([1 + 2j]), Rule("dimensionless"), arrays=True)
    with pytest.raises(UnitProblem, match="one value, got an array"):
        read(Quantity(np.array([1.0, 2.0]), "um"), LENGTH)   # a file holds one value per key
    assert read(np.int64(3), Rule("dimensionless", integer=True)) == 3.0


def test_a_large_array_with_one_bad_element_is_found():
    x = np.full(100_000, 30.0)
    x[54_321] = np.nan
    with pytest.raises(UnitProblem, match="finite number, got nan um at index 54321"):
        read(Quantity(x, "um"), LENGTH, arrays=True)
    x[54_321] = 1e9                        # 1 km: above the 10 m a length may be
    with pytest.raises(UnitProblem, match="must not exceed 1e\\+07 um, got 1e\\+09 um at index"):
        read(Quantity(x, "um"), LENGTH, arrays=True)


def test_the_value_read_is_a_copy_of_the_callers_array():
    x = np.array([10.0, 20.0])
    read_x = read(Quantity(x, "um"), LENGTH, arrays=True)
    x[0] = -1.0                            # changing the input afterwards changes nothing
    assert read_x.tolist() == [10.0, 20.0]


@pytest.mark.parametrize("rule", [
    LENGTH, TEMPERATURE, ENERGY, Rule("dimensionless", zero_ok=True, below_one=True),
    Rule("dimensionless", at_most_one=True, zero_ok=True), Rule("dimensionless", integer=True),
    Rule("conductivity", high=1.0), Rule("areal_mass")])
def test_a_plain_float_is_checked_exactly_as_an_array_element_is(rule):
    # check() has a plain-Python path for one float (every design-file value); it must
    # accept and refuse exactly what the numpy path does, with the same message: edges of
    # every test (0, 1, the kind's range, absolute zero, non-finite, fractions)
    from asslb_designer.units import check
    low, high = rule.low_, rule.high_
    edges = [0.0, -0.0, 1.0, 0.999, 1.001, 2.5, 3.0, -1e-300, 1e-300, low, low * 0.999,
             high, high * 1.001, math.nextafter(high, math.inf), float("nan"), float("inf"),
             -float("inf"), 298.15, -5.0, 5e-324]
    for x in edges:
        outcomes = []
        for value in (x, np.float64(x)):       # np.float64 takes the numpy path
            try:
                check(value, rule)
                outcomes.append("ok")
            except UnitProblem as exc:
                outcomes.append(str(exc))
        assert outcomes[0] == outcomes[1], (rule, x, outcomes)
