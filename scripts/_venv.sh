# Sourced by run.sh and test.sh: create .venv and install the project once (again when pyproject.toml changes).
#   install_project        the app and the CLI (what run.sh needs)
#   install_project test   the same plus the test tools (pytest, hypothesis, playwright): test.sh only
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
PY="${PYTHON:-python3}"

_say() { echo "playground: $*" >&2; }

_pip() {  # pip install "$@", one line per package fetched; the whole log when it fails
  local log=.venv/pip-install.log rc
  set +e
  .venv/bin/python -m pip install --disable-pip-version-check --progress-bar off "$@" 2>&1 | tee "$log" \
    | grep --line-buffered -E '^Collecting ' | sed -u -e 's/^Collecting /  + /' -e 's/ (from .*//'
  rc=${PIPESTATUS[0]}
  set -e
  if [ "$rc" -ne 0 ]; then
    _say "pip failed (exit $rc); the end of its log ($log):"
    tail -n 30 "$log" >&2
    exit "$rc"
  fi
}

install_project() {
  local extra="${1:-}" marker=.venv/.installed${1:+-$1} spec=. start=$SECONDS
  [ -z "$extra" ] || spec=".[$extra]"
  if [ ! -x .venv/bin/python ]; then
    if ! "$PY" -c 'import sys; sys.exit(sys.version_info < (3, 10))' 2>/dev/null; then
      _say "needs Python 3.10 or newer as '$PY' (found: $("$PY" --version 2>&1 || echo none)); set PYTHON=python3.11"
      exit 1
    fi
    _say "first run: creating .venv with $("$PY" --version 2>&1)"
    "$PY" -m venv .venv || { _say "could not create .venv; on Debian/Ubuntu: apt-get install python3-venv"; exit 1; }
    .venv/bin/python -m pip install -q --disable-pip-version-check --upgrade pip
  fi
  if [ ! -f "$marker" ] || [ pyproject.toml -nt "$marker" ]; then
    if [ -n "$extra" ]; then
      _say "installing the project and its $extra tools into .venv (first time: about 1-3 minutes)..."
    else
      _say "installing the app and its dependencies into .venv (first time: about 1-2 minutes; streamlit, pandas, fastapi, openai, ...)..."
    fi
    _pip -e "$spec"
    touch "$marker"
    [ -z "$extra" ] || touch .venv/.installed  # the test install includes the app's
    _say "installed in $((SECONDS - start)) s"
  fi
}
