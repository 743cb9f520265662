"""How results look: Rich on a terminal, plain text when piped, JSON documents on request.

Gets plain data from the layers below; never imports storage or sealing, never prompts or exits.
"""
