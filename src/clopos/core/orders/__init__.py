"""Orders pushed in by integrators, and how the sandbox venue answers them."""
