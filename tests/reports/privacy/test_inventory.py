"""The personal-data inventory (reports.privacy.inventory) is the database as it is: every column whose
name looks personal is declared (or said not to be personal, with why), every declared column exists,
and every retention rule it names exists."""
import re

from sqlalchemy import text

from reports.privacy.inventory import INVENTORY, NOT_PERSONAL
from reports.privacy.retention import BY_CODE
from store import db

LOOKS_PERSONAL = re.compile(r"(^reporter_|name|phone|email|address|device|location|endpoint|push|token|secret|password"
                            r"|totp|recovery|description|message|comment|payload|error|data|actor|target|added_by|key"
                            r"|sha256|properties|reason|tile_key|radius)", re.I)


def columns() -> set[tuple[str, str]]:
    rows = db.session.execute(text("""
        SELECT c.table_name, c.column_name FROM information_schema.columns c
          JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
         WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE'
           AND c.table_name NOT IN ('spatial_ref_sys', 'alembic_version')""")).all()
    return {(table, column) for table, column in rows}


def test_every_column_that_looks_personal_is_declared(app):
    declared = {(h.table, c) for h in INVENTORY for c in h.columns}
    undeclared = sorted(tc for tc in columns() if LOOKS_PERSONAL.search(tc[1]) and tc not in declared | NOT_PERSONAL.keys())
    assert undeclared == [], undeclared


def test_every_declared_column_exists_and_every_rule_too(app):
    existing = columns()
    assert sorted({(h.table, c) for h in INVENTORY for c in h.columns} - existing) == []
    assert sorted(set(NOT_PERSONAL) - existing) == []
    assert [h.rule for h in INVENTORY if h.rule and h.rule not in BY_CODE] == []


def test_the_command_prints_the_inventory(app):
    result = app.test_cli_runner().invoke(args=["privacy", "inventory", "--format", "markdown"])
    assert result.exit_code == 0
    assert "| report | reporter_name, reporter_phone, reporter_email |" in result.output
    assert result.output.count("\n") == len(INVENTORY) + 2
