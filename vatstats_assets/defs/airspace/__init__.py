"""The airspace domain: sector files, occupancy and staffing."""
