"""Meta's Graph API: the Facebook Page and Instagram adapters and what they share.

One-way imports, no circle (tests/test_architecture.py): `client` (HTTP, errors,
usage back-off) ← `sweep` (the shared poll) ← `facebook`, `instagram`; `login`
(Facebook Login, the connector for both) and `webhooks` (signatures, the change
walker, the handler base) depend only on `client`. This module imports nothing,
so importing one part never loads the others.
"""
