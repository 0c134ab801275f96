"""The notebooks' set-up check: fail fast, with a clear message, when the environment is wrong."""

from __future__ import annotations

import sys
from importlib import metadata

MINIMUM_VERSIONS: dict[str, tuple[int, ...]] = {"numpy": (2, 0), "matplotlib": (3, 8)}


def _version_tuple(text: str) -> tuple[int, ...]:
    parts = []
    for piece in text.split(".")[:3]:
        digits = "".join(ch for ch in piece if ch.isdigit())
        parts.append(int(digits) if digits else 0)
    return tuple(parts)


def check_environment() -> str:
    """Check Python and the packages the notebooks need; return "environment OK" (the same on every machine).

    Raises
    ------
    RuntimeError
        Naming what is missing or too old, and the command that fixes it (``make lab``).
    """
    problems = []
    if sys.version_info < (3, 10):  # noqa: UP036 - the point is to tell a reader on an older Python
        problems.append(f"Python {sys.version.split()[0]} is older than 3.10")
    found = {}
    for package, minimum in MINIMUM_VERSIONS.items():
        try:
            found[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            problems.append(f"{package} is not installed")
            continue
        if _version_tuple(found[package]) < minimum:
            wanted = ".".join(map(str, minimum))
            problems.append(f"{package} {found[package]} is older than {wanted}")
    if problems:
        raise RuntimeError(
            "This notebook needs the project's environment: "
            + "; ".join(problems)
            + ". Start JupyterLab with `make lab` from the repository's top folder, which installs it."
        )
    return "environment OK"
