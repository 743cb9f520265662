"""The unlocked session: a small per-user agent holding one journal's data key in memory, and its clients.

May import sealing, storage, domain, paths and errors; the journal service (above it) starts and asks it.
"""
