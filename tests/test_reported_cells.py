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
    # the stack of ten bi-cells of SI Table S3: 5.87 Ah x 3.79 V = 22.25 Wh in 4140 um over
    # 57 cm2 (23.6 cm3) is 942 Wh/L; no mass, so no point
    assert cells["Lee2020-NatEnergy-AgC"].energy_density.value == pytest.approx(
        5.87 * 3.79 / (4140e-4 * 57 * 1e-3), rel=0.01)


def _raw_cells():
    """The data file read here with tomllib, not with the loader under test."""
    import tomllib
    from .conftest import ROOT
    return tomllib.loads((ROOT / "materials_db" / "reported" / "cells.toml").read_text())["cell"]


def test_the_sulfide_all_solid_state_pouch_is_the_papers_table():
    """Luan et al. 2026, SI Table S2 (as digested): 5.33 Ah x 3.396 V / 44.8 g of stack
    (pouch film and tabs excluded) = 18.10 Wh / 0.0448 kg = 404.03 Wh/kg at 0.05C; the mean
    power of that 20 h discharge is derived, 404.0 x 0.05 /h = 20.2 W/kg."""
    raw = {c["id"]: c for c in _raw_cells()}["Luan2026-AFM-404Whkg"]
    assert raw["doi"] == "10.1002/adfm.202526239" and raw["url"].startswith("https://")
    assert raw["basis"] == "stack" and "EXCLUDING" in raw["mass_includes"]
    assert "Si anode" in raw["read_from_source"] and "neither Li metal" in raw["kind"]
    (point,) = raw["point"]
    e, p, c = (point[k] for k in ("specific_energy", "specific_power", "c_rate"))
    assert e["read"] and e["value"] == pytest.approx(5.33 * 3.396 / 44.8e-3, rel=1e-4)
    assert c["read"] and c["value"] == 0.05
    assert not p["read"] and p["note"].startswith("ESTIMATE")
    assert p["value"] == pytest.approx(404.0 * 0.05)
    # the loader gives the same numbers, and marks the point an estimate
    (loaded,) = {x.id: x for x in load_reported_cells()}["Luan2026-AFM-404Whkg"].points
    assert (loaded.specific_energy.value, loaded.specific_power.value) == pytest.approx(
        (e["value"], p["value"])) and loaded.estimate


def test_every_source_is_findable_and_every_power_from_a_c_rate_is_e_times_c():
    """Every cell names a DOI or a URL; a power derived as the mean power of a discharge at
    the stated C-rate (not from a datasheet current) is energy x C-rate to 0.5 % (the loader
    only refuses beyond 25 %)."""
    checked = []
    for cell in _raw_cells():
        assert cell.get("doi") or cell.get("url", "").startswith("https://"), cell["id"]
        for point in cell.get("point", []):
            for fig in ("specific_energy", "specific_power", "c_rate"):
                if fig in point and not point[fig]["read"]:
                    assert "ESTIMATE" in point[fig]["note"], (cell["id"], fig)
            p = point.get("specific_power")
            if p and not p["read"] and p["note"].startswith("ESTIMATE: the mean power of a"):
                e, c = point["specific_energy"]["value"], point["c_rate"]["value"]
                assert p["value"] == pytest.approx(e * c, rel=5e-3), cell["id"]
                checked.append(cell["id"])
    assert {"QuantumScape-QSE-5-B", "Luan2026-AFM-404Whkg"} <= set(checked)


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
