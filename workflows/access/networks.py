"""Who asked, as far as counting needs: a keyed digest of the network a request came from
(an IPv4 address, an IPv6 /64: `workflows.access.limits.network`), stored where a count must
outlive the hour of the rate limits, never the address itself."""

from __future__ import annotations

import hashlib
import hmac

from workflows.access.limits import network


def network_digest(secret_key: str, purpose: str, address: str) -> str:
    """The same network gives the same digest for one purpose, and different ones for two."""
    return hmac.new(secret_key.encode(), f"{purpose}:{network(address)}".encode(),
                    hashlib.sha256).hexdigest()
