"""Issue 11: every malformed input a hostile user tried is exit 2 with one line naming the
file and the key (never exit 1, never a wrong number with exit 0, never invalid JSON)."""

import json
import os

import pytest

from asslb_designer import cli

from .conftest import DATA

BASIC = (DATA / "basic.toml").read_text()
HUGE = "1" + "0" * 400          # an integer no float holds
PACKAGED = BASIC.replace("c_rate = 1", 'c_rate = 1\nelectrode_area = "100 cm^2"\nunit_cells = 2')
POUCH = """
[cell.packaging]
foil_thickness = "0.1 mm"
foil_density = "1.8 g/cm^3"
sealing_margin = "5 mm"
tab_length = "1 cm"
tab_width = "1 cm"
tab_thickness = "0.1 mm"
tab_materials = ["AlT", "CuT"]
"""
SEP2 = '\n[[material]]\nid = "SEP2"\nkind = "solid_electrolyte"\ndensity = "2 g/cm^3"\n'


@pytest.fixture(autouse=True)
def test_materials(monkeypatch):
    monkeypatch.setenv("ASSLB_DESIGNER_USER_LIBRARY", str(DATA / "test_library.toml"))


def run(capsys, *args):
    code = cli.main(list(args))
    out, err = capsys.readouterr()
    return code, out, err.strip()


def refused(capsys, tmp_path, text, key, *parts, command="evaluate", data=None):
    """Exit 2, one line: `error: FILE: KEY: reason` holding each of `parts`."""
    path = tmp_path / "design.toml"
    if data is not None:
        path.write_bytes(data)
    else:
        path.write_text(text, encoding="utf-8")
    code, _, err = run(capsys, command, str(path))
    assert code == 2, err
    assert len(err.splitlines()) == 1, err
    prefix = f"error: {path}: {key}: " if key else f"error: {path}: "
    assert err.startswith(prefix), err
    for part in parts:
        assert part in err, err
    return err


# --------------------------------------------------------------- exit 1 on bad input
@pytest.mark.parametrize("old, new, key", [
    ("porosity = 0.1", f"porosity = {HUGE}", "layer[5].porosity"),
    ("c_rate = 1", f"c_rate = 1\nunit_cells = {HUGE}", "cell.unit_cells"),
    ('thickness = "30 um"', f'thickness = {{ value = {HUGE}, unit = "um" }}', "layer[4].thickness"),
])
def test_integers_too_big_for_a_float(capsys, tmp_path, old, new, key):
    refused(capsys, tmp_path, BASIC.replace(old, new), key, "too large for a number")


def test_integer_too_big_in_an_inline_material_and_in_loads_design(capsys, tmp_path):
    from asslb_designer import InputError, loads_design
    text = BASIC + SEP2.replace('"2 g/cm^3"', f'{{ value = {HUGE}, unit = "g/cm^3" }}')
    refused(capsys, tmp_path, text, "material[1].density", "too large")
    with pytest.raises(InputError, match="x.toml: layer.5..porosity: the integer"):
        loads_design(BASIC.replace("porosity = 0.1", f"porosity = {HUGE}"), "x.toml")


@pytest.mark.parametrize("table", ['{ value = 30, unit = 5 }', '{ value = 30, unit = ["um"] }'])
def test_a_value_tables_unit_is_text(capsys, tmp_path, table):
    text = BASIC.replace('thickness = "30 um"', f"thickness = {table}")
    refused(capsys, tmp_path, text, "layer[4].thickness.unit", "the unit is text")


def test_a_unit_given_twice_is_refused_not_dropped(capsys, tmp_path):
    text = BASIC.replace('thickness = "30 um"', 'thickness = { value = "30 um", unit = "mm" }')
    refused(capsys, tmp_path, text, "layer[4].thickness.unit", "not both")


NESTED = ["x = " + "[" * 500 + "]" * 500, "x = " + "{ a = " * 500 + "1" + " }" * 500]


