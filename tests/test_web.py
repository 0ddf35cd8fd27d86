"""The web page at the HTTP level (issue 15): every refusal (no token, a wrong one, a foreign
Host, a foreign Origin, no CSRF token, an oversized upload, a path in an uploaded name), the
pages showing the library's figures, uploads checked on arrival, and a build downloaded as a zip.
The browser tests drive the same page in Chromium (tests/test_web_browser.py)."""

import datetime as dt
import io
import time
import zipfile
from pathlib import Path

import openpyxl
import pytest
from conftest import copy_sample

from docgen.build import load_campaign
from docgen.cn import percent
from docgen.web.app import create_app
from docgen.web.security import COOKIE, csrf_for
from docgen.web.services import Generation
from docgen.workspace import open_workspace

TOKEN = "test-token-123"
BASE = "http://127.0.0.1:8765"
HOSTS = {"127.0.0.1:8765", "localhost:8765"}


@pytest.fixture
def workspace(tmp_path):
    folder = tmp_path / "inputs"
    copy_sample(folder)
    return folder


@pytest.fixture
def app(workspace, tmp_path):
    return create_app(workspace, tmp_path / "outputs", TOKEN, HOSTS, max_file_mb=1)


@pytest.fixture
def client(app):
    """A client that has opened the printed address once (the token is in its cookie)."""
    client = app.test_client()
    assert client.get(f"/?token={TOKEN}", base_url=BASE).status_code == 302
    return client


def post(client, path, data=None, *, origin=BASE, csrf=True, json=True, **kwargs):
    headers = {"Accept": "application/json"} if json else {}
    if origin:
        headers["Origin"] = origin
    if csrf:
        headers["X-CSRF-Token"] = csrf_for(TOKEN)
    return client.post(path, base_url=BASE, data=data, headers=headers, **kwargs)


def spoil(form: Path, target) -> int:
    """Write `form` to `target` with its first row's status made unreadable (差不多); the
    header's row number."""
    book = openpyxl.load_workbook(form)
    sheet = book.worksheets[0]
    words = ("完成状态", "状态", "进展状态", "完成情况")
    header = next(r for r in range(1, 10) if set(words) & {c.value for c in sheet[r]})
    column = next(i for i, c in enumerate(sheet[header], 1) if c.value in words)
    sheet.cell(header + 1, column).value = "差不多"
    book.save(target)
    return header


def first_form(workspace: Path) -> Path:
    return sorted((workspace / "feedback").glob("*.xlsx"))[0]


def test_nothing_is_served_without_the_token(app):
    client = app.test_client()
    for path in ("/", "/check", "/upload", "/generate", "/schedule", "/history"):
        answer = client.get(path, base_url=BASE)
        assert answer.status_code == 403, path
        assert "docgen serve 打印的完整地址" in answer.get_data(as_text=True)
    assert client.get("/?token=wrong", base_url=BASE).status_code == 403
    opened = client.get(f"/check?token={TOKEN}", base_url=BASE)
    assert opened.status_code == 302 and opened.headers["Location"] == "/check"
    assert f"{COOKIE}={TOKEN}" in opened.headers["Set-Cookie"]
    assert "HttpOnly" in opened.headers["Set-Cookie"]
    assert client.get("/check", base_url=BASE).status_code == 200


def test_a_foreign_host_is_refused_even_with_the_token(client):
    for base in ("http://evil.example:8765", "http://127.0.0.1:9999", "http://attacker"):
        assert client.get("/", base_url=base).status_code == 400, base
    # localhost is the same machine: served, with the token (its cookie is the other name's).
    assert client.get(f"/?token={TOKEN}", base_url="http://localhost:8765").status_code == 302


