"""The cases capability's tables, one module per part: the case itself, the work on it, what
a resolution leaves, what it shows the outside."""

from workflows.cases.models.case import Case as Case
from workflows.cases.models.outcome import CaseFeedback as CaseFeedback
from workflows.cases.models.outcome import SeizedItem as SeizedItem
from workflows.cases.models.public import CaseUpdate as CaseUpdate
from workflows.cases.models.public import FilingKey as FilingKey
from workflows.cases.models.work import Attachment as Attachment
from workflows.cases.models.work import CaseMessage as CaseMessage
from workflows.cases.models.work import CaseNote as CaseNote
from workflows.cases.models.work import CaseSupport as CaseSupport

# What Tortoise registers from this package (each module's own imports are for typing only).
__models__ = [Case, CaseSupport, Attachment, CaseMessage, CaseNote, CaseUpdate, FilingKey,
              SeizedItem, CaseFeedback]
