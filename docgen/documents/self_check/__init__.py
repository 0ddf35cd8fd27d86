"""What the party group's self-check report (documents.party_report) and each department's
(documents.department_report) share: context.py the pieces of their contexts, wording.py the
pieces of their wording. Not a kind of document itself."""
