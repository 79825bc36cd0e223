"""A study set up in the app, written as a study file (the format of
`asslb_designer/studies/study_file.py`, read by `asslb-designer study`). The design is
named by its path relative to the study file, as the reader expects; every value is the
text the user typed (with its unit)."""

from __future__ import annotations

import json
import os
from pathlib import Path

from asslb_designer.errors import InputError
from asslb_designer.studies.study_file import SCHEMA

from ... import export


def _string(text: str) -> str:
    return json.dumps(str(text))      # a JSON string is a TOML basic string


def _value(v) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return repr(v)
    if isinstance(v, (list, tuple)):
        return "[" + ", ".join(_value(x) for x in v) + "]"
    return _string(v)


def study_text(design_file, study_path, name: str, method: str | None = None,
               parameters: list[dict] = (), metrics=(), constraints=(), n: int | None = None,
               seed: int = 0, library_spread: bool = False, objectives=(),
               sensitivity: dict | None = None) -> str:
    """The TOML text of a study. `parameters`: one dict per [[parameter]] (key, start,
    stop, count[, scale]; or key, distribution, low, high, ...). A sensitivity study gives
    `sensitivity` (the keys of its [sensitivity] table, `sobol` a dict) and no method."""
    if not design_file:
        raise InputError(None, "design", "save the design to a file first: a study file "
                         "names its design file")
    base = Path(study_path).resolve().parent
    design = Path(os.path.relpath(Path(design_file).resolve(), base)).as_posix()
    lines = [f"schema = {_string(SCHEMA)}", f"name = {_string(name)}",
             f"design = {_string(design)}"]
    if metrics:
        lines.append(f"metrics = {_value(list(metrics))}")
    if constraints:
        lines.append(f"constraints = {_value(list(constraints))}")
    if sensitivity is not None:
        lines += ["", "[sensitivity]"]
        for k, v in sensitivity.items():
            if isinstance(v, dict):
                v = "{ " + ", ".join(f"{a} = {_value(b)}" for a, b in v.items()) + " }"
            else:
                v = _value(v)
            lines.append(f"{k} = {v}")
        return "\n".join(lines) + "\n"
    lines += ["", "[sampling]", f"method = {_string(method)}"]
    if method != "grid":
        lines.append(f"n = {int(n)}")
    lines.append(f"seed = {int(seed)}")
    if library_spread:
        lines.append("library_spread = true")
    for p in parameters:
        lines += ["", "[[parameter]]"] + [f"{k} = {_value(v)}" for k, v in p.items()]
    if objectives:
        lines += ["", "[pareto]", f"objectives = {_value([f'{s} {m}' for s, m in objectives])}"]
    return "\n".join(lines) + "\n"


def save_study(path, **spec) -> Path:
    return export.atomic_write(path, study_text(study_path=path, **spec))
