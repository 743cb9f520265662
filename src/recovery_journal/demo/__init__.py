"""The built-in sample story and the throwaway journal `recovery-journal demo` shows it in.

May import the journal service and everything below it.
"""
