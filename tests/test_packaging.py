"""The wheel installs one top-level package, with the materials library and the published
cases inside it (found by importlib.resources), and no generic `ui` module."""

import subprocess
import sys
import zipfile

from .conftest import ROOT


def test_wheel_layout(tmp_path):
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path),
                    str(ROOT)], check=True, capture_output=True)
    wheel = next(tmp_path.glob("asslb_designer-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    top = {n.split("/")[0] for n in names}
    assert {t for t in top if not t.endswith(".dist-info")} == {"asslb_designer"}
    assert "asslb_designer/ui/__init__.py" in names
    # every module of the source tree is in the wheel (a subpackage missing from
    # [tool.setuptools] packages would install only in editable mode)
    modules = {f"asslb_designer/{p.relative_to(ROOT / 'asslb_designer')}"
               for p in (ROOT / "asslb_designer").rglob("*.py")}
    modules |= {f"asslb_designer/ui/{p.relative_to(ROOT / 'ui')}" for p in (ROOT / "ui").rglob("*.py")}
    assert modules <= set(names), sorted(modules - set(names))
    library = {n for n in names if n.startswith("asslb_designer/materials_db/")}
    shipped = {f"asslb_designer/materials_db/{p.relative_to(ROOT / 'materials_db')}"
               for p in (ROOT / "materials_db").rglob("*.toml")}
    assert shipped and shipped <= library
    cases = {f"asslb_designer/published_cases/{p.name}" for p in (ROOT / "validation").glob("*.toml")}
    assert cases <= set(names)
