"""What the command line runs: build, serve, check, new, init and docs."""
