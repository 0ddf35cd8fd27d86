"""`docgen --help` starts at once because the command line imports no heavy library: each command
imports what it uses when it runs. (The time itself is measured by bench/startup.py, not here.)"""

import subprocess
import sys

HEAVY = (
    "pandas",
    "numpy",
    "openpyxl",
    "python_calamine",
    "docx",
    "docxtpl",
    "lxml",
    "jinja2",
    "matplotlib",
    "PIL",
    "rich",
)


def test_importing_the_command_line_imports_no_heavy_library():
    code = f"import sys, docgen.cli\nprint(','.join(m for m in {HEAVY!r} if m in sys.modules))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == ""


def test_help_of_every_command_imports_no_heavy_library():
    code = (
        "import sys\n"
        "from click.testing import CliRunner\n"
        "from docgen.cli import main\n"
        "def commands(group, path):\n"
        "    for name, command in group.commands.items():\n"
        "        yield [*path, name]\n"
        "        if hasattr(command, 'commands'):\n"
        "            yield from commands(command, [*path, name])\n"
        "runner = CliRunner()\n"
        "for args in [[], *commands(main, [])]:\n"
        "    result = runner.invoke(main, [*args, '--help'])\n"
        "    assert result.exit_code == 0, (args, result.output)\n"
        f"print(','.join(m for m in {HEAVY!r} if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == ""
