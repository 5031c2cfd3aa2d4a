"""The REST API for the intranet (issue 9; docs/api.md). Routes: moderation/api/urls.py."""
