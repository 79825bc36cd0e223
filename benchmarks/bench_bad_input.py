"""How fast bad input is refused: no value, however long, takes more than a second.

    .venv/bin/python benchmarks/bench_bad_input.py

Prints, for unit strings and design files of growing length, the time to get the
InputError. pint's own parser grows quadratically with an expression's length (10k
characters took 0.5 s, 100k 45 s); the reader bounds a value's length before pint sees it.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from asslb_designer import InputError, loads_design  # noqa: E402
from asslb_designer.units import Rule, UnitProblem, read  # noqa: E402

BASIC = (ROOT / "tests" / "data" / "basic.toml").read_text()
GOAL_S = 1.0


def seconds_to_refuse(fn) -> float:
    start = time.perf_counter()
    try:
        fn()
    except (UnitProblem, InputError):
        return time.perf_counter() - start
    raise SystemExit("the input was accepted; it should have been refused")


def main() -> None:
    worst = 0.0
    for n in (1_000, 10_000, 100_000, 1_000_000):
        products = "1 " + "m*" * (n // 2)
        spaces = "1" + " " * n + "um"
        design = BASIC.replace('thickness = "30 um"', f'thickness = "{products}"')
        times = [seconds_to_refuse(lambda: read(products, Rule("length"))),
                 seconds_to_refuse(lambda: read(spaces, Rule("length"))),
                 seconds_to_refuse(lambda: loads_design(design, "long.toml"))]
        worst = max(worst, *times)
        print(f"{n:>9,} characters: unit product {times[0] * 1e3:7.2f} ms, "
              f"spaces {times[1] * 1e3:7.2f} ms, whole design file {times[2] * 1e3:7.2f} ms")
    print(f"slowest refusal: {worst * 1e3:.1f} ms (goal < {GOAL_S * 1e3:.0f} ms)")


if __name__ == "__main__":
    main()
