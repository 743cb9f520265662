"""Looking after a journal: the doctor's checks (files, permissions, keys, every sealed record, backups).

May import portability, the journal service and everything below; never render or commands.
"""
