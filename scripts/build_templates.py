"""Rebuild the packaged templates into templates/: python scripts/build_templates.py [FOLDER] [--profile P]."""

import argparse
from pathlib import Path

from docgen.official.templates import build_templates


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
