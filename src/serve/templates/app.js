// qingdan serve: the little script the pages need. The pages work without it; it only
// refuses a file over the limit before it is sent, shows that an upload (or an import) is on its way, and
// enlarges a preview page on click.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  // A form sending a file: `name` is the ids' prefix (upload-form, upload-file, …).
  function sending(name, message) {
    var form = document.getElementById(name + "-form");
    if (!form) {
      return;
    }
    form.addEventListener("submit", function (event) {
      var input = document.getElementById(name + "-file");
      var progress = document.getElementById(name + "-progress");
      var limit = Number(form.dataset.limit);
      var file = input.files && input.files[0];
      if (file && limit && file.size > limit) {
        event.preventDefault();
        progress.textContent = "文件太大（超过 " + Math.round(limit / 1048576) + " MB），未上传 / the file is too large; not uploaded";
        return;
      }
      progress.textContent = message;
      document.getElementById(name + "-submit").disabled = true;
    });
  }
  sending("upload", "正在上传并检查… / uploading and checking…");
  sending("import", "正在导入并生成预览… / importing and making the preview…");
  var pages = document.querySelectorAll(".preview-page");
  for (var i = 0; i < pages.length; i++) {
    pages[i].addEventListener("click", function (event) {
      event.target.classList.toggle("big");
    });
  }
});
