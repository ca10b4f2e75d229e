/* Photos made smaller on the phone before they are sent: the long side to at most 2,048 px (what the
   server keeps anyway) and JPEG at quality 0.8. A 12-megapixel phone photo of ~5 MB becomes a few
   hundred KB, so it goes in seconds on a slow network. The canvas drops the photo's metadata (GPS
   included); the server still re-encodes and strips every photo, so a browser that cannot decode a
   format (HEIC outside Safari) simply sends the original. */
(function () {
  "use strict";
  var LONG_SIDE = 2048, QUALITY = 0.8;

  function decode(file) {
    if (window.createImageBitmap) {
      return createImageBitmap(file, { imageOrientation: "from-image" });
    }
    return new Promise(function (resolve, reject) {  // older browsers: through an <img>
      var img = new Image(), url = URL.createObjectURL(file);
      img.onload = function () { URL.revokeObjectURL(url); resolve(img); };
      img.onerror = function () { URL.revokeObjectURL(url); reject(new Error("undecodable")); };
      img.src = url;
    });
  }

  function shrink(file) {
    return decode(file).then(function (image) {
      var w = image.width, h = image.height, scale = Math.min(1, LONG_SIDE / Math.max(w, h));
      var canvas = document.createElement("canvas");
      canvas.width = Math.round(w * scale); canvas.height = Math.round(h * scale);
      canvas.getContext("2d").drawImage(image, 0, 0, canvas.width, canvas.height);
      if (image.close) { image.close(); }
      return new Promise(function (resolve) { canvas.toBlob(resolve, "image/jpeg", QUALITY); }).then(function (blob) {
        if (!blob || (blob.size >= file.size && scale === 1 && file.type === "image/jpeg")) { return file; }
        var name = (file.name || "photo").replace(/\.[^.]*$/, "") + ".jpg";
        return new File([blob], name, { type: "image/jpeg" });
      });
    }).catch(function () { return file; });
  }

  window.PAShrinkPhotos = function (files) {
    return Promise.all(Array.prototype.slice.call(files, 0, 3).map(shrink));
  };
})();
