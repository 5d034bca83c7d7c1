"""Each event is declared once with everything it says (workflows.cases.states.EVENTS), and
nothing the code records, sends or draws lives outside the declarations: a missing timeline
sentence, public sentence, notice, mail template or form field fails here."""

from __future__ import annotations

import ast
import datetime as dt
from pathlib import Path

import pytest

from workflows.audit.models import AuditEvent
from workflows.cases.actions import JOINED_OUTCOME
from workflows.cases.events import CaseEvent, CaseEvents, UndeclaredEvent
from workflows.cases.history import describe
from workflows.cases.requirements import REQUIREMENTS
from workflows.cases.states import EVENTS, SUPPORT_TRANSITIONS, TRANSITIONS
from workflows.i18n.paths import CHECKOUT_DIR, TEMPLATES_DIR
from workflows.i18n.translations import translator
from workflows.mail.notifications import NOTICE_FUNCTIONS, NOTICES

CODE = [path for folder in ("workflows", "intake") for path in (CHECKOUT_DIR / folder).rglob("*.py")
        if "migrations" not in path.parts]
# Notices that render one template of their own name; the generic ones render the event's.
GENERIC_NOTICES = {"reporter_mail", "agency_mail"}


def _recorded_names() -> set[str]:
    """Every action the code records or takes by a literal name: CaseEvent(…, "name", …) and
    ActionRequest("name", …)."""
    found: set[str] = set()
    for path in CODE:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Name):
                continue
            position = {"CaseEvent": 2, "ActionRequest": 0}.get(node.func.id)
            if position is not None and len(node.args) > position:
                argument = node.args[position]
                if isinstance(argument, ast.Constant) and isinstance(argument.value, str):
                    found.add(argument.value)
    return found


def test_every_event_the_code_records_is_declared():
    from workflows.cases.conversation import AGENCY_MESSAGES

    recorded = _recorded_names() | set(AGENCY_MESSAGES.values())
    assert {"created", "routed", "public_reply", "brand_opinion", "reopen"} <= recorded
    assert recorded - EVENTS.keys() == set()


async def test_an_undeclared_event_is_refused_before_anything_is_written():
    events = CaseEvents(declared=EVENTS.keys())
    with pytest.raises(UndeclaredEvent):
        await events.record_all(None, [CaseEvent(None, None, "moved_out_of_province")])  # type: ignore[arg-type]


@pytest.mark.parametrize("name", sorted(EVENTS))
def test_every_event_says_what_it_did_in_both_languages(name):
    event = EVENTS[name]
    if name == JOINED_OUTCOME:  # a kind of public update, never an audit event of its own
        assert event.history == "" and event.told is not None
        return
    entry = AuditEvent(action=name, actor_type="system", actor_id="", reason="", before={},
                       after={}, created_at=dt.datetime(2026, 12, 5, tzinfo=dt.UTC))
    said = {language: describe(entry, translator(language), [], {}, {}).what
            for language in ("vi", "en")}
    assert said["en"] and said["en"] != name  # its sentence, every placeholder filled
    assert said["vi"] != said["en"] or not any(ch.isalpha() for ch in said["en"])


@pytest.mark.parametrize("transition", [*TRANSITIONS, *SUPPORT_TRANSITIONS],
                         ids=lambda transition: transition.action)
def test_an_action_that_moves_a_case_says_whether_the_public_learns_it(transition):
    """`told` is required: a sentence for the public, or NOT_PUBLIC said on purpose."""
    if transition.told is not None:
        english, vietnamese = translator("en"), translator("vi")
        assert english(transition.told.sentence) != vietnamese(transition.told.sentence)
    assert transition.label and transition.history


