"""careleaf: patient-education websites for clinics, from structured treatment Markdown."""

__version__ = "0.1.0"