@pytest.mark.parametrize("nesting", NESTED)
def test_deep_nesting_in_designs_loads_design_and_libraries(capsys, tmp_path, monkeypatch, nesting):
    from asslb_designer import InputError, loads_design
    refused(capsys, tmp_path, BASIC + "\n" + nesting + "\n", None, "nested too deeply")
    with pytest.raises(InputError, match="nested too deeply"):
        loads_design(BASIC + "\n" + nesting + "\n")
    library = tmp_path / "lib.toml"
    library.write_text(nesting + "\n")
    code, _, err = run(capsys, "validate", str(library))
    assert code == 2 and "nested too deeply" in err
    monkeypatch.setenv("ASSLB_DESIGNER_USER_LIBRARY", str(library))
    code, _, err = run(capsys, "materials", "list")
    assert code == 2 and err == f"error: {library}: not valid TOML here: arrays or tables " \
                                "nested too deeply"


@pytest.mark.parametrize("data, reason", [
    ("name = 'café'\n".encode("latin-1"), "not UTF-8 text (byte 11 is 0xe9)"),
    (BASIC.encode("utf-16"), "UTF-16 text: save it as UTF-8"),
    (bytes(range(256)), "not UTF-8 text"),
])
@pytest.mark.parametrize("command", ["validate", "evaluate"])
def test_files_that_are_not_utf8(capsys, tmp_path, data, reason, command):
    refused(capsys, tmp_path, None, None, reason, command=command, data=data)


USER_LIBRARIES = {
    "material = [1]": ("material[1]", "a material is a table"),
    "material = 5": ("material[1]", "a material is a table"),
    'material = ["x"]': ("material[1]", "a material is a table"),
    '[[material]]\nid = "Z"\nkind = "binder"\ndensity = "1 g/cm^3"\naliases = [1]':
        ("material[1] (Z).aliases", "a list of names"),
    '[[material]]\nid = "Z"\nkind = []': ("material[1] (Z).kind", "is text"),
    f'[[material]]\nid = "Z"\nkind = "binder"\ndensity = {{ value = {HUGE}, unit = "g/cm^3" }}':
        ("material[1] (Z).density", "too large"),
}


@pytest.mark.parametrize("text", list(USER_LIBRARIES))
@pytest.mark.parametrize("command", [["materials", "list"], ["materials", "validate"],
                                     ["materials", "show", "Li"]])
def test_a_corrupt_user_library_is_exit_2_for_every_command(capsys, tmp_path, monkeypatch,
                                                            text, command):
    key, reason = USER_LIBRARIES[text]
    path = tmp_path / "mine.toml"
    path.write_text(text + "\n")
    monkeypatch.setenv("ASSLB_DESIGNER_USER_LIBRARY", str(path))
    code, _, err = run(capsys, *command)
    assert code == 2, err
    # materials are numbered from 1 in a user library, as in a design
    assert f"{path}: {key}: " in err and reason in err, err


def test_a_latin1_user_library(capsys, tmp_path, monkeypatch):
    path = tmp_path / "mine.toml"
    path.write_bytes("[[material]]\nid = 'Zé'\n".encode("latin-1"))
    monkeypatch.setenv("ASSLB_DESIGNER_USER_LIBRARY", str(path))
    code, _, err = run(capsys, "materials", "list")
    assert code == 2 and err == f"error: {path}: not UTF-8 text (byte 20 is 0xe9): save the " \
                                "file as UTF-8"


@pytest.mark.parametrize("record, key, reason", [
    ('kind = []', "material[1].kind", "is text"),
    ('kind = {}', "material[1].kind", "is text"),
    ('kind = "binder"\ndensity = "1 g/cm^3"\naliases = [1]', "material[1].aliases", "list of names"),
    ('kind = "binder"\ndensity = "1 g/cm^3"\naliases = 5', "material[1].aliases", "list of names"),
])
def test_inline_material_type_holes(capsys, tmp_path, record, key, reason):
    refused(capsys, tmp_path, BASIC + f'\n[[material]]\nid = "X"\n{record}\n', key, reason)


def test_inline_packaging_record_with_numbers_for_tab_materials(capsys, tmp_path):
    record = ('\n[[material]]\nid = "P2"\nkind = "packaging"\nfoil_thickness = "0.1 mm"\n'
              'foil_density = "1.8 g/cm^3"\nsealing_margin = "5 mm"\ntab_length = "1 cm"\n'
              'tab_width = "1 cm"\ntab_thickness = "0.1 mm"\ntab_materials = [1, 2]\n')
    text = PACKAGED.replace("unit_cells = 2", 'unit_cells = 2\npackaging = "P2"') + record
    refused(capsys, tmp_path, text, "material[1].tab_materials", "list of names")