def test_every_notice_named_exists_and_each_mail_has_its_templates():
    named = {notice for event in EVENTS.values() for notice in event.notices}
    assert named <= NOTICE_FUNCTIONS.keys() and set(NOTICES) <= EVENTS.keys()
    email = TEMPLATES_DIR / "email"
    for event in EVENTS.values():
        if set(event.notices) & GENERIC_NOTICES:
            for part in ("subject.txt", "txt", "html"):  # the mail named after the event
                assert (email / f"{event.name}.{part}").exists(), (event.name, part)


def test_every_mail_template_is_sent_by_something():
    """A template nothing renders is a notice someone forgot to declare: one named after an
    event is sent only if that event names a generic notice, and any other is named by the
    code that sends it (the declarations, which name every event, do not count)."""
    declarations = {CHECKOUT_DIR / "workflows/cases/states.py",
                    CHECKOUT_DIR / "workflows/cases/actions.py"}
    code = "\n".join(path.read_text(encoding="utf-8") for path in CODE
                     if path not in declarations)
    generic = {event.name for event in EVENTS.values() if set(event.notices) & GENERIC_NOTICES}
    for subject in sorted((TEMPLATES_DIR / "email").glob("*.subject.txt")):
        kind = subject.name.removesuffix(".subject.txt")
        if kind in EVENTS and kind not in generic:
            assert f'"{kind}"' in code, f"{kind}: a mail named after its event, sent by nothing"
        assert kind in generic or f'"{kind}"' in code, kind


def test_an_actions_own_mail_is_a_citizens_and_says_what_happened():
    """A mail named after its event to the reporter is counted as a citizen's (its failure
    pages nobody, its address is never printed), and renders with what the event says."""
    from workflows.mail.notifications import _event_context
    from workflows.mail.outbox import CITIZEN_KINDS

    for event in EVENTS.values():
        if "reporter_mail" in event.notices:
            assert event.name in CITIZEN_KINDS
    context = _event_context(CaseEvent(None, None, "transfer", after={"agency_code": "x"},  # type: ignore[arg-type]
                                       reason="Vì lý do", facts={"body": "…"}))
    assert (context["reason"], context["after"], context["event_facts"]) == (
        "Vì lý do", {"agency_code": "x"}, {"body": "…"})


def test_every_event_name_fits_the_columns_that_keep_it():
    from workflows.cases.models import CaseUpdate
    from workflows.mail.models import OutboxMessage

    longest = min(AuditEvent._meta.fields_map["action"].max_length,
                  CaseUpdate._meta.fields_map["action"].max_length,
                  OutboxMessage._meta.fields_map["kind"].max_length)
    assert [name for name in EVENTS if len(name) > longest] == []


def test_templates_name_only_declared_actions():
    names = set()
    for template in Path(TEMPLATES_DIR).rglob("*.html"):
        text = template.read_text(encoding="utf-8")
        for marker in ("transition.action == ", "event.action == ", "line.action == "):
            for part in text.split(marker)[1:]:
                names.add(part.split()[0].strip("\"'"))
    assert names - EVENTS.keys() == set()


@pytest.mark.parametrize("name", sorted(REQUIREMENTS))
async def test_each_requirement_files_its_messages_under_fields_its_form_has(
        client, people, name):
    """Run with an empty form, a requirement's messages name fields the case page draws (or
    the form as a whole), so each shows beside its input."""
    from tests.helpers import post_report
    from workflows.cases.models import Case
    from workflows.cases.refusals import InvalidInput
    from workflows.cases.requirements import Step
    from workflows.reference.loading import DEFAULT_CONFIG_DIR, load_reference

    await post_report(client)
    case = await Case.get()
    step = Step(case, people["lead"], {}, load_reference(DEFAULT_CONFIG_DIR),
                dt.datetime.now(dt.UTC))
    fields = {field.name for field in REQUIREMENTS[name].fields}
    try:
        await REQUIREMENTS[name].check(step)
    except InvalidInput as invalid:
        named = {key for key in invalid.errors if not key.startswith("seized_")}
        assert named <= fields | {"form"}, (name, named - fields)
