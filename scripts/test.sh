#!/usr/bin/env bash
# Install (first time) and run every test: pytest (unit, HTTP, agent, pages, browser) and the shipped scenarios.
source "$(dirname "${BASH_SOURCE[0]}")/_venv.sh"
install_project test  # the test tools are installed here only, not by run.sh
set +e
.venv/bin/python -m pytest -q -p no:cacheprovider "$@"
rc=$?
set -e
if [ "$rc" -eq 5 ]; then
  echo "pytest collected no tests: treat as a failure" >&2
  exit 1
fi
[ "$rc" -eq 0 ] || exit "$rc"
echo "== regression scenarios (playground test scenarios/) =="
# a demo API of its own on a free port: parallel runs (and another program on 8765) never collide
PLAYGROUND_DEMO_PORT=0 .venv/bin/playground test scenarios/ --junit "${JUNIT_DIR:-.}/scenarios-junit.xml"
