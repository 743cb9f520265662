"""The face: one module per group of commands, each collecting input, calling the service, rendering.

May import everything below it except storage and sealing, which it reaches through the service.
"""
