"""Split by subject; import from the submodules."""
