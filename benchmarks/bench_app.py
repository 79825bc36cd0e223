"""The desktop app's responsiveness, offscreen.

    .venv/bin/python benchmarks/bench_app.py [--quick] [--profile TAB]

Prints (medians):
- edit -> metrics: a quantity field's value applied (edit, evaluation, undo push, the
  Stack tab's table, forms and metrics refreshed), synchronous;
- edit -> metrics and plots: the same, until the views (cross-section, and each plot tab
  in turn shown) have redrawn, including the window's coalescing delay; goal < 30 ms;
- with `--profile TAB` (e.g. Studies): a cProfile of the edits with that tab shown, the 30
  costliest calls by cumulative time, then the figures as usual. (A study running on a
  worker thread shows up as GUI-thread time here: it holds the GIL while the GUI waits.)
- a sweep of 10^6 points (Sweep tab): from Sweep to the plot, on the worker thread, and the
  GUI thread's longest pause meanwhile (a 10 ms QTimer's largest gap between ticks, up to
  0.3 s after the plot, so the final redraw counts); goal: no pause over ~100 ms;
- cold start: `asslb-designer gui DESIGN` from process start to the window on screen
  (offscreen here; ASSLB_DESIGNER_EXIT_WHEN_SHOWN makes it quit there), goal < 2 s; and
  `gui --screenshot`, which builds every view before it writes the PNG.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("ASSLB_DESIGNER_APP_DIR", tempfile.mkdtemp(prefix="bench-app-"))

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "nmc811-lpscl-li-pouch-hbn.toml"


def main() -> None:
    quick = "--quick" in sys.argv
    n = 5 if quick else 40
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication
    app = QApplication.instance() or QApplication([])
    from asslb_designer.edits import SetValues
    from asslb_designer.ui import MainWindow
    window = MainWindow()
    window.resize(1280, 800)
    window.show()
    window.open_design(EXAMPLE, ask=False)
    app.processEvents()

    def edit(i: int):
        return SetValues({"layer[4].thickness": f"{30 + (i % 7)} um"})

    sync = []
    for i in range(n):
        t = time.perf_counter()
        assert window.apply_edit(edit(i))
        sync.append(time.perf_counter() - t)
    app.processEvents()

    def until_views(i: int) -> float:
        loop = QEventLoop()
        window.views_updated.connect(loop.quit)
        QTimer.singleShot(2000, loop.quit)
        t = time.perf_counter()
        assert window.apply_edit(edit(i))
        loop.exec()
        app.processEvents()              # the redraw of what changed
        window.views_updated.disconnect(loop.quit)
        return time.perf_counter() - t

    if hasattr(os, "getloadavg"):
        print(f"(machine load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores: "
              "other work slows every figure)")
    print(f"edit -> metrics (Stack tab), median of {n}: "
          f"{statistics.median(sync) * 1e3:.1f} ms")
    tabs = [window.tabs.tabText(i) for i in range(window.tabs.count())]
    if "--profile" in sys.argv:
        import cProfile
        import pstats
        tab = sys.argv[sys.argv.index("--profile") + 1]
        window.show_tab(tab)
        app.processEvents()
        profile = cProfile.Profile()
        profile.enable()
        for i in range(n):
            until_views(i)
        profile.disable()
        print(f"cProfile of {n} edits with the {tab} tab shown:")
        pstats.Stats(profile).sort_stats("cumulative").print_stats(30)
    worst = 0.0
    for title in tabs:
        window.show_tab(title)
        app.processEvents()
        times = [until_views(i) for i in range(n)]
        ms = statistics.median(times) * 1e3
        worst = max(worst, ms)
        print(f"edit -> metrics and plots, {title} tab shown, median of {n}: {ms:.1f} ms "
              f"(the views redraw once per event-loop pass)")
    print(f"edit -> metrics and plots, slowest tab: {worst:.1f} ms (goal < 30 ms)")
    long_sweep(app, window, 2 if quick else 5)
    window.document.undo_stack.setClean()
    window.close()

    shown = []
    for i in range(2 if quick else 5):
        t = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "asslb_designer", "gui", str(EXAMPLE)],
                              capture_output=True, text=True,
                              env=dict(os.environ, ASSLB_DESIGNER_EXIT_WHEN_SHOWN="1"))
        shown.append(time.perf_counter() - t)
        if done.returncode != 0 or "window shown" not in done.stdout:
            raise SystemExit(f"gui failed: {done.stderr.strip()}")
    print(f"cold start of asslb-designer gui DESIGN to the shown window (the views are "
          f"added just after), median of {len(shown)}: {statistics.median(shown):.2f} s "
          "(goal < 2 s)")
    starts = []
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(2 if quick else 5):
            t = time.perf_counter()
            done = subprocess.run([sys.executable, "-m", "asslb_designer", "gui", "--screenshot",
                                   str(Path(tmp) / "start.png"), str(EXAMPLE)],
                                  capture_output=True, text=True)
            starts.append(time.perf_counter() - t)
            if done.returncode != 0:
                raise SystemExit(f"gui --screenshot failed: {done.stderr.strip()}")
    print(f"cold start of asslb-designer gui --screenshot (window with every view, and its "
          f"PNG), median of {len(starts)}: {statistics.median(starts):.2f} s")


def long_sweep(app, window, runs: int, points: int = 1_000_000) -> None:
    from PySide6.QtCore import QEventLoop, QTimer
    window.show_tab("Sweep")
    view = window.app_views["sweep"]
    times, pauses = [], []
    for i in range(runs):
        view.points.setText(str(points - i))        # a new range each time
        ticks = []
        timer = QTimer()
        timer.setInterval(10)
        timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
        loop = QEventLoop()
        view.runner.finished.connect(loop.quit)
        timer.start()
        t = time.perf_counter()
        ticks.append(t)
        view.run()
        loop.exec()
        times.append(time.perf_counter() - t)
        after = QEventLoop()
        QTimer.singleShot(300, after.quit)
        after.exec()
        timer.stop()
        view.runner.finished.disconnect(loop.quit)
        pauses.append(max(b - a for a, b in zip(ticks, ticks[1:])))
    print(f"sweep of {points:,} points on the worker thread, Sweep to plot, median of {runs}: "
          f"{statistics.median(times):.2f} s; the GUI thread's longest pause meanwhile: "
          f"median {statistics.median(pauses) * 1e3:.0f} ms, worst {max(pauses) * 1e3:.0f} ms "
          "(goal: no pause over ~100 ms)")


if __name__ == "__main__":
    main()