@pytest.mark.parametrize("source", ['["a", 1]', "{ a = 1 }", "5"])
def test_packaging_source_that_is_not_text(capsys, tmp_path, source):
    text = PACKAGED + POUCH + f"source = {source}\n"
    refused(capsys, tmp_path, text, "cell.packaging.source", "is text")


@pytest.mark.parametrize("old, new, key", [
    ("c_rate = 1", 'c_rate = 1\nelectrode_width = "1e-200 cm"\nelectrode_height = "1 cm"\n'
                   "unit_cells = 2", "cell.electrode_width"),
    ('loading = "20 mg/cm^2"', 'loading = "5e-324 mg/cm^2"', "layer[5].loading"),
    ('loading = "20 mg/cm^2"', 'areal_capacity = "5e-324 mA*h/cm^2"', "layer[5].areal_capacity"),
    ("c_rate = 1", "c_rate = 1e-310", "cell.c_rate"),
])
@pytest.mark.parametrize("command", ["evaluate", "compare"])
def test_values_that_underflow(capsys, tmp_path, old, new, key, command):
    path = tmp_path / "design.toml"
    path.write_text(BASIC.replace(old, new))
    args = [command, str(path)] + ([str(DATA / "basic.toml")] if command == "compare" else [])
    code, _, err = run(capsys, *args)
    assert code == 2 and err.startswith(f"error: {path}: {key}: must be at least"), err


def test_materials_show_with_a_reference_doi_that_is_not_text(capsys, tmp_path, monkeypatch):
    path = tmp_path / "mine.toml"
    path.write_text('[references.R]\ncitation = "c"\ndoi = 5\n\n[[material]]\nid = "Z"\n'
                    'kind = "binder"\ndensity = "1 g/cm^3"\nsource = "R"\n')
    monkeypatch.setenv("ASSLB_DESIGNER_USER_LIBRARY", str(path))
    code, _, err = run(capsys, "materials", "show", "Z")
    assert code == 2 and err == f"error: {path}: references.R.doi: is text, got 5"


# ------------------------------------------------------ wrong or invalid output with exit 0
def test_nan_never_reaches_json(capsys, tmp_path, monkeypatch):
    path = tmp_path / "mine.toml"
    path.write_text('[references.R]\ncitation = "c"\ndoi = nan\n\n[[material]]\nid = "Z"\n'
                    'kind = "binder"\ndensity = "1 g/cm^3"\nsource = "R"\n')
    monkeypatch.setenv("ASSLB_DESIGNER_USER_LIBRARY", str(path))
    code, out, err = run(capsys, "materials", "show", "Z", "--json")
    assert code == 2 and out == "" and "references.R.doi: is text, got nan" in err
    path.write_text('[[material]]\nid = "Z"\nkind = "solid_electrolyte"\ndensity = "1 g/cm^3"\n'
                    'ionic_conductivity = { value = "1e-3 S/cm", temperature = "nan degC" }\n')
    code, out, err = run(capsys, "materials", "show", "Z", "--json")
    assert code == 2 and out == ""
    assert "material[1] (Z).ionic_conductivity.temperature: must be a finite number" in err


def test_json_output_is_strict_json(capsys, tmp_path):
    # a valid design with C/3 written as a cell maker would: JSON parses with NaN refused
    path = tmp_path / "design.toml"
    path.write_text(BASIC.replace("c_rate = 1", 'c_rate = "C/3"'))
    code, out, err = run(capsys, "evaluate", str(path), "--json")
    assert code == 0, err
    data = json.loads(out, parse_constant=lambda c: pytest.fail(f"{c} in JSON"))
    # j = C-rate x capacity: 20 mg/cm^2 x 200 mAh/g (test CAM) = 4 mAh/cm^2, / 3 h
    assert data["metrics"]["current_density"]["value"] == pytest.approx(4.0 / 3)


