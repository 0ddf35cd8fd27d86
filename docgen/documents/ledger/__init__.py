"""整改台账 (Excel): the one workbook that lists every measure. workbook.py builds it."""

from pathlib import Path

from docgen.documents.base import DocumentKind, Job, one
from docgen.documents.ledger.workbook import build_ledger, write_ledger
from docgen.documents.naming import document_filename

DOCUMENT_NAME = "整改台账"

__all__ = ["DOCUMENT", "build_ledger", "ledger_path", "write", "write_ledger"]


def ledger_path(job: Job) -> Path:
    return job.out_dir / document_filename(DOCUMENT_NAME, ".xlsx")


def write(job: Job) -> list[Path]:
    """The ledger into job.out_dir, or the previous build's if made of the same."""
    path = ledger_path(job)
    if not job.taken(path, job.summary, job.settings):
        write_ledger(job.summary, job.settings, path)
    job.advance()
    return [path]


DOCUMENT = DocumentKind(key="ledger", name="整改台账", write=write, count=one)
