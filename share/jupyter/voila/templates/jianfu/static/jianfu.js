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

// Copy the data sentences (widgets/compare.py, sentences_html): the Clipboard API
// exists only on https and localhost, so on a plain-HTTP intranet address the
// text is copied through a selected textarea instead. "已复制" only when it worked;
// otherwise the sentences are selected so Ctrl+C copies them.
(function () {
  "use strict";
  var RESET_MS = 4000;

  function viaSelection(text) {
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.top = "0";
    area.style.left = "-9999px";
    document.body.appendChild(area);
    area.focus();
    area.select();
    area.setSelectionRange(0, text.length);
    var copied = false;
    try {
      copied = document.execCommand("copy");
    } catch (err) {
      copied = false;
    }
    document.body.removeChild(area);
    return copied;
  }

  function selectList(button) {
    var box = button.closest(".jf-said");
    var list = box && box.querySelector(".jf-sentences");
    if (!list || !window.getSelection) {
      return;
    }
    var range = document.createRange();
    range.selectNodeContents(list);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }

  function report(button, copied) {
    if (!button.hasAttribute("data-label")) {
      button.setAttribute("data-label", button.textContent);
    }
    button.textContent = copied ? "已复制" : "未能自动复制：已选中数据句，请按 Ctrl+C";
    button.classList.toggle("jf-copy-failed", !copied);
    if (!copied) {
      selectList(button);
    }
    window.setTimeout(function () {
      button.textContent = button.getAttribute("data-label");
      button.classList.remove("jf-copy-failed");
    }, RESET_MS);
  }

  window.jianfuCopy = function (button) {
    var text = button.getAttribute("data-text") || "";
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(
        function () {
          report(button, true);
        },
        function () {
          report(button, viaSelection(text));
        }
      );
      return;
    }
    report(button, viaSelection(text));
  };
})();

// Files over the upload limit never leave the browser. A file travels to the kernel
// inside one websocket message; one over Voila's limit is dropped without a word,
// so it is refused here, before it is read. The upload widget (ipywidgets 8) listens
// for "change" on a file input it keeps out of the page, so the check wraps that
// listener. The limit is widgets/import_panel.py's MAX_UPLOAD_MB (a test checks).
(function () {
  "use strict";
  var MAX_UPLOAD_MB = 20;
  var nativeAdd = EventTarget.prototype.addEventListener;

  function tooBig(input) {
    var files = Array.prototype.slice.call(input.files || []);
    return files.filter(function (file) {
      return file.size > MAX_UPLOAD_MB * 1024 * 1024;
    });
  }

  function say(files) {
    var old = document.getElementById("jianfu-upload-refused");
    if (old) {
      old.parentNode.removeChild(old);
    }
    var box = document.createElement("div");
    box.id = "jianfu-upload-refused";
    box.className = "jianfu-message jianfu-error jianfu-toast";
    box.setAttribute("role", "alert");
    var names = files
      .map(function (file) {
        return "“" + file.name + "”（" + (file.size / 1024 / 1024).toFixed(1) + "MB）";
      })
      .join("、");
    box.textContent =
      "文件" + names + "超过" + MAX_UPLOAD_MB + "MB，未上传。" +
      "请删去不需要的工作表、或拆成几个文件后再导入。";
    var close = document.createElement("button");
    close.type = "button";
    close.className = "jianfu-toast-close";
    close.textContent = "知道了";
    close.onclick = function () {
      box.parentNode && box.parentNode.removeChild(box);
    };
    box.appendChild(close);
    document.body.appendChild(box);
  }

  EventTarget.prototype.addEventListener = function (type, listener, options) {
    var input = this;
    if (
      type === "change" &&
      typeof listener === "function" &&
      window.HTMLInputElement &&
      input instanceof HTMLInputElement &&
      input.type === "file"
    ) {
      var inner = listener;
      listener = function (event) {
        var big = tooBig(input);
        if (big.length) {
          say(big);
          input.value = "";
          return undefined;
        }
        return inner.call(this, event);
      };
    }
    return nativeAdd.call(this, type, listener, options);
  };
})();

// A message that appears out of sight (已保存 under a long form, 已添加单位 above
// it, 最多选3项 under the choices on a phone) is scrolled into view, so the user sees
// what their click did.
(function () {
  "use strict";
  function offScreen(el) {
    var box = el.getBoundingClientRect();
    return box.height > 0 && (box.bottom > window.innerHeight || box.top < 0);
  }
  function watch() {
    var root = document.getElementById("rendered_cells");
    if (!root || !window.MutationObserver) {
      return;
    }
    new MutationObserver(function (records) {
      for (var i = 0; i < records.length; i++) {
        var added = records[i].addedNodes;
        for (var j = 0; j < added.length; j++) {
          var node = added[j];
          var message = node.nodeType === 1 &&
            (node.classList.contains("jianfu-message") || node.classList.contains("jf-assess-msg"));
          if (message && offScreen(node)) {
            node.scrollIntoView({ block: "nearest", behavior: "smooth" });
            return;
          }
        }
      }
    }).observe(root, { childList: true, subtree: true });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", watch);
  } else {
    watch();
  }
})();

