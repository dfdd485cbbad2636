"""The demo accounts' fixed facts, shared by ``load_demo``, the README and the tests.

They exist only where ``manage.py load_demo`` was run: never load demo data into a
production database.
"""

DEMO_PASSWORD = "Demo-NTT-2026"  # noqa: S105 (demo data only)
# Base32 TOTP secret of every demo account whose role requires two-factor log-in;
# add it to an authenticator app (or use `manage.py demo_totp`) to get the codes.
DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"  # noqa: S105 (demo data only)
DEMO_DOMAIN = "demo.ntt.test"


def demo_email(role: str) -> str:
    return f"{role.replace('_', '.')}@{DEMO_DOMAIN}"
