"""The command line: each command parses its options, calls the library and prints a result.

The commands live by concept: publish.py (build, serve, verify), inspect.py (validate, status,
diff), edit.py (init, add-response, link, unlink, set-status) and tools.py (suggest, schema,
check-sources); the
options they share are declared once in options.py. Library modules are imported inside the
commands so that ``scorecard --help`` starts fast.
"""

from __future__ import annotations

import click

from .. import __version__
from . import edit, inspect, publish, tools


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="scorecard")
def cli() -> None:
    """Accountability scorecards: which demands a powerful organization met, with dates and
    sources.

    A campaign folder holds demands.yaml and responses.yaml; see docs/format.md.
    """


for command in (
    publish.build,
    publish.serve,
    publish.verify,
    inspect.validate,
    inspect.status,
    inspect.diff,
    edit.init,
    edit.add_response,
    edit.link,
    edit.unlink,
    edit.set_status,
    tools.suggest,
    tools.schema,
    tools.check_sources,
):
    cli.add_command(command)


def main() -> None:
    cli(prog_name="scorecard")
