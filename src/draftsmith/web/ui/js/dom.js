// Building DOM without innerHTML: every string a draft can contain ends up as text, never markup.

/**
 * Create an element. `attrs` keys: `class`, `text`, `dataset` (object), `style` (object),
 * `onX` (event listeners), booleans (set when true) and any other attribute.
 */
export function h(tag, attrs = {}, ...children) {
  const element = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "class") element.className = value;
    else if (key === "text") element.textContent = value;
    else if (key === "dataset") Object.assign(element.dataset, value);
    else if (key === "style") Object.assign(element.style, value);
    else if (key.startsWith("on") && typeof value === "function") {
      element.addEventListener(key.slice(2).toLowerCase(), value);
    } else if (value === true) element.setAttribute(key, "");
    else element.setAttribute(key, String(value));
  }
  append(element, children);
  return element;
}

function append(element, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Replace the children of `element`. */
export function fill(element, ...children) {
  element.replaceChildren();
  append(element, children);
  return element;
}

export function byId(id) {
  return document.getElementById(id);
}

/** A small notice that disappears by itself; an error stays until it is closed. Each has a
 * close button. */
export function toast(message, kind = "info", { keep = false } = {}) {
  const box = byId("toasts");
  const item = h("div", {
    class: `toast ${kind}`, role: kind === "error" ? "alert" : null, dataset: keep ? { keep: "1" } : null,
  },
    h("span", { class: "toast-text", text: message }),
    h("button", {
      type: "button", class: "toast-close", "aria-label": "Dismiss message",
      onclick: () => item.remove(),
    }, "×"));
  box.append(item);
  if (kind !== "error") setTimeout(() => item.remove(), 4000);
  return item;
}

/** Remove the notices of the page left; one shown with `keep` (about leaving it) stays. */
export function clearToasts() {
  for (const item of [...byId("toasts").children]) {
    if (item.dataset.keep) delete item.dataset.keep;
    else item.remove();
  }
}

/** Ask a yes/no question in the confirmation dialog; resolves to true when confirmed. */
export function confirmAction(title, text, confirmLabel = "Confirm") {
  const dialog = byId("confirm-dialog");
  byId("confirm-title").textContent = title;
  byId("confirm-text").textContent = text;
  byId("confirm-ok").textContent = confirmLabel;
  dialog.returnValue = "";
  return new Promise((resolve) => {
    dialog.addEventListener("close", () => resolve(dialog.returnValue === "ok"), { once: true });
    dialog.showModal();
    byId("confirm-ok").focus();
  });
}

export function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
