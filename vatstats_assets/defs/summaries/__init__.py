"""Daily summaries, the network status asset and the asset checks that guard them."""
