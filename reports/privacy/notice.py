"""The privacy notice a person is shown where they give personal data (``/privacy``, linked from every
form that collects any). Each report, subscription and area alert records the version in force when
it was made (``notice_version``, with its ``created_at``): which notice the person agreed to, and when.
Change :data:`NOTICE_VERSION` whenever the notice's content changes."""

NOTICE_VERSION = "2026-12-08"
