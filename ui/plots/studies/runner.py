"""The shared runner of the study panels: it lives in `ui/worker.py` (as `Runner`), where
the sweep and the report use it too; this name stays for the panels and their tests."""

from __future__ import annotations

from ...worker import Job, Runner, StudyRunner, _Signals  # noqa: F401
