# Sourced by scripts/demo and scripts/test: make .venv with the project installed.
# $1 is the pip extra to install ("" for the app alone, "test" for the suite).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="$root/.venv"
extra="${1:-}"
stamp="$venv/.installed${extra:+-$extra}"
if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv"
fi
# Reinstall only when pyproject.toml changed since the last install.
if [ ! -f "$stamp" ] || [ "$root/pyproject.toml" -nt "$stamp" ]; then
    "$venv/bin/python" -m pip install --quiet --upgrade pip
    "$venv/bin/python" -m pip install --quiet -e "$root${extra:+[$extra]}"
    touch "$stamp"
fi
