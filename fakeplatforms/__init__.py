"""A local imitation of the social platforms' APIs, for the demo and the tests (docs/channels.md).

Dev-only: it is not part of the runtime app (in `moderation` only the demo command
`rundemo` imports it) and the production image leaves it out (.dockerignore). Settings install it as a Django app
only when it is importable, which gives `manage.py fakeplatforms`.
"""

from fakeplatforms.app import DEFAULT_APP_ID, DEFAULT_APP_SECRET, FakePlatforms
from fakeplatforms.seed import DEMO_IG_USER_ID, DEMO_PAGE_ID, DEMO_USER_ID

__all__ = [
    "DEFAULT_APP_ID",
    "DEFAULT_APP_SECRET",
    "DEMO_IG_USER_ID",
    "DEMO_PAGE_ID",
    "DEMO_USER_ID",
    "FakePlatforms",
]
