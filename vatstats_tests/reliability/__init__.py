"""Reliability and security: faults survived, bad input refused, nothing lost, storage bounded (issue 8)."""
