"""The README documents every study command with an example, and the examples run."""

import re
import shlex
import subprocess
import sys

import pytest

from asslb_designer.cli import STUDY_COMMANDS, build_parser

from .conftest import ROOT

README = (ROOT / "README.md").read_text()
SECTION = README[README.index("## Trade-off studies"):README.index("## Conventions")]
STUDY_FILES = README[README.index("## Study files"):README.index("## Trade-off studies")]


def console_commands(text):
    """`$ asslb-designer ...` lines of console blocks, continuation lines joined."""
    blocks = re.findall(r"```console\n(.*?)```", text, re.S)
    out = []
    for block in blocks:
        joined = block.replace("\\\n", " ")
        out += [line.strip()[2:].strip() for line in joined.splitlines()
                if line.strip().startswith("$ asslb-designer ")]
    return out


def test_every_study_command_has_an_example():
    names = {f.__name__.removeprefix("register_") for f in STUDY_COMMANDS}
    assert names == {"params", "sweep", "study", "mc", "sensitivity", "solve", "pareto"}
    shown = {c.split()[1] for c in console_commands(SECTION)}
    assert names <= shown, names - shown
    build_parser()   # every registered command parses


@pytest.mark.slow
@pytest.mark.parametrize("command", console_commands(SECTION) + console_commands(STUDY_FILES))
def test_the_readme_study_examples_run(command, tmp_path, monkeypatch):
    monkeypatch.setenv("ASSLB_DESIGNER_USER_LIBRARY", "")
    (tmp_path / "examples").symlink_to(ROOT / "examples")
    argv = shlex.split(command)[1:]
    done = subprocess.run([sys.executable, "-m", "asslb_designer", *argv], cwd=tmp_path,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr


def test_the_readme_study_python_example_runs(tmp_path):
    block = re.search(r"```python\n(.*?)```", SECTION, re.S).group(1)
    (tmp_path / "examples").symlink_to(ROOT / "examples")
    done = subprocess.run([sys.executable, "-c", block], cwd=tmp_path, capture_output=True,
                          text=True, env={"ASSLB_DESIGNER_USER_LIBRARY": "", "PATH": ""})
    assert done.returncode == 0, done.stderr
    assert "cathode.loading = " in done.stdout and "specific_energy_cell = 400" in done.stdout


def test_every_study_file_key_is_documented():
    from asslb_designer.studies import study_file as sf
    section = STUDY_FILES
    tables = {"": sf.TOP_KEYS - {"description"}, "[sampling]": sf.SAMPLING_KEYS,
              "[[parameter]]": sf.GRID_KEYS | {"distribution", *sf.DIST_FIELDS["triangular"],
                                               *sf.DIST_FIELDS["normal"], "shape"},
              "[sensitivity]": sf.SENSITIVITY_KEYS, "sobol": sf.SOBOL_KEYS}
    for table, keys in tables.items():
        assert table in section
        for key in keys:
            assert (re.search(rf"\b{re.escape(key)} = ", section) or f"`{key}`" in section
                    or f"[{key}]" in section), (table, key)


def test_the_readme_sensitivity_study_is_a_valid_study(tmp_path):
    from asslb_designer.studies.study_file import load_study
    section = STUDY_FILES
    block = next(b for b in re.findall(r"```toml\n(.*?)```", section, re.S)
                 if "[sensitivity]" in b)
    (tmp_path / "studies").mkdir()
    (tmp_path / "nmc811-lpscl-li-pouch-hbn.toml").symlink_to(
        ROOT / "examples" / "nmc811-lpscl-li-pouch-hbn.toml")
    path = tmp_path / "studies" / "s.toml"
    path.write_text(block)
    spec = load_study(path).sensitivity
    assert spec.keys is None and spec.step == 0.01 and spec.top == 15
    assert (spec.sobol_top, spec.sobol_n, spec.sobol_seed, spec.sobol_range) == (6, 1024, 0, 0.1)
