"""Expiry reminders (the reminders engineer owns this package; `schedule` is a stub until then)."""
