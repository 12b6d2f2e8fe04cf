"""The HTTP layer under the executor: the network guard, bounded body reading, redirects, error kinds."""
