"""Rebuild the packaged templates: python -m docgen.official.build_templates [FOLDER] [--profile P]."""

import argparse
from pathlib import Path

from docgen.official.templates import build_templates
from docgen.rendering import packaged_templates_dir


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Rebuild docgen's GB/T 9704 templates.")
    parser.add_argument("folder", nargs="?", type=Path, default=packaged_templates_dir())
    parser.add_argument("--profile", default="gb2312", help="font profile: gb2312 or windows")
    args = parser.parse_args(argv)
    for path in build_templates(args.folder, args.profile):
        print(path)  # a developer's script, not the library: it reports what it wrote
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
