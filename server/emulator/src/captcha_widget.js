// Development stand-in for the Turnstile and hCaptcha widgets, served by the Verify emulator
// at /dev/captcha/api.js. It is not the vendors' code: it offers their render/reset/remove
// calls and, on a click, yields the token their documented test site keys yield (or fails for
// the always-fail keys), so the human check works offline and in browser tests. Like Turnstile,
// it refuses to render with an action that is not 1-32 letters, digits, "-" or "_".
(function () {
  "use strict";
  var PASSING = {
    "1x00000000000000000000AA": "XXXX.DUMMY.TOKEN.XXXX",
    "1x00000000000000000000BB": "XXXX.DUMMY.TOKEN.XXXX",
    "3x00000000000000000000FF": "XXXX.DUMMY.TOKEN.XXXX",
    "10000000-ffff-ffff-ffff-000000000001": "10000000-aaaa-bbbb-cccc-000000000001"
  };
  var LABEL = "I'm a person (test widget)";
  var widgets = [];

  function render(container, options) {
    if (options.action !== undefined && !/^[A-Za-z0-9_-]{1,32}$/.test(String(options.action))) {
      throw new Error('Invalid input for optional parameter "action", got "' + options.action + '"');
    }
    var host = typeof container === "string" ? document.querySelector(container) : container;
    var button = document.createElement("button");
    button.type = "button";
    button.className = "captcha-standin";
    button.textContent = LABEL;
    button.addEventListener("click", function () {
      var token = PASSING[options.sitekey];
      if (token) {
        button.disabled = true;
        button.textContent = "Verified (test widget)";
        if (options.callback) options.callback(token);
      } else {
        button.textContent = "Check failed (test widget). Try again";
        if (options["error-callback"]) options["error-callback"]("test-key-fails");
      }
    });
    host.appendChild(button);
    widgets.push(button);
    return String(widgets.length - 1);
  }

  function reset(id) {
    var button = widgets[Number(id)];
    if (button) {
      button.disabled = false;
      button.textContent = LABEL;
    }
  }

  function remove(id) {
    var button = widgets[Number(id)];
    if (button && button.parentNode) button.parentNode.removeChild(button);
  }

  window.turnstile = window.hcaptcha = { render: render, reset: reset, remove: remove };
})();
