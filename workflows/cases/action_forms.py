"""The fields of the actions' forms on the case page, by requirement: each requirement
(`workflows.cases.requirements.REQUIREMENTS`) names its fields here once, and the page draws
every action's form from them — a new action made of known requirements needs no template."""

from __future__ import annotations

from dataclasses import dataclass

from workflows.i18n.messages import N_


@dataclass(frozen=True)
class FormField:
    """One input of an action's form. Its name is what the requirement reads and what its
    message is filed under, so the message shows beside it."""

    name: str
    label: str  # a gettext id
    widget: str = "text"  # text, textarea, select, date, email, number, suggest, seized_items
    hint: str = ""  # a gettext id; {placeholders} the page fills (HINT_PARAMETERS)
    options: str = ""  # a select's list, or a suggest's: which of the page's lists
    group: str = ""  # a gettext id: the legend of the fieldset it belongs to
    rows: int = 2  # a textarea's


# The placeholders hints may use, filled by the page from the configuration.
HINT_PARAMETERS = frozenset({"days"})

REASON = (FormField("reason", N_("Reason"), "textarea"),)
REPORT = (FormField("report", N_("What was done"), "textarea"),)
QUESTION = (FormField("question", N_("Question to the reporter"), "textarea", rows=3,
                      hint=N_("Public: shown on the reporter's page and on /track, and mailed "
                              "to the reporter if they left an email address.")),)
AGENCY = (FormField("agency_code", N_("Agency"), "select", options="agencies"),)
ASSIGNEE = (FormField("assignee_id", N_("Inspector"), "select", options="assignees"),)
SUPPORT_ASSIGNEE = (FormField("assignee_id", N_("Inspector"), "select",
                              options="support_assignees"),)
DUE_DATE = (FormField("due_date", N_("New due date"), "date"),)
DUPLICATE_OF = (FormField("duplicate_of", N_("Tracking code of the case it repeats"),
                          "suggest", options="duplicates"),)
SUPPORT = (
    FormField("agency_code", N_("Supporting agency"), "select", options="support_agencies"),
    FormField("task", N_("Task"), "textarea"),
    FormField("due_date", N_("Due date (empty: the case's due date)"), "date"),
)
PENALTY = N_("Penalty")
OUTCOME = (
    FormField("outcome", N_("Outcome"), "select", options="outcomes"),
    FormField("public_outcome", N_("Public outcome"), "textarea", rows=3,
              hint=N_("Shown on /track and mailed to the reporter: no names of people.")),
    FormField("fine_vnd", N_("Fine (đồng)"), "number", group=PENALTY),
    FormField("decision_number", N_("Number of the penalty decision"), group=PENALTY),
    FormField("decision_date", N_("Date of the decision"), "date", group=PENALTY),
    FormField("violator_name", N_("Violator (business or person)"), group=PENALTY),
    FormField("violator_kind", N_("The violator is"), "select", options="violator_kinds",
              group=PENALTY),
    FormField("violator_tax_code", N_("Tax code"), "number", group=PENALTY,
              hint=N_("10 digits (13 for a branch); for a person or household, the 12-digit "
                      "identification number.")),
    FormField("legal_basis", N_("Legal basis"), "textarea", group=PENALTY),
    FormField("seized", N_("Goods seized"), "seized_items"),
)
EXPLANATION = (
    FormField("party_kind", N_("Who is asked"), "select", options="party_kinds"),
    FormField("party_name", N_("Name of the business")),
    FormField("party_email", N_("Its email address"), "email",
              hint=N_("It receives a link that works once, until the deadline. Nothing about "
                      "the reporter is sent.")),
    FormField("question", N_("What it must explain"), "textarea", rows=3),
    FormField("days", N_("Working days to answer"), "number",
              hint=N_("Empty: {days} working days.")),
    FormField("reply_to", N_("Its replies go to"), "select", options="reply_to",
              hint=N_("The mail names you and the agency's phone either way.")),
)
BRAND_OWNER = (FormField(
    "brand_owner_id", N_("Brand owner"), "select", options="brand_owners",
    hint=N_("Verified brand owners; those of the brand or barcode the case names come first. "
            "It receives the product facts and photos, never the reporter.")),)
NOTHING: tuple[FormField, ...] = ()  # the requirement reads the case, not the form
