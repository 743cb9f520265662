"""Turning results into what people see: Rich on a terminal, plain text when piped, JSON on request."""
