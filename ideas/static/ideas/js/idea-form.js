// The idea form, phone first: character counters, a preview and a lighter copy
// of large photos, the phone's camera, the challenge's limits checked before
// anything is sent, a progress bar with cancel, and what is typed kept on this
// device until the idea is sent. Without this script the form posts as it
// always did; the server checks everything again.
(function () {
  "use strict";

  var PHOTO_MAX_SIDE = 2560;
  var PHOTO_QUALITY = 0.85;
  // Smaller photos go as they are: decoding them would cost more than it saves.
  var PHOTO_KEEP_BYTES = 1.5 * 1024 * 1024;
  var DRAFT_FIELDS = ["title", "body", "tags", "video_url"];
  var DRAFT_DAYS = 30;

  function fill(template, values) {
    return (template || "").replace(/\{(\w+)\}/g, function (whole, name) {
      return Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : whole;
    });
  }

  // As the server counts (core.text.clean_text): code points, trimmed, one line
  // for the title.
  function charCount(field) {
    var text = field.value.normalize ? field.value.normalize("NFC") : field.value;
    text = field.tagName === "TEXTAREA" ? text.replace(/\n{3,}/g, "\n\n").trim()
      : text.trim().split(/\s+/).join(" ");
    return Array.from(text).length;
  }

  function replaceFile(input, file) {
    if (typeof DataTransfer !== "function") { return false; }
    var transfer = new DataTransfer();
    if (file) { transfer.items.add(file); }
    input.files = transfer.files;
    return true;
  }

  function megabytes(bytes) {
    if (bytes < 1024 * 1024) { return Math.max(1, Math.round(bytes / 1024)) + " KB"; }
    return (bytes / (1024 * 1024)).toFixed(1).replace(/\.0$/, "") + " MB";
  }

  function setup(form) {
    if (!form || form.hasAttribute("data-ready")) { return; }
    form.setAttribute("data-ready", "");
    var texts = form.dataset;
    var pending = [];  // photos being prepared, videos being read: sending waits for them
    var checks = [];   // functions saying which field is over its limit

    // --- Counters --------------------------------------------------------------------

    form.querySelectorAll("[data-max-chars]").forEach(function (field) {
      var max = parseInt(field.getAttribute("data-max-chars"), 10);
      var counter = form.querySelector('[data-counter-for="' + field.id + '"]');
      var error = document.createElement("span");
      error.className = "field-error";
      error.id = field.id + "-over";
      error.hidden = true;
      counter.insertAdjacentElement("afterend", error);
      field.setAttribute("aria-describedby",
        (field.getAttribute("aria-describedby") || "") + " " + error.id);
      var overText = field.tagName === "TEXTAREA" ? texts.textBodyOver : texts.textTitleOver;
      var wasOver = false;
      function update() {
        var count = charCount(field);
        var over = count > max;
        counter.textContent = fill(texts.textCounted, { count: count, max: max });
        counter.classList.add("char-count-live");
        counter.classList.toggle("char-count-over", over);
        error.textContent = over ? fill(overText, { count: count }) : "";
        error.hidden = !over;
        field.setCustomValidity(over ? error.textContent : "");
        if (over) { field.setAttribute("aria-invalid", "true"); }
        else if (wasOver) { field.removeAttribute("aria-invalid"); }
        wasOver = over;
      }
      field.addEventListener("input", update);
      update();
      checks.push(function () { return charCount(field) > max ? field : null; });
    });

    // --- Files: checked, previewed, photos made lighter ---------------------------------

    function fileField(input) {
      var box = input.closest(".media-field");
      return {
        error: box.querySelector("[id$='-check']"),
        preview: box.querySelector(".media-preview"),
        facts: box.querySelector(".media-preview-facts"),
      };
    }

    function showError(input, message) {
      var parts = fileField(input);
      parts.error.textContent = message || "";
      parts.error.hidden = !message;
      if (message) { input.setAttribute("aria-invalid", "true"); }
      else { input.removeAttribute("aria-invalid"); }
    }

    function previewOf(input, element, file, facts) {
      var parts = fileField(input);
      if (element.src && element.src.indexOf("blob:") === 0) { URL.revokeObjectURL(element.src); }
      if (!file) {
        parts.preview.hidden = true;
        element.removeAttribute("src");
        return;
      }
      element.src = URL.createObjectURL(file);
      parts.facts.textContent = facts || "";
      parts.preview.hidden = false;
    }

    function refuse(input, element, message) {
      input.value = "";
      previewOf(input, element, null);
      showError(input, message);
    }

    function lighterPhoto(file) {
      if (typeof createImageBitmap !== "function") { return Promise.resolve(null); }
      return createImageBitmap(file, { imageOrientation: "from-image" }).then(function (bitmap) {
        var scale = Math.min(1, PHOTO_MAX_SIDE / Math.max(bitmap.width, bitmap.height));
        var width = Math.round(bitmap.width * scale);
        var height = Math.round(bitmap.height * scale);
        var canvas = document.createElement("canvas");
        canvas.width = width;
        canvas.height = height;
        var context = canvas.getContext("2d");
        context.fillStyle = "#fff";  // a transparent PNG becomes white, as on the server
        context.fillRect(0, 0, width, height);
        context.imageSmoothingQuality = "high";
        context.drawImage(bitmap, 0, 0, width, height);
        if (bitmap.close) { bitmap.close(); }
        return new Promise(function (resolve) {
          canvas.toBlob(function (blob) {
            if (!blob || blob.size >= file.size) { resolve(null); return; }
            var name = file.name.replace(/\.[^.]*$/, "") + ".jpg";
            resolve({ file: new File([blob], name, { type: "image/jpeg" }), width: width, height: height });
          }, "image/jpeg", PHOTO_QUALITY);
        });
      }).catch(function () { return null; });  // the server takes the original
    }

    var image = form.querySelector("#id_image");
    if (image) {
      var imagePreview = fileField(image).preview.querySelector("img");
      var imageMax = parseInt(image.getAttribute("data-max-bytes"), 10);
      image.addEventListener("change", function () {
        var file = image.files[0];
        showError(image, "");
        previewOf(image, imagePreview, file, file ? megabytes(file.size) : "");
        if (!file) { return; }
        var lighter = Promise.resolve(null);
        if (/^image\/(jpeg|png|webp)$/.test(file.type) && file.size > PHOTO_KEEP_BYTES) {
          fileField(image).facts.textContent = texts.textPreparing;
          lighter = lighterPhoto(file);
        }
        var ready = lighter.then(function (result) {
          if (result && image.files[0] === file && replaceFile(image, result.file)) {
            file = result.file;
            previewOf(image, imagePreview, file,
              result.width + " × " + result.height + " · " + megabytes(file.size));
          } else if (image.files[0] === file) {
            fileField(image).facts.textContent = megabytes(file.size);
          }
          if (image.files[0] === file && file.size > imageMax) {
            refuse(image, imagePreview, texts.textImageTooBig);
          }
        });
        pending.push(ready);
      });
    }

    var video = form.querySelector("#id_video");
    if (video) {
      var videoPreview = fileField(video).preview.querySelector("video");
      var videoMaxBytes = parseInt(video.getAttribute("data-max-bytes"), 10);
      var videoMaxSeconds = parseInt(video.getAttribute("data-max-seconds"), 10);
      video.addEventListener("change", function () {
        var file = video.files[0];
        showError(video, "");
        previewOf(video, videoPreview, null);
        if (!file) { return; }
        if (file.size > videoMaxBytes) {
          refuse(video, videoPreview, texts.textVideoTooBig);
          return;
        }
        pending.push(new Promise(function (resolve) {
          videoPreview.onloadedmetadata = function () {
            var seconds = videoPreview.duration;
            if (isFinite(seconds) && seconds > videoMaxSeconds) {
              refuse(video, videoPreview, fill(texts.textVideoTooLong, { seconds: Math.round(seconds) }));
            } else if (isFinite(seconds)) {
              fileField(video).facts.textContent = Math.round(seconds) + " s · " + megabytes(file.size);
            }
            resolve();
          };
          // A format this browser cannot play (HEVC…): the server reads it.
          videoPreview.onerror = function () { fileField(video).preview.hidden = true; resolve(); };
          previewOf(video, videoPreview, file, megabytes(file.size));
        }));
      });
    }

    // The phone's camera: a second picker that opens it, whose file goes to the field.
    if (typeof DataTransfer === "function" && window.matchMedia("(pointer: coarse)").matches) {
      form.querySelectorAll("[data-capture]").forEach(function (box) { box.hidden = false; });
    }
    form.addEventListener("click", function (event) {
      var opener = event.target.closest("[data-capture-open]");
      if (opener) { document.getElementById(opener.getAttribute("data-capture-open")).click(); }
    });
    form.querySelectorAll("[data-capture-into]").forEach(function (camera) {
      camera.addEventListener("change", function () {
        var target = document.getElementById(camera.getAttribute("data-capture-into"));
        if (camera.files[0] && replaceFile(target, camera.files[0])) {
          target.dispatchEvent(new Event("change", { bubbles: true }));
        }
        camera.value = "";
      });
    });

    // --- What is typed stays on this device until the idea is sent ------------------------

    var draftKey = form.getAttribute("data-draft-key");
    var storage = null;
    try { storage = draftKey ? window.localStorage : null; } catch (e) { storage = null; }
    var draftFields = DRAFT_FIELDS.map(function (name) { return form.elements[name]; })
      .filter(Boolean);
    var notice = form.querySelector("#draft-restored");

    function forgetDraft() {
      if (storage) { try { storage.removeItem(draftKey); } catch (e) { /* private mode */ } }
    }

    if (storage) {
      var saved = null;
      try { saved = JSON.parse(storage.getItem(draftKey) || "null"); } catch (e) { saved = null; }
      var untouched = draftFields.every(function (field) { return !field.value; });
      var fresh = saved && saved.at > Date.now() - DRAFT_DAYS * 86400000;
      if (saved && !fresh) { forgetDraft(); }
      if (fresh && untouched) {
        draftFields.forEach(function (field) {
          if (saved.values[field.name]) {
            field.value = saved.values[field.name];
            field.dispatchEvent(new Event("input", { bubbles: true }));
          }
        });
        notice.querySelector("span").textContent = texts.textRestored;
        notice.hidden = false;
      }
      var timer = null;
      form.addEventListener("input", function () {
        clearTimeout(timer);
        timer = setTimeout(function () {
          var values = {};
          var any = false;
          draftFields.forEach(function (field) { values[field.name] = field.value; any = any || !!field.value; });
          try {
            if (any) { storage.setItem(draftKey, JSON.stringify({ at: Date.now(), values: values })); }
            else { storage.removeItem(draftKey); }
          } catch (e) { /* full or private mode: nothing kept */ }
        }, 300);
      });
      notice.querySelector("[data-draft-discard]").addEventListener("click", function () {
        forgetDraft();
        draftFields.forEach(function (field) {
          field.value = "";
          field.dispatchEvent(new Event("input", { bubbles: true }));
        });
        forgetDraft();  // the input events above were about to save the empty form
        clearTimeout(timer);
        notice.hidden = true;
        draftFields[0].focus();
      });
    }

    // --- Sending, with a progress bar and a way to cancel ---------------------------------

    var progress = form.querySelector("#upload-progress");
    var bar = progress.querySelector("progress");
    var percent = progress.querySelector(".upload-percent");
    var failure = form.querySelector("#upload-error");
    var buttons = form.querySelectorAll("button[type=submit]");
    var request = null;

    function busy(sending) {
      progress.hidden = !sending;
      buttons.forEach(function (button) { button.disabled = sending; });
      if (sending) {
        bar.value = 0;
        percent.textContent = "0 %";
        failure.hidden = true;
      }
    }

    function stopped(message) {
      request = null;
      busy(false);
      failure.textContent = message;
      failure.hidden = false;
    }

    // A refusal (400, 429…) comes back as the server's page: it takes this one's
    // place, with the files already chosen kept where the server did not refuse them.
    function showAnswer(html) {
      var answer = new DOMParser().parseFromString(html, "text/html");
      var main = answer.querySelector("main");
      var current = document.querySelector("main");
      if (!main || !current) { stopped(texts.textFailed); return; }
      var chosen = {};
      ["image", "video"].forEach(function (name) {
        if (form.elements[name] && form.elements[name].files[0]) { chosen[name] = form.elements[name].files[0]; }
      });
      main = document.adoptNode(main);
      current.replaceWith(main);
      if (answer.title) { document.title = answer.title; }
      var next = main.querySelector("#idea-form");
      if (next) {
        Object.keys(chosen).forEach(function (name) {
          var input = next.elements[name];
          if (input && input.getAttribute("aria-invalid") !== "true" && replaceFile(input, chosen[name])) {
            input.dispatchEvent(new Event("change", { bubbles: true }));
          }
        });
      }
      if (window.htmx) { window.htmx.process(main); }
      setup(next);
      var said = main.querySelector("[role=alert]:not([hidden]), .field-error:not([hidden])");
      if (said) {
        said.setAttribute("tabindex", "-1");
        said.focus();
      }
    }

    function send(submitter) {
      var data = new FormData(form);
      if (submitter && submitter.name) { data.append(submitter.name, submitter.value); }
      var xhr = new XMLHttpRequest();
      request = xhr;
      xhr.open("POST", form.action);
      xhr.setRequestHeader("Accept", "application/json");
      xhr.upload.addEventListener("progress", function (event) {
        if (!event.lengthComputable || !event.total) { return; }
        var value = Math.round((event.loaded / event.total) * 100);
        bar.value = value;
        percent.textContent = value + " %";
      });
      xhr.addEventListener("load", function () {
        request = null;
        var type = xhr.getResponseHeader("Content-Type") || "";
        if (xhr.status === 200 && type.indexOf("application/json") === 0) {
          forgetDraft();
          window.location.assign(JSON.parse(xhr.responseText).url);
          return;
        }
        showAnswer(xhr.responseText);
      });
      xhr.addEventListener("error", function () { stopped(texts.textFailed); });
      xhr.addEventListener("abort", function () { stopped(texts.textCancelled); });
      busy(true);
      xhr.send(data);
    }

    progress.querySelector("[data-upload-cancel]").addEventListener("click", function () {
      if (request) { request.abort(); }
    });

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (request) { return; }
      var over = checks.map(function (check) { return check(); }).filter(Boolean)[0];
      if (over) {  // "save as draft" skips the browser's own check: this one stays
        over.focus();
        return;
      }
      var submitter = event.submitter;
      Promise.all(pending).then(function () { send(submitter); });
    });
  }

  setup(document.getElementById("idea-form"));
})();
