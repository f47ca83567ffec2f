from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts and organisations")

    def ready(self):
        from allauth.account.signals import password_changed, password_reset, password_set

        from accounts.services import mark_password_changed

        def changed(sender, request=None, user=None, **kwargs):
            if user is not None:
                mark_password_changed(user)

        for signal in (password_changed, password_set, password_reset):
            signal.connect(changed, dispatch_uid=f"accounts-{signal}")
