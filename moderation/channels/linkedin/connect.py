"""Connect a LinkedIn Page: 3-legged OAuth 2.0, then the organisation the member administers
(docs/channels.md, "LinkedIn"). Tokens last 60 days; refresh tokens go to approved partners only.
"""

from __future__ import annotations

from typing import Any, ClassVar

from moderation.channels.base import ChannelPermissionError
from moderation.channels.linkedin.adapter import DEFAULT_VERSION
from moderation.channels.oauth2 import OAuth2Connector
from moderation.channels.rest import Json

SCOPES = ("r_organization_social_feed", "w_organization_social_feed", "rw_organization_admin")


class LinkedInConnector(OAuth2Connector):
    platform: ClassVar[str] = "linkedin"
    login_group: ClassVar[str] = "linkedin"
    default_scopes: ClassVar[tuple[str, ...]] = SCOPES
    label: ClassVar[str] = "LinkedIn"
    settings_hint: ClassVar[str] = "LINKEDIN_CLIENT_ID and LINKEDIN_CLIENT_SECRET"

    def __init__(self, *, version: str = DEFAULT_VERSION, **options: Any) -> None:
        super().__init__(**options)
        self.headers = {"LinkedIn-Version": version, "X-Restli-Protocol-Version": "2.0.0"}

    def account(self, token: str, *, want_account_id: str, want_name: str) -> tuple[str, str, str, Json]:
        params = {"q": "roleAssignee", "role": "ADMINISTRATOR", "state": "APPROVED"}
        acls = self._get(token, "rest/organizationAcls", params, self.headers).get("elements") or []
        orgs = [str(a.get("organization", "")) for a in acls if isinstance(a, dict) and a.get("organization")]
        ids = [o.rsplit(":", 1)[-1] for o in orgs]
        if not ids:
            raise ChannelPermissionError(
                "This LinkedIn member administers no Page; sign in as a Page administrator."
            )
        if want_account_id and want_account_id not in ids:
            raise ChannelPermissionError(f"This member does not administer LinkedIn Page {want_account_id}.")
        org_id = want_account_id or ids[0]
        org = self._get(token, f"rest/organizations/{org_id}", None, self.headers)
        member = str(acls[0].get("roleAssignee", "")) if isinstance(acls[0], dict) else ""
        return org_id, str(org.get("localizedName", "")), member, {}
