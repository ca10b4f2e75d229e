/* The report form's photos: chosen a few at a time, each shown as a thumbnail with a remove button;
   a file that is not a photo, and a fourth photo, are refused when chosen, with a message, never
   dropped in silence. files() gives the photos made smaller for sending (photo_shrink.js). */
(function () {
  "use strict";
  var MAX = 3, PHOTO = /^image\//, PHONE_FORMATS = /\.(heic|heif)$/i;

  window.PAPhotoPicker = function (options) {
    var input = options.input, list = options.list, status = options.status, error = options.error, T = options.T;
    var chosen = [], shrunk = Promise.resolve([]);

    function fmt(text, values) { return text.replace(/%\((\w+)\)s/g, function (_, name) { return values[name]; }); }

    function render() {
      list.textContent = "";
      chosen.forEach(function (file, k) {
        var li = document.createElement("li"), img = document.createElement("img"), remove = document.createElement("button");
        img.src = URL.createObjectURL(file); img.alt = ""; img.width = 72; img.height = 72;
        img.onload = function () { URL.revokeObjectURL(img.src); };
        remove.type = "button"; remove.className = "remove-photo"; remove.textContent = "×";
        remove.setAttribute("aria-label", fmt(T.remove_photo, { n: k + 1 }));
        remove.addEventListener("click", function () { chosen.splice(k, 1); changed(); input.focus(); });
        li.appendChild(img); li.appendChild(remove); list.appendChild(li);
      });
    }

    function changed() {
      render();
      if (!chosen.length) { status.textContent = ""; shrunk = Promise.resolve([]); return; }
      status.textContent = T.preparing;
      shrunk = window.PAShrinkPhotos(chosen);
      shrunk.then(function (photos) {
        var total = photos.reduce(function (sum, p) { return sum + p.size; }, 0);
        status.textContent = fmt(T.photos_ready, { n: photos.length, kb: Math.round(total / 1024).toLocaleString(document.documentElement.lang) });
      });
    }

    input.addEventListener("change", function () {
      var refused = [];
      Array.prototype.forEach.call(input.files, function (file) {
        if (!PHOTO.test(file.type) && !PHONE_FORMATS.test(file.name)) { refused.push(fmt(T.not_photo, { name: file.name })); }
        else if (chosen.length >= MAX) { refused.push(fmt(T.too_many, { name: file.name })); }
        else { chosen.push(file); }
      });
      input.value = "";  // the same file can be chosen again after removing it
      error.hidden = !refused.length;
      error.textContent = refused.join(" ");
      changed();
    });

    return {
      files: function () { return shrunk; },
      clear: function () { chosen = []; changed(); error.hidden = true; }
    };
  };
})();
