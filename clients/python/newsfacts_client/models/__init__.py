"""Contains all the data models used in inputs/outputs"""

from .article_summary import ArticleSummary
from .batch_item import BatchItem
from .batch_item_status import BatchItemStatus
from .batch_status import BatchStatus
from .batch_status_status import BatchStatusStatus
from .casualty import Casualty
from .casualty_kind import CasualtyKind
from .casualty_victims import CasualtyVictims
from .claim import Claim
from .create_batch_v1_batches_post_body import CreateBatchV1BatchesPostBody
from .create_batch_v1_batches_post_body_summary_request import CreateBatchV1BatchesPostBodySummaryRequest
from .create_batch_v1_batches_post_body_summary_request_format import CreateBatchV1BatchesPostBodySummaryRequestFormat
from .create_summary_v1_summaries_post_summary_request import CreateSummaryV1SummariesPostSummaryRequest
from .create_summary_v1_summaries_post_summary_request_format import CreateSummaryV1SummariesPostSummaryRequestFormat
from .denial import Denial
from .error_response import ErrorResponse
from .error_response_details_type_0_item import ErrorResponseDetailsType0Item
from .grounding import Grounding
from .healthz_healthz_get_response_healthz_healthz_get import HealthzHealthzGetResponseHealthzHealthzGet
from .http_validation_error import HTTPValidationError
from .item_error import ItemError
from .outlet import Outlet
from .party import Party
from .party_type import PartyType
from .quote import Quote
from .trace_entry import TraceEntry
from .trace_entry_field import TraceEntryField
from .trace_entry_outcome import TraceEntryOutcome
from .usage import Usage
from .validation_error import ValidationError
from .validation_error_context import ValidationErrorContext

__all__ = (
    "ArticleSummary",
    "BatchItem",
    "BatchItemStatus",
    "BatchStatus",
    "BatchStatusStatus",
    "Casualty",
    "CasualtyKind",
    "CasualtyVictims",
    "Claim",
    "CreateBatchV1BatchesPostBody",
    "CreateBatchV1BatchesPostBodySummaryRequest",
    "CreateBatchV1BatchesPostBodySummaryRequestFormat",
    "CreateSummaryV1SummariesPostSummaryRequest",
    "CreateSummaryV1SummariesPostSummaryRequestFormat",
    "Denial",
    "ErrorResponse",
    "ErrorResponseDetailsType0Item",
    "Grounding",
    "HealthzHealthzGetResponseHealthzHealthzGet",
    "HTTPValidationError",
    "ItemError",
    "Outlet",
    "Party",
    "PartyType",
    "Quote",
    "TraceEntry",
    "TraceEntryField",
    "TraceEntryOutcome",
    "Usage",
    "ValidationError",
    "ValidationErrorContext",
)
