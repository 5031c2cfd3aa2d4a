"""The GP014 policy engine: pure Python, no Django (docs/architecture.md §1).

from moderation.policy import check
result = check("Our boiler has packed up again", links=[], has_media=False)
result.route, result.action, result.priority, [f.category for f in result.flags]
"""

from moderation.policy.config import PolicyConfig, ProtectedPerson
from moderation.policy.engine import POLICY_VERSION, check
from moderation.policy.result import ACTIONS, HARM_CATEGORIES, ROUTES, Flag, Result

__all__ = [
    "ACTIONS",
    "HARM_CATEGORIES",
    "POLICY_VERSION",
    "ROUTES",
    "Flag",
    "PolicyConfig",
    "ProtectedPerson",
    "Result",
    "check",
]
