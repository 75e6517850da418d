// Show a notice when the page loses its kernel (voila gives no cue, voila #367).
// Voila's bundle does not expose its kernel connection, so we watch the
// kernel websockets it opens: a close, or a status message saying the kernel
// died or restarted, means the widgets on the page no longer work.
(function () {
  "use strict";
  var NativeWebSocket = window.WebSocket;
  if (!NativeWebSocket) {
    return;
  }
  var KERNEL_CHANNELS = /\/api\/kernels\/[^/]+\/channels/;
  var KERNEL_GONE = /"execution_state"\s*:\s*"(dead|restarting|autorestarting)"/;
  var STATUS_MAX_BYTES = 4096; // status messages are small; skip big outputs
  var decoder = window.TextDecoder ? new TextDecoder("utf-8") : null;
  var leaving = false;
  var kernelGone = false;

  window.addEventListener("beforeunload", function () {
    leaving = true;
  });

  function show(kind) {
    var box = document.getElementById("jianfu-notice");
    var text = document.getElementById("jianfu-notice-text");
    if (!box || !text) {
      return;
    }
    text.textContent = box.getAttribute("data-" + kind) || "";
    box.hidden = false;
    document.body.classList.add("jianfu-disconnected");
  }

  function hide() {
    var box = document.getElementById("jianfu-notice");
    if (box && !kernelGone) {
      box.hidden = true;
      document.body.classList.remove("jianfu-disconnected");
    }
  }

  function messageText(data) {
    if (typeof data === "string") {
      return data.length <= STATUS_MAX_BYTES ? data : "";
    }
    if (decoder && data instanceof ArrayBuffer && data.byteLength <= STATUS_MAX_BYTES) {
      return decoder.decode(data);
    }
    return "";
  }

  function watch(socket) {
    socket.addEventListener("open", hide);
    socket.addEventListener("message", function (event) {
      if (KERNEL_GONE.test(messageText(event.data))) {
        kernelGone = true;
        show("dead");
      }
    });
    socket.addEventListener("close", function () {
      if (!leaving && !kernelGone) {
        show("closed");
      }
    });
  }

  function JianfuWebSocket(url, protocols) {
    var socket =
      protocols === undefined ? new NativeWebSocket(url) : new NativeWebSocket(url, protocols);
    if (KERNEL_CHANNELS.test(String(url))) {
      watch(socket);
    }
    return socket;
  }
  JianfuWebSocket.prototype = NativeWebSocket.prototype;
  ["CONNECTING", "OPEN", "CLOSING", "CLOSED"].forEach(function (name) {
    JianfuWebSocket[name] = NativeWebSocket[name];
  });
  window.WebSocket = JianfuWebSocket;
})();
