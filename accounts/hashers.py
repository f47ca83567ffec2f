from django.contrib.auth.hashers import PBKDF2PasswordHasher


class InitialPasswordHasher(PBKDF2PasswordHasher):
    """For the random one-time passwords a teacher hands to pupils.

    A class of pupils is created in one request; at the default 1,000,000 iterations that
    would take minutes. These passwords are random (about 50 bits) and must be changed at the
    first sign-in, when Django re-hashes with the default hasher, so fewer iterations are safe.
    """

    algorithm = "pbkdf2_sha256_initial"
    iterations = 20_000
