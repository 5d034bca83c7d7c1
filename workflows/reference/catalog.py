"""The fixed vocabularies of Intake: categories (Open311 service codes), product groups, sales
channels, the channels a case arrives through, statuses, outcomes and message authors.

Codes are what the database, the routing rules and the API use, so they never change once
published. Labels and hints are English gettext ids: the reader's language comes from the
catalogue (`workflows/i18n`), like every other word on a page.
"""

from __future__ import annotations

from dataclasses import dataclass

from workflows.i18n.messages import N_


@dataclass(frozen=True)
class Term:
    code: str
    label: str  # a gettext id
    hint: str = ""  # a gettext id, or empty


CATEGORIES: tuple[Term, ...] = (
    Term("counterfeit", N_("Counterfeit goods"),
         N_("Goods passed off as another maker's, or that do not do what they claim.")),
    Term("imitation", N_("Imitation / IP-infringing goods"),
         N_("Labels, packaging or designs copied from another brand.")),
    Term("smuggled", N_("Smuggled goods"),
         N_("Foreign goods without invoices, papers or a Vietnamese sub-label.")),
    Term("substandard", N_("Substandard goods"), N_("Goods below their declared quality standard.")),
    Term("food_safety", N_("Unsafe food"),
         N_("Spoiled, expired, untraceable food, or food with banned substances.")),
    Term("trade_fraud", N_("Trade fraud (weights, prices)"),
         N_("Short weight, false measures, prices above the displayed price.")),
    Term("labelling", N_("Labelling, standards, measurement"),
         N_("Missing or false labels, no expiry date, wrong net quantity.")),
    Term("consumer_dispute", N_("Consumer rights dispute"),
         N_("A seller refuses warranty, exchange, refund or compensation.")),
)

PRODUCT_GROUPS: tuple[Term, ...] = (
    Term("food", N_("Food and drink")),
    Term("drugs", N_("Medicines and supplements")),
    Term("cosmetics", N_("Cosmetics")),
    Term("electronics", N_("Electronics and appliances")),
    Term("clothing", N_("Clothing, shoes and bags")),
    Term("agricultural_inputs", N_("Agricultural inputs (fertiliser, pesticides, seeds)")),
    Term("other", N_("Other")),
)

SALES_CHANNELS: tuple[Term, ...] = (
    Term("shop", N_("Shop")),
    Term("market", N_("Market")),
    Term("online", N_("Online (marketplace, social media)")),
    Term("street", N_("Street vendor")),
)

INTAKE_CHANNELS: tuple[Term, ...] = (
    Term("web", N_("Web form")),
    Term("api", N_("API")),
    Term("hotline", N_("Hotline")),
    Term("letter", N_("Letter")),
    Term("walk_in", N_("In person")),
)

LABEL_ORIGINS: tuple[Term, ...] = (
    Term("vn", N_("Vietnam")),
    Term("foreign", N_("Another country")),
    Term("unknown", N_("Not stated / unknown")),
)

STATUSES: tuple[Term, ...] = (
    Term("received", N_("Received")),
    Term("triaged", N_("Triaged")),
    Term("assigned", N_("Assigned")),
    Term("in_progress", N_("In progress")),
    Term("waiting", N_("Waiting for information")),
    Term("resolved", N_("Resolved")),
    Term("rejected", N_("Rejected")),
    Term("closed", N_("Closed")),
)
# What the public is shown of an open case with the police (workflows.cases.sealing),
# beside the statuses of every other case.
WITH_AUTHORITIES = "with_authorities"
# An open case on hold for a business's explanation rather than the reporter's answer.
WAITING_FOR_BUSINESS = "waiting_business"
PUBLIC_STATUSES: tuple[Term, ...] = (
    *STATUSES, Term(WITH_AUTHORITIES, N_("Being handled by the competent authorities")),
    Term(WAITING_FOR_BUSINESS, N_("Waiting for the business's explanation")))
