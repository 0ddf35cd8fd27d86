// docgen 网页界面的少量脚本：上传文件时逐个显示检查结果，生成文件时显示进度。本地运行，不引用任何外部资源。
"use strict";
(function () {
  const csrf = document.querySelector('meta[name="csrf-token"]').content;

  const form = document.getElementById("upload-form");
  const zone = document.getElementById("dropzone");
  if (form && zone) {
    const send = (files) => {
      const data = new FormData();
      for (const file of files) data.append("files", file);
      fetch(form.action, {
        method: "POST",
        body: data,
        headers: { "X-CSRF-Token": csrf, Accept: "application/json" },
        credentials: "same-origin",
      })
        .then((r) => r.text().then((text) => ({ ok: r.ok, text })))
        .then(({ text }) => {
          let result;
          try { result = JSON.parse(text); } catch (e) { document.open(); document.write(text); document.close(); return; }
          show(result);
        });
    };
    const show = (result) => {
      const box = document.getElementById("arrivals");
      box.innerHTML = "";
      if (result.error) { box.textContent = result.error; return; }
      for (const f of result.files) {
        const div = document.createElement("div");
        div.className = "arrival " + (f.ok ? "ok" : "bad");
        const title = document.createElement("h3");
        title.textContent = f.name + "：" + (f.ok ? "已采用，保存为 " + f.saved_as + (f.replaced ? "（原同名文件另存在 " + f.replaced + "）" : "") : f.refused);
        div.appendChild(title);
        if (f.issues.length) {
          const table = document.createElement("table");
          const head = table.insertRow();
          for (const h of ["级别", "工作表", "行", "列", "原值", "说明及修改方法"]) { const th = document.createElement("th"); th.textContent = h; head.appendChild(th); }
          for (const i of f.issues) {
            const row = table.insertRow();
            row.className = i.severity;
            for (const v of [i.severity === "error" ? "错误" : "提示", i.sheet, i.row || "", i.column_label, i.value, i.message]) row.insertCell().textContent = v;
          }
          div.appendChild(table);
        }
        box.appendChild(div);
      }
    };
    zone.addEventListener("dragover", (e) => { e.preventDefault(); zone.classList.add("over"); });
    zone.addEventListener("dragleave", () => zone.classList.remove("over"));
    zone.addEventListener("drop", (e) => { e.preventDefault(); zone.classList.remove("over"); send(e.dataTransfer.files); });
    form.addEventListener("submit", (e) => {
      const input = document.getElementById("files");
      if (input.files.length) { e.preventDefault(); send(input.files); }
    });
  }

  const generation = document.getElementById("generation");
  if (generation && generation.dataset.state === "running") {
    const poll = () => fetch(generation.dataset.status, { credentials: "same-origin" })
      .then((r) => r.json())
      .then((s) => {
        if (s.state !== "running") { window.location.reload(); return; }
        document.getElementById("progress-text").textContent = "正在生成……（" + s.done + "/" + (s.total || "?") + "）";
        if (s.total) document.getElementById("progress-bar").style.width = Math.round(100 * s.done / s.total) + "%";
        setTimeout(poll, 500);
      });
    setTimeout(poll, 300);
  }
})();
