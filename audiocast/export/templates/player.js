(function () {
  "use strict";
  // The page's own data, embedded as JSON (never as script text): times only; every text the
  // listener sees is already in the page, escaped, and is never put back through innerHTML.
  var data = JSON.parse(document.getElementById("episode-data").textContent);
  var audio = document.getElementById("audio");
  var play = document.getElementById("play");
  var seek = document.getElementById("seek");
  var elapsed = document.getElementById("elapsed");
  var remaining = document.getElementById("remaining");
  var speed = document.getElementById("speed");
  var status = document.getElementById("status");
  var nowChapter = document.getElementById("now-chapter");
  var cueBox = document.getElementById("cues");
  var cueEls = cueBox ? cueBox.querySelectorAll(".cue") : [];
  var chapterEls = document.querySelectorAll("#chapter-list li");
  var STEP = 5, SKIP = 15, SPEEDS = [];
  for (var i = 0; i < speed.options.length; i++) SPEEDS.push(parseFloat(speed.options[i].value));
  var storeKey = "audiocast:position:" + data.key;
  var currentCue = -1, currentChapter = -1, lastUserScroll = 0, lastSaved = -10;
  var reduceMotion = window.matchMedia("(prefers-reduced-motion: reduce)").matches;

  function clock(seconds) {
    var s = Math.max(0, Math.floor(seconds + 0.5));
    var h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), r = s % 60;
    var mm = h ? (m < 10 ? "0" + m : "" + m) : "" + m;
    return (h ? h + ":" : "") + mm + ":" + (r < 10 ? "0" + r : r);
  }
  function duration() {
    return isFinite(audio.duration) && audio.duration > 0 ? audio.duration : data.duration;
  }
  function storage() {
    try { return window.localStorage; } catch (e) { return null; }
  }

  // Which interval holds t: the last start <= t, if t is before its end (binary search).
  function find(list, t) {
    var lo = 0, hi = list.length - 1, found = -1;
    while (lo <= hi) {
      var mid = (lo + hi) >> 1;
      if (list[mid][0] <= t) { found = mid; lo = mid + 1; } else { hi = mid - 1; }
    }
    return found >= 0 && t < list[found][1] ? found : -1;
  }

  function followCue(el) {
    // Kept in view inside the transcript box only (the page itself never jumps), and not while
    // the listener is scrolling or searching the transcript themselves.
    if (!cueBox || Date.now() - lastUserScroll < 4000 || searchActive()) return;
    var top = el.offsetTop, bottom = top + el.offsetHeight;
    var view = cueBox.scrollTop, height = cueBox.clientHeight;
    if (top < view + 8 || bottom > view + height - 8) {
      cueBox.scrollTo({ top: top - height / 3, behavior: reduceMotion ? "auto" : "smooth" });
    }
  }

  function update() {
    var t = audio.currentTime, d = duration();
    elapsed.textContent = clock(t);
    remaining.textContent = "-" + clock(Math.max(0, d - t));
    if (document.activeElement !== seek || !seek.dataset.dragging) seek.value = t;
    seek.style.setProperty("--played", (d ? (100 * t) / d : 0) + "%");
    seek.setAttribute("aria-valuetext", clock(t) + " of " + clock(d));
    var c = find(data.cues, t);
    if (c !== currentCue) {
      if (currentCue >= 0) {
        cueEls[currentCue].classList.remove("current");
        cueEls[currentCue].removeAttribute("aria-current");
      }
      currentCue = c;
      if (c >= 0) {
        cueEls[c].classList.add("current");
        cueEls[c].setAttribute("aria-current", "true");
        followCue(cueEls[c]);
      }
    }
    var ch = find(data.chapters, t);
    if (ch < 0 && data.chapters.length && t >= data.chapters[data.chapters.length - 1][0]) {
      ch = data.chapters.length - 1;
    }
    if (ch !== currentChapter) {
      if (currentChapter >= 0) {
        chapterEls[currentChapter].classList.remove("current");
        chapterEls[currentChapter].firstChild.removeAttribute("aria-current");
      }
      currentChapter = ch;
      if (ch >= 0) {
        chapterEls[ch].classList.add("current");
        chapterEls[ch].firstChild.setAttribute("aria-current", "true");
        nowChapter.textContent = chapterEls[ch].querySelector("span:last-child").textContent;
      }
    }
  }

  var frame = 0;
  function tick() {
    update();
    frame = audio.paused ? 0 : window.requestAnimationFrame(tick);
  }

  function savePosition(force) {
    var store = storage();
    if (!store) return;
    var t = audio.currentTime;
    if (!force && Math.abs(t - lastSaved) < 2) return;
    lastSaved = t;
    try {
      if (t < 1 || t > duration() - 3) store.removeItem(storeKey);
      else store.setItem(storeKey, String(t));
    } catch (e) { /* storage full or blocked: the position simply is not remembered */ }
  }

  function seekTo(t) {
    audio.currentTime = Math.min(Math.max(0, t), duration());
    update();
  }
  function toggle() {
    if (audio.paused) start(); else audio.pause();
  }
  function start() {
    var promise = audio.play();
    if (promise && promise.catch) {
      promise.catch(function (err) {
        if (err && err.name !== "AbortError") status.textContent = "Cannot play: " + err.message;
      });
    }
  }
  function setSpeed(value) {
    speed.value = String(value);
    audio.playbackRate = value;
  }
  function stepSpeed(direction) {
    var at = SPEEDS.indexOf(parseFloat(speed.value));
    var next = Math.min(SPEEDS.length - 1, Math.max(0, at + direction));
    setSpeed(SPEEDS[next]);
  }

  function timeFromHash() {
    var m = /(?:^#|&)t=([0-9:.]+)/.exec(window.location.hash);
    if (!m) return null;
    var parts = m[1].split(":"), t = 0;
    for (var i = 0; i < parts.length; i++) t = t * 60 + parseFloat(parts[i] || "0");
    return isFinite(t) ? t : null;
  }

  // ---- events ----
  play.addEventListener("click", toggle);
  document.getElementById("back").addEventListener("click", function () {
    seekTo(audio.currentTime - SKIP);
  });
  document.getElementById("forward").addEventListener("click", function () {
    seekTo(audio.currentTime + SKIP);
  });
  speed.addEventListener("change", function () { audio.playbackRate = parseFloat(speed.value); });
  seek.addEventListener("input", function () {
    seek.dataset.dragging = "1";
    seekTo(parseFloat(seek.value));
  });
  seek.addEventListener("change", function () { delete seek.dataset.dragging; });

  audio.addEventListener("play", function () {
    play.classList.add("playing");
    play.setAttribute("aria-label", "Pause");
    status.textContent = "";
    if (!frame) frame = window.requestAnimationFrame(tick);
  });
  audio.addEventListener("pause", function () {
    play.classList.remove("playing");
    play.setAttribute("aria-label", "Play");
    savePosition(true);
  });
  audio.addEventListener("timeupdate", function () {
    if (audio.paused) update();
    savePosition(false);
  });
  audio.addEventListener("seeked", update);
  audio.addEventListener("ended", function () {
    var store = storage();
    if (store) try { store.removeItem(storeKey); } catch (e) { /* nothing to forget */ }
  });
  audio.addEventListener("loadedmetadata", function () {
    seek.max = duration();
    update();
  });
  audio.addEventListener("error", function () {
    status.textContent = "The audio file could not be loaded.";
  });
  window.addEventListener("pagehide", function () { savePosition(true); });
  window.addEventListener("hashchange", function () {
    var t = timeFromHash();
    if (t !== null) seekTo(t);
  });

  Array.prototype.forEach.call(chapterEls, function (li) {
    li.firstChild.addEventListener("click", function () {
      seekTo(parseFloat(li.dataset.start));
      start();
    });
  });
  if (cueBox) {
    cueBox.addEventListener("click", function (event) {
      var cue = event.target.closest(".cue");
      if (!cue) return;
      lastUserScroll = 0;
      seekTo(parseFloat(cue.dataset.start));
      // The stamp is a link: it updates the address (so it can be shared), the text just seeks.
      if (!event.target.closest(".stamp")) start();
    });
    ["wheel", "touchmove", "keydown"].forEach(function (name) {
      cueBox.addEventListener(name, function () { lastUserScroll = Date.now(); }, { passive: true });
    });
  }

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || event.defaultPrevented) return;
    var target = event.target;
    var tag = target && target.tagName;
    if (tag === "INPUT" && target.type !== "range") return;
    if (tag === "TEXTAREA" || tag === "SELECT" || (target && target.isContentEditable)) return;
    var key = event.key;
    var control = tag === "BUTTON" || tag === "A" || tag === "SUMMARY";
    if ((key === " " || key === "Enter") && control) return; // the focused control's own action
    if (key === " " || key === "k" || key === "K") toggle();
    else if (key === "ArrowLeft") seekTo(audio.currentTime - STEP);
    else if (key === "ArrowRight") seekTo(audio.currentTime + STEP);
    else if (key === "j" || key === "J") seekTo(audio.currentTime - SKIP);
    else if (key === "l" || key === "L") seekTo(audio.currentTime + SKIP);
    else if (key === "<" || key === ",") stepSpeed(-1);
    else if (key === ">" || key === ".") stepSpeed(1);
    else return;
    event.preventDefault();
  });

  // ---- search ----
  var search = document.getElementById("search");
  var prev = document.getElementById("search-prev");
  var next = document.getElementById("search-next");
  var searchStatus = document.getElementById("search-status");
  var matches = [], at = -1, timer = 0;

  function searchActive() { return !!(search && search.value.trim()); }

  function clearMarks() {
    Array.prototype.forEach.call(cueEls, function (cue) {
      var text = cue.querySelector(".text");
      if (text.querySelector("mark")) text.textContent = text.textContent;
    });
    matches = [];
    at = -1;
  }

  function highlight(query) {
    clearMarks();
    var q = query.trim();
    if (!q) {
      searchStatus.textContent = "";
      prev.disabled = next.disabled = true;
      return;
    }
    var pattern = new RegExp(q.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"), "giu");
    Array.prototype.forEach.call(cueEls, function (cue) {
      var text = cue.querySelector(".text");
      var value = text.textContent, last = 0, m, parts = [];
      pattern.lastIndex = 0;
      while ((m = pattern.exec(value)) !== null) {
        if (!m[0].length) { pattern.lastIndex++; continue; }
        parts.push(document.createTextNode(value.slice(last, m.index)));
        var mark = document.createElement("mark");
        mark.textContent = m[0];
        parts.push(mark);
        matches.push(mark);
        last = m.index + m[0].length;
      }
      if (parts.length) {
        parts.push(document.createTextNode(value.slice(last)));
        text.textContent = "";
        parts.forEach(function (p) { text.appendChild(p); });
      }
    });
    prev.disabled = next.disabled = matches.length === 0;
    if (matches.length) go(0);
    else searchStatus.textContent = "No matches for “" + q + "”";
  }

  function go(index) {
    if (!matches.length) return;
    if (at >= 0) matches[at].classList.remove("current");
    at = (index + matches.length) % matches.length;
    var mark = matches[at];
    mark.classList.add("current");
    searchStatus.textContent = "Match " + (at + 1) + " of " + matches.length;
    var cue = mark.closest(".cue");
    var top = cue.offsetTop, height = cueBox.clientHeight;
    if (top < cueBox.scrollTop || top + cue.offsetHeight > cueBox.scrollTop + height) {
      cueBox.scrollTo({ top: top - height / 3, behavior: "auto" });
    }
  }

  if (search) {
    search.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(function () { highlight(search.value); }, 120);
    });
    search.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {
        event.preventDefault();
        window.clearTimeout(timer);
        if (!matches.length) highlight(search.value);
        else go(at + (event.shiftKey ? -1 : 1));
      } else if (event.key === "Escape") {
        search.value = "";
        highlight("");
      }
    });
    document.getElementById("search-form").addEventListener("submit", function (event) {
      event.preventDefault();
    });
    prev.addEventListener("click", function () { go(at - 1); });
    next.addEventListener("click", function () { go(at + 1); });
  }

  // ---- where to start: a #t= link wins over the remembered position ----
  var initial = timeFromHash();
  if (initial === null) {
    var store = storage(), saved = null;
    try { saved = store && store.getItem(storeKey); } catch (e) { saved = null; }
    if (saved !== null && isFinite(parseFloat(saved))) initial = parseFloat(saved);
  }
  if (initial !== null) {
    if (audio.readyState >= 1) seekTo(initial);
    else audio.addEventListener("loadedmetadata", function () { seekTo(initial); }, { once: true });
    // Before the metadata arrives, the page already shows where it will start.
    audio.currentTime = initial;
  }
  update();
})();
