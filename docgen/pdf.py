"""PDF copies of Word documents through LibreOffice, in parallel, never at the Word file's expense.

LibreOffice runs one instance per user profile, so each worker gets its own profile folder. Each
worker converts its share of the files into a temporary folder; a PDF is moved beside its .docx
only when complete, so a failed or interrupted conversion leaves no partial PDF under a final name.
"""

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from docgen.errors import DocgenError

# Seconds one LibreOffice process may take per document before it is stopped.
SECONDS_PER_DOCUMENT = 60
_WINDOWS_PATHS = (
    r"C:\Program Files\LibreOffice\program\soffice.exe",
    r"C:\Program Files (x86)\LibreOffice\program\soffice.exe",
)


class PdfError(DocgenError):
    """LibreOffice is not installed, so no PDF copies can be made."""


@dataclass
class PdfResult:
    written: list[Path] = field(default_factory=list)
    failed: dict[Path, str] = field(default_factory=dict)


def find_soffice() -> str:
    """The LibreOffice program, or a PdfError saying how to install it."""
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    if sys.platform == "win32":
        for candidate in _WINDOWS_PATHS:
            if Path(candidate).exists():
                return candidate
    raise PdfError(
        "生成 PDF 需要 LibreOffice，但本机没有找到。Windows 请从 libreoffice.org 安装；"
        "Linux 请安装 libreoffice-writer（如 sudo apt-get install libreoffice-writer-nogui）。"
        "Word 文件已正常生成，不受影响。"
    )


def _convert_batch(soffice: str, files: Sequence[Path], work: Path) -> dict[Path, str]:
    """Convert files with one LibreOffice process; returns failures by file."""
    profile = work / "profile"
    out = work / "pdf"
    out.mkdir(parents=True, exist_ok=True)
    failures: dict[Path, str] = {}
    # Files of one folder at a time, so that PDFs with the same name cannot collide.
    by_name: dict[str, list[Path]] = {}
    for path in files:
        by_name.setdefault(path.stem, []).append(path)
    rounds = max(len(group) for group in by_name.values()) if by_name else 0
    for index in range(rounds):
        batch = [group[index] for group in by_name.values() if len(group) > index]
        command = [
            soffice,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            str(out),
            *[str(p) for p in batch],
        ]
        try:
            subprocess.run(
                command,
                capture_output=True,
                timeout=SECONDS_PER_DOCUMENT * len(batch) + 30,
                check=False,
                env={**os.environ, "HOME": str(work)},
            )
        except subprocess.TimeoutExpired:
            pass
        except OSError as exc:
            for path in batch:
                failures[path] = f"无法启动 LibreOffice：{exc}"
            continue
        for path in batch:
            produced = out / f"{path.stem}.pdf"
            if produced.exists() and produced.stat().st_size > 0:
                os.replace(produced, path.with_suffix(".pdf"))
            else:
                failures[path] = "LibreOffice 未能转换该文件"
    return failures


def convert_to_pdf(
    documents: Sequence[Path],
    workers: int = 2,
    progress: Callable[[int], None] | None = None,
) -> PdfResult:
    """Write NAME.pdf beside each NAME.docx; the Word files are never changed."""
    documents = [Path(p) for p in documents]
    result = PdfResult()
    if not documents:
        return result
    soffice = find_soffice()
    workers = max(1, min(workers, len(documents)))
    shares = [documents[i::workers] for i in range(workers)]
    with tempfile.TemporaryDirectory(prefix="docgen-pdf-") as scratch:

        def run(index: int) -> dict[Path, str]:
            failures = _convert_batch(soffice, shares[index], Path(scratch) / f"worker{index}")
            if progress is not None:
                progress(len(shares[index]))
            return failures

        with ThreadPoolExecutor(max_workers=workers) as pool:
            for failures in pool.map(run, range(workers)):
                result.failed.update(failures)
    result.written = [p.with_suffix(".pdf") for p in documents if p not in result.failed]
    return result
