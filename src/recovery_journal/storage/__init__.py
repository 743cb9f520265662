"""The SQLite file and what lives beside it: connection and transactions, the SQL, migrations, the schema.

May import errors and paths only; knows nothing of keys, entries' meaning, or the terminal.
"""
