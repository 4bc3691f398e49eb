"""Shared plumbing of every Mocky service: settings, logs, metrics, clock, storage,
events and gRPC helpers. Service packages import from here instead of copying."""

import warnings

# eventlet prints a multi-line deprecation notice on import, into every service log.
warnings.filterwarnings("ignore", message=r"\s*Eventlet is deprecated", category=Warning)
