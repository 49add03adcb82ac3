"""The one error type the simulator raises for user mistakes (bad arguments, busy port, unwritable paths)."""


class SimulatorError(Exception):
    """A user-facing problem; the message is one sentence naming what was wrong."""
