// The timeline drawn to scale: a time ruler, one lane per track in the editor's order (as the
// server sends them), segments as blocks at their positions. Blocks take keyboard focus; the
// details of a block show on hover and on focus.

import { byId, fill, h } from "./dom.js";
import { formatDuration, plural, rulerLabel } from "./format.js";

const SECOND = 1_000_000;
const HEAD_WIDTH = { wide: 150, narrow: 92 };
const MIN_VIEW_US = 5 * SECOND;
const RULER_STEPS_S = [0.1, 0.2, 0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600];
const MIN_TICK_PX = 64;
const END_PAD_PX = 44; // room for the last ruler label
const ZOOM_FACTOR = 1.6;
const KIND_NAMES = { video: "Video", image: "Image", audio: "Audio", text: "Caption", sticker: "Sticker" };
const LANE_NAMES = { video: "Video", audio: "Audio", text: "Text", sticker: "Sticker" };

function headWidth() {
  return window.matchMedia("(max-width: 640px)").matches ? HEAD_WIDTH.narrow : HEAD_WIDTH.wide;
}

function segmentSummary(segment) {
  const kind = KIND_NAMES[segment.kind] || segment.kind;
  return `${kind} “${segment.label}”, ${formatDuration(segment.start)} to ${formatDuration(segment.end)}`;
}

function detailRows(segment) {
  const rows = [
    ["Kind", KIND_NAMES[segment.kind] || segment.kind],
    [segment.kind === "text" ? "Text" : "Source", segment.label],
    ["Start", formatDuration(segment.start)],
    ["End", formatDuration(segment.end)],
    ["Duration", formatDuration(segment.end - segment.start)],
  ];
  if (segment.kind === "video" || segment.kind === "audio") {
    rows.push(["From source", `${formatDuration(segment.source_start)} – ${formatDuration(segment.source_end)}`]);
    rows.push(["Volume", `${Math.round(segment.volume * 100)} %`]);
  }
  if (segment.media_width && segment.media_height) {
    rows.push(["Picture", `${segment.media_width}×${segment.media_height}`]);
  }
  rows.push(["Segment id", segment.id]);
  return rows;
}

function showDetails(block, segment) {
  const tip = byId("tooltip");
  fill(tip, h("dl", {}, detailRows(segment).map(([name, value]) => [
    h("dt", { text: name }), h("dd", { text: value }),
  ])));
  tip.hidden = false;
  const box = block.getBoundingClientRect();
  const tipBox = tip.getBoundingClientRect();
  const left = Math.min(Math.max(8, box.left), window.innerWidth - tipBox.width - 8);
  const below = box.bottom + 6;
  const top = below + tipBox.height > window.innerHeight ? box.top - tipBox.height - 6 : below;
  tip.style.left = `${left}px`;
  tip.style.top = `${Math.max(8, top)}px`;
}

export function hideDetails() {
  byId("tooltip").hidden = true;
}

function block(segment, scale) {
  const width = Math.max(3, ((segment.end - segment.start) / SECOND) * scale);
  const element = h("div", {
    class: `block kind-${segment.kind}`,
    role: "listitem",
    tabindex: 0,
    "aria-label": segmentSummary(segment),
    "aria-describedby": "tooltip",
    dataset: { segmentId: segment.id, start: segment.start },
    style: { left: `${(segment.start / SECOND) * scale}px`, width: `${width}px` },
  },
  segment.thumbnail_url
    ? h("img", { class: "thumb", src: segment.thumbnail_url, alt: "", loading: "lazy", draggable: "false" })
    : null,
  h("span", { class: segment.kind === "text" ? "block-text" : "block-label", text: segment.label }));
  element.addEventListener("mouseenter", () => showDetails(element, segment));
  element.addEventListener("mouseleave", () => {
    if (document.activeElement !== element) hideDetails();
  });
  element.addEventListener("focus", () => showDetails(element, segment));
  element.addEventListener("blur", hideDetails);
  return element;
}

function ruler(viewUs, scale) {
  const step = RULER_STEPS_S.find((s) => s * scale >= MIN_TICK_PX) ?? RULER_STEPS_S.at(-1);
  const stepUs = step * SECOND;
  const ticks = [];
  for (let at = 0; at <= viewUs; at += stepUs) {
    ticks.push(h("span", { class: "tick", style: { left: `${(at / SECOND) * scale}px` } },
      rulerLabel(at, stepUs)));
  }
  return h("div", { class: "ruler", "aria-hidden": "true" }, ticks);
}

