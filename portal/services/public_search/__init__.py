"""Search as the public uses it."""
