// Ask Reggi: the page's client. Plain DOM, no libraries, no network beyond this server.
// Every piece of answer text is inserted with textContent (never as HTML).
"use strict";

(function () {
  const MAX_HISTORY = 3;
  const MESSAGES = {
    empty: "Type a question first.",
    offline: "Reggi's server could not be reached. Check your connection and try again.",
    unauthorized: "Your access link is missing or has expired. Open the link your operator gave you again.",
    generic: "Sorry — something went wrong while answering. Try again in a minute.",
    coverage: "The list of jurisdictions could not be loaded; Reggi will search all of them.",
    feedbackFailed: "Your feedback could not be sent. Try again in a minute.",
    exportFailed: "The memo could not be made just now. Try again in a minute.",
    copyFailed: "The browser did not allow copying. Use Download as Word instead.",
  };

  const form = document.getElementById("ask-form");
  const questionBox = document.getElementById("question");
  const askButton = document.getElementById("ask-button");
  const newConversation = document.getElementById("new-conversation");
  const conversation = document.getElementById("conversation");
  const statusLine = document.getElementById("status");
  const errorLine = document.getElementById("error");
  const jurisdictionList = document.getElementById("jurisdiction-list");
  const jurisdictionSummary = document.getElementById("jurisdiction-summary");

  let turns = [];
  let answerCount = 0;
  let busy = false;

  // --- small DOM helpers -----------------------------------------------------------------
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (key === "className") node.className = value;
      else if (key === "text") node.textContent = value;
      else node.setAttribute(key, value === true ? "" : String(value));
    }
    for (const child of children) {
      if (child === null || child === undefined) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  function safeUrl(url) {
    try {
      const parsed = new URL(url, window.location.href);
      return parsed.protocol === "https:" || parsed.protocol === "http:" ? parsed.href : null;
    } catch (_) {
      return null;
    }
  }

  function showError(message) {
    errorLine.textContent = message;
    errorLine.hidden = !message;
  }

  function setBusy(value) {
    busy = value;
    askButton.disabled = value;
    form.setAttribute("aria-busy", value ? "true" : "false");
    statusLine.textContent = value ? "Looking through the regulations…" : "";
  }

  async function postJson(path, body) {
    let response;
    try {
      response = await fetch(path, {
        method: "POST",
        headers: { "Content-Type": "application/json", Accept: "application/json" },
        credentials: "same-origin",
        body: JSON.stringify(body),
      });
    } catch (_) {
      throw new Error(MESSAGES.offline);
    }
    let data = null;
    try {
      data = await response.json();
    } catch (_) {
      data = null;
    }
    if (response.status === 401) throw new Error(MESSAGES.unauthorized);
    if (!response.ok) throw new Error((data && data.error) || MESSAGES.generic);
    return data;
  }

  // --- jurisdictions ---------------------------------------------------------------------
  function selectedJurisdictions() {
    return Array.from(jurisdictionList.querySelectorAll("input[type=checkbox]:checked")).map((i) => i.value);
  }

  function updateSummary() {
    const chosen = Array.from(jurisdictionList.querySelectorAll("input[type=checkbox]:checked")).map(
      (i) => i.dataset.name || i.value
    );
    jurisdictionSummary.textContent = chosen.length ? chosen.join(", ") : "all in the index";
  }

  async function loadJurisdictions() {
    let data;
    try {
      const response = await fetch("api/jurisdictions", { credentials: "same-origin" });
      if (!response.ok) throw new Error(String(response.status));
      data = await response.json();
    } catch (_) {
      jurisdictionList.replaceChildren(el("p", { className: "hint", text: MESSAGES.coverage }));
      return;
    }
    const items = (data && data.jurisdictions) || [];
    if (!items.length) {
      jurisdictionList.replaceChildren(el("p", { className: "hint", text: "The index is empty." }));
      return;
    }
    const nodes = items.map((j) => {
      const id = "jur-" + String(j.code).replace(/[^A-Za-z0-9-]/g, "_");
      const titles = (j.instruments || []).map((i) => i.title).filter(Boolean).join("; ");
      const box = el("input", { type: "checkbox", id: id, value: j.code, "data-name": j.name || j.code });
      box.addEventListener("change", updateSummary);
      return el(
        "div",
        { className: "jurisdiction-option" },
        box,
        el(
          "label",
          { for: id, title: titles || null },
          el("span", { className: "jurisdiction-name", text: j.name || j.code }),
          " ",
          el("span", { className: "tag", text: j.code }),
          el("span", { className: "count", text: ` ${j.sections || 0} sections` })
        )
      );
    });
    jurisdictionList.replaceChildren(...nodes);
  }

  // --- answer rendering ------------------------------------------------------------------
  function withMarkers(text, answer, prefix, firstRef) {
    // "… duty [1] and [2]." → text nodes and links to the footnotes.
    const nodes = [];
    const pattern = /\[(\d+)\]/g;
    let last = 0;
    let match;
    while ((match = pattern.exec(text)) !== null) {
      if (match.index > last) nodes.push(document.createTextNode(text.slice(last, match.index)));
      const n = Number(match[1]);
      const cited = (answer.citations || []).find((c) => c.n === n);
      if (cited) {
        const attrs = {
          className: "ref",
          href: `#${prefix}-fn-${n}`,
          "aria-label": `Footnote ${n}: ${cited.citation}`,
          text: `[${n}]`,
        };
        if (!firstRef.has(n)) {
          attrs.id = `${prefix}-ref-${n}`;
          firstRef.add(n);
        }
        nodes.push(el("sup", {}, el("a", attrs)));
      } else {
        nodes.push(document.createTextNode(match[0]));
      }
      last = pattern.lastIndex;
    }
    if (last < text.length) nodes.push(document.createTextNode(text.slice(last)));
    return nodes;
  }

  function paragraphs(text, answer, prefix, firstRef) {
    // Blank lines separate paragraphs; lines starting with "•", "-" or "*" become a list.
    const out = [];
    for (const block of String(text || "").split(/\n{2,}/)) {
      if (!block.trim()) continue;
      const lines = block.split("\n").filter((l) => l.trim());
      const bullets = lines.filter((l) => /^\s*(?:[•*-]|\d{1,2}[.)])\s+/.test(l));
      if (bullets.length && bullets.length === lines.length) {
        out.push(
          el("ul", { className: "answer-list" },
            ...lines.map((l) => el("li", {}, ...withMarkers(l.replace(/^\s*(?:[•*-]|\d{1,2}[.)])\s+/, ""), answer, prefix, firstRef))))
        );
      } else {
        out.push(el("p", { className: "answer-text" }, ...withMarkers(block, answer, prefix, firstRef)));
      }
    }
    return out;
  }

  function nameOf(answer, code) {
    return (answer.jurisdiction_names && answer.jurisdiction_names[code]) || code;
  }

  function tag(answer, code) {
    return el("li", { className: "tag", title: nameOf(answer, code), "data-code": code }, `${nameOf(answer, code)} (${code})`);
  }

  function source(answer, n) {
    return (answer.layout && answer.layout.sources && answer.layout.sources[String(n)]) || {};
  }

  function footnotes(answer, prefix) {
    const list = el("ol", { className: "footnotes" });
    for (const c of answer.citations || []) {
      const url = safeUrl(c.url);
      const shown = source(answer, c.n);
      const label = shown.pinpoint || c.citation;
      list.append(
        el(
          "li",
          { id: `${prefix}-fn-${c.n}`, value: c.n, className: "footnote", tabindex: "-1" },
          el("p", { className: "footnote-head" },
            el("strong", { className: "footnote-citation", text: label }),
            c.heading ? ` — ${c.heading}` : "",
            " ",
            el("span", { className: "tag", title: nameOf(answer, c.jurisdiction), text: c.jurisdiction })
          ),
          c.title ? el("p", { className: "footnote-title", text: c.title }) : null,
          c.quote ? el("blockquote", { className: "quote", text: c.quote }) : null,
          shown.currency
            ? el("p", { className: c.complete === false ? "currency incomplete" : "currency", text: shown.currency })
            : null,
          el("p", { className: "footnote-links" },
            url
              ? el("a", { href: url, className: "official", target: "_blank", rel: "noopener noreferrer", text: "Official text" })
              : null,
            url ? " · " : null,
            el("a", { href: `#${prefix}-ref-${c.n}`, className: "back", "aria-label": `Back to the answer from footnote ${c.n}`, text: "Back to the answer" })
          )
        )
      );
    }
    return list;
  }

  function comparison(answer, prefix, firstRef) {
    const table = answer.table;
    if (!table || !(table.rows || []).length) return null;
    const head = el("tr", {}, el("th", { scope: "col", text: "Jurisdiction" }), ...table.columns.map((c) => el("th", { scope: "col", text: c })));
    const rows = table.rows.map((r) =>
      el("tr", { "data-jurisdiction": r.jurisdiction },
        el("th", { scope: "row", text: r.name || r.jurisdiction }),
        ...r.cells.map((cell) => el("td", {}, ...withMarkers(cell, answer, prefix, firstRef))))
    );
    return el("div", { className: "table-scroll", tabindex: "0", role: "region", "aria-label": "Comparison table" },
      el("table", { className: "comparison" },
        el("caption", { text: "Comparison (cells quote the sources)" }),
        el("thead", {}, head),
        el("tbody", {}, ...rows)));
  }

  async function exportAnswer(answer, format) {
    const body = Object.assign({}, answer);
    let response;
    try {
      response = await fetch(`api/export?format=${format}`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        credentials: "same-origin",
        body: JSON.stringify(body),
      });
    } catch (_) {
      throw new Error(MESSAGES.offline);
    }
    if (response.status === 401) throw new Error(MESSAGES.unauthorized);
    if (!response.ok) {
      let data = null;
      try { data = await response.json(); } catch (_) { data = null; }
      throw new Error((data && data.error) || MESSAGES.exportFailed);
    }
    return format === "text" ? response.text() : response.blob();
  }

  function exportBox(answer) {
    const note = el("span", { className: "export-note", role: "status" });
    const word = el("button", { type: "button", className: "secondary download-word", text: "Download as Word" });
    const copy = el("button", { type: "button", className: "secondary copy-text", text: "Copy" });
    word.addEventListener("click", async () => {
      word.disabled = true;
      note.textContent = "";
      try {
        const blob = await exportAnswer(answer, "docx");
        const link = el("a", { href: URL.createObjectURL(blob), download: `reggi-memo-${String(answer.id || "answer").replace(/[^A-Za-z0-9_-]/g, "")}.docx`, hidden: true });
        document.body.append(link);
        link.click();
        setTimeout(() => { URL.revokeObjectURL(link.href); link.remove(); }, 1000);
        note.textContent = "The Word memo was downloaded.";
      } catch (err) {
        note.textContent = err.message || MESSAGES.exportFailed;
      } finally {
        word.disabled = false;
      }
    });
    copy.addEventListener("click", async () => {
      note.textContent = "";
      try {
        const text = await exportAnswer(answer, "text");
        await navigator.clipboard.writeText(text);
        note.textContent = "Copied as plain text.";
      } catch (err) {
        note.textContent = (err && err.message && !/clipboard|permission|denied|document/i.test(err.message)) ? err.message : MESSAGES.copyFailed;
      }
    });
    return el("div", { className: "export", role: "group", "aria-label": "Export this answer" }, word, " ", copy, " ", note);
  }

  function feedbackBox(answer) {
    if (!answer.id) return null;
    const box = el("div", { className: "feedback", role: "group", "aria-label": "Was this answer helpful?" });
    const question = el("span", { className: "feedback-question", text: "Was this helpful?" });
    const up = el("button", { type: "button", className: "vote up", "aria-label": "Helpful", "aria-pressed": "false" }, "👍 Yes");
    const down = el("button", { type: "button", className: "vote down", "aria-label": "Not helpful", "aria-pressed": "false" }, "👎 No");
    const reasonId = `reason-${answer.id}`.replace(/[^A-Za-z0-9_-]/g, "_");
    const reasonBox = el("div", { className: "feedback-reason", hidden: true },
      el("label", { for: reasonId, text: "What was wrong? (optional)" }),
      el("input", { type: "text", id: reasonId, maxlength: "2000", autocomplete: "off" }),
      el("button", { type: "button", className: "secondary send-reason", text: "Send" })
    );
    const note = el("span", { className: "feedback-note", role: "status" });

    async function send(vote, reason) {
      up.disabled = down.disabled = true;
      try {
        await postJson("api/feedback", { answer_id: answer.id, vote: vote, reason: reason || "" });
        (vote === "up" ? up : down).setAttribute("aria-pressed", "true");
        reasonBox.hidden = true;
        note.textContent = "Thanks — your feedback was recorded.";
      } catch (err) {
        up.disabled = down.disabled = false;
        note.textContent = err.message || MESSAGES.feedbackFailed;
      }
    }

    up.addEventListener("click", () => send("up", ""));
    down.addEventListener("click", () => {
      reasonBox.hidden = false;
      down.setAttribute("aria-expanded", "true");
      reasonBox.querySelector("input").focus();
    });
    reasonBox.querySelector(".send-reason").addEventListener("click", () => send("down", reasonBox.querySelector("input").value));
    reasonBox.querySelector("input").addEventListener("keydown", (event) => {
      if (event.key === "Enter") {
        event.preventDefault();
        send("down", event.target.value);
      }
    });
    box.append(question, " ", up, " ", down, reasonBox, " ", note);
    return box;
  }

  function renderAnswer(answer) {
    answerCount += 1;
    const prefix = `a${answerCount}`;
    const firstRef = new Set();
    const headingId = `${prefix}-question`;
    const article = el("article", { className: "answer", "aria-labelledby": headingId, "data-answer-id": answer.id || "" });
    article.append(el("h2", { id: headingId, className: "asked", tabindex: "-1", text: answer.question }));

    const badges = el("p", { className: "badges" });
    if (answer.cached) badges.append(el("span", { className: "badge cached", title: answer.cache_note || "", text: "Cached" }));
    if (answer.abstained) badges.append(el("span", { className: "badge abstained", text: "Not covered by the index" }));
    if (badges.childNodes.length) article.append(badges);

    if ((answer.jurisdictions || []).length) {
      article.append(el("ul", { className: "tags", "aria-label": "Jurisdictions covered" }, ...answer.jurisdictions.map((c) => tag(answer, c))));
    }

    const view = answer.layout || { short: [], details: [], notes: [], footer: "" };
    if (view.short.length) {
      const several = view.short.length > 1;
      article.append(
        el("section", { className: "short-answer", "aria-label": "Short answer" },
          el("h3", { text: "Short answer" }),
          ...view.short.map((p) =>
            el("div", { className: "short-part", "data-jurisdiction": p.jurisdiction },
              several && p.name ? el("p", { className: "short-name" }, el("strong", { text: p.name })) : null,
              ...paragraphs(p.text, answer, prefix, firstRef))))
      );
    }
    const table = comparison(answer, prefix, firstRef);
    if (table) article.append(table);
    for (const part of view.details) {
      article.append(
        el("section", { className: "part", "data-jurisdiction": part.jurisdiction },
          el("h3", {}, part.name || nameOf(answer, part.jurisdiction), " ", part.jurisdiction ? el("span", { className: "tag", text: part.jurisdiction }) : null),
          ...paragraphs(part.text, answer, prefix, firstRef)
        )
      );
    }
    for (const note of view.notes) {
      article.append(el("p", { className: note.startsWith("Nothing relevant") ? "missing" : "note", text: note }));
    }
    if (answer.follow_up_to) article.prepend(el("p", { className: "note follow-up", text: "Follow-up to: “" + answer.follow_up_to + "”" }));

    if ((answer.citations || []).length) {
      article.append(el("h3", { className: "sources-heading", text: "Sources" }), footnotes(answer, prefix));
    }
    if (view.footer) article.append(el("p", { className: "as-of", text: view.footer }));
    article.append(el("p", { className: "notice", text: answer.notice || "" }));
    if (!answer.abstained && (answer.citations || []).length) article.append(exportBox(answer));
    const feedback = feedbackBox(answer);
    if (feedback) article.append(feedback);
    return article;
  }

  // --- asking ----------------------------------------------------------------------------
  async function ask() {
    if (busy) return;
    const question = questionBox.value.trim();
    if (!question) {
      showError(MESSAGES.empty);
      questionBox.focus();
      return;
    }
    showError("");
    setBusy(true);
    // The server decides whether this is a real follow-up (and says which turn it used).
    const body = { question: question, history: turns.slice(-MAX_HISTORY) };
    const chosen = selectedJurisdictions();
    if (chosen.length) body.jurisdictions = chosen;
    try {
      const answer = await postJson("api/ask", body);
      const article = renderAnswer(answer);
      conversation.append(article);
      turns.push({ question: answer.question || question, answer: answer.answer || "", jurisdictions: answer.jurisdictions || [] });
      questionBox.value = "";
      article.querySelector("h2").focus();
    } catch (err) {
      showError(err.message || MESSAGES.generic);
      questionBox.focus();
    } finally {
      setBusy(false);
    }
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    ask();
  });
  questionBox.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      ask();
    }
  });
  newConversation.addEventListener("click", () => {
    turns = [];
    conversation.replaceChildren();
    showError("");
    questionBox.value = "";
    questionBox.focus();
  });
  // Moving to a footnote moves keyboard focus with it, so Tab continues from there.
  window.addEventListener("hashchange", () => {
    const target = document.getElementById(decodeURIComponent(window.location.hash.slice(1)));
    if (target && target.classList.contains("footnote")) target.focus();
  });

  loadJurisdictions();
})();
