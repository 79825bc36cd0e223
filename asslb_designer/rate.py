"""Ohmic rate estimate: current density, voltage loss, energy and power at that current.

Units: areal capacity mA*h/cm^2, current density mA/cm^2, ASR ohm*cm^2, voltage V,
areal mass mg/cm^2; results as named. Floats or numpy arrays, broadcasting.

    j = C-rate * Q                  (or a given current density)
    dV = j * ASR                    mA/cm^2 * ohm*cm^2 = mV
    E(j) = Q * (V_nom - dV)         areal energy at that current
    P = j * (V_nom - dV)            areal power
"""

from __future__ import annotations

import numpy as np


def current_density(c_rate, areal_capacity):
    """j = C-rate x Q: (1/h) * mA*h/cm^2 = mA/cm^2."""
    return c_rate * areal_capacity


def voltage_loss(current_density, asr):
    """dV = j * ASR in V (mA/cm^2 * ohm*cm^2 = mV)."""
    return current_density * asr * 1e-3


def voltage_at_rate(nominal_voltage, loss):
    """Average voltage under load, floored at 0 V (no energy when the loss exceeds V_nom)."""
    return np.maximum(nominal_voltage - loss, 0.0)


def areal_power(current_density, voltage):
    """P = j * V: mA/cm^2 * V = mW/cm^2."""
    return current_density * voltage
