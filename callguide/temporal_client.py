"""The one Temporal client factory: API, workers and CLI all connect through it."""

from __future__ import annotations

import dataclasses

import temporalio.converter
from temporalio.client import Client
from temporalio.service import TLSConfig

from callguide.codec import AesGcmCodec
from callguide.logging import LogContextInterceptor
from callguide.settings import Settings, parse_codec_keys
from callguide.tracing import temporal_interceptors


def data_converter(settings: Settings) -> temporalio.converter.DataConverter:
    """Encrypts payloads per tenant, and failures' messages and stack traces with them.

    The default failure converter leaves a failure's message and stack trace in clear text
    in history (a failed call's reason can quote what the caller said); with encoded
    attributes they travel as a payload through the codec. Clients and workers built here
    decode them transparently; the API and PostgreSQL keep the readable failure reason.
    """
    codec = AesGcmCodec(keys=parse_codec_keys(settings.codec_keys))
    return dataclasses.replace(
        temporalio.converter.default(),
        payload_codec=codec,
        failure_converter_class=temporalio.converter.DefaultFailureConverterWithEncodedAttributes,
    )


async def connect_temporal(settings: Settings) -> Client:
    if not settings.codec_keys.get_secret_value():
        raise RuntimeError(
            "CALLGUIDE_CODEC_KEYS is not set: Temporal payloads must be encrypted "
            "(`callguide dev up` generates a key for local use)"
        )
    api_key = settings.temporal_api_key
    return await Client.connect(
        settings.temporal_address,
        namespace=settings.temporal_namespace,
        api_key=api_key.get_secret_value() if api_key else None,
        tls=TLSConfig() if settings.temporal_tls else False,
        data_converter=data_converter(settings),
        # Client interceptors that are worker interceptors too run in every worker built
        # on this client: activities log with their tenant and call ids, and (when
        # tracing is on) a call's workflows and activities join its trace.
        interceptors=[LogContextInterceptor(), *temporal_interceptors(settings)],
    )
