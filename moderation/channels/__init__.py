"""Platform adapters behind one protocol (moderation.channels.base); see docs/channels.md."""
