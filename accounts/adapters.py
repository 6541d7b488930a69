from allauth.account.adapter import DefaultAccountAdapter

__all__ = ["InvitationOnlyAccountAdapter"]


class InvitationOnlyAccountAdapter(DefaultAccountAdapter):
    """No open self-signup: accounts are created by an officer above the user (see ``user_invite``)."""

    def is_open_for_signup(self, request):
        return False
