"""`python -m pipeline.cli`: the `heart` command."""

import sys

from pipeline.cli import main

sys.exit(main())
