"""Moving words in and out: encrypted backups, merging, plain records, imports, and plain files written out.

May import the journal service and everything below it; never render or commands.
"""
