"""Helpers that are not an app: no models, and no knowledge of any app."""
