"""The metrics an evaluation reports: name, unit, and what exactly the number means.

The descriptions are the conventions users see (CLI table, report, GUI tooltips); the unit
strings are pint's spelling, as in the JSON result (design-format.md).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Metric:
    name: str
    unit: str
    label: str
    description: str
    cell_level: bool = False

    @property
    def basis(self) -> str:
        """What the number is per, or of (the README's basis column, tooltips, report)."""
        return BASIS[self.name]


METRICS: tuple[Metric, ...] = (
    Metric("areal_capacity", "mA * h / cm ** 2", "Areal capacity",
           "Delivered capacity per electrode area: min(positive capacity, lithium available, "
           "an intercalation or alloy negative's capacity) x (1 - formation loss); lithium "
           "available = a lithiated positive's capacity + a lithium-metal foil + "
           "prelithiation. The result's capacity_limited_by names the side that sets it."),
    Metric("np_ratio", "dimensionless", "N/P ratio",
           "Negative capacity as built / positive capacity as built (Li foil: the foil's "
           "capacity; anode-free: 0)."),
    Metric("lithium_excess", "dimensionless", "Lithium excess",
           "Lithium on a Li-metal or anode-free negative as built (foil + prelithiation) / the "
           "capacity the cell cycles as built (0 for anode-free without prelithiation; null for "
           "an intercalation or alloy negative, whose N/P says more)."),
    Metric("nominal_voltage", "V", "Nominal voltage",
           "Average potential of the positive vs Li/Li+ minus that of the negative "
           "(plated lithium: 0 V)."),
    Metric("areal_energy", "mW * h / cm ** 2", "Areal energy",
           "Delivered areal capacity x nominal voltage."),
    Metric("areal_mass", "mg / cm ** 2", "Areal mass (repeat unit)",
           "Mass per electrode area of one repeat unit: every layer, current collectors as "
           "counted by the cell format, electrolyte fill; plated lithium adds no mass."),
    Metric("stack_thickness", "um", "Repeat-unit thickness (thickest state)",
           "Thickness of one repeat unit in its thickest state: with a lithiated positive, full "
           "charge (the built capacity plated on a Li-metal or anode-free negative, an alloy "
           "negative swollen); with a lithium-free positive, discharge (the negative as built, "
           "the positive swollen). Swelling = a layer's stated `swelling`, else its active "
           "volume share x the record's volume_change."),
    Metric("specific_energy_active", "W * h / kg", "Specific energy, positive active",
           "Areal energy / mass of positive active material."),
    Metric("specific_energy_cathode", "W * h / kg", "Specific energy, positive composite",
           "Areal energy / mass of the positive composite electrode (active, catholyte, "
           "carbon, binder)."),
    Metric("specific_energy_electrochemical", "W * h / kg", "Specific energy, electrochemical stack",
           "Areal energy / mass of positive composite + separator + interlayers + negative "
           "electrode + electrolyte fill, without current collectors or packaging "
           "(the basis of Randau et al., Nat. Energy 2020)."),
    Metric("specific_energy_stack", "W * h / kg", "Specific energy, repeat unit",
           "Areal energy / areal mass of the repeat unit (with its share of the collectors)."),
    Metric("energy_density_electrochemical", "W * h / l", "Energy density, electrochemical stack",
           "Areal energy / thickness of the electrochemical stack without collectors "
           "(thickest state)."),
    Metric("energy_density_stack", "W * h / l", "Energy density, repeat unit",
           "Areal energy / repeat-unit thickness in the thickest state."),
    Metric("specific_energy_cell", "W * h / kg", "Specific energy, cell",
           "Cell energy / cell mass (stack, packaging, tabs, stack-pressure hardware, extra "
           "mass).", cell_level=True),
    Metric("energy_density_cell", "W * h / l", "Energy density, cell",
           "Cell energy / cell volume (pouch footprint x thickness, tabs, hardware).",
           cell_level=True),
    Metric("asr_total", "ohm * cm ** 2", "ASR (total)",
           "Sum of the bulk, electrode-ionic and interface terms at the design temperature; a "
           "lower bound when some term has no data (the result's asr_complete is false and "
           "asr_missing names each such term)."),
    Metric("current_density", "mA / cm ** 2", "Current density",
           "C-rate x delivered areal capacity, or the given current density."),
    Metric("ccd_margin", "dimensionless", "Critical-current margin",
           "Critical current density of the negative's interface (or of its own record) / the "
           "plating current density on charge (charge_c_rate or charge_current_density, "
           "default the discharge current); below 1 lithium may grow through the separator. "
           "Null without a Li-metal or anode-free negative, or without CCD data."),
    Metric("voltage_loss", "V", "Ohmic voltage loss", "Current density x total ASR."),
    Metric("specific_energy_at_rate", "W * h / kg", "Specific energy at rate",
           "Areal capacity x (nominal voltage - ohmic loss) / repeat-unit areal mass."),
    Metric("specific_power", "W / kg", "Specific power",
           "Current density x (nominal voltage - ohmic loss) / repeat-unit areal mass."),
    Metric("specific_energy_at_rate_cell", "W * h / kg", "Specific energy at rate, cell",
           "Cell capacity x cell voltage under the current (nominal - ohmic loss; x unit "
           "cells for a bipolar cell) / cell mass: `specific_energy_at_rate` on the cell "
           "basis.", cell_level=True),
    Metric("specific_power_cell", "W / kg", "Specific power, cell",
           "Cell current x cell voltage under the current / cell mass: `specific_power` on "
           "the cell basis.", cell_level=True),
    Metric("cell_capacity", "A * h", "Cell capacity",
           "Delivered capacity of the cell (after formation loss).", cell_level=True),
    Metric("cell_voltage", "V", "Cell voltage",
           "Nominal voltage of the cell (x unit cells for a bipolar cell).", cell_level=True),
    Metric("cell_energy", "W * h", "Cell energy", "Cell capacity x cell voltage.",
           cell_level=True),
    Metric("cell_mass", "g", "Cell mass",
           "Stack + packaging + tabs + stack-pressure hardware share + extra mass.",
           cell_level=True),
    Metric("cell_volume", "mL", "Cell volume",
           "Outer footprint x outer thickness, plus the tabs (with a shared frame, the "
           "cell's allocated share of the end plates).", cell_level=True),
    Metric("cell_width", "mm", "Cell width", "Outer width (pouch or end plates).",
           cell_level=True),
    Metric("cell_height", "mm", "Cell height", "Outer height (pouch or end plates).",
           cell_level=True),
    Metric("cell_thickness", "mm", "Cell thickness",
           "Outer thickness in the thickest state (stack, pouch foils, end plates). With "
           "end plates shared by several cells (cells_per_frame > 1) this is the cell's "
           "allocated share, stack + foils + 2 plates / cells per frame, not the outer size "
           "of one cell in its own frame; cell_volume and energy_density_cell use the same "
           "share.", cell_level=True),
    Metric("hardware_mass", "g", "Stack-pressure hardware mass",
           "This cell's share of the end plates and tie rods.", cell_level=True),
)

# The basis of each metric: the one source of the README table's basis column, the app's
# tooltips and the report (tests/test_ui_metric_tooltips.py holds them to each other).
BASIS: dict[str, str] = {
    "areal_capacity": "per electrode area, delivered (after formation loss)",
    "np_ratio": "negative to positive, both as built",
    "lithium_excess": "lithium on the negative to the capacity cycled, as built",
    "nominal_voltage": "one repeat unit: positive vs negative",
    "areal_energy": "per electrode area, delivered",
    "areal_mass": "per electrode area, one repeat unit with its share of the collectors",
    "stack_thickness": "one repeat unit, thickest state",
    "specific_energy_active": "per mass of positive active material",
    "specific_energy_cathode": "per mass of the positive composite electrode",
    "specific_energy_electrochemical": "per mass of the electrochemical stack, no collectors "
                                       "or packaging (Randau et al. 2020)",
    "specific_energy_stack": "per mass of the repeat unit, with its share of the collectors",
    "energy_density_electrochemical": "per volume of the electrochemical stack, no "
                                      "collectors, thickest state",
    "energy_density_stack": "per volume of the repeat unit, thickest state",
    "specific_energy_cell": "per mass of the cell: stack, packaging, tabs, hardware, extra mass",
    "energy_density_cell": "per volume of the cell",
    "asr_total": "per electrode area, one repeat unit at the design temperature",
    "current_density": "per electrode area, at the design's discharge rate",
    "ccd_margin": "critical to plating current density, on charge",
    "voltage_loss": "one repeat unit, at the design's discharge rate",
    "specific_energy_at_rate": "per mass of the repeat unit, at the design's discharge rate",
    "specific_power": "per mass of the repeat unit, at the design's discharge rate",
    "specific_energy_at_rate_cell": "per mass of the cell, at the design's discharge rate",
    "specific_power_cell": "per mass of the cell, at the design's discharge rate",
    "cell_capacity": "the whole cell",
    "cell_voltage": "the whole cell",
    "cell_energy": "the whole cell",
    "cell_mass": "the whole cell",
    "cell_volume": "the whole cell (its share of a shared frame)",
    "cell_width": "the whole cell",
    "cell_height": "the whole cell",
    "cell_thickness": "the whole cell (its share of a shared frame)",
    "hardware_mass": "this cell's share of the stack-pressure hardware",
}

BY_NAME = {m.name: m for m in METRICS}
