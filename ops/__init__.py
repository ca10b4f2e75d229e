"""Operations a city runs on its own data: backups and restores (``ops.backup``), databases
(``ops.database``)."""
