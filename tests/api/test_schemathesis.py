"""The live OpenAPI schema, fuzzed by schemathesis over loopback: no 500s, responses match the schema."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import checks
from schemathesis.core.failures import FailureGroup

from moderation.models import CannedReply
from tests.api.conftest import make_token
from tests.factories import ActionFactory, FlagFactory, ItemFactory

# Not "positive data acceptance": an opaque cursor or a stats window outside 2000-2100 is
# schema-valid as a string yet rightly refused with a documented 400. Not "ignored auth":
# the token rides on every request as a fixed header, so its probes cannot drop it; the
# permission matrix (test_permissions.py) covers missing, bad, expired and revoked tokens.
CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_schema_conformance,
    checks.negative_data_rejection,
]
EXAMPLES = 8  # per operation: bounded so the whole contract run stays near a minute


@pytest.fixture
def api_schema(live_server, transactional_db):
    token = make_token("read,act,admin", name="fuzzer")
    item = ItemFactory(route="repair")
    FlagFactory(item=item)
    ActionFactory(item=item)
    ItemFactory(parent=item, thread_root=item, channel=item.channel)
    CannedReply.objects.create(title="Repairs", body="Call us", route="repair")
    schema = schemathesis.openapi.from_url(f"{live_server.url}/api/schema/?format=json")
    schema.config.headers = {"Authorization": f"Bearer {token}"}
    return schema


def test_api_contract(api_schema, live_server):
    """Every operation, a bounded number of generated requests each, all to the loopback live server."""
    assert live_server.url.startswith("http://127.0.0.1") or live_server.url.startswith("http://localhost")
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 20, [op.label for op in operations]
    failures = []
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def check(case):
            case.call_and_validate(base_url=live_server.url, checks=CHECKS)

        try:
            check()
        except (AssertionError, FailureGroup) as exc:
            failures.append(f"{operation.label}: {exc}")
    assert not failures, "\n\n".join(failures)
