"""`python -m pminterview` runs the command line."""

import sys

from pminterview.cli import main

sys.exit(main())
