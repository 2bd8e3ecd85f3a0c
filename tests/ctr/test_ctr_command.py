"""`callguide ctr-consumer` as the dev stack runs it: a process of its own following a
stream on the embedded S3/Kinesis server (moto) into PostgreSQL, configured only through
the environment; and the dev stack's choice of stream."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any

import boto3

from callguide.dev_supervisor import DEV_AWS_ENV, dev_ctr_stream
from callguide.devstack import DEV_CTR_STREAM
from callguide.resources import Stores
from callguide.settings import Settings
from tests.conftest import Stack
from tests.ctr.test_consumer import REGION, T0, ctr, instance_arn, tenant_bound_to


def kinesis_client(endpoint: str) -> Any:
    return boto3.client(
        "kinesis",
        endpoint_url=endpoint,
        region_name=REGION,
        aws_access_key_id=DEV_AWS_ENV["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=DEV_AWS_ENV["AWS_SECRET_ACCESS_KEY"],
    )


def test_the_dev_stack_creates_its_stream_on_the_embedded_server_once(s3: str) -> None:
    settings = Settings(ctr_stream_name=None, ctr_kinesis_endpoint_url=None)
    assert dev_ctr_stream(settings, s3) == (DEV_CTR_STREAM, s3)
    assert dev_ctr_stream(settings, s3) == (DEV_CTR_STREAM, s3)  # already there: fine
    names = kinesis_client(s3).list_streams()["StreamNames"]
    assert names.count(DEV_CTR_STREAM) == 1
    # Without an embedded server or a configured stream there is nothing to consume.
    assert dev_ctr_stream(settings, None) is None
    # A stream of the user's own on real Kinesis (no endpoint): consumed, never created.
    own = Settings(ctr_stream_name="connect-ctr", ctr_kinesis_endpoint_url=None)
    assert dev_ctr_stream(own, None) == ("connect-ctr", None)


async def test_the_command_follows_the_stream_until_stopped(
    stack: Stack, stores: Stores, s3: str, tmp_path: Path
) -> None:
    instance = instance_arn()
    tenant = await tenant_bound_to(stores, instance)
    stream = f"ctr-{uuid.uuid4().hex[:10]}"
    kinesis = kinesis_client(s3)
    kinesis.create_stream(StreamName=stream, ShardCount=1)
    env = {k: v for k, v in os.environ.items() if not k.startswith("CALLGUIDE_")}
    env.update(DEV_AWS_ENV)
    env.update(
        {
            "DATABASE_URL": stack.database_url,
            "CALLGUIDE_CTR_STREAM_NAME": stream,
            "CALLGUIDE_CTR_KINESIS_ENDPOINT_URL": s3,
            "CALLGUIDE_STATE_DIR": str(uuid.uuid4()),  # no dev stack's settings
        }
    )
    log = tmp_path / "ctr-consumer.log"
    with log.open("wb") as output:
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "callguide.cli",
            "ctr-consumer",
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        contact = str(uuid.uuid4())
        kinesis.put_record(
            StreamName=stream,
            Data=json.dumps(ctr(contact, instance, T0)).encode(),
            PartitionKey=contact,
        )
        for _ in range(300):
            if await stores.contact_records.for_contact(tenant.tenant_id, contact):
                break
            assert process.returncode is None, log.read_text()
            await asyncio.sleep(0.1)
        stored = await stores.contact_records.for_contact(tenant.tenant_id, contact)
        assert stored is not None and stored.agent_username == "jdoe"
    finally:
        process.terminate()
        await asyncio.wait_for(process.wait(), 10)