def test_a_post_from_elsewhere_or_without_the_csrf_token_is_refused(client, workspace):
    data = {"files": (io.BytesIO(first_form(workspace).read_bytes()), "a.xlsx")}
    assert post(client, "/upload", dict(data), origin="http://evil.example").status_code == 403
    data = {"files": (io.BytesIO(first_form(workspace).read_bytes()), "a.xlsx")}
    assert post(client, "/upload", dict(data), origin="").status_code == 403
    data = {"files": (io.BytesIO(first_form(workspace).read_bytes()), "a.xlsx")}
    assert post(client, "/upload", dict(data), csrf=False).status_code == 403
    assert post(client, "/generate", {"kind": "ledger"}, csrf=False).status_code == 403
    assert not (workspace / "feedback" / "a.xlsx").exists()


def test_an_oversized_upload_is_refused(client, workspace):
    big = io.BytesIO(b"0" * (2 * 1024 * 1024))
    answer = post(client, "/upload", {"files": (big, "big.xlsx")})
    assert answer.status_code == 413
    assert "1 MB" in answer.get_data(as_text=True)
    assert not (workspace / "feedback" / "big.xlsx").exists()


def test_a_path_in_an_uploaded_name_is_dropped(client, workspace, tmp_path):
    data = first_form(workspace).read_bytes()
    for name in ("../../逃逸.xlsx", "..\\..\\逃逸.xlsx", "/etc/逃逸.xlsx", "..逃逸.xlsx"):
        answer = post(client, "/upload", {"files": (io.BytesIO(data), name)})
        assert answer.status_code == 200, answer.get_json()
        assert answer.get_json()["files"][0]["saved_as"] == "feedback/逃逸.xlsx"
    outside = [p for p in tmp_path.rglob("逃逸.xlsx") if workspace not in p.parents]
    assert outside == []


def test_only_spreadsheets_are_taken(client, workspace):
    answer = post(client, "/upload", {"files": (io.BytesIO(b"MZ..."), "setup.exe")})
    [result] = answer.get_json()["files"]
    assert answer.status_code == 422 and not result["ok"]
    assert "Excel" in result["refused"]
    assert not list(workspace.rglob("setup.exe"))


def test_an_upload_is_checked_on_arrival_and_a_bad_one_is_not_taken(client, workspace):
    original = first_form(workspace)
    before = original.read_bytes()
    bad = io.BytesIO()
    header = spoil(original, bad)
    answer = post(client, "/upload", {"files": (io.BytesIO(bad.getvalue()), original.name)})
    [result] = answer.get_json()["files"]
    assert answer.status_code == 422 and not result["ok"]
    [issue] = [i for i in result["issues"] if i["code"] == "bad-status"]
    assert issue["row"] == header + 1 and issue["value"] == "差不多"
    # The form already there stays, and the refused one is kept, not lost.
    assert original.read_bytes() == before
    assert len(list((workspace / ".docgen" / "rejected").rglob(original.name))) == 1
    # A good copy replaces the old one, which is kept under .docgen/replaced.
    answer = post(client, "/upload", {"files": (io.BytesIO(before), original.name)})
    [result] = answer.get_json()["files"]
    assert result["ok"] and result["replaced"].startswith(".docgen/replaced/")


def test_the_workbench_shows_the_librarys_figures(client, workspace):
    page = client.get("/", base_url=BASE).get_data(as_text=True)
    summary = load_campaign(open_workspace(workspace, None, dt.date.today())).summary
    assert f'id="total">{summary.counts.total}<' in page
    assert f'id="done">{summary.counts.done}<' in page
    assert f'id="rate">{percent(summary.counts.rate)}<' in page
    for stream in summary.streams:
        assert stream.name in page
    for name in summary.silent_departments:
        assert name in page


def test_the_figures_change_when_a_form_arrives(client, workspace):
    client.get("/", base_url=BASE)
    app = client.application
    bench = app.extensions["docgen"]
    cached = bench.load(None)
    assert bench.load(None) is cached  # the inputs have not changed: no second load
    path = first_form(workspace)
    post(client, "/upload", {"files": (io.BytesIO(path.read_bytes()), "另一份.xlsx")})
    assert bench.load(None) is not cached


