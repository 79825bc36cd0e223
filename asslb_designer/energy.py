"""Energy on every basis the literature uses, from areal quantities of one repeat unit.

Units: areal capacity mA*h/cm^2, voltage V, areal energy mW*h/cm^2, areal mass mg/cm^2,
thickness um. Floats or numpy arrays, broadcasting.

    areal energy        E = Q * V
    specific energy     E / m          (mW*h/mg = W*h/g; x 1e3 for W*h/kg)
    energy density      E / t          (mW*h/cm^3 = W*h/L)
"""

from __future__ import annotations

from .resistance import CM_PER_UM


def areal_energy(capacity, voltage):
    """E = Q * V, mW*h/cm^2."""
    return capacity * voltage


def specific_energy(areal_energy, areal_mass):
    """E / m in W*h/kg (mW*h/cm^2 over mg/cm^2 is W*h/g)."""
    return areal_energy / areal_mass * 1e3


def energy_density(areal_energy, thickness_um):
    """E / t in W*h/L (mW*h/cm^2 over cm is mW*h/cm^3 = W*h/L)."""
    return areal_energy / (thickness_um * CM_PER_UM)


def specific_power(areal_power, areal_mass):
    """P / m in W/kg (mW/cm^2 over mg/cm^2 is W/g)."""
    return areal_power / areal_mass * 1e3
