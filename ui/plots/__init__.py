"""Plots of an evaluation (pyqtgraph): breakdowns, Arrhenius, sweep, Ragone, comparison.

Every plot view is a QWidget with `show_state(design, result)`, reads the engine's result
or calls the engine's public API (never a formula of its own), labels its axes with units,
and exports PNG, SVG and its data as CSV through `asslb_designer.ui.export`.
"""
