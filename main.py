"""Run Cloudref from a source checkout: `python main.py [options]`."""

import sys

from viewer.app import main

if __name__ == "__main__":
    if getattr(sys, "frozen", False):
        # The search index's preparing process (viewer/search/build.py) starts the frozen app
        # again: this makes that start run the process's work, not a second Cloudref.
        import multiprocessing

        multiprocessing.freeze_support()
    sys.exit(main())
