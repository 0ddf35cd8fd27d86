"""Rebuild the packaged templates into templates/:
python scripts/build_templates.py [FOLDER] [--profile P] [--only NAME ...].

Each template is built by the layout of its document's package (docgen.documents.registry)."""

import argparse
from pathlib import Path

from docgen.documents.registry import templates


def build_templates(
    folder: Path, profile: str = "gb2312", only: list[str] | None = None
) -> list[Path]:
    """Write every packaged template (or those named in `only`) into folder."""
    known = templates()
    chosen = {name: t for name, t in known.items() if not only or name in only}
    unknown = sorted(set(only or ()) - set(chosen))
    if unknown:
        raise SystemExit(f"no such template: {', '.join(unknown)}; known: {', '.join(known)}")
    return [template.layout(profile).save(folder / name) for name, template in chosen.items()]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Rebuild docgen's GB/T 9704 templates.")
    parser.add_argument(
        "folder", nargs="?", type=Path, default=Path(__file__).resolve().parent.parent / "templates"
    )
    parser.add_argument("--profile", default="gb2312", help="font profile: gb2312 or windows")
    parser.add_argument(
        "--only", nargs="+", metavar="NAME", help="rebuild only these (e.g. urge_notice.docx)"
    )
    args = parser.parse_args(argv)
    for path in build_templates(args.folder, args.profile, args.only):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
