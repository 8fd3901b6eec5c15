// The review page: POST the article to /v1/summaries, then show the facts as tables and the
// article with each quote highlighted. Quote offsets are Unicode code points, so the article is
// sliced as an array of code points, never as UTF-16 string indices.
"use strict";

const $ = (sel) => document.querySelector(sel);

function el(tag, text, attrs = {}) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = String(text);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  return node;
}

function figure(c) {
  if (c.count !== null && c.count !== undefined) return (c.approximate ? "~" : "") + c.count;
  if (c.min !== null || c.max !== null) return `${c.min ?? "?"}–${c.max ?? "?"}`;
  return "unspecified";
}

// Every fact that carries a quote gets an id (c1, k1, d1…) shared by its row and its highlight.
function collectQuotes(summary) {
  const quotes = [];
  const tag = (items, prefix) => items.forEach((item, i) => {
    item._id = `${prefix}${i + 1}`;
    if (item.quote) quotes.push({ id: item._id, ...item.quote });
  });
  tag(summary.casualties, "c");
  tag(summary.claims, "k");
  tag(summary.denials, "d");
  return quotes;
}

function quoteCell(item) {
  const td = el("td");
  if (!item.quote) { td.textContent = "—"; return td; }
  const a = el("a", `“${item.quote.text}”`, { href: `#q-${item._id}`, class: "quote-link", "data-quote": item._id });
  a.addEventListener("click", (ev) => { ev.preventDefault(); focusQuote(item._id); });
  td.append(a);
  return td;
}

function fillTable(id, items, columns) {
  const body = $(`#${id} tbody`);
  body.replaceChildren();
  for (const item of items) {
    const tr = el("tr");
    if (item._id) tr.id = `row-${item._id}`;
    for (const col of columns) {
      if (col === "quote") tr.append(quoteCell(item));
      else tr.append(el("td", typeof col === "function" ? col(item) : (item[col] ?? "")));
    }
    body.append(tr);
  }
}

// Split the article at every quote boundary; each piece covered by quotes becomes a <mark>
// listing them (quotes may overlap); an empty anchor before each quote's first piece carries its id.
function renderArticle(text, quotes) {
  const chars = Array.from(text);
  const cuts = new Set([0, chars.length]);
  for (const q of quotes) { cuts.add(q.start); cuts.add(q.end); }
  const points = [...cuts].filter((p) => p >= 0 && p <= chars.length).sort((a, b) => a - b);
  const view = $("#article-view");
  view.replaceChildren();
  const anchored = new Set();
  for (let i = 0; i < points.length - 1; i++) {
    const [a, b] = [points[i], points[i + 1]];
    const piece = chars.slice(a, b).join("");
    const covering = quotes.filter((q) => q.start <= a && q.end >= b && q.end > q.start);
    if (!covering.length) { view.append(document.createTextNode(piece)); continue; }
    const ids = covering.map((q) => q.id);
    // An anchor for each quote that starts here (several facts may cite the same words).
    for (const id of ids.filter((id) => !anchored.has(id))) {
      view.append(el("span", null, { id: `q-${id}`, class: "anchor" }));
      anchored.add(id);
    }
    const mark = el("mark", piece, { "data-quotes": ids.join(" "), title: ids.join(", ") });
    if (ids.length > 1) mark.classList.add("multi");
    mark.addEventListener("click", () => focusRow(ids[0]));
    view.append(mark);
  }
}

function clearActive() {
  document.querySelectorAll(".active").forEach((n) => n.classList.remove("active"));
}

function focusRow(id) {
  clearActive();
  const row = document.getElementById(`row-${id}`);
  if (!row) return;
  row.classList.add("active");
  row.scrollIntoView({ block: "center" });
}

function focusQuote(id) {
  clearActive();
  const marks = document.querySelectorAll(`mark[data-quotes~="${id}"]`);
  marks.forEach((m) => m.classList.add("active"));
  if (marks.length) marks[0].scrollIntoView({ block: "center" });
  const row = document.getElementById(`row-${id}`);
  if (row) row.classList.add("active");
}

function render(summary, submitted) {
  const quotes = collectQuotes(summary);
  $("#headline").textContent = summary.headline || "(no headline)";
  const outlet = summary.outlet ? summary.outlet.name : "outlet unknown";
  const g = summary.grounding;
  $("#meta").textContent =
    `${outlet} · ${g.quotes_verified} of ${g.quotes_total} quotes found in the article` +
    ` · ${summary.model} · ${summary.usage.latency_ms} ms${summary.usage.cached ? " (cached)" : ""}`;
  $("#summary").textContent = summary.summary;
  fillTable("casualties", summary.casualties, ["kind", figure, "victims", "location", "reported_by", "caused_by", "quote"]);
  fillTable("claims", summary.claims, ["claimant", "statement", "target", "quote"]);
  fillTable("denials", summary.denials, ["denier", "denied", "responds_to", "quote"]);
  fillTable("parties", summary.parties, ["name", "type", (p) => (p.aliases || []).join(", "), "affiliation", "role"]);
  renderArticle(summary.article_text ?? submitted, quotes);
  $("#results").hidden = false;
}

function showError(code, message) {
  const box = $("#error");
  box.replaceChildren(el("code", code), document.createTextNode(`: ${message}`));
  box.hidden = false;
  document.body.dataset.state = "error";
}

async function submit(ev) {
  ev.preventDefault();
  const text = $("#article").value;
  const body = { text, format: document.querySelector("input[name=format]:checked").value };
  if ($("#title").value.trim()) body.title = $("#title").value.trim();
  if ($("#url").value.trim()) body.url = $("#url").value.trim();
  const headers = { "content-type": "application/json" };
  if ($("#api-key").value) headers.authorization = `Bearer ${$("#api-key").value}`;
  $("#error").hidden = true;
  document.body.dataset.state = "busy";
  $("#submit").disabled = true;
  $("#status").textContent = "Reading the article…";
  const started = performance.now();
  try {
    const response = await fetch("/v1/summaries", { method: "POST", headers, body: JSON.stringify(body) });
    let payload;
    try { payload = await response.json(); } catch { payload = null; }
    if (!response.ok || !payload) {
      showError(payload?.code ?? `http_${response.status}`, payload?.message ?? response.statusText);
      $("#status").textContent = "";
      return;
    }
    render(payload, text);
    $("#status").textContent = `Done in ${((performance.now() - started) / 1000).toFixed(1)} s.`;
    document.body.dataset.state = "done";
  } catch (err) {
    showError("network_error", String(err));
    $("#status").textContent = "";
  } finally {
    $("#submit").disabled = false;
  }
}

document.addEventListener("DOMContentLoaded", () => $("#submit-form").addEventListener("submit", submit));
