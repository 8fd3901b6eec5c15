"""The package version, read from the installed package's metadata (pyproject.toml's ``version``)."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version


def package_version() -> str:
    """The installed newsfacts version; ``0+unknown`` when run from a tree that was never installed."""
    try:
        return version("newsfacts")
    except PackageNotFoundError:
        return "0+unknown"


VERSION = package_version()
