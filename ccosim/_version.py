"""The ccosim version, kept in one place (read by pyproject.toml and ``ccosim --version``)."""

__version__ = "0.1.0"
