from django.dispatch import Signal

# Sent inside the deletion transaction, before the user row goes; receivers deal with the
# records they own (certificates are revoked and anonymised rather than left verifiable).
account_deleting = Signal()

# Receivers return a dict of extra sections for the person's data export.
personal_data_requested = Signal()
