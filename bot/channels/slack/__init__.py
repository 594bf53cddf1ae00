"""Reggi's Slack app: Bolt listeners, Block Kit rendering and the HTTP / Socket Mode runners."""
