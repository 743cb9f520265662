"""Reports over the whole journal, from the sealed entry index: facts, the timeline, progress, the calendar.

May import the journal service and everything below it; never render or commands.
"""