// Closing or reloading a page shuts its kernel down: Voila's unload handler sends
// the request with the value of the _xsrf cookie, but nothing sets that cookie on
// a Voila page, so the server refused the request (voila #1458) and every closed
// tab kept a kernel, and its memory, until the culler came. A random token in the
// cookie, sent back in the request (the double-submit check), lets it through.
(function () {
  "use strict";
  if (/(?:^|;\s*)_xsrf=/.test(document.cookie) || !window.crypto) {
    return;
  }
  var bytes = new Uint8Array(16);
  window.crypto.getRandomValues(bytes);
  var token = Array.prototype.map
    .call(bytes, function (b) {
      return ("0" + b.toString(16)).slice(-2);
    })
    .join("");
  document.cookie = "_xsrf=" + token + "; path=/; SameSite=Strict";
})();

// 投屏模式 (widgets/dashboard.py) fills the window; the switch (a user's click) also asks
// the browser for full screen, and leaving the view leaves it. jianfuFullscreen() is the
// projector's 全屏 button. Browsers that refuse (or have no API) keep the window view.
(function () {
  "use strict";
  function enter() {
    var root = document.documentElement;
    if (!document.fullscreenElement && root.requestFullscreen) {
      root.requestFullscreen().catch(function () {});
    }
  }
  function leave() {
    if (document.fullscreenElement && document.exitFullscreen) {
      document.exitFullscreen().catch(function () {});
    }
  }
  window.jianfuFullscreen = function () {
    if (document.fullscreenElement) {
      leave();
    } else {
      enter();
    }
  };
  document.addEventListener(
    "click",
    function (event) {
      var button = event.target.closest && event.target.closest(".jf-projector-switch");
      if (!button) {
        return;
      }
      if (button.classList.contains("mod-active")) {
        leave();
      } else {
        enter();
      }
    },
    true
  );
})();

// After 提交 the participant's result replaces the form, which was scrolled down to the
// button: bring the result's first line ("已提交") to the top of the screen.
(function () {
  "use strict";
  function watch() {
    var root = document.getElementById("rendered_cells");
    if (!root || !window.MutationObserver) {
      return;
    }
    new MutationObserver(function (records) {
      for (var i = 0; i < records.length; i++) {
        var added = records[i].addedNodes;
        for (var j = 0; j < added.length; j++) {
          var node = added[j];
          var card = node.nodeType === 1 && (node.matches(".jf-assess-result")
            ? node : node.querySelector(".jf-assess-result"));
          if (card) {
            card.scrollIntoView({ block: "start" });
            return;
          }
        }
      }
    }).observe(root, { childList: true, subtree: true });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", watch);
  } else {
    watch();
  }
})();

// A chart drawn while the browser was still making the page's widgets may never reach it:
// the browser drops updates for widgets it has not made yet, and 正在生成图表… (or a stale
// 第1/1页) would stay for good. So once the chart area's widgets are all on the page, ask
// the kernel once to send it again (widgets/compare/chart_view.py, ChartView.resend), and
// ask again while the notice stays 3 s; a drawing still running just keeps the notice.
(function () {
  "use strict";
  var LOOK_MS = 1000;
  var AGAIN_MS = 3000;
  function ready(view) {
    // prev, next and the hidden button are the pager's last widgets; .jf-chart the picture
    return view.querySelectorAll(".jf-pager button").length >= 3 && view.querySelector(".jf-chart");
  }
  window.setInterval(function () {
    var now = Date.now();
    Array.prototype.forEach.call(document.querySelectorAll(".jf-chart-view"), function (view) {
      var button = view.querySelector(".jf-chart-resend");
      if (!button || !ready(view)) {
        return;
      }
      var notice = view.querySelector(".jf-chart-wait");
      if (notice !== view.jianfuNotice) {
        view.jianfuNotice = notice;
        view.jianfuSince = now;
      }
      if (!view.jianfuAsked || (notice && now - view.jianfuSince >= AGAIN_MS)) {
        view.jianfuAsked = true;
        view.jianfuSince = now;
        button.click();
      }
    });
  }, LOOK_MS);
})();
