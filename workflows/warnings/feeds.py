"""The public warnings as feeds other sites and apps can follow: JSON, and Atom (RFC 4287)
written with ElementTree, so that every text is escaped as XML requires. An entry keeps its
id when it is withdrawn; its update says so and why."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from collections.abc import Callable, Sequence
from typing import Any

from workflows.i18n.messages import N_
from workflows.i18n.translations import Translator
from workflows.warnings.models import ProductWarning

ATOM = "http://www.w3.org/2005/Atom"


def _stamp(moment: dt.datetime | None) -> str:
    return (moment or dt.datetime(1970, 1, 1, tzinfo=dt.UTC)).astimezone(dt.UTC).isoformat()


def updated_at(warning: ProductWarning) -> dt.datetime | None:
    return warning.withdrawn_at or warning.published_at


def as_json(warning: ProductWarning, url: str, agency_name: str) -> dict[str, Any]:
    """One warning as /warnings.json lists it: the product, what to look for, who says so."""
    return {
        "id": warning.id, "url": url, "status": warning.status,
        "agency": warning.agency_code, "agency_name": agency_name,
        "product_name": warning.product_name, "brand": warning.brand,
        "barcode": warning.barcode, "batch": warning.batch, "what_to_look_for": warning.body,
        "legal_basis": warning.legal_basis, "published_at": _stamp(warning.published_at),
        "withdrawn_at": _stamp(warning.withdrawn_at) if warning.withdrawn_at else None,
        "withdraw_reason": warning.withdraw_reason or None,
        "photos": [f"{url}/photos/{photo.id}" for photo in warning.photos],
    }


def atom_feed(warnings: Sequence[ProductWarning], *, feed_url: str, page_url: str, title: str,
              author: str, url_of: Callable[[ProductWarning], str],
              agency_name: Callable[[str], str], words: Translator,
              now: dt.datetime) -> bytes:
    """The Atom document: a feed id that stays (its address), one entry per warning. The
    feed is as new as its newest change; with no warning yet, as new as `now`."""
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")
    ET.SubElement(feed, f"{{{ATOM}}}id").text = feed_url
    ET.SubElement(feed, f"{{{ATOM}}}title").text = title
    ET.SubElement(feed, f"{{{ATOM}}}updated").text = _stamp(max(
        (moment for warning in warnings if (moment := updated_at(warning))), default=now))
    ET.SubElement(feed, f"{{{ATOM}}}link", rel="self", href=feed_url,
                  type="application/atom+xml")
    ET.SubElement(feed, f"{{{ATOM}}}link", rel="alternate", href=page_url, type="text/html")
    ET.SubElement(ET.SubElement(feed, f"{{{ATOM}}}author"), f"{{{ATOM}}}name").text = author
    for warning in warnings:
        entry = ET.SubElement(feed, f"{{{ATOM}}}entry")
        url = url_of(warning)
        ET.SubElement(entry, f"{{{ATOM}}}id").text = url
        withdrawn = warning.status == "withdrawn"
        heading = warning.product_name + (f" — {warning.brand}" if warning.brand else "")
        ET.SubElement(entry, f"{{{ATOM}}}title").text = (
            words(N_("Withdrawn: {title}"), {"title": heading}) if withdrawn else heading)
        ET.SubElement(entry, f"{{{ATOM}}}link", rel="alternate", href=url, type="text/html")
        for photo in warning.photos:
            ET.SubElement(entry, f"{{{ATOM}}}link", rel="enclosure",
                          href=f"{url}/photos/{photo.id}", type=photo.content_type,
                          length=str(photo.size))
        ET.SubElement(entry, f"{{{ATOM}}}published").text = _stamp(warning.published_at)
        ET.SubElement(entry, f"{{{ATOM}}}updated").text = _stamp(updated_at(warning))
        ET.SubElement(ET.SubElement(entry, f"{{{ATOM}}}author"),
                      f"{{{ATOM}}}name").text = agency_name(warning.agency_code)
        lines = [warning.body, words(N_("Legal basis: {basis}"), {"basis": warning.legal_basis})]
        if warning.barcode:
            lines.append(words(N_("Barcode: {barcode}"), {"barcode": warning.barcode}))
        if warning.batch:
            lines.append(words(N_("Batch: {batch}"), {"batch": warning.batch}))
        if withdrawn:
            lines.insert(0, words(N_("Withdrawn: {reason}"), {"reason": warning.withdraw_reason}))
        ET.SubElement(entry, f"{{{ATOM}}}content", type="text").text = "\n\n".join(lines)
    body: bytes = ET.tostring(feed, encoding="utf-8", xml_declaration=True)
    return body
