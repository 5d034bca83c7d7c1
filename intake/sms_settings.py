"""The SMS settings (INTAKE_SMS_*): the Kannel gateway, the brandname, accents, the caps, and
who may report deliveries. Read with the rest of the settings (intake/settings.py); a bad
value stops the start with a message naming the variable."""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from dataclasses import dataclass, field

from intake.env_values import (
    SettingsError,
    optional_url,
    positive_float,
    positive_int,
    switch,
    whole,
)
from workflows.mail.kannel import KannelConfig
from workflows.mail.sms import SmsPolicy

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
# An alphanumeric sender (a brandname) is at most 11 characters on the air; a number, 15 digits.
BRANDNAME_CHARACTERS = 11
NUMBER_DIGITS = 15


@dataclass(frozen=True)
class SmsSettings:
    gateway: KannelConfig = field(default_factory=KannelConfig)
    policy: SmsPolicy = field(default_factory=SmsPolicy)
    # Who may call /sms/delivery/…: the gateway's addresses (uvicorn puts a trusted proxy's
    # X-Forwarded-For in the client address).
    gateway_addresses: tuple[Network, ...] = (ipaddress.ip_network("127.0.0.1/32"),
                                              ipaddress.ip_network("::1/128"))
    # Where the gateway reaches Intake for delivery reports; "": INTAKE_BASE_URL.
    delivery_base_url: str = ""

    def from_gateway(self, address: str) -> bool:
        try:
            caller = ipaddress.ip_address(address)
        except ValueError:
            return False
        if isinstance(caller, ipaddress.IPv6Address) and caller.ipv4_mapped:
            caller = caller.ipv4_mapped  # a dual-stack listener sees ::ffff:127.0.0.1
        return any(caller in network for network in self.gateway_addresses)


def sms_settings(env: Mapping[str, str]) -> SmsSettings:
    return SmsSettings(
        gateway=KannelConfig(
            url=optional_url(env, "INTAKE_SMS_URL"),
            sender=_sender(env.get("INTAKE_SMS_SENDER", "").strip()),
            conversations=positive_int(env, "INTAKE_SMS_CONVERSATIONS", 2),
            timeout_seconds=positive_float(env, "INTAKE_SMS_TIMEOUT_SECONDS", 30.0),
        ),
        policy=SmsPolicy(
            per_number_daily=whole(env, "INTAKE_SMS_PER_NUMBER_DAILY", 5),
            monthly_parts=whole(env, "INTAKE_SMS_MONTHLY_PARTS", 3000),
            max_parts=positive_int(env, "INTAKE_SMS_MAX_PARTS", 4),
            accents=switch(env, "INTAKE_SMS_ACCENTS", False),
        ),
        gateway_addresses=_networks(env.get("INTAKE_SMS_GATEWAY_ADDRESSES", "127.0.0.1,::1")),
        delivery_base_url=optional_url(env, "INTAKE_SMS_DELIVERY_BASE_URL").rstrip("/"),
    )


def _sender(value: str) -> str:
    if not value:
        return ""
    if value.lstrip("+").isdigit():
        if len(value.lstrip("+")) > NUMBER_DIGITS:
            raise SettingsError(f"INTAKE_SMS_SENDER: {value!r} has {len(value.lstrip('+'))} "
                                f"digits; a sender number has at most {NUMBER_DIGITS}")
        return value
    if not value.isascii() or not value.isprintable():
        raise SettingsError(f"INTAKE_SMS_SENDER: {value!r}: a brandname is plain ASCII letters "
                            "and digits, as registered with the operators")
    if len(value) > BRANDNAME_CHARACTERS:
        raise SettingsError(f"INTAKE_SMS_SENDER: {value!r} is {len(value)} characters; a "
                            f"brandname has at most {BRANDNAME_CHARACTERS}")
    return value


def _networks(value: str) -> tuple[Network, ...]:
    networks = []
    for item in (part.strip() for part in value.split(",")):
        if not item:
            continue
        try:
            networks.append(ipaddress.ip_network(item, strict=False))
        except ValueError:
            raise SettingsError(f"INTAKE_SMS_GATEWAY_ADDRESSES: {item!r} is not an address or "
                                "a network (e.g. 127.0.0.1, 10.0.4.0/24)") from None
    if not networks:
        raise SettingsError("INTAKE_SMS_GATEWAY_ADDRESSES: empty; name the gateway's address, "
                            "e.g. 127.0.0.1")
    return tuple(networks)
