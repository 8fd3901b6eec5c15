"""Clients for integrators, generated from the service's OpenAPI document (``python -m clients.generate``)."""
