"""The package list in pyproject.toml is explicit (templates/ is mapped into the package)."""

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_every_subpackage_is_listed():
    listed = set(
        tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["tool"]["setuptools"][
            "packages"
        ]
    )
    found = {
        ".".join(init.parent.relative_to(ROOT).parts)
        for init in (ROOT / "docgen").rglob("__init__.py")
    }
    assert found <= listed, (
        f"add to pyproject.toml [tool.setuptools] packages: {sorted(found - listed)}"
    )
    assert "docgen.templates" in listed
    # Nothing listed that the restructure removed (docgen.official.layouts, ...): setuptools
    # refuses to build a package whose folder is missing.
    assert listed - {"docgen.templates"} <= found, (
        f"remove from pyproject.toml [tool.setuptools] packages: {sorted(listed - found)}"
    )
