"""Titles and file names shared by the documents."""

import datetime as dt

from docgen.config import Settings
from docgen.rendering import safe_filename

CAMPAIGN = "警示教育、以案促改和巡察整改工作"


def campaign_title(settings: Settings, as_of: dt.date) -> str:
    """江淮省地方金融管理局2026年警示教育、以案促改和巡察整改工作"""
    return f"{settings.organisation.name}{settings.year_for(as_of)}年{CAMPAIGN}"


def document_filename(document: str, suffix: str, department: str = "") -> str:
    """The document's Chinese name and the department, valid as a Windows file name.

    The department's part is made safe on its own, so that two departments get different file
    names exactly when validation.filename_clashes finds no clash between them."""
    if not department:
        return safe_filename(document) + suffix
    return f"{safe_filename(document)}_{safe_filename(department)}{suffix}"
