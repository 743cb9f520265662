"""What entries are, in plain values: entries, drafts and their limits; the dates people type; matching.

Pure: may import stages and errors only.
"""
