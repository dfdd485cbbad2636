"""Calling a service from an API view: a domain error (a ValidationError the service
raises) becomes a 400 answer carrying its messages, per field where it has fields."""

from django.core.exceptions import ValidationError
from rest_framework.exceptions import ValidationError as ApiValidationError


def domain_call(call):
    """Run ``call()`` and translate its domain error for DRF."""
    try:
        return call()
    except ValidationError as exc:
        raise ApiValidationError(exc.message_dict if hasattr(exc, "error_dict") else exc.messages) from exc
