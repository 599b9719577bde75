"""Taking over a running Flask lpsaring deployment: its database (`import_lpsaring`) and, through
quota.adoption, its router (`router_sync --adopt-lpsaring`).

read.py reads the Flask database over a read-only connection; mapping.py turns its rows into our values
(pure); write.py writes them in batches, idempotently (ImportedRecord and `import:` ledger keys);
report.py collects counts, rejected rows and the remaining bytes on both sides. flask_fixture.py builds a
Flask-shaped database for tests and benchmarks; flask_router.py plants the Flask deployment's router
entries for the imported residents on a simulator.
"""
