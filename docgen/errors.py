"""Errors the library raises; the CLI turns each into a short Chinese message and exit code 1."""


class DocgenError(Exception):
    """Any failure a user can fix: the message says what went wrong and how to fix it."""


class ConfigError(DocgenError):
    """docgen.toml is unreadable, has an unknown key or a value of the wrong kind."""


class InputError(DocgenError):
    """The workspace folder is missing or holds no measure list."""


class OutputError(DocgenError):
    """A file or folder could not be written (a full disk, or a file open in Word or Excel)."""


class ValidationFailed(DocgenError):
    """The inputs have errors; `report` holds every problem found (docgen.issues.Report)."""

    def __init__(self, report):
        self.report = report
        super().__init__(f"输入数据有 {len(report.errors)} 个错误，请按提示修改后重新运行。")
