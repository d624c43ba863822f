"""What every importer shares: reading and checking source files, downloads, and the report."""
