"""Where the checkout keeps what both layers read: the Jinja2 templates of pages and mail."""

from __future__ import annotations

from pathlib import Path

CHECKOUT_DIR = Path(__file__).resolve().parent.parent.parent
TEMPLATES_DIR = CHECKOUT_DIR / "templates"