def test_the_check_page_filters_by_file_and_severity(client, workspace):
    path = first_form(workspace)
    spoil(path, path)
    page = client.get("/check?severity=error", base_url=BASE).get_data(as_text=True)
    assert "差不多" in page and "bad-status" in page
    assert "done-without-date" not in page
    page = client.get("/check?severity=warning", base_url=BASE).get_data(as_text=True)
    assert "bad-status" not in page
    relative = f"feedback/{path.name}"
    page = client.get(f"/check?file={relative}", base_url=BASE).get_data(as_text=True)
    assert "bad-status" in page
    # The workbench says the data has errors rather than showing stale figures.
    assert "输入数据有 1 个错误" in client.get("/", base_url=BASE).get_data(as_text=True)


def wait(client, location: str) -> dict:
    for _ in range(200):
        status = client.get(f"{location}/status", base_url=BASE).get_json()
        if status["state"] != "running":
            return status
        time.sleep(0.1)
    raise AssertionError("the build did not finish")


def test_a_build_from_the_page_downloads_as_a_zip(client, tmp_path):
    answer = post(client, "/generate", {"kind": ["ledger", "brief"], "as_of": "2026-11-26"})
    assert answer.status_code == 302
    status = wait(client, answer.headers["Location"])
    assert status["state"] == "done", status
    assert "整改台账.xlsx" in status["files"]
    page = client.get(answer.headers["Location"], base_url=BASE).get_data(as_text=True)
    assert "/zip/2026-11-26" in page
    archive = zipfile.ZipFile(io.BytesIO(client.get("/zip/2026-11-26", base_url=BASE).data))
    assert "2026-11-26/整改台账.xlsx" in archive.namelist()
    ledger = client.get("/files/2026-11-26/整改台账.xlsx", base_url=BASE)
    assert ledger.status_code == 200 and ledger.data[:2] == b"PK"
    assert (
        client.get("/files/2026-11-26/../../inputs/docgen.toml", base_url=BASE).status_code == 404
    )
    assert client.get("/zip/../../etc", base_url=BASE).status_code == 404
    # The same build again: nothing changed, every file taken from the first (docgen.reuse).
    again = post(client, "/generate", {"kind": ["ledger", "brief"], "as_of": "2026-11-26"})
    status = wait(client, again.headers["Location"])
    assert status["state"] == "done", status
    assert f"其中 {len(status['files'])} 个内容没有变化，沿用上次生成的文件" in status["message"]


def test_one_build_at_a_time(client):
    bench = client.application.extensions["docgen"]
    bench.generations["busy"] = Generation("busy", None, ("build",), "concise")
    answer = post(client, "/generate", {"kind": "ledger"}, json=False)
    assert answer.status_code == 409
    assert "正在进行" in answer.get_data(as_text=True)


def test_a_built_document_has_a_first_page_preview(client, workspace):
    answer = post(client, "/generate", {"kind": ["brief"], "as_of": "2026-11-26"})
    status = wait(client, answer.headers["Location"])
    [brief] = [f for f in status["files"] if f.endswith(".docx")]
    image = client.get(f"/preview/2026-11-26/{brief}", base_url=BASE)
    assert image.status_code == 200 and image.mimetype == "image/png"
    assert image.data[:8] == b"\x89PNG\r\n\x1a\n"
    # The preview is made in a private copy: no PDF lands among the documents.
    assert not list((client.application.extensions["docgen"].out_root).rglob("*.pdf"))
    assert client.get("/preview/2026-11-26/nothing.docx", base_url=BASE).status_code == 404


def test_ticking_one_document_beside_everything_builds_that_one(client):
    answer = post(client, "/generate", {"kind": ["build", "ledger"], "as_of": "2026-11-26"})
    status = wait(client, answer.headers["Location"])
    assert status["state"] == "done" and status["files"] == ["整改台账.xlsx"], status
