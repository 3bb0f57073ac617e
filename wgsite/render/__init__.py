"""Pages: their routes, the template engine and the interface phrases."""
