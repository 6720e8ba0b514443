"""``python -m ccosim``: the same command line as the ``ccosim`` script."""

from ccosim.cli import main

if __name__ == "__main__":
    main()
