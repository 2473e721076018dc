"""The domain imports without Textual: it runs in the CLI, in hooks and on servers."""

import subprocess
import sys

# walk_packages imports every package it walks into, pminterview.tui and its subpackages
# among them, so this also checks that those packages load Textual only when used.
PROBE = """
import importlib, pkgutil, sys
import pminterview
for module in pkgutil.walk_packages(pminterview.__path__, "pminterview."):
    if ".tui" in module.name or module.name == "pminterview.__main__":
        continue
    importlib.import_module(module.name)
    if "textual" in sys.modules:
        sys.exit(f"{module.name} imported textual (or a TUI package it walked through did)")
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
