/* The live Q&A and polls room: a small vanilla client of the protocol in docs/webinars.md.
   State lives in two maps (questions, polls) keyed by id; every server event carries full state, so applying
   one twice is harmless. The seq of the last event applied decides what to ask for after a reconnect. */
(function () {
  "use strict";

  var root = document.getElementById("room");
  if (!root) return;
  var T = JSON.parse(document.getElementById("room-strings").textContent);
  var wsPath = root.dataset.wsPath;
  var votesOn = root.dataset.votes === "on";
  var REFUSED = { 4401: true, 4403: true, 4404: true };
  var TOO_MANY = 4429; // too many connections (open, or opened this minute): try again in a minute

  var state = {
    role: root.dataset.role, seq: null, questions: new Map(), polls: new Map(),
    pendingAsks: new Map(), sort: "votes", attendees: 0,
    // What the person is in the middle of, kept across re-renders: answer drafts and open answer forms by
    // question id (a vote elsewhere must not wipe a presenter's half-typed answer).
    drafts: new Map(), openAnswers: new Set(),
  };
  var socket = null, attempt = 0, resyncing = false, renderQueued = false, pingTimer = null;
  var reconnectTimer = null, lastHeard = 0;

  var el = function (id) { return document.getElementById(id); };
  var statusEl = el("room-status");

  function h(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) {
      if (key === "text") node.textContent = attrs[key];
      else if (key === "html") node.innerHTML = attrs[key]; // only server-sanitised (nh3) HTML comes here
      else if (key === "on") Object.keys(attrs.on).forEach(function (ev) { node.addEventListener(ev, attrs.on[ev]); });
      else if (attrs[key] !== null && attrs[key] !== undefined && attrs[key] !== false) node.setAttribute(key, attrs[key]);
    });
    (children || []).forEach(function (child) { if (child) node.appendChild(child); });
    return node;
  }

  function setStatus(kind, text) {
    statusEl.textContent = text;
    statusEl.className = "room-status room-status-" + kind;
    root.classList.toggle("is-offline", kind !== "live");
  }

  function newId() {
    var bytes = new Uint8Array(12);
    (window.crypto || window.msCrypto).getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  // ---- connection -------------------------------------------------------------------------------------------
  function connect() {
    var scheme = location.protocol === "https:" ? "wss://" : "ws://";
    var url = scheme + location.host + wsPath + (state.seq !== null ? "?after_seq=" + state.seq : "");
    setStatus(attempt ? "offline" : "connecting", attempt ? T.reconnecting : T.connecting);
    socket = new WebSocket(url);
    socket.onmessage = function (msg) {
      lastHeard = Date.now();
      var frame;
      try { frame = JSON.parse(msg.data); } catch (e) { return; }
      handle(frame);
    };
    socket.onclose = function (ev) {
      if (REFUSED[ev.code]) { clearInterval(pingTimer); setStatus("offline", T.refused); return; }
      scheduleReconnect(ev.code === TOO_MANY ? 60000 : 0);
    };
    socket.onopen = function () {
      lastHeard = Date.now();
      clearInterval(pingTimer);
      pingTimer = setInterval(function () {
        // A socket that has heard nothing (not even a pong) for two pings is dead: do not wait for TCP.
        if (Date.now() - lastHeard > 55000) { drop(); return; }
        send({ type: "ping" });
      }, 25000);
    };
  }

  function scheduleReconnect(wait) {
    clearInterval(pingTimer);
    clearTimeout(reconnectTimer);
    var base = Math.min(30000, 1000 * Math.pow(2, attempt));
    attempt += 1;
    setStatus("offline", T.reconnecting);
    // 1 s .. 30 s, with jitter; at least `wait` ms after a 4429
    reconnectTimer = setTimeout(connect, (wait || 0) + base / 2 + Math.random() * base / 2);
  }

  // The phone lost its network: abandon the socket at once (its close event may never come) and retry.
  function drop() {
    if (!socket) return;
    var dead = socket;
    socket = null;
    dead.onclose = dead.onmessage = null;
    try { dead.close(); } catch (e) { /* already closed */ }
    scheduleReconnect();
  }

  window.addEventListener("offline", drop);
  window.addEventListener("online", function () {
    if (socket && socket.readyState <= WebSocket.OPEN) return; // connecting or open already
    clearTimeout(reconnectTimer);
    connect();
  });

  function send(frame) {
    if (socket && socket.readyState === WebSocket.OPEN) { socket.send(JSON.stringify(frame)); return true; }
    return false;
  }

  function onLive() {
    attempt = 0;
    resyncing = false;
    setStatus("live", T.live);
    // Questions sent just before a drop may have no ack yet: the server stores each client_id once.
    state.pendingAsks.forEach(function (ask) { send(ask.frame); });
  }

  // ---- incoming -----------------------------------------------------------------------------------------------
  function handle(frame) {
    switch (frame.type) {
      case "snapshot":
        state.role = frame.role;
        state.seq = frame.seq;
        state.questions = new Map();
        frame.questions.forEach(function (q) { state.questions.set(q.id, q); });
        state.polls = new Map();
        frame.polls.forEach(function (p) { state.polls.set(p.id, p); });
        state.attendees = frame.attendees;
        onLive();
        break;
      case "resynced":
        onLive();
        break;
      case "event":
        applyEvent(frame);
        break;
      case "ack":
        applyAck(frame);
        break;
      case "error":
        applyError(frame);
        break;
      default:
        return;
    }
    queueRender();
  }

  function applyEvent(frame) {
    if (state.seq === null || frame.seq <= state.seq) return;
    if (frame.seq > state.seq + 1) {
      if (!resyncing) resync();
      return;
    }
    state.seq = frame.seq;
    var data = frame.data || {};
    if ((frame.name === "question.created" || frame.name === "question.updated") && data.status === "hidden") {
      // Taken back from attendees (dismissed): the frame carries only the id; forget the question.
      state.questions.delete(data.id);
    } else if (frame.name === "question.created" || frame.name === "question.updated") {
      var old = state.questions.get(data.id) || {};
      data.voted = old.voted || false;
      data.mine = old.mine || false;
      state.questions.set(data.id, data);
    } else if (frame.name === "poll.opened" || frame.name === "poll.updated" || frame.name === "poll.closed") {
      var oldPoll = state.polls.get(data.id) || {};
      data.my_choice = oldPoll.my_choice || null;
      state.polls.set(data.id, data);
    } else if (frame.name === "attendees") {
      state.attendees = data.count;
    }
  }

  function resync() {
    resyncing = true;
    send({ type: "resync", after_seq: state.seq, client_id: "resync" });
  }

  function applyAck(frame) {
    if (frame.question) {
      state.pendingAsks.delete(frame.client_id);
      var known = state.questions.get(frame.question.id);
      if (!known || known.votes === undefined) state.questions.set(frame.question.id, frame.question);
      else { known.mine = true; }
    } else if (frame.question_id !== undefined && frame.voted !== undefined) {
      var q = state.questions.get(frame.question_id);
      if (q) q.voted = frame.voted;
    } else if (frame.poll_id !== undefined && frame.choice_id !== undefined) {
      var p = state.polls.get(frame.poll_id);
      if (p) p.my_choice = frame.choice_id;
    }
  }

  function applyError(frame) {
    if (frame.client_id === "resync") {
      // Refused (too many resyncs in a minute): still behind, so ask again a little later.
      setTimeout(function () { if (resyncing) resync(); }, 10000);
      return;
    }
    var ask = frame.client_id && state.pendingAsks.get(frame.client_id);
    if (ask) {
      state.pendingAsks.delete(frame.client_id);
      var text = el("ask-text");
      if (!text.value) text.value = ask.frame.text;
      showError("ask-error", frame.message);
    } else if (frame.client_id && frame.client_id.indexOf("poll-") === 0) {
      showError("poll-error", frame.message);
    } else {
      showError("ask-error", frame.message);
    }
  }

  function showError(id, message) {
    var node = el(id);
    if (!node) return;
    node.textContent = message;
    node.hidden = !message;
  }

  // ---- rendering ----------------------------------------------------------------------------------------------
  function queueRender() {
    if (renderQueued) return;
    renderQueued = true;
    window.requestAnimationFrame(function () { renderQueued = false; render(); });
  }

  function byVotes(a, b) { return (b.votes - a.votes) || (a.id - b.id); }
  function byRecent(a, b) { return b.id - a.id; }

  // Every event re-renders the lists, so the focused control is replaced by a new one. Controls carry a
  // data-key; the focus (and the caret in a text box) moves to the control with the same key, or a keyboard
  // user would be thrown back to the top of the page by every vote anyone casts.
  function render() {
    var active = document.activeElement;
    var focusKey = active && root.contains(active) ? active.getAttribute("data-key") : null;
    var caret = focusKey && active.tagName === "TEXTAREA" ? [active.selectionStart, active.selectionEnd] : null;
    renderLists();
    if (!focusKey) return;
    var again = root.querySelector('[data-key="' + focusKey + '"]');
    if (!again || again === document.activeElement) return;
    again.focus({ preventScroll: true });
    if (caret) again.setSelectionRange(caret[0], caret[1]);
  }

  function renderLists() {
    var presenter = state.role === "presenter";
    var all = Array.from(state.questions.values());
    var pending = Array.from(state.pendingAsks.values()).map(function (ask) {
      return { id: "local-" + ask.frame.client_id, text: ask.frame.text, local: true, votes: 0, mine: true,
               anonymous: ask.frame.anonymous, status: "sending" };
    });
    var visible = function (q) { return q.status === "approved" || (q.status === "pending" && q.mine && !presenter); };
    var sorter = state.sort === "votes" ? byVotes : byRecent;
    var open = all.filter(function (q) { return visible(q) && !q.pinned && !q.answered; }).sort(sorter);
    fill("room-questions", pending.concat(open), T.no_questions);
    fill("room-pinned", all.filter(function (q) { return q.status === "approved" && q.pinned; }), null, "pinned-section");
    fill("room-answered", all.filter(function (q) { return q.status === "approved" && q.answered && !q.pinned; })
      .sort(byRecent), null, "answered-section");
    if (presenter) {
      fill("room-queue", all.filter(function (q) { return q.status === "pending"; }).sort(byVotes), "—");
      fill("room-dismissed", all.filter(function (q) { return q.status === "dismissed"; }).sort(byRecent), null,
        "dismissed-section");
    } else {
      dropPresenterTools();
    }
    var polls = Array.from(state.polls.values()).sort(function (a, b) {
      return (a.status === "open" ? 0 : 1) - (b.status === "open" ? 0 : 1) || b.id - a.id;
    });
    var pollList = el("room-polls");
    pollList.replaceChildren.apply(pollList, polls.map(renderPoll));
    el("polls-section").hidden = polls.length === 0;
    el("room-attendees").textContent = String(state.attendees);
  }

  // A presenter who lost the role while connected gets the attendees' snapshot (docs/webinars.md): the presenters'
  // tools the page was rendered with go, with the waiting and dismissed questions they listed.
  function dropPresenterTools() {
    [root.querySelector(".room-presenter"), el("dismissed-section")].forEach(function (node) {
      if (node) node.remove();
    });
    state.drafts.clear();
    state.openAnswers.clear();
  }

  function fill(listId, questions, emptyText, sectionId) {
    var list = el(listId);
    if (!list) return;
    var items = questions.map(renderQuestion);
    if (!items.length && emptyText) items = [h("li", { class: "empty", text: emptyText })];
    list.replaceChildren.apply(list, items);
    if (sectionId) el(sectionId).hidden = questions.length === 0;
  }

  function renderQuestion(q) {
    var presenter = state.role === "presenter";
    var badges = [];
    if (q.local) badges.push(h("span", { class: "badge", text: T.sending }));
    if (q.status === "pending") badges.push(h("span", { class: "badge badge-warn", text: T.pending }));
    if (q.pinned) badges.push(h("span", { class: "badge badge-ok", text: T.pinned }));
    if (q.answered) badges.push(h("span", { class: "badge badge-ok", text: T.answered }));
    if (q.mine) badges.push(h("span", { class: "badge", text: T.you }));
    var who = q.anonymous || !q.author ? T.anonymous : q.author;
    var voteButton = null;
    if (!q.local) {
      voteButton = h("button", {
        type: "button", class: "room-vote", "data-key": "vote-" + q.id, "aria-pressed": q.voted ? "true" : "false",
        disabled: !votesOn || q.status !== "approved" ? "disabled" : null,
        "aria-label": T.vote + " (" + T.votes_count.replace("%s", q.votes) + ")",
        on: { click: function () { send({ type: "question.vote", question_id: q.id, client_id: "vote-" + q.id }); } },
      }, [h("span", { class: "room-vote-arrow", "aria-hidden": "true", text: "▲" }), h("span", { text: String(q.votes) })]);
    }
    var body = [
      q.html ? h("div", { class: "room-q-text", html: q.html }) : h("p", { class: "room-q-text", text: q.text }),
      h("p", { class: "meta" }, [h("span", { text: who })].concat(badges)),
    ];
    if (q.answer_html) body.push(h("div", { class: "room-answer", html: q.answer_html }));
    if (presenter && !q.local) body.push(renderModeration(q));
    return h("li", { class: "room-q" + (q.local ? " is-sending" : ""), "data-id": q.id }, [voteButton,
      h("div", { class: "room-q-body" }, body)]);
  }

  function moderate(q, action, answer) {
    var frame = { type: "question.moderate", question_id: q.id, action: action, client_id: "mod-" + q.id };
    if (answer !== undefined) frame.answer = answer;
    return send(frame);
  }

  function renderModeration(q) {
    var buttons = [];
    var button = function (label, action, cls) {
      return h("button", { type: "button", class: "button button-small " + (cls || "button-secondary"), text: label,
        "data-key": "mod-" + action + "-" + q.id, on: { click: function () { moderate(q, action); } } });
    };
    if (q.status === "pending") buttons.push(button(T.approve, "approve", "button"));
    if (q.status === "dismissed") buttons.push(button(T.restore, "approve"));
    if (q.status === "approved") buttons.push(button(q.pinned ? T.unpin : T.pin, q.pinned ? "unpin" : "pin"));
    if (q.status !== "dismissed") buttons.push(button(T.dismiss, "dismiss"));
    var form = null;
    if (q.status !== "dismissed") {
      var area = h("textarea", { rows: "2", maxlength: root.dataset.answerMax, "aria-label": T.answer,
        placeholder: T.answer_placeholder, "data-key": "answer-" + q.id,
        on: { input: function () { state.drafts.set(q.id, area.value); } } });
      area.value = state.drafts.has(q.id) ? state.drafts.get(q.id) : q.answer || "";
      // The toggle event comes a moment after the click: a frame re-rendering the list in between would rebuild
      // this form closed. So the click notes the new state at once, and a form no longer shown changes nothing.
      form = h("details", { class: "room-answer-form", open: state.openAnswers.has(q.id) ? "open" : null,
        on: { toggle: function () { if (form.isConnected) state.openAnswers[form.open ? "add" : "delete"](q.id); } } }, [
        h("summary", { text: T.answer, "data-key": "answer-open-" + q.id,
          on: { click: function () { state.openAnswers[form.open ? "delete" : "add"](q.id); } } }), area,
        h("button", { type: "button", class: "button button-small", text: T.mark_answered, "data-key": "answered-" + q.id,
          on: { click: function () { if (moderate(q, "answer", area.value)) state.drafts.delete(q.id); } } })]);
    }
    return h("div", { class: "room-moderation" }, [h("div", { class: "actions" }, buttons), form]);
  }

  function renderPoll(p) {
    var presenter = state.role === "presenter";
    var items = p.choices.map(function (c) {
      var share = p.total ? Math.round((100 * (c.votes || 0)) / p.total) : 0;
      var mine = p.my_choice === c.id;
      var canVote = p.status === "open" && !p.my_choice;
      var label = canVote
        ? h("button", { type: "button", class: "button button-secondary room-poll-choice", text: c.text,
            "data-key": "poll-" + p.id + "-" + c.id, on: { click: function () { send({ type: "poll.vote", poll_id: p.id, choice_id: c.id, client_id: "pv-" + p.id }); } } })
        : h("span", { class: "room-poll-label" }, [h("span", { text: c.text }),
            mine ? h("span", { class: "badge badge-ok", text: T.your_choice }) : null]);
      var bar = c.votes === null ? null : h("div", { class: "progress" }, [
        h("progress", { max: "100", value: String(share), "aria-label": c.text }),
        h("span", { class: "progress-label", text: share + "% (" + c.votes + ")" })]);
      return h("li", {}, [label, bar]);
    });
    var closeButton = presenter && p.status === "open"
      ? h("button", { type: "button", class: "button button-small button-danger", text: T.close_poll,
          "data-key": "poll-close-" + p.id, on: { click: function () { send({ type: "poll.close", poll_id: p.id, client_id: "poll-close-" + p.id }); } } })
      : null;
    var hiddenNote = p.status === "open" && p.results_hidden && !presenter
      ? h("p", { class: "small muted", text: T.results_hidden }) : null;
    return h("li", { class: "panel room-poll" }, [
      h("h3", { text: p.question }),
      h("p", { class: "meta" }, [h("span", { class: "badge" + (p.status === "open" ? " badge-ok" : ""),
        text: p.status === "open" ? T.poll_open : T.poll_closed }), h("span", { text: T.total_votes.replace("%s", p.total) })]),
      h("ul", { class: "room-poll-choices" }, items), hiddenNote, closeButton]);
  }

  // ---- outgoing forms ----------------------------------------------------------------------------------------
  var askText = el("ask-text");
  askText.addEventListener("input", function () { el("ask-count").textContent = String(askText.value.length); });
  el("ask-form").addEventListener("submit", function (ev) {
    ev.preventDefault();
    var text = askText.value.trim();
    if (!text) return;
    var frame = { type: "question.ask", text: text, anonymous: el("ask-anonymous").checked, client_id: newId() };
    state.pendingAsks.set(frame.client_id, { frame: frame });
    showError("ask-error", "");
    if (!send(frame)) showError("ask-error", T.not_connected);
    askText.value = "";
    el("ask-count").textContent = "0";
    queueRender();
  });

  var pollForm = el("poll-form");
  if (pollForm) {
    pollForm.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var choices = el("poll-choices").value.split("\n").map(function (s) { return s.trim(); }).filter(Boolean);
      showError("poll-error", "");
      var sent = send({ type: "poll.open", question: el("poll-question").value, choices: choices,
        results_hidden: el("poll-hidden").checked, client_id: "poll-open" });
      if (sent) { pollForm.reset(); pollForm.closest("details").open = false; }
    });
  }

  Array.prototype.forEach.call(root.querySelectorAll("[data-sort]"), function (button) {
    button.addEventListener("click", function () {
      state.sort = button.dataset.sort;
      root.querySelectorAll("[data-sort]").forEach(function (b) { b.setAttribute("aria-pressed", String(b === button)); });
      queueRender();
    });
  });

  connect();
})();
