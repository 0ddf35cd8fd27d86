"""The Flask application: the pages, their routes and the refusals, in Chinese."""

import datetime as dt
import io
from pathlib import Path

from flask import (
    Flask,
    abort,
    g,
    jsonify,
    redirect,
    render_template,
    request,
    send_file,
    send_from_directory,
    url_for,
)

from docgen import cn
from docgen.config import DOCUMENT_KINDS, WEEKDAY_NAMES
from docgen.issues import ERROR
from docgen.loading import MB
from docgen.schedule.lock import RunLockHeld
from docgen.web import security, services
from docgen.web.services import Workbench

PAGES = (
    ("dashboard", "工作台"),
    ("check", "数据检查"),
    ("upload", "上传"),
    ("generate", "生成"),
    ("schedule", "日程"),
    ("history", "历史"),
)
# What the 生成 page offers: every document `docgen build` writes, or one kind of them.
CHOICES = (
    ("build", "全部文件（同 docgen build）"),
    *(
        (key, DOCUMENT_KINDS[key])
        for key in ("self-check", "brief", "urge", "year-end", "ledger", "forms", "spot-check")
    ),
)
# Why a request was refused, as the clerk reads it (security.install's descriptions).
REFUSALS = {
    "foreign-host": "地址中的主机名不是本机：请使用 docgen serve 打印的地址打开本页面。",
    "bad-token": "地址中的访问令牌不正确：请使用 docgen serve 打印的完整地址打开本页面。",
    "no-token": "缺少访问令牌：请使用 docgen serve 打印的完整地址（含 token=…）打开本页面。",
    "foreign-origin": "请求不是从本页面发出的，已拒绝。请在 docgen serve 打开的页面中操作。",
    "no-csrf": "表单已过期或不是从本页面提交的，请刷新页面后重试。",
}


