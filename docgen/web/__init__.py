"""`docgen serve`: a local web page for the office (issue 15). Flask pages rendered on the server,
served by waitress on 127.0.0.1 only, every asset from the package (no CDN, no build step). Every
action goes through the same library calls as the command line (services.py); the views only
turn requests into calls and results into pages. Nothing is served without the random token the
address carries (security.py)."""

import webbrowser
from pathlib import Path

from docgen.config import load_settings
from docgen.web.app import create_app
from docgen.web.security import new_token

LOCAL = "127.0.0.1"


def address(host: str, port: int, token: str) -> str:
    return f"http://{host}:{port}/?token={token}"


def allowed_hosts(host: str, port: int) -> set[str]:
    """The Host headers the page answers: the address served, and localhost for the local one."""
    hosts = {f"{host}:{port}"}
    if host == LOCAL:
        hosts.add(f"localhost:{port}")
    return hosts


def serve(folder: Path, out_root: Path, host: str, port: int, open_browser: bool, say) -> None:
    """Serve the workspace's page with waitress until interrupted; `say` prints a line."""
    from waitress import serve as waitress_serve

    token = new_token()
    settings = load_settings(folder)
    app = create_app(
        folder, out_root, token, allowed_hosts(host, port), settings.limits.max_file_mb
    )
    url = address(host, port, token)
    say(f"docgen 网页界面已启动：{url}")
    say("请用上面的完整地址打开（其中的 token 是访问令牌）；按 Ctrl+C 停止。")
    if open_browser:
        webbrowser.open(url)
    waitress_serve(app, host=host, port=port, threads=4, ident="docgen")
