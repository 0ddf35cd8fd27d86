"""Errors the library raises; the CLI turns each into a short Chinese message and exit code 1."""


class DocgenError(Exception):
    """Any failure a user can fix: the message says what went wrong and how to fix it."""


class ConfigError(DocgenError):
    """docgen.toml is unreadable, has an unknown key or a value of the wrong kind."""


class InputError(DocgenError):
    """The inputs folder is missing or holds no measure list."""


class ValidationFailed(DocgenError):
    """The inputs have errors; `issues` holds every problem found."""

    def __init__(self, issues):
        self.issues = list(issues)
        errors = sum(1 for issue in self.issues if issue.severity == "error")
        super().__init__(f"输入数据有 {errors} 个错误，请按提示修改后重新运行。")
