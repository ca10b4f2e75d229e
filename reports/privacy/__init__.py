"""Personal data as Vietnam's Law on Personal Data Protection (91/2025/QH15) and Decree 356/2025 ask:
one inventory of what is held, why, who reads it and how long (:mod:`reports.privacy.inventory`), and
the retention periods enforced on a schedule (:mod:`reports.privacy.retention`)."""
