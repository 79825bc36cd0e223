"""From one repeat unit to a whole cell: pouch packaging, tabs and stack-pressure hardware.

Units: lengths cm, areas cm^2, volumes cm^3 (= mL), masses g, pressure MPa, density g/cm^3.
Floats or numpy arrays, broadcasting.

Pouch: two foils of (width + 2 margin) x (height + 2 margin); cell volume = that footprint
x (stack thickness + 2 foils) + the two tabs' volume.

End plates: two plates pressing the stack at a given stack pressure p, held by tie rods.
Each plate is sized as a rectangular plate simply supported on its edges under the stack
pressure as a uniform load, sigma_max = beta(a/b) * p * b^2 / t^2 (Roark's Formulas for
Stress and Strain, Table 11.4 case 1a; b the shorter span), so t = b sqrt(beta p / sigma_allow)
with sigma_allow = yield strength / safety factor. The rods carry F = p x electrode area at
the same allowable stress: their total cross-section is p A / sigma_allow, their length the
stack height plus both plates. A frame may hold several cells (`cells_per_frame`); each cell
carries its share. This is a strength sizing: a stiffer plate (for uniform pressure) is
heavier, so the figure is a lower bound on what the hardware weighs.
"""

from __future__ import annotations

import numpy as np

# Roark Table 11.4 case 1a (all edges simply supported, uniform load, nu = 0.3):
# aspect ratio a/b -> beta in sigma_max = beta q b^2 / t^2
ROARK_ASPECT = (1.0, 1.2, 1.4, 1.6, 1.8, 2.0, 3.0, 4.0, 5.0, 1e9)
ROARK_BETA = (0.2874, 0.3762, 0.4530, 0.5172, 0.5688, 0.6102, 0.7134, 0.7410, 0.7476, 0.7500)


def plate_stress_coefficient(width, height):
    """beta(a/b) for a rectangular plate of sides width and height (any length unit)."""
    aspect = np.maximum(width, height) / np.minimum(width, height)
    return np.interp(aspect, ROARK_ASPECT, ROARK_BETA)


def end_plate_thickness(pressure_MPa, allowable_MPa, width, height):
    """t = b * sqrt(beta * p / sigma_allow), in the unit of width and height."""
    beta = plate_stress_coefficient(width, height)
    return np.minimum(width, height) * np.sqrt(beta * pressure_MPa / allowable_MPa)


def tie_rod_area_cm2(pressure_MPa, loaded_area_cm2, allowable_MPa):
    """Cross-section carrying F = p * A at sigma_allow: A_rod = p A / sigma_allow (cm^2)."""
    return pressure_MPa * loaded_area_cm2 / allowable_MPa


def pouch_footprint(width, height, margin):
    """Outer width and height of a pouch with a sealing margin on every edge."""
    return width + 2.0 * margin, height + 2.0 * margin


def pouch_foil_mass(footprint_area, foil_thickness, foil_density):
    """Two foils, each of the pouch footprint: 2 A t rho (g for cm and g/cm^3)."""
    return 2.0 * footprint_area * foil_thickness * foil_density


def tab_volume(length, width, thickness):
    return length * width * thickness