# A supporting agency's task on a case (workflows.cases.states.SUPPORT_TRANSITIONS).
SUPPORT_STATUSES: tuple[Term, ...] = (
    Term("open", N_("Open")),
    Term("done", N_("Done")),
)
# Who a business asked to explain is (workflows.parties).
PARTY_KINDS: tuple[Term, ...] = (
    Term("seller", N_("The seller (shop, trader, online seller)")),
    Term("brand_owner", N_("The brand owner or its authorised distributor")),
)
# Who registers as a brand owner (workflows.parties.brand_owners).
BRAND_OWNER_KINDS: tuple[Term, ...] = (
    Term("producer", N_("The producer that owns the brand")),
    Term("distributor", N_("A distributor authorised by the brand owner")),
)
# Where a brand owner's registration stands.
BRAND_OWNER_STATUSES: tuple[Term, ...] = (
    Term("pending", N_("Waiting for verification")),
    Term("verified", N_("Verified")),
    Term("refused", N_("Refused")),
    Term("revoked", N_("Verification withdrawn")),
)
# What a citizen sends the campaign "Người Việt Nam ưu tiên dùng hàng Việt Nam" that is not a
# complaint (workflows.campaign): it goes to the steering committee, not to an agency.
CAMPAIGN_KINDS: tuple[Term, ...] = (
    Term("suggestion", N_("A suggestion"),
         N_("An idea for the campaign, the market or this service.")),
    Term("product", N_("A Vietnamese product of good quality"),
         N_("Recommend a product made in Vietnam that deserves to be known.")),
    Term("shop", N_("A shop selling good Vietnamese goods"),
         N_("Recommend a shop or market stall that sells genuine Vietnamese goods.")),
)
# Where an agency's product warning stands (workflows.warnings.drafting.STEPS).
WARNING_STATUSES: tuple[Term, ...] = (
    Term("draft", N_("Draft, waiting for a second person's approval")),
    Term("published", N_("Published")),
    Term("withdrawn", N_("Withdrawn")),
    Term("discarded", N_("Discarded")),
)
# A brand owner's opinion on the goods of a case.
VERDICTS: tuple[Term, ...] = (
    Term("counterfeit", N_("Counterfeit: not our product")),
    Term("genuine", N_("Genuine: our product")),
    Term("cannot_tell", N_("Cannot tell from what is shown")),
)
# What the agency found, recorded when it resolves a case (feeds the statistics).
OUTCOMES: tuple[Term, ...] = (
    Term("violation_confirmed", N_("Violation confirmed")),
    Term("not_confirmed", N_("Violation not confirmed")),
    Term("referred", N_("Referred to another authority")),
    Term("insufficient_information", N_("Insufficient information")),
)
# Whom a penalty was imposed on.
VIOLATOR_KINDS: tuple[Term, ...] = (
    Term("company", N_("An enterprise (company, branch)")),
    Term("household", N_("A household business")),
    Term("individual", N_("An individual")),
)
# Who wrote a message on a case that the reporter reads.
MESSAGE_AUTHORS: tuple[Term, ...] = (
    Term("reporter", N_("The reporter")),
    Term("agency", N_("The agency")),
    Term("app_user", N_("Another user of the app that sent the report")),
)
# What an evidence file is, by the content type its bytes were found to have.
FILE_KINDS: tuple[Term, ...] = (
    Term("image/jpeg", N_("Photo (JPEG)")),
    Term("image/png", N_("Photo (PNG)")),
    Term("image/webp", N_("Photo (WebP)")),
    Term("application/pdf", N_("PDF document")),
)
ROLES: tuple[Term, ...] = (
    Term("admin", N_("Administrator")),
    Term("officer", N_("Intake officer")),
    Term("lead", N_("Agency lead")),
    Term("inspector", N_("Inspector")),
    Term("analyst", N_("Statistics staff")),
    Term("committee", N_("Steering committee 389 (read only)")),
)


def codes(terms: tuple[Term, ...]) -> frozenset[str]:
    return frozenset(term.code for term in terms)


def find(terms: tuple[Term, ...], code: str) -> Term | None:
    return next((term for term in terms if term.code == code), None)


CATEGORY_CODES = codes(CATEGORIES)
CAMPAIGN_KIND_CODES = codes(CAMPAIGN_KINDS)
PRODUCT_GROUP_CODES = codes(PRODUCT_GROUPS)
SALES_CHANNEL_CODES = codes(SALES_CHANNELS)
LABEL_ORIGIN_CODES = codes(LABEL_ORIGINS)
OUTCOME_CODES = codes(OUTCOMES)
VIOLATOR_KIND_CODES = codes(VIOLATOR_KINDS)
PARTY_KIND_CODES = codes(PARTY_KINDS)
BRAND_OWNER_KIND_CODES = codes(BRAND_OWNER_KINDS)
VERDICT_CODES = codes(VERDICTS)
