"""Small reusable widgets (the timeline scrubber, ...)."""
