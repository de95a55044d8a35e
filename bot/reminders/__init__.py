"""Certificate expiry reminders.

* :mod:`bot.reminders.schedule` — ``schedule_certificate_reminders``: rows for a new certificate.
* :mod:`bot.reminders.sender` — one scan: claim due rows, send them paced, mark them.
* :mod:`bot.reminders.scheduler` — APScheduler job running the scan (started/stopped with the bot).
* :mod:`bot.reminders.texts` — the message, its keyboard and the on/off callback data.

The database is the source of truth: a reminder is ``pending`` until a scan claims it
(``sending``), then ``sent``/``blocked``/``failed`` (see :mod:`storage.reminders`).
"""
