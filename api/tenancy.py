"""Tenant seals: which hosts, Connect instances and KVS streams belong to a tenant.

Pure functions, so each rule is tested on its own; routes and dependencies turn a
TenancyError into the HTTP answer it names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from fastapi import HTTPException

from storage.tenants import INSTANCE_ARN_PATTERN, Tenant

if TYPE_CHECKING:
    from api.connect_models import ContactEvent, ContactFlowEvent

INSTANCE_FIELD = "Details.ContactData.InstanceARN"
STREAM_FIELD = "Details.ContactData.MediaStreams.Customer.Audio.StreamARN"
EVENT_INSTANCE_FIELD = "detail.instanceArn"

# Connect names the stream it creates connect-<instance alias>-contact-<contact id>, after
# the instance's live media streaming prefix when one is set (<prefix>-connect-...), and
# KVS appends the stream's creation time in milliseconds to its ARN.
STREAM_ARN_PATTERN = re.compile(
    r"arn:(?P<partition>aws[a-z-]*):kinesisvideo:(?P<region>[a-z]{2}(?:-[a-z]+)+-\d):"
    r"(?P<account>\d{12}):stream/"
    r"(?P<name>(?:[A-Za-z0-9_.-]{1,128}-)?connect-[a-z0-9](?:[a-z0-9-]{0,62})"
    r"-contact-[A-Za-z0-9-]{1,128})"
    r"/(?P<created_ms>\d{1,20})"
)


@dataclass(frozen=True)
class TenancyError(Exception):
    status: int
    message: str


@dataclass(frozen=True)
class HostTarget:
    slug: str
    region: str


def check_instance(tenant: Tenant, instance_arn: str, field: str = INSTANCE_FIELD) -> None:
    """403 unless the Connect instance is one the tenant was bound to."""
    if not tenant.connect_instances:
        raise TenancyError(
            403,
            f"{field}: this tenant has no Connect instance bound, so it cannot start or "
            "change calls; an operator binds one with "
            "`callguide tenants update <tenant> --connect-instance <instance ARN>`",
        )
    # Membership of a short list of public ARNs; nothing secret is compared here.
    if instance_arn not in tenant.connect_instances:
        raise TenancyError(
            403, f"{field}: instance {instance_arn[:200]!r} is not bound to this tenant"
        )


def check_stream(instance_arn: str, stream_arn: str, field: str = STREAM_FIELD) -> None:
    """400 unless the stream is a Connect contact stream of the instance's account and region."""
    stream = STREAM_ARN_PATTERN.fullmatch(stream_arn)
    if stream is None:
        raise TenancyError(
            400,
            f"{field}: not a Connect media stream ARN (expected arn:aws:kinesisvideo:"
            "<region>:<account>:stream/connect-<instance alias>-contact-<id>/<creation ms>)",
        )
    instance = INSTANCE_ARN_PATTERN.fullmatch(instance_arn)
    if instance is None:
        raise TenancyError(400, f"{INSTANCE_FIELD}: not a Connect instance ARN")
    for part in ("partition", "account", "region"):
        if stream[part] != instance[part]:
            raise TenancyError(
                400,
                f"{field}: the stream's {part} {stream[part]!r} is not the instance's "
                f"{instance[part]!r}",
            )


def check_contact_flow(tenant: Tenant, instance_arn: str, stream_arn: str) -> None:
    """Everything a contact-flow event must satisfy before a call may start."""
    instance = INSTANCE_ARN_PATTERN.fullmatch(instance_arn)
    # An instance in another region can never be bound (tenants keep their data in one
    # region), so it is the event that is wrong: 400, as before tenants had instances.
    if instance is not None and instance["region"] != tenant.region:
        raise TenancyError(
            400,
            f"{INSTANCE_FIELD}: instance is in {instance['region']}, "
            f"but this tenant's data stays in {tenant.region}",
        )
    check_instance(tenant, instance_arn)
    check_stream(instance_arn, stream_arn)


def check_contact_event(tenant: Tenant, instance_arn: str | None) -> None:
    """A contact event naming an instance must name one of the tenant's."""
    if instance_arn is not None:
        check_instance(tenant, instance_arn, EVENT_INSTANCE_FIELD)


def http_error(error: TenancyError) -> HTTPException:
    headers = {"WWW-Authenticate": "Bearer"} if error.status == 401 else None
    return HTTPException(error.status, detail=error.message, headers=headers)


def seal_contact_flow(tenant: Tenant, event: ContactFlowEvent) -> None:
    """The route's guard: raises the 403/400 before anything about the call is started."""
    contact = event.Details.ContactData
    stream_arn = contact.MediaStreams.Customer.Audio.StreamARN
    try:
        check_contact_flow(tenant, contact.InstanceARN, stream_arn)
    except TenancyError as exc:
        raise http_error(exc) from exc


def seal_contact_event(tenant: Tenant, event: ContactEvent) -> None:
    """The route's guard: a contact event from another tenant's instance records nothing."""
    try:
        check_contact_event(tenant, event.detail.instanceArn)
    except TenancyError as exc:
        raise http_error(exc) from exc


def host_target(host: str, public_domain: str | None) -> HostTarget | None:
    """The tenant host a request addressed, or None when the host is not under our domain.

    Under our domain only <slug>.<region>.<domain> is a tenant host: the bare domain, one
    label or three labels are refused rather than read as "no tenant named".
    """
    if not public_domain:
        return None
    hostname = _hostname(host)
    domain = public_domain.lower().rstrip(".")
    if hostname != domain and not hostname.endswith("." + domain):
        return None
    labels = hostname[: -len(domain)].rstrip(".").split(".") if hostname != domain else []
    if len(labels) != 2 or not all(labels):
        raise TenancyError(
            403,
            f"host {hostname!r} is not a tenant host: use <tenant>.<region>.{domain}",
        )
    return HostTarget(labels[0], labels[1])


def check_host(tenant: Tenant, host: str, public_domain: str | None) -> None:
    """Refuses a tenant host of another tenant or region; hosts outside our domain pass."""
    target = host_target(host, public_domain)
    if target is None:
        return
    # The stored slug is canonical; a host is never re-slugged, so 'probe_a' is no alias.
    if target.slug != tenant.slug or target.region != tenant.region:
        raise TenancyError(401, "this API key does not belong to this tenant host")


def _hostname(host: str) -> str:
    host = host.strip().lower()
    if host.startswith("["):  # an IPv6 literal, never one of our tenant hosts
        return host.partition("]")[0] + "]"
    return host.rsplit(":", 1)[0].rstrip(".") if host.count(":") == 1 else host.rstrip(".")
