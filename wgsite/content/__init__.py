"""Reading a site's sources and turning them into linked records: files, YAML, the schema, validation, records."""
