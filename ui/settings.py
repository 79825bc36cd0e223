"""Where the app keeps its settings and recovery files, and the preferences it reads.

Settings (recent files, display units, theme) are an INI file read through QSettings, in
$ASSLB_DESIGNER_APP_DIR if set (tests point it at a temporary folder), else the platform's
config folder (platformdirs: ~/.config/asslb-designer on Linux).
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QSettings

from .display import DisplayUnits

MAX_RECENT = 8


def app_dir() -> Path:
    env = os.environ.get("ASSLB_DESIGNER_APP_DIR")
    if env:
        path = Path(env)
    else:
        import platformdirs
        path = Path(platformdirs.user_config_dir("asslb-designer", appauthor=False))
    path.mkdir(parents=True, exist_ok=True)
    return path


def settings() -> QSettings:
    return QSettings(str(app_dir() / "gui.ini"), QSettings.Format.IniFormat)


def recent_files() -> list[str]:
    value = settings().value("recent", [])
    if isinstance(value, str):
        value = [value]
    return [str(v) for v in (value or [])]


def add_recent(path: str) -> list[str]:
    path = str(Path(path).resolve())
    files = [path] + [p for p in recent_files() if p != path]
    files = files[:MAX_RECENT]
    s = settings()
    s.setValue("recent", files)
    s.sync()
    return files


def display_units() -> DisplayUnits:
    s = settings()
    return DisplayUnits(str(s.value("units/thickness", "um")),
                        str(s.value("units/loading", "mg/cm^2")),
                        str(s.value("units/energy", "Wh/kg, Wh/L")))


def save_display_units(units: DisplayUnits) -> None:
    s = settings()
    s.setValue("units/thickness", units.thickness)
    s.setValue("units/loading", units.loading)
    s.setValue("units/energy", units.energy)
    s.sync()


def theme() -> str:
    value = str(settings().value("theme", "light"))
    return value if value in ("light", "dark") else "light"


def save_theme(name: str) -> None:
    s = settings()
    s.setValue("theme", name)
    s.sync()


def examples_dir() -> Path | None:
    """The example designs: shipped beside the package in a checkout (examples/)."""
    here = Path(__file__).resolve().parent.parent / "examples"
    return here if here.is_dir() else None
