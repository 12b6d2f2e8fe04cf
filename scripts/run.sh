#!/usr/bin/env bash
# Install (first time) and start the playground: offline model, demo API started with it, no key needed.
source "$(dirname "${BASH_SOURCE[0]}")/_venv.sh"
exec .venv/bin/streamlit run app.py --server.headless true --server.port "${PORT:-8501}" "$@"
