"""Sync through a folder a sync tool carries: sealed change files and manifests, one folder per device.

May import portability, the journal service and everything below them; never render or commands.
"""
