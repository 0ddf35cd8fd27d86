"""Titles, names and file names shared by the documents."""

import datetime as dt

from docgen.config import Settings
from docgen.files import safe_filename

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


def office_name(settings: Settings) -> str:
    """The office in full where the organ's name makes it so: 局办公室 of 江淮省地方金融管理局
    is 江淮省地方金融管理局办公室; an office named otherwise keeps its name (the brief's 编印单位,
    the urging notices' signature, the summary's 印发机关)."""
    office = settings.organisation.office
    org = settings.organisation.name
    if office.startswith("局") and org.endswith("局"):
        return org + office[1:]
    return office


def full_office_name(settings: Settings) -> str:
    """局办公室 → 江淮省地方金融管理局办公室, and 办公室 → 江淮省地方金融管理局办公室: the 印发机关
    of the self-check report's 版记, always named in full."""
    office, organisation = settings.organisation.office, settings.organisation.name
    if organisation in office:
        return office
    return organisation + (office[1:] if office.startswith("局") else office)
