"""Every ``flask …`` command, one module per group: the command line is an edge like HTTP, so the
domain packages hold none (they take their inputs as arguments and report through callbacks)."""
from commands.demo import demo_cli
from commands.geo import geo_cli
from commands.jobs import jobs_cli
from commands.ops import ops_cli
from commands.privacy import privacy_cli
from commands.reports import api_keys_cli, reports_cli, users_cli

GROUPS = (geo_cli, reports_cli, users_cli, api_keys_cli, demo_cli, jobs_cli, ops_cli, privacy_cli)


def register_commands(app) -> None:
    for group in GROUPS:
        app.cli.add_command(group)
