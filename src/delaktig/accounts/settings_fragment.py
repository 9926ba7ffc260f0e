"""Settings for accounts, identity and privacy. Imported at the end of config/settings.py:

    from delaktig.accounts.settings_fragment import *  # noqa: E402, F403

Every value comes from the environment; see docs/identity-and-privacy.md.
"""

import os

# E-ID through an OpenID Connect broker (BankID, Freja eID+). Empty issuer: e-ID is off.
OIDC_ISSUER = os.environ.get("OIDC_ISSUER", "")
OIDC_CLIENT_ID = os.environ.get("OIDC_CLIENT_ID", "")
OIDC_CLIENT_SECRET = os.environ.get("OIDC_CLIENT_SECRET", "")
OIDC_SCOPES = os.environ.get("OIDC_SCOPES", "openid")
# Key for the pseudonyms of e-ID subjects; defaults to SECRET_KEY. Set it separately so
# that rotating SECRET_KEY does not break e-ID logins.
DELAKTIG_PSEUDONYM_KEY = os.environ.get("DELAKTIG_PSEUDONYM_KEY", "")

# Gallring (thinning): months after participation closed, unless a dialogue has its own rule.
DELAKTIG_RETENTION_MONTHS = int(os.environ.get("DELAKTIG_RETENTION_MONTHS", "24"))
# Consent records of deleted accounts are kept as proof this long after withdrawal.
DELAKTIG_CONSENT_PROOF_MONTHS = int(os.environ.get("DELAKTIG_CONSENT_PROOF_MONTHS", "24"))
# Accounts that never verified an address nor signed in are removed after this many days.
DELAKTIG_UNVERIFIED_ACCOUNT_DAYS = int(os.environ.get("DELAKTIG_UNVERIFIED_ACCOUNT_DAYS", "30"))

# Password reset links are valid for one day.
PASSWORD_RESET_TIMEOUT = 24 * 3600
