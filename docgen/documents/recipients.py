"""Who a 简报-style document goes to (报头 and 报尾 of the 督导简报 and the 工作动态): 报, 送 and
发 from docgen.toml where configured, else what a bureau office prints, and 共印X份."""

from docgen.aggregation import DepartmentProgress
from docgen.config import Addressees, Settings
from docgen.documents.base import is_issuing_office
from docgen.documents.naming import CAMPAIGN

# A bureau office's brief goes up to the party group's members, across to the campaign's leading
# group (or the superior and the organs the reports are copied to, where they are configured),
# and down to the departments.
DEFAULT_REPORT = ("局党组成员",)
DEFAULT_SEND = (f"局{CAMPAIGN}领导小组成员",)
# How the 发 line names departments by their kind (docgen.toml [[departments]] kind, or the end
# of the name where none is given).
ISSUE_WORDS = (("处室", "局机关各处室"), ("分局", "各分局"), ("党支部", "机关各党支部"))
_KIND_ENDINGS = (
    ("党支部", "党支部"),
    ("分局", "分局"),
    ("处", "处室"),
    ("室", "处室"),
    ("委", "处室"),
)


def brief_recipients(
    settings: Settings, departments: list[DepartmentProgress]
) -> tuple[list[str], list[str], list[str]]:
    """报, 送 and 发: [addressees] brief_report / brief_send / brief_issue where configured,
    otherwise what a bureau office prints (DEFAULT_REPORT; the superior and the organs copied
    to, else DEFAULT_SEND; the departments by kind)."""
    addressees: Addressees = settings.addressees
    report = list(addressees.brief_report) or list(DEFAULT_REPORT)
    configured_send = [addressees.superior, *addressees.copy_to]
    send = list(addressees.brief_send) or [s for s in configured_send if s] or list(DEFAULT_SEND)
    issued = list(addressees.brief_issue) or issue_line(departments)
    return report, send, issued


def issue_line(departments: list[DepartmentProgress]) -> list[str]:
    """局机关各处室，各分局，机关各党支部 as the departments' kinds call for, or 局机关各部门
    when a department's kind is not known."""
    kinds = [d.kind or _kind_of(d.name) for d in departments]
    if not kinds or "" in kinds:
        return ["局机关各部门"]
    return [words for kind, words in ISSUE_WORDS if kind in kinds]


def _kind_of(name: str) -> str:
    return next((kind for ending, kind in _KIND_ENDINGS if name.endswith(ending)), "")


def copies(
    report: list[str],
    send: list[str],
    departments: list[DepartmentProgress],
    settings: Settings,
) -> int:
    """共印X份: one for each recipient under 报 and 送, one for each department the brief is
    issued to (发; the issuing office keeps the file copy instead), and one for the file."""
    issued = [d for d in departments if not is_issuing_office(settings, d.name)]
    return len(report) + len(send) + len(issued) + 1
