// Hash routing: #/drafts (with ?q= and ?page=) and #/drafts/<id>.

import { byId, clearToasts, fill, h } from "./dom.js";
import { showDraft } from "./draft_page.js";
import { showDraftsList } from "./drafts_list.js";
import { askForKey, updateKeyButton } from "./keys.js";

const main = byId("main");
let teardown = () => {};
let generation = 0;

function parseHash() {
  const raw = window.location.hash.replace(/^#/, "") || "/drafts";
  const [path, query = ""] = raw.split("?");
  return { parts: path.split("/").filter(Boolean).map(decodeURIComponent), params: new URLSearchParams(query) };
}

async function route() {
  teardown();
  teardown = () => {};
  clearToasts();
  const mine = ++generation;
  const { parts, params } = parseHash();
  let stop;
  if (parts[0] === "drafts" && parts.length === 1) {
    byId("nav-drafts").setAttribute("aria-current", "page");
    stop = await showDraftsList(main, params);
  } else if (parts[0] === "drafts" && parts.length === 2) {
    byId("nav-drafts").removeAttribute("aria-current");
    stop = await showDraft(main, parts[1]);
  } else {
    fill(main, h("div", { class: "page" }, h("h1", { tabindex: -1, text: "Page not found" }),
      h("p", {}, h("a", { href: "#/drafts" }, "See all drafts"))));
  }
  if (mine !== generation) {
    // The user moved on while this page was loading.
    stop?.();
    return;
  }
  teardown = stop || (() => {});
  if (!parts[0] || parts.length === 1) document.title = "Drafts · draftsmith";
  main.querySelector("h1")?.focus({ preventScroll: true });
}

byId("key-button").addEventListener("click", async () => {
  if (await askForKey()) route();
});
updateKeyButton();
window.addEventListener("hashchange", route);
route();
