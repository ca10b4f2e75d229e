"""Staff accounts (sessions, roles), two-factor sign-in, Open311 API keys."""
