import sys

from lz.cli import main

sys.exit(main())
