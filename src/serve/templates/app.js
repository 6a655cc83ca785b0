// qingdan serve: the little script the pages need. The pages work without it; it only
// refuses a file over the limit before it is sent, shows that an upload (or an import) is on its way, and
// enlarges a preview page on click.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  var form = document.getElementById("upload-form");
  if (form) {
    form.addEventListener("submit", function (event) {
      var input = document.getElementById("upload-file");
      var progress = document.getElementById("upload-progress");
      var limit = Number(form.dataset.limit);
      var file = input.files && input.files[0];
      if (file && limit && file.size > limit) {
        event.preventDefault();
        progress.textContent = "文件太大（超过 " + Math.round(limit / 1048576) + " MB），未上传 / the file is too large; not uploaded";
        return;
      }
      progress.textContent = "正在上传并检查… / uploading and checking…";
      document.getElementById("upload-submit").disabled = true;
    });
  }
  var importForm = document.getElementById("import-form");
  if (importForm) {
    importForm.addEventListener("submit", function (event) {
      var input = document.getElementById("import-file");
      var progress = document.getElementById("import-progress");
      var limit = Number(importForm.dataset.limit);
      var file = input.files && input.files[0];
      if (file && limit && file.size > limit) {
        event.preventDefault();
        progress.textContent = "文件太大（超过 " + Math.round(limit / 1048576) + " MB），未上传 / the file is too large; not uploaded";
        return;
      }
      progress.textContent = "正在导入并生成预览… / importing and making the preview…";
      document.getElementById("import-submit").disabled = true;
    });
  }
  var pages = document.querySelectorAll(".preview-page");
  for (var i = 0; i < pages.length; i++) {
    pages[i].addEventListener("click", function (event) {
      event.target.classList.toggle("big");
    });
  }
});
