"""Run Cloudref from a source checkout: `python main.py [options]`."""

import sys

from viewer.app import main

if __name__ == "__main__":
    sys.exit(main())
