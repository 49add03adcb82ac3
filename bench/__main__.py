"""`python -m bench`: the same as `vatstats bench` (see bench/suite.py)."""

import sys

from bench.suite import main

raise SystemExit(main(sys.argv[1:]))
