"""ATC coverage (issue 15): which flights had air traffic control, for how long, and from whom."""
