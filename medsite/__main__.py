"""`python -m medsite`: the medsite command."""

import sys

from medsite.cli import main

sys.exit(main())
