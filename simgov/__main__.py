import sys

from simgov.cli import main

sys.exit(main())
