"""The published cells shown on the Ragone plot: every figure has a unit, a read flag and a
source; a derived one says ESTIMATE; a power that disagrees with energy x C-rate is refused."""

import pytest

from asslb_designer.errors import InputError
from asslb_designer.reported_cells import load_reported_cells

HEAD = ('schema = "asslb-designer/reported-cells@2"\n[[cell]]\nid = "x"\nname = "x"\n'
        'kind = "k"\nbasis = "cell"\nsource = "s"\n[[cell.point]]\n')


def test_shipped_cells_load_with_sources():
    cells = {c.id: c for c in load_reported_cells()}
    assert {"Panasonic-NCR18650B", "Samsung-INR21700-50S", "QuantumScape-QSE-5-B",
            "Li2023-CPL-711Whkg", "Lee2020-NatEnergy-AgC"} <= set(cells)
    for c in cells.values():
        assert c.source and c.basis and c.mass_includes and (c.points or c.energy_density)
        assert c.url or c.doi
    # the 18650 point is derived: 3.28 Ah x 3.6 V / 45.6 g = 258.9 Wh/kg, at 0.34 A:
    # 0.34 A x 3.6 V / 45.6 g = 26.84 W/kg
    (p,) = cells["Panasonic-NCR18650B"].points
    assert p.specific_energy.value == pytest.approx(3.28 * 3.6 / 45.6e-3, rel=2e-4)
    assert p.specific_power.value == pytest.approx(0.34 * 3.6 / 45.6e-3, rel=2e-4)
    assert not p.specific_energy.read and p.estimate
    # the 21700 at 0.2C and 2C: 5.0 Ah and 4.8 Ah at 1 A and 10 A, 3.6 V, 72.0 g
    low, high = cells["Samsung-INR21700-50S"].points
    assert (low.specific_energy.value, low.specific_power.value) == pytest.approx(
        (5.0 * 3.6 / 0.072, 1.0 * 3.6 / 0.072))
    assert (high.specific_energy.value, high.specific_power.value) == pytest.approx(
        (4.8 * 3.6 / 0.072, 10.0 * 3.6 / 0.072))
    # the anode-free solid-state cell: 301 Wh/kg read at C/5; its mean power is derived,
    # 301 Wh/kg x 0.2 /h = 60.2 W/kg
    (qs,) = cells["QuantumScape-QSE-5-B"].points
    assert qs.specific_energy.read and qs.c_rate.value == 0.2
    assert qs.specific_power.value == pytest.approx(301 * 0.2) and not qs.specific_power.read
    assert cells["Li2023-CPL-711Whkg"].points[0].specific_energy.read
    assert cells["Li2023-CPL-711Whkg"].points[0].specific_power is None    # rate not read
    assert cells["Lee2020-NatEnergy-AgC"].points == ()                      # Wh/L only


def test_a_derived_value_must_say_estimate(tmp_path):
    f = tmp_path / "cells.toml"
    f.write_text(HEAD + 'specific_energy = { value = 300, unit = "W*h/kg", read = false }\n')
    with pytest.raises(InputError, match=r"point\[0\].specific_energy.*ESTIMATE"):
        load_reported_cells(f)


def test_units_are_checked(tmp_path):
    f = tmp_path / "cells.toml"
    f.write_text(HEAD + 'specific_power = { value = 1, unit = "kW/kg", read = true }\n'
                 'specific_energy = { value = 3, unit = "W*h/l", read = true }\n')
    with pytest.raises(InputError, match=r"cell\[0\].point\[0\].specific_energy"):
        load_reported_cells(f)


def test_power_must_agree_with_energy_times_c_rate(tmp_path):
    # 250 Wh/kg at 1C is a mean power of 250 W/kg; 500 W/kg is 2x that: refused
    f = tmp_path / "cells.toml"
    f.write_text(HEAD + 'specific_energy = { value = 250, unit = "W*h/kg", read = true }\n'
                 'specific_power = { value = 500, unit = "W/kg", read = true }\n'
                 'c_rate = { value = 1, unit = "1/h", read = true }\n')
    with pytest.raises(InputError, match="disagrees with specific_energy x c_rate"):
        load_reported_cells(f)
    # 0.5 kW/kg is 500 W/kg: within 25 % of 250 x 2 /h, accepted
    f.write_text(HEAD + 'specific_energy = { value = 250, unit = "W*h/kg", read = true }\n'
                 'specific_power = { value = 0.5, unit = "kW/kg", read = true }\n'
                 'c_rate = { value = 2, unit = "1/h", read = true }\n')
    (cell,) = load_reported_cells(f)
    assert cell.points[0].specific_power.value == pytest.approx(500.0)


def test_a_point_needs_its_energy_and_keys_are_checked(tmp_path):
    f = tmp_path / "cells.toml"
    f.write_text(HEAD + 'specific_power = { value = 50, unit = "W/kg", read = true }\n')
    with pytest.raises(InputError, match=r"point\[0\].specific_energy.*required"):
        load_reported_cells(f)
    f.write_text(HEAD + 'specific_enregy = { value = 50, unit = "W*h/kg", read = true }\n')
    with pytest.raises(InputError, match="unknown key"):
        load_reported_cells(f)
