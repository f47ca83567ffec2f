def display_name(user):
    """How allauth names a person in its pages and e-mails: the real name when there is one."""
    return user.real_name or user.username
