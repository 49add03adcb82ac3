"""The read API's endpoints, one module per domain."""
