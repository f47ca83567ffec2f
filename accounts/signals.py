from django.dispatch import Signal

# Sent inside the deletion transaction, before the user row goes; receivers deal with the
# records they own (certificates are revoked and anonymised rather than left verifiable).
account_deleting = Signal()

# Receivers return a dict of extra sections for the person's data export.
personal_data_requested = Signal()

# Sent by an app that lets someone download other people's personal data, when it cannot
# write the export record itself (the record lives in a higher layer, reports): kwargs
# ``user`` (who downloaded), ``what``, ``parameters``, ``rows`` and ``subjects`` (user ids).
personal_data_exported = Signal()
