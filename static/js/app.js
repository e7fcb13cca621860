// Small helpers for phones. Every page works without them; they only make it easier.
(function () {
  "use strict";

  // After a refused form, focus the summary of what to fix, so a screen reader reads it first
  // and nobody has to scroll to find the problem.
  var summary = document.querySelector("[data-focus-on-load]");
  if (summary) {
    summary.focus();
    summary.addEventListener("click", function (event) {
      var link = event.target.closest("a[href^='#']");
      if (!link) return;
      var target = document.getElementById(link.getAttribute("href").slice(1));
      if (!target) return;
      var input = target.matches("input, select, textarea") ? target : target.querySelector("input, select, textarea");
      if (input) {
        event.preventDefault();
        input.scrollIntoView({ block: "center" });
        input.focus();
      }
    });
  }

  // Copy buttons: data-copy names the input whose text is copied.
  document.querySelectorAll("[data-copy]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      var field = document.getElementById(button.getAttribute("data-copy"));
      if (!field) return;
      field.select();
      var done = function () { button.textContent = button.getAttribute("data-copied") || button.textContent; };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(field.value).then(done, function () { document.execCommand("copy"); done(); });
      } else {
        document.execCommand("copy");
        done();
      }
    });
  });
})();

// Evidence photos from a phone: a large photo is made smaller in the browser before it is sent,
// and a bar shows the upload's progress. Without JavaScript, or if anything fails, the plain
// form posts the original file.
(function () {
  "use strict";

  var LARGE = 1024 * 1024; // photos above 1 MB are made smaller
  var LONGEST_SIDE = 2000; // pixels: still sharp enough to read a receipt or a chat
  var SHRINKABLE = ["image/jpeg", "image/png", "image/webp"];

  function shrink(file) {
    if (SHRINKABLE.indexOf(file.type) < 0 || file.size <= LARGE || !window.createImageBitmap) {
      return Promise.resolve(file);
    }
    return createImageBitmap(file).then(function (bitmap) {
      var scale = Math.min(1, LONGEST_SIDE / Math.max(bitmap.width, bitmap.height));
      var canvas = document.createElement("canvas");
      canvas.width = Math.round(bitmap.width * scale);
      canvas.height = Math.round(bitmap.height * scale);
      canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
      return new Promise(function (resolve) {
        canvas.toBlob(function (blob) {
          if (!blob || blob.size >= file.size) return resolve(file);
          var name = file.name.replace(/\.[^.]*$/, "") + ".jpg";
          resolve(new File([blob], name, { type: "image/jpeg" }));
        }, "image/jpeg", 0.85);
      });
    }).catch(function () { return file; });
  }

  document.querySelectorAll("form[data-upload]").forEach(function (form) {
    var input = form.querySelector("input[type=file]");
    if (!input || !window.FormData || !window.XMLHttpRequest) return;
    form.addEventListener("submit", function (event) {
      var file = input.files && input.files[0];
      if (!file || form.dataset.sending) return;
      event.preventDefault();
      form.dataset.sending = "1";
      var bar = form.querySelector("progress") || document.createElement("progress");
      bar.max = 100;
      bar.value = 0;
      bar.setAttribute("aria-label", form.getAttribute("data-upload"));
      form.appendChild(bar);
      shrink(file).then(function (sent) {
        var data = new FormData(form);
        data.set(input.name, sent, sent.name);
        var request = new XMLHttpRequest();
        request.open("POST", form.action);
        request.setRequestHeader("X-Upload", "progress");
        request.upload.addEventListener("progress", function (progress) {
          if (progress.lengthComputable) bar.value = Math.round((progress.loaded / progress.total) * 100);
        });
        request.addEventListener("load", function () {
          var next = null;
          try { next = JSON.parse(request.responseText).next; } catch (error) { next = null; }
          if (request.status === 200 && next) {
            window.location.assign(next);
          } else {
            form.submit(); // let the server's own page say what went wrong
          }
        });
        request.addEventListener("error", function () { form.submit(); });
        request.send(data);
      });
    });
  });
  // A question asked only for one answer of another ("outcome=promised"): hidden until that answer is chosen.
  // A value already typed keeps the question shown, so nothing typed is hidden away.
  document.querySelectorAll("[data-shown-if]").forEach(function (input) {
    var rule = input.getAttribute("data-shown-if").split("=");
    var form = input.form;
    if (!form) return;
    // A field renders as its label, its help and the input, side by side: hide them together.
    var group = [input, form.querySelector("label[for='" + input.id + "']"), document.getElementById(input.id + "_helptext")]
      .filter(Boolean);
    var chosen = function () {
      var fields = form.querySelectorAll("[name$='" + rule[0] + "']");
      for (var i = 0; i < fields.length; i++) {
        var field = fields[i];
        if (field.type === "radio" ? field.checked : field.tagName === "SELECT") return field.value;
      }
      return "";
    };
    var update = function () {
      var hide = chosen() !== rule[1] && !input.value;
      group.forEach(function (element) { element.hidden = hide; });
    };
    form.addEventListener("change", update);
    update();
  });
})();
