#!/usr/bin/env bash
# Install (first time) and start the playground: offline model, demo API started with it, no key needed.
# It listens on 127.0.0.1 only (this machine): the app can reveal secrets and holds API keys. To let other
# machines in, say so: PLAYGROUND_ADDRESS=0.0.0.0 bash scripts/run.sh (anyone who reaches the port can use it).
source "$(dirname "${BASH_SOURCE[0]}")/_venv.sh"
install_project
ADDRESS="${PLAYGROUND_ADDRESS:-127.0.0.1}"
if [ "$ADDRESS" != 127.0.0.1 ] && [ "$ADDRESS" != localhost ] && [ "$ADDRESS" != ::1 ]; then
  _say "WARNING: listening on $ADDRESS: other machines can open the app, see revealed secrets and use your API keys"
fi
_say "starting the app at http://$ADDRESS:${PORT:-8501} (Ctrl+C to stop)"
exec .venv/bin/streamlit run app.py --server.headless true --server.address "$ADDRESS" \
  --server.port "${PORT:-8501}" "$@"
