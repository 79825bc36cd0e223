"""Published cell calculations reproduced within tolerance (validation/cases.toml), and the
same cell under the default conventions explained line by line."""

import pytest

from asslb_designer import cli, evaluate, load_design
from asslb_designer.compare import cell_waterfall
from asslb_designer.published import check, load_cases


def test_cases_are_listed():
    ids = [c.id for c in load_cases()]
    assert "botb5-pouch" in ids


@pytest.mark.parametrize("case", load_cases(), ids=lambda c: c.id)
def test_published_figures_are_reproduced(case):
    rows, _ = check(case)
    assert rows
    for row in rows:
        assert row.ok, f"{case.id} {row.metric}: published {row.printed}, ours {row.ours:.4g}"


def test_botb5_intermediates_by_hand():
    case = next(c for c in load_cases() if c.id == "botb5-pouch")
    _, r = check(case)
    parts = {k: float(v) for k, v in r.extra["cell_mass_breakdown"].items()}
    # 40 repeat units x 352 cm2 = 14080 cm2 of each coating
    # positive: 4.5 mAh/cm2 / 195 mAh/g = 23.077 mg/cm2 -> 324.92 g; t = 23.077/3.4 = 67.87 um
    assert parts["cathode (NMC811-BotB)"] == pytest.approx(14080 * 4.5 / 195, rel=1e-9)
    assert r.layers[3]["thickness"] == pytest.approx(4.5 / 195 * 1e3 / 3.4 * 10)
    # negative: 1.1 x 4.5 / 344 mAh/g = 14.390 mg/cm2 -> 202.60 g; t = 89.93 um
    assert parts["anode (graphite-BotB)"] == pytest.approx(14080 * 4.95 / 344, rel=1e-9)
    # Al: 20 foils (40 halves) x 352 cm2 x 16e-4 cm x 2.70 = 30.41 g; Cu 12 um x 8.96: 75.69 g
    assert parts["current collector (Al-BotB)"] == pytest.approx(20 * 352 * 16e-4 * 2.70)
    assert parts["current collector (Cu-BotB)"] == pytest.approx(20 * 352 * 12e-4 * 8.96)
    # separators: 40 x 352 x 12e-4 x 0.9 = 15.21 g
    assert parts["separator (separator-BotB)"] == pytest.approx(40 * 352 * 12e-4 * 0.9)
    # electrolyte: 1.6 mL/Ah x 60.192 Ah x 1.2001 g/mL = 115.58 g
    assert parts["electrolyte fill (LiPF6-EC-EMC-BotB)"] == pytest.approx(1.6 * 60.192 * 1.2001)
    # pouch: 2 x 16.5 x 22.5 x 0.1 x 1.8 = 133.65 g; tabs 2.5 x 4 x 0.05 x (2.7 + 8.9) = 5.80 g
    assert parts["pouch foils"] == pytest.approx(133.65)
    assert parts["tabs"] == pytest.approx(5.80)
    # depth: 20 x (2 t_pos + 2 t_neg + 16 + 12 + 2 x 12) um + 2 x 1 mm = 0.9352 cm
    assert r["cell_thickness"].m_as("cm") == pytest.approx(0.93523, rel=1e-4)


def test_defaults_differ_line_by_line():
    case = next(c for c in load_cases() if c.id == "botb5-pouch")
    a = evaluate(load_design(case.design))
    b = evaluate(load_design(case.defaults))
    steps = cell_waterfall(a, b)
    by_name = {s.what: s for s in steps}
    # binder and carbon counted: the coatings weigh 1/0.95 times as much
    assert by_name["cathode (NMC811-BotB)"].grams_b == pytest.approx(324.92 / 0.95, rel=1e-4)
    assert by_name["anode (graphite-BotB)"].grams_b == pytest.approx(202.60 / 0.95, rel=1e-4)
    # the steps add up to the whole difference in Wh/kg
    total = sum(s.wh_per_kg_change for s in steps)
    assert total == pytest.approx(b["specific_energy_cell"].m - a["specific_energy_cell"].m)
    # thicker coatings cost volume: about 616 Wh/L, as the published-case note says
    assert b["energy_density_cell"].m == pytest.approx(616, abs=2)


def test_validation_command(capsys):
    assert cli.main(["validation"]) == 0
    out = capsys.readouterr().out
    assert "botb5-pouch" in out and "specific_energy_cell" in out and "one change at a time" in out


def test_compare_command(capsys):
    case = next(c for c in load_cases() if c.id == "botb5-pouch")
    assert cli.main(["compare", str(case.design), str(case.defaults)]) == 0
    assert "Cell Wh/kg from A to B" in capsys.readouterr().out


def test_lacey_benchmark_mass_breakdown_by_hand():
    case = next(c for c in load_cases() if c.id == "lacey-benchmark")
    _, r = check(case)
    parts = {k: float(v) for k, v in r.extra["cell_mass_breakdown"].items()}
    # 70 repeat units x 300 cm2 = 21000 cm2 of every coating and separator
    # positive: 3.3 / 195 / 0.95 = 17.8138 mg/cm2 -> 374.09 g
    assert parts["cathode (NMC811-lacey)"] == pytest.approx(21000 * 3.3 / 195 / 0.95, rel=1e-9)
    # graphite: 3.63 / 344 / 0.965 = 10.9351 mg/cm2 -> 229.64 g
    assert parts["anode (graphite-lacey)"] == pytest.approx(21000 * 3.63 / 344 / 0.965, rel=1e-9)
    # end electrode: 300 cm2 x (2 x 10.9351 + 8 um x 8.96 g/cm3 = 7.168) mg = 8.71 g
    assert parts["end electrode (negative)"] == pytest.approx(300 * (2 * 10.9351 + 7.168) * 1e-3,
                                                              rel=1e-4)
    # separators 21000 x 12e-4 cm x 1.18 = 29.74 g; electrolyte 1.7 x 64.449 x 1.23261 = 135.05 g
    assert parts["separator (separator-lacey)"] == pytest.approx(29.736)
    assert parts["electrolyte fill (LP40-lacey)"] == pytest.approx(1.7 * 64.449 * 1.23261, rel=1e-5)
    # pouch 2 x 11 x 31 x 0.0113 x 1.8 = 13.87 g; terminals 3 x 5 x 0.05 x (2.7 + 8.9) = 8.70 g
    assert parts["pouch foils"] == pytest.approx(2 * 11 * 31 * 0.0113 * 1.8)
    assert parts["tabs"] == pytest.approx(8.70)
    # box volume: 11 x (31 + 2) cm x thickness
    assert r["cell_volume"].m == pytest.approx(11 * 33 * r["cell_thickness"].m_as("cm"))


def test_lacey_assb_thickness_by_hand():
    case = next(c for c in load_cases() if c.id == "lacey-assb-nmc811")
    _, r = check(case)
    # repeat unit: Al/2 7 + Cu/2 4 + coating 3.3/195/0.95/3.5 = 50.896 um + separator 20 um
    # + lithium plated from the BUILT 3.3 mAh/cm2 at 3862 mAh/g and 0.534 g/cm3: 16.001 um
    unit = 7 + 4 + 3.3 / 195 / 0.95 / 3.5 * 1e4 + 20 + 3.3 / (3862 * 0.534) * 1e4
    assert r["stack_thickness"].m == pytest.approx(unit, rel=1e-6)
    # cell: 70 units + the end electrode's bare 8 um Cu + two 113 um foils
    assert r["cell_thickness"].m_as("um") == pytest.approx(70 * unit + 8 + 226, rel=1e-6)
