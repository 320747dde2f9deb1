# Sourced by scripts/app and scripts/test: make .venv and install the project into it, once per
# change of pyproject.toml.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
PY="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
  echo "==> creating .venv" >&2
  "$PY" -m venv .venv
fi
EXTRAS="${CASCADE_EXTRAS:-}"
STAMP=".venv/.installed-$(sha1sum pyproject.toml | cut -c1-12)${EXTRAS:+-$EXTRAS}"
if [ ! -f "$STAMP" ]; then
  echo "==> installing into .venv${EXTRAS:+ (with $EXTRAS extras)}" >&2
  .venv/bin/python -m pip install -q --upgrade pip >/dev/null
  .venv/bin/python -m pip install -q -e ".${EXTRAS:+[$EXTRAS]}"
  touch "$STAMP"
fi
export PATH="$ROOT/.venv/bin:$PATH"
