"""Contains all the data models used in inputs/outputs"""

from .article_summary import ArticleSummary
from .batch_item import BatchItem
from .batch_item_status import BatchItemStatus
from .batch_request import BatchRequest
from .batch_request_callback_events_item import BatchRequestCallbackEventsItem
from .batch_status import BatchStatus
from .batch_status_status import BatchStatusStatus
from .casualty import Casualty
from .casualty_kind import CasualtyKind
from .casualty_victims import CasualtyVictims
from .claim import Claim
from .denial import Denial
from .error_response import ErrorResponse
from .error_response_details_type_0_item import ErrorResponseDetailsType0Item
from .grounding import Grounding
from .health import Health
from .item_error import ItemError
from .outlet import Outlet
from .party import Party
from .party_type import PartyType
from .quote import Quote
from .readiness import Readiness
from .summary_request import SummaryRequest
from .summary_request_format import SummaryRequestFormat
from .trace_entry import TraceEntry
from .trace_entry_field import TraceEntryField
from .trace_entry_outcome import TraceEntryOutcome
from .usage import Usage

__all__ = (
    "ArticleSummary",
    "BatchItem",
    "BatchItemStatus",
    "BatchRequest",
    "BatchRequestCallbackEventsItem",
    "BatchStatus",
    "BatchStatusStatus",
    "Casualty",
    "CasualtyKind",
    "CasualtyVictims",
    "Claim",
    "Denial",
    "ErrorResponse",
    "ErrorResponseDetailsType0Item",
    "Grounding",
    "Health",
    "ItemError",
    "Outlet",
    "Party",
    "PartyType",
    "Quote",
    "Readiness",
    "SummaryRequest",
    "SummaryRequestFormat",
    "TraceEntry",
    "TraceEntryField",
    "TraceEntryOutcome",
    "Usage",
)
