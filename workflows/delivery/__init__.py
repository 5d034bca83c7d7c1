"""Senders: how an outbox message leaves the building. Deciding what to send is elsewhere."""
