"""The published cells shown on the Ragone plot: every figure has a unit, a read flag and a
source; a derived one says ESTIMATE."""

import pytest

from asslb_designer.errors import InputError
from asslb_designer.reported_cells import load_reported_cells


def test_shipped_cells_load_with_sources():
    cells = {c.id: c for c in load_reported_cells()}
    assert {"Panasonic-NCR18650B", "Li2023-CPL-711Whkg", "Lee2020-NatEnergy-AgC"} <= set(cells)
    for c in cells.values():
        assert c.source and c.basis and c.figures
    # the 18650 point is derived: 3.28 Ah x 3.6 V / 45.6 g = 258.9 Wh/kg
    cell = cells["Panasonic-NCR18650B"]
    assert cell.get("specific_energy") == pytest.approx(3.28 * 3.6 / 45.6e-3, rel=2e-3)
    assert not cell.figures["specific_energy"].read
    assert cells["Li2023-CPL-711Whkg"].figures["specific_energy"].read


def test_a_derived_value_must_say_estimate(tmp_path):
    f = tmp_path / "cells.toml"
    f.write_text('schema = "asslb-designer/reported-cells@1"\n[[cell]]\nid = "x"\nname = "x"\n'
                 'kind = "k"\nbasis = "cell"\nsource = "s"\n'
                 'specific_energy = { value = 300, unit = "W*h/kg", read = false }\n')
    with pytest.raises(InputError, match="ESTIMATE"):
        load_reported_cells(f)


def test_units_are_checked(tmp_path):
    f = tmp_path / "cells.toml"
    f.write_text('schema = "asslb-designer/reported-cells@1"\n[[cell]]\nid = "x"\nname = "x"\n'
                 'kind = "k"\nbasis = "cell"\nsource = "s"\n'
                 'specific_power = { value = 1, unit = "kW/kg", read = true }\n'
                 'specific_energy = { value = 3, unit = "W*h/l", read = true }\n')
    with pytest.raises(InputError, match=r"cell\[0\].specific_energy"):
        load_reported_cells(f)