function lane(track, index, scale) {
  const laneName = `${LANE_NAMES[track.type] || track.type} ${index + 1}`;
  return h("div", {
    class: `lane lane-${track.type}`,
    role: "group",
    "aria-label": `${laneName} track, ${plural(track.segments.length, "segment")}`,
    dataset: { trackId: track.id, type: track.type },
  },
  h("div", { class: "lane-head", title: track.name },
    h("span", { class: `lane-icon icon-${track.type}`, "aria-hidden": "true" }),
    h("span", { class: "lane-name", text: laneName })),
  h("div", { class: "lane-body", role: "list" },
    track.segments.map((segment) => block(segment, scale))));
}

function moveFocus(event) {
  const current = event.target.closest(".block");
  if (!current) return;
  const lanes = [...event.currentTarget.querySelectorAll(".lane")];
  const laneIndex = lanes.indexOf(current.closest(".lane"));
  const blocks = [...lanes[laneIndex].querySelectorAll(".block")];
  const index = blocks.indexOf(current);
  let target = null;
  if (event.key === "ArrowRight") target = blocks[index + 1];
  else if (event.key === "ArrowLeft") target = blocks[index - 1];
  else if (event.key === "Home") target = blocks[0];
  else if (event.key === "End") target = blocks.at(-1);
  else if (event.key === "ArrowUp" || event.key === "ArrowDown") {
    const step = event.key === "ArrowUp" ? -1 : 1;
    const start = Number(current.dataset.start);
    for (let i = laneIndex + step; i >= 0 && i < lanes.length && !target; i += step) {
      const candidates = [...lanes[i].querySelectorAll(".block")];
      target = candidates.reduce((best, b) => (!best
        || Math.abs(b.dataset.start - start) < Math.abs(best.dataset.start - start) ? b : best), null);
    }
  } else if (event.key === "Escape") {
    hideDetails();
    return;
  } else return;
  event.preventDefault();
  if (target) {
    target.focus();
    target.scrollIntoView({ block: "nearest", inline: "nearest" });
  }
}

/** A timeline component; `update(draft)` redraws it for a new state of the draft. */
export function createTimeline() {
  const state = { fit: true, scale: 40, draft: null };
  const scaleLabel = h("span", { class: "scale-label", "aria-live": "polite" });
  const scroller = h("div", { class: "tl-scroll" });
  const zoom = (factor) => {
    state.fit = false;
    state.scale = Math.min(2000, Math.max(0.05, state.scale * factor));
    draw();
  };
  const toolbar = h("div", { class: "tl-toolbar", role: "toolbar", "aria-label": "Timeline zoom" },
    h("button", { type: "button", class: "small", onclick: () => zoom(1 / ZOOM_FACTOR), "aria-label": "Zoom out" }, "−"),
    h("button", { type: "button", class: "small", onclick: () => zoom(ZOOM_FACTOR), "aria-label": "Zoom in" }, "+"),
    h("button", { type: "button", class: "small", onclick: () => { state.fit = true; draw(); } }, "Fit"),
    scaleLabel);
  const root = h("section", { class: "timeline", "aria-label": "Timeline" }, toolbar, scroller);

  function draw() {
    const draft = state.draft;
    if (!draft) return;
    const viewUs = Math.max(draft.duration, MIN_VIEW_US);
    const head = headWidth();
    if (state.fit) {
      const padding = parseFloat(getComputedStyle(scroller).paddingLeft) * 2;
      const available = Math.max(120, scroller.clientWidth - padding - head - END_PAD_PX);
      state.scale = available / (viewUs / SECOND);
    }
    scaleLabel.textContent = `${state.scale >= 10 ? Math.round(state.scale) : state.scale.toFixed(1)} px per second`;
    const width = head + (viewUs / SECOND) * state.scale + END_PAD_PX;
    const scrollLeft = scroller.scrollLeft;
    if (!draft.tracks.length) {
      fill(scroller, h("p", { class: "empty" },
        "No tracks yet. Add videos, images, audio or captions through the API and they appear here."));
      return;
    }
    const counts = {};
    const grid = h("div", { class: "tl-grid", style: { width: `${width}px` } },
      h("div", { class: "tl-row ruler-row" },
        h("div", { class: "lane-head ruler-head", text: "Time" }), ruler(viewUs, state.scale)),
      draft.tracks.map((track) => {
        counts[track.type] = (counts[track.type] || 0) + 1;
        return lane(track, counts[track.type] - 1, state.scale);
      }));
    grid.style.setProperty("--head", `${head}px`);
    grid.addEventListener("keydown", moveFocus);
    const focusedId = document.activeElement?.dataset?.segmentId;
    fill(scroller, grid);
    scroller.scrollLeft = scrollLeft;
    if (focusedId) grid.querySelector(`[data-segment-id="${CSS.escape(focusedId)}"]`)?.focus();
  }

  new ResizeObserver(() => { if (state.fit) draw(); }).observe(scroller);
  scroller.addEventListener("scroll", hideDetails, { passive: true });
  return {
    element: root,
    update(draft) {
      state.draft = draft;
      draw();
    },
  };
}