@pytest.mark.parametrize("addition, key, reason", [
    (SEP2 + 'ionic_conductivity = { value = "1e-3 S/cm", temperature = "nan degC" }',
     "material[1].ionic_conductivity.temperature", "finite"),
    (SEP2 + 'ionic_conductivity = { value = "1e-3 S/cm", temperature = "-300 degC" }',
     "material[1].ionic_conductivity.temperature", "above absolute zero"),
    (SEP2 + 'conductivity_table = [["25 degC", "nan S/cm"], ["60 degC", "1e-3 S/cm"]]',
     "material[1].conductivity_table[1]", "finite"),
    (SEP2 + 'conductivity_table = [["25 degC", "inf S/cm"], ["60 degC", "1e-3 S/cm"]]',
     "material[1].conductivity_table[1]", "finite"),
    (SEP2 + 'conductivity_table = [["-500 degC", "1e-4 S/cm"], ["25 degC", "1e-3 S/cm"]]',
     "material[1].conductivity_table[1]", "above absolute zero"),
    ('\n[[interface]]\nbetween = ["SEP", "CAM"]\nasr = "5 ohm*cm^2"\ntemperature = "nan degC"',
     "interface[1].asr.temperature", "finite"),
    (SEP2 + 'ionic_conductivity = { value = "1e-3 S/cm", temperature = "25 degC" }\n'
            'activation_energy = "35 kJ"', "material[1].activation_energy",
     "did you mean '35 kJ/mol'?"),
])
def test_non_physical_material_and_interface_values(capsys, tmp_path, addition, key, reason):
    refused(capsys, tmp_path, BASIC + addition + "\n", key, reason)
    refused(capsys, tmp_path, BASIC + addition + "\n", key, reason, command="validate")


def test_the_same_values_in_a_library_file_fail_validation(capsys, tmp_path):
    path = tmp_path / "lib.toml"
    path.write_text('[[material]]\nid = "Z"\nkind = "solid_electrolyte"\ndensity = "1 g/cm^3"\n'
                    'conductivity_table = [["nan degC", "1e-4 S/cm"], ["25 degC", "1e-3 S/cm"]]\n')
    code, _, err = run(capsys, "validate", str(path))
    assert code == 2 and "material[1] (Z).conductivity_table[1]: must be a finite number" in err


@pytest.mark.parametrize("unit, reason", [("delta_degC", "temperature difference"),
                                          ("degC*percent", "not a plain temperature unit"),
                                          ("C", "did you mean '25 degC'?")])
def test_temperatures_are_absolute(capsys, tmp_path, unit, reason):
    text = BASIC.replace('"25 degC"', f'"25 {unit}"')
    refused(capsys, tmp_path, text, "cell.temperature", reason)


@pytest.mark.parametrize("char, escaped", [("\x1b", "\\x1b"), ("\x0b", "\\x0b"), ("\x0c", "\\x0c"),
                                           ("\u2028", "\\u2028"), ("\x85", "\\x85"),
                                           ("\u202e", "\\u202e")])
def test_control_characters_are_escaped_in_errors(capsys, tmp_path, char, escaped):
    material = f"SE\\u{ord(char):04x}[31mP"     # a TOML escape: the raw byte is not TOML
    text = BASIC.replace('material = "SEP"', f'material = "{material}"')
    err = refused(capsys, tmp_path, text, "layer[4].material", "unknown material", escaped)
    assert char not in err


def test_control_characters_are_escaped_in_warnings(capsys, tmp_path):
    # an inline separator without conductivity warns, naming its id
    text = BASIC.replace('material = "SEP"', 'material = "S\\u001bX"') + \
        '\n[[material]]\nid = "S\\u001bX"\nkind = "solid_electrolyte"\ndensity = "2 g/cm^3"\n'
    path = tmp_path / "design.toml"
    path.write_text(text)
    code, _, err = run(capsys, "validate", str(path))
    assert code == 0, err
    assert "\x1b" not in err and "S\\x1bX" in err


