#!/usr/bin/env bash
# Command one: install what is missing, build the app (release) and serve it on 127.0.0.1.
# PORT=9000 scripts/serve.sh picks the port (default 8080, or the next free one).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export TRUNK_OFFLINE=true TRUNK_SKIP_VERSION_CHECK=true
trunk build --release
port="${PORT:-8080}"
while ! python3 -c "import socket,sys; s=socket.socket(); s.bind(('127.0.0.1', int(sys.argv[1])))" "$port" 2>/dev/null; do
  port=$((port + 1))
done
echo
echo "  Agent Traces is at  http://127.0.0.1:$port/   (Ctrl-C stops it)"
echo
exec python3 -m http.server "$port" --bind 127.0.0.1 --directory dist
