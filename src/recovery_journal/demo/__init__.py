"""The built-in sample story and the throwaway journal `recovery-journal demo` shows it in."""
