"""The domain imports without Textual: it runs in the CLI, in hooks and on servers."""

import subprocess
import sys

# Modules are found on disk rather than with pkgutil.walk_packages, which imports every
# package it walks into (pminterview.tui among them) and so would load textual itself.
PROBE = """
import importlib, pathlib, sys
import pminterview
root = pathlib.Path(pminterview.__file__).parent
for path in sorted(root.rglob("*.py")):
    parts = path.relative_to(root).with_suffix("").parts
    if parts[0] in ("tui", "__main__"):
        continue
    name = ".".join(("pminterview",) + tuple(p for p in parts if p != "__init__"))
    importlib.import_module(name)
    if "textual" in sys.modules:
        sys.exit(f"{name} imported textual")
import pminterview.cli
pminterview.cli._parser()
print("clean")
"""


def test_everything_outside_the_tui_imports_without_textual() -> None:
    result = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr or result.stdout
    assert result.stdout.strip() == "clean"


def test_the_tui_does_pull_in_textual() -> None:
    # The probe above can only fail if importing a TUI module really loads textual.
    probe = "import sys, pminterview.tui.common.help; print('textual' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60)
    assert result.stdout.strip() == "True", result.stderr
