"""Encryption: pure crypto, key slots and unlocking, sealed rows (codec), sealed drafts, passphrase sources.

May import storage, domain, stages, errors; crypto.py imports nothing of this package at all.
"""
