"""Why an action on a case was not taken. Messages are English gettext ids with {placeholders};
pages translate them, and a form puts each field's message beside that field."""

from __future__ import annotations

from workflows.i18n.messages import N_, Errors, Problem


class ActionRefused(Exception):
    """The action cannot be taken: the state, the role, or what was typed does not allow it."""

    def __init__(self, message: str, **params: object) -> None:
        super().__init__(message.format(**params) if params else message)
        self.message = message
        self.params = params
        self.errors: Errors = {"form": Problem(message, params)}


class InvalidInput(ActionRefused):
    """What was typed does not do: a message per field (the form keeps every value)."""

    def __init__(self, errors: Errors) -> None:
        first = next(iter(errors.values()))
        super().__init__(first.message, **dict(first.params))
        self.errors = dict(errors)

    def __str__(self) -> str:
        return " ".join(problem.message.format(**problem.params) if problem.params
                        else problem.message for problem in self.errors.values())


class StaleCase(ActionRefused):
    def __init__(self) -> None:
        super().__init__(N_("This case was changed by someone else meanwhile. "
                            "Reload it, check, and try again."))
