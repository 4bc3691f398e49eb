"""Shared plumbing of every Mocky service: settings, logs, metrics, clock, storage,
events and gRPC helpers. Service packages import from here instead of copying."""
