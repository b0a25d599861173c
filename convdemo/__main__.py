"""Run the command line with ``python -m convdemo``."""

from convdemo.cli import main

# Guarded so that importing this module (doctest collection) runs nothing.
if __name__ == "__main__":
    raise SystemExit(main())
