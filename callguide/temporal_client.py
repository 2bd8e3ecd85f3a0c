"""The one Temporal client factory: API, workers and CLI all connect through it."""

from __future__ import annotations

import dataclasses

import temporalio.converter
from temporalio.client import Client
from temporalio.service import TLSConfig

from callguide.codec import AesGcmCodec
from callguide.settings import Settings, parse_codec_keys


def data_converter(settings: Settings) -> temporalio.converter.DataConverter:
    codec = AesGcmCodec(keys=parse_codec_keys(settings.codec_keys))
    return dataclasses.replace(temporalio.converter.default(), payload_codec=codec)


async def connect_temporal(settings: Settings) -> Client:
    if not settings.codec_keys:
        raise RuntimeError(
            "CALLGUIDE_CODEC_KEYS is not set: Temporal payloads must be encrypted "
            "(`callguide dev up` generates a key for local use)"
        )
    return await Client.connect(
        settings.temporal_address,
        namespace=settings.temporal_namespace,
        api_key=settings.temporal_api_key,
        tls=TLSConfig() if settings.temporal_tls else False,
        data_converter=data_converter(settings),
    )
