"""Rebuild the packaged templates into templates/: python scripts/build_templates.py [FOLDER] [--profile P].

Each template is built by the layout of its document's package (docgen.documents.registry)."""

import argparse
from pathlib import Path

from docgen.documents.registry import templates


def build_templates(folder: Path, profile: str = "gb2312") -> list[Path]:
    """Write every packaged template into folder."""
    return [template.layout(profile).save(folder / name) for name, template in templates().items()]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Rebuild docgen's GB/T 9704 templates.")
    parser.add_argument(
        "folder", nargs="?", type=Path, default=Path(__file__).resolve().parent.parent / "templates"
    )
    parser.add_argument("--profile", default="gb2312", help="font profile: gb2312 or windows")
    args = parser.parse_args(argv)
    for path in build_templates(args.folder, args.profile):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
