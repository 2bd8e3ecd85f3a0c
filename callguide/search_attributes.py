"""Search attributes callguide registers and sets. They are stored in clear: never PII."""

from temporalio.common import SearchAttributeKey

TENANT_ID = SearchAttributeKey.for_keyword("TenantId")
CONTACT_ID = SearchAttributeKey.for_keyword("ContactId")
CALL_STATUS = SearchAttributeKey.for_keyword("CallStatus")
REDACTION_STATUS = SearchAttributeKey.for_keyword("RedactionStatus")

ALL = (TENANT_ID, CONTACT_ID, CALL_STATUS, REDACTION_STATUS)
