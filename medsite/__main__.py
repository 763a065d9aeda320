import sys

from medsite.cli import main

sys.exit(main())
