"""Message content, rendered in the recipient's language: each kind of email is three templates
under templates/email/ — a subject, a plain-text part and an HTML part; a kind a reporter may
also get by SMS has one more, templates/sms/<kind>.txt, a single short paragraph."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import jinja2

from workflows.cases.deadlines import days_overdue
from workflows.cases.report_fields import template_facts
from workflows.cases.tracking import format_tracking_code
from workflows.i18n.paths import TEMPLATES_DIR
from workflows.i18n.templates import FILTERS, template_words
from workflows.mail.kinds import OUTSIDE_KINDS
from workflows.mail.links import Links
from workflows.parties.references import format_reference
from workflows.reference import catalog
from workflows.reference.identity import domain_of
from workflows.reference.loading import ReferenceData
from workflows.reference.reporting import period_span, period_title

MAX_SUBJECT_CHARS = 200


@dataclass(frozen=True)
class RenderedMail:
    subject: str
    text: str
    html: str


def _environment(folder: str = "email") -> jinja2.Environment:
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES_DIR / folder),
        autoescape=jinja2.select_autoescape(enabled_extensions=("html",), default=False),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,  # templates are read once: no file check at every mail
    )
    environment.filters.update(**FILTERS, tracking_code=format_tracking_code,
                               party_reference=format_reference)
    return environment


class MailRenderer:
    def __init__(self, reference: ReferenceData, links: Links) -> None:
        self.environment = _environment()
        self.sms_environment = _environment("sms")
        self.sms_kinds = frozenset(path.stem for path in (TEMPLATES_DIR / "sms").glob("*.txt"))
        self.reference = reference
        self.links = links

    def _full(self, language: str, context: dict[str, Any]) -> dict[str, Any]:
        translator = self.reference.translator(language)
        words = template_words(translator, self.reference.agencies.values())
        return {**context, **words, **template_facts(translator), "catalog": catalog,
                "links": self.links, "service": self.reference.identity,
                "days_overdue": days_overdue,
                "service_domain": domain_of(self.links.home()),
                "period_title": lambda period: period_title(period, translator),
                "period_span": period_span}

    def render_sms(self, kind: str, language: str, context: dict[str, Any]) -> str:
        """One paragraph, its spaces and line breaks made single spaces (an SMS bills each)."""
        text = self.sms_environment.get_template(f"{kind}.txt").render(
            self._full(language, context))
        return " ".join(text.split())

    def render(self, kind: str, language: str, context: dict[str, Any]) -> RenderedMail:
        full = self._full(language, context)
        # A mail outside the agencies says who writes and how to check it is genuine.
        genuine = kind in OUTSIDE_KINDS
        subject = " ".join(self.environment.get_template(f"{kind}.subject.txt").render(full).split())
        return RenderedMail(
            # A header is one line (a newline is refused when the mail is built), and short
            # enough for a phone's list of mail.
            subject=subject if len(subject) <= MAX_SUBJECT_CHARS
            else subject[:MAX_SUBJECT_CHARS - 1].rstrip() + "…",
            text=self.environment.get_template(f"{kind}.txt").render(full) + (
                self.environment.get_template("_genuine.txt").render(full) if genuine else ""),
            html=self._html(kind, full, genuine),
        )

    def _html(self, kind: str, full: dict[str, Any], genuine: bool) -> str:
        html = self.environment.get_template(f"{kind}.html").render(full)
        if not genuine:
            return html
        footer = self.environment.get_template("_genuine.html").render(full)
        closing = html.rfind("</body>")
        return html[:closing] + footer + html[closing:] if closing >= 0 else html + footer
