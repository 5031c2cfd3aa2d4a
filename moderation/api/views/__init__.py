"""API views: reads.py (lists and details), items.py (decisions on items), admin.py (Lead-only)."""
