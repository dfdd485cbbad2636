from allauth.account.adapter import DefaultAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    """Self-registration is open (vendors register themselves); staff roles are granted
    by Kominfo admins, never chosen at sign-up."""

    def is_open_for_signup(self, request):
        return True