def test_user_library_missing_is_a_warning_and_a_validate_error(capsys, tmp_path, monkeypatch):
    missing = tmp_path / "nope.toml"
    monkeypatch.setenv("ASSLB_DESIGNER_USER_LIBRARY", str(missing))
    code, out, err = run(capsys, "materials", "list")
    assert code == 0 and "Li6PS5Cl" in out      # the built-in library, and a word about it
    assert err == f"warning: {missing}: no such file (named by ASSLB_DESIGNER_USER_LIBRARY); " \
                  "the user library is not used"
    code, _, err = run(capsys, "materials", "validate")
    assert code == 2 and f"error: {missing}: no such file" in err


def test_user_library_that_is_a_directory_or_a_symlink_loop(capsys, tmp_path, monkeypatch):
    monkeypatch.setenv("ASSLB_DESIGNER_USER_LIBRARY", str(tmp_path))
    code, _, err = run(capsys, "materials", "list")
    assert code == 0 and err == f"warning: {tmp_path}: the user library is not a file " \
                                "(a directory?)"
    loop = tmp_path / "loop.toml"
    os.symlink(loop, loop)
    monkeypatch.setenv("ASSLB_DESIGNER_USER_LIBRARY", str(loop))
    code, _, err = run(capsys, "materials", "validate")
    assert code == 2 and f"error: {loop}: cannot read the user library" in err


@pytest.mark.parametrize("text", ["", "# only a comment\n", "schema = 'x'\n"])
def test_validate_says_what_a_file_is_not(capsys, tmp_path, text):
    refused(capsys, tmp_path, text, None, "neither a design", "nor a library file",
            command="validate")


def test_a_utf8_byte_order_mark_is_read(capsys, tmp_path):
    path = tmp_path / "design.toml"
    path.write_bytes(b"\xef\xbb\xbf" + BASIC.encode())
    for command in ("evaluate", "validate"):
        code, _, err = run(capsys, command, str(path))
        assert code == 0, err


def test_a_huge_name_gives_a_short_error_line(capsys, tmp_path):
    text = BASIC.replace('material = "SEP"', f'material = "{"S" * 100_000}"')
    err = refused(capsys, tmp_path, text, "layer[4].material", "unknown material")
    assert len(err) < 1500
    text = BASIC.replace('thickness = "30 um"', f'{"t" * 100_000} = "30 um"', 1)
    err = refused(capsys, tmp_path, text, None, "unknown key")
    assert len(err) < 1500


def test_control_characters_in_names_are_escaped_on_stdout_too(capsys, tmp_path, monkeypatch):
    path = tmp_path / "mine.toml"
    path.write_text('[[material]]\nid = "Z"\nname = "evil\\u001b[2J name"\nkind = "binder"\n'
                    'density = "1 g/cm^3"\n')
    monkeypatch.setenv("ASSLB_DESIGNER_USER_LIBRARY", str(path))
    for command in (["materials", "list"], ["materials", "show", "Z"]):
        code, out, _ = run(capsys, *command)
        assert code == 0 and "\x1b" not in out and "evil\\x1b[2J name" in out


@pytest.mark.parametrize("value", ['"1 ' + "m*" * 50_000 + 'm"', '{ value = 30, unit = "' + "u" * 100_000 + '" }'])
def test_a_100k_character_unit_is_an_input_error(value):
    # how fast: benchmarks/bench_bad_input.py (milliseconds; pint alone took 45 s)
    from asslb_designer import InputError, loads_design
    with pytest.raises(InputError, match="long.toml: layer.4..thickness: .*too long"):
        loads_design(BASIC.replace('thickness = "30 um"', f"thickness = {value}"), "long.toml")


def test_points_and_sourced_values_are_numbered_from_1_like_layers(capsys, tmp_path):
    # the second point of a table is [2], as layer[2] is the second layer; the second
    # sourced value of a list is [2] too
    refused(capsys, tmp_path, BASIC + SEP2 + 'conductivity_table = [["25 degC", "1e-3 S/cm"], '
            '["60 degC", "nan S/cm"]]\n', "material[1].conductivity_table[2]", "finite")
    refused(capsys, tmp_path, BASIC + SEP2.replace(
        'density = "2 g/cm^3"', 'density = [{ value = 2, unit = "g/cm^3", preferred = true }, '
        '{ value = 2.1, unit = "g/cm^3", temperature = "-300 degC" }]'),
        "material[1].density[2].temperature", "above absolute zero")
