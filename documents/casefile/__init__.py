"""The case file format, version 1 (docs/case.schema.json): one JSON document per dispute."""
