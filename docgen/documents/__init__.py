"""The documents: one package per kind, each holding its template's name, its context (context.py,
a TypedDict built from the Summary: numbers, names, dates and lists), its wording and layout
(layout.py, the GB/T 9704 template built by code) and how it is written (__init__.py, with the
DocumentKind it registers in registry.py). base.py and naming.py hold what they all share.

Kinds: feedback_form, party_report, department_report (with self_check, what those two share),
brief, urge, year_end, ledger.
"""
