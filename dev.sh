#!/usr/bin/env bash
# One entry point for a fresh clone: sets up what it needs, then runs.
#   ./dev.sh launch   the app with an example design loaded (no display: a screenshot
#                     of its window in build/launch-window.png, and the evaluation)
#   ./dev.sh test     the whole test suite (extra arguments go to pytest)
# Setup: a virtual environment in .venv with the project installed editable
# (re-installed when pyproject.toml changes), and the system libraries the Qt
# wheels need on a bare Debian/Ubuntu machine (installed with apt-get as root).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$here"

say() { printf 'dev.sh: %s\n' "$*" >&2; }

find_python() {
    local candidate
    for candidate in "${PYTHON:-}" python3.13 python3.12 python3.11 python3; do
        [ -n "$candidate" ] || continue
        if command -v "$candidate" >/dev/null 2>&1 &&
            "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
            echo "$candidate"
            return 0
        fi
    done
    say "Python 3.11 or newer is needed (set PYTHON=/path/to/python3.11)"
    exit 1
}

# Shared libraries the PySide6 wheels load; each is named by the Debian package that ships it.
qt_libraries=(
    "libEGL.so.1:libegl1" "libGL.so.1:libgl1" "libX11.so.6:libx11-6" "libdbus-1.so.3:libdbus-1-3"
    "libfontconfig.so.1:libfontconfig1" "libfreetype.so.6:libfreetype6"
    "libglib-2.0.so.0:libglib2.0-0" "libxkbcommon.so.0:libxkbcommon0"
)

ensure_system_libraries() {
    [ "$(uname -s)" = Linux ] || return 0
    command -v ldconfig >/dev/null 2>&1 || return 0
    local have missing=() entry
    have="$(ldconfig -p 2>/dev/null || true)"
    for entry in "${qt_libraries[@]}"; do
        grep -q "${entry%%:*}" <<<"$have" || missing+=("${entry##*:}")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
        say "installing system libraries for Qt: ${missing[*]}"
        DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
    else
        say "Qt needs these system packages: ${missing[*]}"
        say "install them (e.g. sudo apt-get install ${missing[*]}) and run again"
        exit 1
    fi
}

ensure_venv() {
    local python stamp wanted
    if [ ! -x .venv/bin/python ]; then
        python="$(find_python)"
        say "creating .venv with $python"
        "$python" -m venv .venv
    fi
    stamp=.venv/.asslb-installed
    wanted="$(cat pyproject.toml | sha256sum | cut -d' ' -f1)"
    if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$wanted" ]; then
        say "installing the project and its dependencies into .venv"
        .venv/bin/python -m pip install --quiet --disable-pip-version-check -e ".[dev]"
        echo "$wanted" >"$stamp"
    fi
}

command="${1:-}"
[ $# -gt 0 ] && shift
case "$command" in
    launch)
        ensure_system_libraries
        ensure_venv
        example=examples/nmc811-lpscl-li-pouch-hbn.toml
        if [ "$(uname -s)" = Linux ] && [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ] &&
            [ -z "${QT_QPA_PLATFORM:-}" ]; then
            # No screen to open a window on: show what the window would show instead.
            mkdir -p build
            shot="$here/build/launch-window.png"
            say "no display (DISPLAY and WAYLAND_DISPLAY are unset): writing a screenshot of the window to $shot and printing the example's evaluation"
            QT_QPA_PLATFORM=offscreen .venv/bin/asslb-designer gui --screenshot "$shot" "$example" >/dev/null
            exec .venv/bin/asslb-designer evaluate "$example"
        fi
        exec .venv/bin/asslb-designer gui "$example" "$@"
        ;;
    test)
        ensure_system_libraries
        ensure_venv
        exec .venv/bin/python -m pytest "$@"
        ;;
    *)
        say "usage: ./dev.sh launch | ./dev.sh test [pytest arguments]"
        exit 2
        ;;
esac
