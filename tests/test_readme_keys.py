"""The README documents the keys and metrics of the lithium-inventory, ASR, critical-current
and swelling conventions, its metric table says what metrics.py says, and its design and
inline-record examples evaluate together."""

import re

import pytest

from asslb_designer import evaluate, loads_design
from asslb_designer.metrics import METRICS

from .conftest import ROOT

README = (ROOT / "README.md").read_text()


@pytest.mark.parametrize("word", [
    "`lithiated", "`lithium_metal", "prelithiation", "critical_current_density",
    "charge_c_rate", "charge_current_density", "`lithium_excess`", "`ccd_margin`",
    "asr_complete", "asr_missing", "capacity_limited_by", "volume_change", "`swelling`",
    "thickest state", "a lower bound", "ESTIMATE", "stack_pressure",
    # design-format.md "Keys added since the first release": value-table fields, tables
    "`conductivity_table`", "{ points = ", "`method`", "`note`", "`printed`", "`preferred`",
    "end_electrode", "plated_lithium", "tab_protrusion", "cells_per_frame", "plate_margin",
    "plate_thickness", "safety_factor"])
def test_readme_documents(word):
    assert word in README


def test_the_metric_table_is_the_metric_descriptions():
    for m in METRICS:
        assert f"| `{m.name}` | {m.unit} | {m.description} |" in README, m.name


def test_the_readme_design_and_inline_records_evaluate_together():
    blocks = re.findall(r"```toml\n(.*?)```", README, re.S)
    design = next(b for b in blocks if b.startswith("schema"))
    inline = next(b for b in blocks if b.startswith("[[material]]"))
    r = evaluate(loads_design(design + "\n" + inline, "readme.toml"))
    # the inline Li|h-BN record's preferred 9 ohm cm2 is used, and its CCD of 1.2 mA/cm2
    # against the C/2 discharge current (no charge rate given)
    term = next(t for t in r.asr if t["where"] == "Li|h-BN")
    assert term["value"] == pytest.approx(9.0)
    assert r["ccd_margin"].m == pytest.approx(1.2 / r["current_density"].m_as("mA/cm^2"))
