"""One module per group of commands: each collects input, calls the service, hands the result to render."""
