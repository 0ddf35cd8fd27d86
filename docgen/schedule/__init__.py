"""Scheduled runs: calendar.py says which documents the rules in docgen.toml call for on a date
(pure), lock.py keeps two runs of one workspace apart, run.py is `docgen run` itself."""
