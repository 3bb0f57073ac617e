"""The wing that makes rebuilds fast: the manifest, the render memo and the caches."""
