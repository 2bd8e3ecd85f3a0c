"""The KVS API errors the emulator returns, each with the HTTP status AWS uses."""

from __future__ import annotations


class KvsApiError(Exception):
    """An error the emulator reports to the client as an AWS-style JSON error."""

    code = "InternalFailure"
    status = 500

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ResourceNotFoundError(KvsApiError):
    code = "ResourceNotFoundException"
    status = 404


class ResourceInUseError(KvsApiError):
    code = "ResourceInUseException"
    status = 400


class InvalidArgumentError(KvsApiError):
    code = "InvalidArgumentException"
    status = 400


class ClientLimitExceededError(KvsApiError):
    code = "ClientLimitExceededException"
    status = 400


class ConnectionLimitExceededError(KvsApiError):
    code = "ConnectionLimitExceededException"
    status = 400


class VersionMismatchError(KvsApiError):
    code = "VersionMismatchException"
    status = 400


class TagsPerResourceExceededLimitError(KvsApiError):
    code = "TagsPerResourceExceededLimitException"
    status = 400


class UnknownOperationError(KvsApiError):
    code = "UnknownOperationException"
    status = 404
