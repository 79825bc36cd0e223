"""Time each view of the app to redraw after an evaluation (its `show_state`), offscreen.

    .venv/bin/python benchmarks/bench_views.py [DESIGN.toml]

Prints the median over 15 redraws per view, and the sweep and Ragone evaluations alone.
The goal for an edit to updated metrics and plots is 30 ms; a plot on a hidden tab does not
redraw until it is shown, so one visible view counts per edit.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parent.parent


def median_ms(fn, n: int = 15) -> float:
    times = []
    for _ in range(n):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times) * 1e3


def main() -> None:
    from PySide6.QtWidgets import QApplication
    app = QApplication.instance() or QApplication([])
    from asslb_designer import evaluate, load_design
    from asslb_designer.ui.cross_section import CrossSection
    from asslb_designer.ui.materials_browser import MaterialsBrowser
    from asslb_designer.ui.plots.arrhenius import ArrheniusView
    from asslb_designer.ui.plots.breakdowns import BreakdownView
    from asslb_designer.ui.plots.comparison import ComparisonView
    from asslb_designer.ui.plots.ragone import RagoneView, ragone
    from asslb_designer.ui.plots.sweep import SweepView, sweep

    path = sys.argv[1] if len(sys.argv) > 1 else ROOT / "examples" / "nmc811-lpscl-li-pouch-hbn.toml"
    design = load_design(path)
    result = evaluate(design)
    print(f"design: {path}")
    keep = []
    for cls in (CrossSection, BreakdownView, ArrheniusView, SweepView, RagoneView,
                ComparisonView, MaterialsBrowser):
        view = cls()
        view.resize(1280, 800)
        view.show()
        app.processEvents()
        keep.append(view)

        def redraw(view=view):
            view.show_state(design, result)
            app.processEvents()
        print(f"  {cls.__name__:18s} redraw: median {median_ms(redraw):6.1f} ms")
    key = "layer[4].thickness"
    for n in (200, 10_000, 100_000):
        ms = median_ms(lambda: sweep(design, key, 10.0, 100.0, n, "specific_energy_stack",
                                     result.library), 5)
        print(f"  sweep of {key}, {n:>7d} points on this thread: median {ms:6.1f} ms "
              "(chunks of one evaluate, >= 10 000 designs each)")
    ms = median_ms(lambda: ragone(design, result, library=result.library), 5)
    print(f"  Ragone C-rate sweep (160 rates): median {ms:6.1f} ms")


if __name__ == "__main__":
    main()
