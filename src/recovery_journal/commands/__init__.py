"""One module per group of commands. Each command collects input, calls the service, hands results to render."""
