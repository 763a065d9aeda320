"""`python -m medsite`: the medsite command."""

import sys

from medsite.cli.main import main

sys.exit(main())
