"""``python -m benchmarks [--sizes 10k,100k,1m] [--stages ...] [--quick]``: the whole suite, one table."""

import sys

from benchmarks.suite import main

sys.exit(main())