def parse_day(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


def create_app(
    folder: Path, out_root: Path, token: str, hosts: set[str], max_file_mb: int = 50
) -> Flask:
    """The page for the workspace in `folder`, writing into `out_root`, answering only requests
    that name one of `hosts` (host:port) and carry `token`."""
    app = Flask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = max_file_mb * MB + 64 * 1024
    bench = Workbench(Path(folder), Path(out_root))
    app.extensions["docgen"] = bench
    security.install(app, token, {h.lower() for h in hosts})

    @app.context_processor
    def common():
        return {
            "pages": PAGES,
            "csrf": getattr(g, "csrf", ""),
            "csrf_field": security.CSRF_FIELD,
            "folder": bench.folder,
            "out_root": bench.out_root,
            "date_cn": cn.date_cn,
            "percent": cn.percent,
            "kinds": DOCUMENT_KINDS,
            "weekday": lambda day: WEEKDAY_NAMES[day.isoweekday() - 1],
        }

    @app.errorhandler(400)
    @app.errorhandler(403)
    def refused(error):
        message = REFUSALS.get(error.description, "请求被拒绝。")
        return render_template("refused.html", message=message), error.code

    @app.errorhandler(413)
    def too_large(error):
        message = f"文件超过 {max_file_mb} MB 的上限（docgen.toml 中 [limits] 的 max_file_mb），没有接收。"
        return render_template("refused.html", message=message), 413

    @app.get("/")
    def dashboard():
        as_of = parse_day(request.args.get("as_of"))
        loaded = bench.load(as_of)
        if loaded.campaign is None:
            return render_template("dashboard.html", page="dashboard", report=loaded.report)
        campaign = loaded.campaign
        summary = campaign.summary
        return render_template(
            "dashboard.html",
            page="dashboard",
            report=None,
            summary=summary,
            settings=campaign.settings,
            due=bench.schedule(summary, campaign.settings, 14),
            partial=[d for d in summary.departments if d.unreported_ids and not d.sent_nothing],
        )

    @app.get("/check")
    def check():
        as_of = parse_day(request.args.get("as_of"))
        report = bench.check(as_of)
        chosen_file = request.args.get("file", "")
        severity = request.args.get("severity", "")
        issues = [
            i
            for i in report.issues
            if (not chosen_file or i.file == chosen_file)
            and (not severity or i.severity == severity)
        ]
        return render_template(
            "check.html",
            page="check",
            report=report,
            issues=issues,
            files=sorted({i.file for i in report.issues}),
            chosen_file=chosen_file,
            severity=severity,
            error=ERROR,
        )

    @app.get("/schedule")
    def schedule():
        loaded = bench.load(parse_day(request.args.get("as_of")))
        if loaded.campaign is None:
            return render_template("schedule.html", page="schedule", report=loaded.report)
        campaign = loaded.campaign
        within = min(max(request.args.get("within", 30, type=int), 1), 366)
        return render_template(
            "schedule.html",
            page="schedule",
            report=None,
            due=bench.schedule(campaign.summary, campaign.settings, within),
        )

    @app.get("/history")
    def history():
        return render_template("history.html", page="history", runs=bench.runs())

    @app.get("/upload")
    def upload():
        return render_template("upload.html", page="upload", arrivals=[])

    @app.post("/upload")
    def upload_files():
        now = dt.datetime.now()
        try:
            uploads = [(f.filename, f.read()) for f in request.files.getlist("files") if f.filename]
            arrivals = services.receive(bench, uploads, now) if uploads else []
        except RunLockHeld:
            return _answer("upload.html", {"error": services.BUSY}, 409, arrivals=[])
        if not arrivals:
            return _answer("upload.html", {"error": "没有选择文件。"}, 400, arrivals=[])
        status = 200 if all(a.ok for a in arrivals) else 422
        data = {"files": [a.to_dict() for a in arrivals]}
        return _answer("upload.html", data, status, arrivals=arrivals)

    @app.get("/generate")
    def generate():
        loaded = bench.load(None)
        settings = loaded.campaign.settings if loaded.campaign else None
        as_of = loaded.campaign.summary.as_of if loaded.campaign else dt.date.today()
        return render_template(
            "generate.html",
            page="generate",
            choices=CHOICES,
            as_of=as_of,
            settings=settings,
            generation=None,
        )

    @app.post("/generate")
    def generate_start():
        ticked = [k for k in request.form.getlist("kind") if k in dict(CHOICES)]
        # 全部文件 stands for everything only when no single document is ticked beside it.
        keys = tuple(k for k in ticked if k != "build") or ("build",)
        detail = "full" if request.form.get("detail") == "full" else "concise"
        generation = services.start_generation(
            bench, parse_day(request.form.get("as_of")), keys, detail
        )
        if generation.state == "failed":
            return render_template(
                "generate.html",
                page="generate",
                choices=CHOICES,
                as_of=parse_day(request.form.get("as_of")) or dt.date.today(),
                settings=None,
                generation=generation,
            ), 409
        return redirect(url_for("generation", ident=generation.id))

    @app.get("/generate/<ident>")
    def generation(ident):
        found = bench.generations.get(ident) or abort(404)
        return render_template("generation.html", page="generate", generation=found)

    @app.get("/generate/<ident>/status")
    def generation_status(ident):
        found = bench.generations.get(ident) or abort(404)
        return jsonify(found.to_dict())

    @app.get("/files/<day>/<path:name>")
    def download(day, name):
        folder = _dated(day)
        return send_from_directory(folder, name, as_attachment=True)

    @app.get("/zip/<day>")
    def download_zip(day):
        folder = _dated(day)
        return send_file(
            io.BytesIO(services.zip_folder(folder)),
            mimetype="application/zip",
            as_attachment=True,
            download_name=f"{folder.name}.zip",
        )

    @app.get("/preview/<day>/<path:name>")
    def preview(day, name):
        folder = _dated(day)
        document = (folder / name).resolve()
        if folder.resolve() not in document.parents or document.suffix != ".docx":
            abort(404)
        if not document.exists():
            abort(404)
        png = services.preview_png(bench, document)
        if png is None:
            abort(404)
        return send_file(io.BytesIO(png), mimetype="image/png")

    def _dated(day: str) -> Path:
        """A dated output folder by its as-of date, never a path outside the output folder."""
        parsed = parse_day(day)
        folder = bench.out_root / parsed.isoformat() if parsed else None
        if folder is None or not folder.is_dir():
            abort(404)
        return folder

    def _answer(template: str, data: dict, status: int, **values):
        """JSON for the page's script, the page itself for a plain form."""
        if request.accept_mimetypes.best == "application/json":
            return jsonify(data), status
        return render_template(template, page="upload", **values, **data), status

    return app
