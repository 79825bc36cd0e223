"""Published cell calculations, reproduced: the cases of `validation/cases.toml`.

Each case pairs a design file that states a published calculation's choices with the
figures the publication printed. `check(case)` evaluates the design and returns one row
per published figure: published, ours, relative difference, within tolerance or not.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from .design_file import load_design
from .errors import InputError
from .evaluation import evaluate
from .materials import Library, default_library
from .metrics import BY_NAME
from .report import text_table
from .result import Result
from .units import Quantity


@dataclass(frozen=True)
class Case:
    id: str
    title: str
    cite: str                  # short, for tables
    design: Path
    source: str
    published: dict            # metric -> value in the metric's unit
    published_text: dict       # metric -> as printed
    tolerance: float
    defaults: Path | None = None
    note: str | None = None


@dataclass
class Row:
    case: str
    source: str
    metric: str
    unit: str
    published: float
    printed: str
    ours: float
    tolerance: float

    @property
    def difference(self) -> float:
        """Relative difference, ours / published - 1."""
        return self.ours / self.published - 1.0

    @property
    def ok(self) -> bool:
        return abs(self.difference) <= self.tolerance

    @property
    def ours_as_printed(self) -> str:
        """Our value in the unit the publication printed, to the same look."""
        printed = Quantity(self.printed)
        return f"{Quantity(self.ours, self.unit).m_as(printed.units):.4g} {self.printed.split(' ', 1)[1]}"


def cases_folder() -> Path:
    return Path(str(resources.files("asslb_designer.published_cases")))


def load_cases(folder: Path | None = None) -> list[Case]:
    folder = folder or cases_folder()
    path = folder / "cases.toml"
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise InputError(str(path), None, f"cannot read the published cases: {exc}") from None
    cases = []
    for i, node in enumerate(data.get("case", [])):
        key = f"case[{i + 1}]"
        published, printed = {}, {}
        for metric, text in node.get("published", {}).items():
            if metric not in BY_NAME:
                raise InputError(str(path), f"{key}.published.{metric}", "not a metric")
            published[metric] = Quantity(text).m_as(BY_NAME[metric].unit)
            printed[metric] = text
        cases.append(Case(node["id"], node["title"], node.get("cite", node["id"]),
                          folder / node["design"], node["source"],
                          published, printed, float(node.get("tolerance", 0.005)),
                          folder / node["defaults"] if node.get("defaults") else None,
                          node.get("note")))
    return cases


def check(case: Case, library: Library | None = None) -> tuple[list[Row], Result]:
    result = evaluate(load_design(case.design), library or default_library())
    rows = []
    for metric, value in case.published.items():
        ours = result.metrics.get(metric)
        rows.append(Row(case.id, case.source, metric, BY_NAME[metric].unit, value,
                        case.published_text[metric],
                        float("nan") if ours is None else float(ours), case.tolerance))
    return rows, result


def validation_text(library: Library | None = None) -> str:
    from .compare import comparison_text
    library = library or default_library()
    out = []
    table = [["case", "source", "metric", "published", "ours", "difference", ""]]
    explanations = []
    sources = []
    for case in load_cases():
        rows, result = check(case, library)
        sources.append(f"  {case.id}: {case.title}\n    {case.source}"
                       + (f"\n    note: {case.note}" if case.note else ""))
        for r in rows:
            table.append([case.id, case.cite, r.metric, r.printed, r.ours_as_printed,
                          f"{r.difference * 100:+.2f} %",
                          "ok" if r.ok else f"outside {r.tolerance * 100:g} %"])
        if case.defaults is not None:
            ours = evaluate(load_design(case.defaults), library)
            explanations.append(f"{case.id}: the same cell under ASSLB Designer's default "
                                "conventions\n" + comparison_text(result, ours))
    out.append("Published cell calculations reproduced")
    out += text_table(table, {3, 4, 5})
    out += ["", "Sources"] + sources
    for text in explanations:
        out += ["", text.rstrip()]
    return "\n".join(out) + "\n"
