// The timeline drawn to scale: a time ruler, one lane per track in the editor's order (as the
// server sends them), segments as blocks at their positions. Blocks take keyboard focus; the
// details of a block show on hover and on focus. A block whose segment the server adjusted
// (its `warnings`) carries a marker, and its details list the warnings.

import { byId, fill, h } from "./dom.js";
import { formatDuration, plural, rulerLabel } from "./format.js";

const SECOND = 1_000_000;
const HEAD_WIDTH = { wide: 150, narrow: 92 };
const MIN_VIEW_US = SECOND;
const RULER_STEPS_S = [0.1, 0.2, 0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600];
const MIN_TICK_PX = 64;
const MIN_TICKS = 5;
// Fitting never shrinks a typical block below this: past it the timeline scrolls instead.
const MIN_BLOCK_PX = 64;
const END_PAD_PX = 44; // room for the last ruler label
const ZOOM_FACTOR = 1.6;
const KIND_NAMES = {
  video: "Video", image: "Image", audio: "Audio", text: "Caption", sticker: "Sticker", effect: "Effect", filter: "Filter",
};
const LANE_NAMES = {
  video: "Video", audio: "Audio", text: "Text", sticker: "Sticker", effect: "Effect", filter: "Filter",
};

function headWidth() {
  return window.matchMedia("(max-width: 640px)").matches ? HEAD_WIDTH.narrow : HEAD_WIDTH.wide;
}

function warningsOf(segment) {
  return segment.warnings || [];
}

// What the latest render reports of a segment it did not draw exactly (gen_video_status
// `report`, by segment id): set by `setReport`, shown on the blocks.
const REPORT_WORDS = { not_drawn: "not drawn in the render", approximated: "approximated in the render" };
const REPORT_GLYPHS = { not_drawn: "✕", approximated: "≈" };
let reported = { version: null, bySegment: new Map() };

function reportOf(segment) {
  return reported.bySegment.get(segment.id) || [];
}

/** The worst outcome of a segment's report entries: "not_drawn", "approximated" or null. */
function reportLevel(segment) {
  const entries = reportOf(segment);
  if (entries.some((entry) => entry.drawn === "not_drawn")) return "not_drawn";
  return entries.length ? "approximated" : null;
}

function segmentSummary(segment) {
  const kind = KIND_NAMES[segment.kind] || segment.kind;
  let summary = `${kind} “${segment.label}”, ${formatDuration(segment.start)} to ${formatDuration(segment.end)}`;
  const count = warningsOf(segment).length;
  if (count) summary += `, ${plural(count, "warning")}`;
  const level = reportLevel(segment);
  return level ? `${summary}, ${REPORT_WORDS[level]}` : summary;
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
  // What the edits adjusted instead of refusing (the API answers' `warnings`).
  for (const warning of warningsOf(segment)) rows.push(["Warning", warning.message]);
  for (const entry of reportOf(segment)) {
    const what = [entry.feature.replace("_", " "), entry.name].filter(Boolean).join(" ");
    const outcome = entry.drawn === "not_drawn" ? "Not drawn" : "Approximated";
    rows.push([`Render v${reported.version}`, `${outcome}: ${what}${entry.how ? ` (${entry.how})` : ""}`]);
  }
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

const STRIP_TILE_HEIGHT = 48;
const MAX_TILES = 200;

/** The strip of pictures made at ingest along a clip: tiles of the sprite, each showing the
 * picture nearest the source time under it. */
function strip(segment, width) {
  const { url, frames } = segment.strip;
  const aspect = segment.media_width && segment.media_height ? segment.media_width / segment.media_height : 16 / 9;
  const tileWidth = Math.max(16, STRIP_TILE_HEIGHT * aspect);
  const count = Math.min(MAX_TILES, Math.ceil(width / tileWidth));
  const span = segment.end - segment.start;
  const sourceSpan = (segment.source_end ?? span) - (segment.source_start ?? 0);
  const mediaDuration = segment.media_duration || sourceSpan || 1;
  const tiles = [];
  for (let i = 0; i < count; i += 1) {
    const middle = Math.min(1, ((i + 0.5) * tileWidth) / width);
    const source = (segment.source_start ?? 0) + middle * sourceSpan;
    const frame = Math.max(0, Math.min(frames - 1, Math.floor((source / mediaDuration) * frames)));
    tiles.push(h("span", {
      class: "strip-tile",
      dataset: { frame },
      style: {
        width: `${tileWidth}px`,
        backgroundImage: `url("${url}")`,
        backgroundSize: `${frames * 100}% 100%`,
        backgroundPositionX: frames > 1 ? `${(frame / (frames - 1)) * 100}%` : "0%",
      },
    }));
  }
  return h("span", { class: "strip", "aria-hidden": "true" }, tiles);
}

const waveforms = new Map();

function loadWaveform(url) {
  if (!waveforms.has(url)) {
    waveforms.set(url, fetch(url).then((response) => (response.ok ? response.json() : null)).catch(() => null));
  }
  return waveforms.get(url);
}

/** The sound's peak levels (computed at ingest) drawn over the part of the source the block
 * plays. */
function waveform(segment, width) {
  const canvas = h("canvas", {
    class: `waveform${segment.kind === "audio" ? "" : " waveform-low"}`, "aria-hidden": "true",
    width: Math.max(1, Math.min(4096, Math.round(width))), height: 40,
  });
  loadWaveform(segment.waveform_url).then((levels) => {
    if (!levels || !levels.peaks.length) return;
    const { peaks } = levels;
    const duration = levels.duration_us || segment.media_duration || 1;
    const from = segment.source_start ?? 0;
    const to = segment.source_end ?? duration;
    const context = canvas.getContext("2d");
    context.fillStyle = getComputedStyle(canvas).color;
    const bars = canvas.width;
    for (let x = 0; x < bars; x += 1) {
      const start = Math.floor(((from + ((to - from) * x) / bars) / duration) * peaks.length);
      const end = Math.max(start + 1, Math.floor(((from + ((to - from) * (x + 1)) / bars) / duration) * peaks.length));
      let peak = 0;
      for (let i = start; i < end && i < peaks.length; i += 1) peak = Math.max(peak, peaks[i]);
      const height = Math.max(1, Math.sqrt(peak / 255) * canvas.height);
      context.fillRect(x, (canvas.height - height) / 2, 1, height);
    }
    canvas.dataset.drawn = "true";
  });
  return canvas;
}

function block(segment, scale) {
  const width = Math.max(3, ((segment.end - segment.start) / SECOND) * scale);
  const warned = warningsOf(segment).length > 0;
  const level = reportLevel(segment);
  const element = h("div", {
    class: `block kind-${segment.kind}${warned ? " warned" : ""}${level ? ` reported ${level}` : ""}`,
    role: "listitem",
    tabindex: 0,
    "aria-label": segmentSummary(segment),
    "aria-describedby": "tooltip",
    dataset: { segmentId: segment.id, start: segment.start },
    style: { left: `${(segment.start / SECOND) * scale}px`, width: `${width}px` },
  },
  segment.strip ? strip(segment, width) : null,
  segment.waveform_url ? waveform(segment, width) : null,
  segment.thumbnail_url
    ? h("img", { class: "thumb", src: segment.thumbnail_url, alt: "", loading: "lazy", draggable: "false" })
    : null,
  h("span", { class: segment.kind === "text" ? "block-text" : "block-label", text: segment.label }),
  level ? h("span", {
    class: `block-report ${level}`, "aria-hidden": "true", text: REPORT_GLYPHS[level],
    title: `${level === "not_drawn" ? "Not drawn" : "Approximated"} in the render of version ${reported.version}`,
  }) : null,
  warned ? h("span", { class: "block-warning", "aria-hidden": "true", text: "!" }) : null);
  element.addEventListener("mouseenter", () => showDetails(element, segment));
  element.addEventListener("mouseleave", () => {
    if (document.activeElement !== element) hideDetails();
  });
  element.addEventListener("focus", () => showDetails(element, segment));
  element.addEventListener("blur", hideDetails);
  return element;
}

function ruler(viewUs, scale) {
  // At least MIN_TICKS ticks when the view is short, however narrow the screen.
  const minTick = Math.max(32, Math.min(MIN_TICK_PX, ((viewUs / SECOND) * scale) / MIN_TICKS));
  const step = RULER_STEPS_S.find((s) => s * scale >= minTick) ?? RULER_STEPS_S.at(-1);
  const stepUs = step * SECOND;
  const ticks = [];
  for (let at = 0; at <= viewUs; at += stepUs) {
    ticks.push(h("span", { class: "tick", style: { left: `${(at / SECOND) * scale}px` } },
      rulerLabel(at, stepUs)));
  }
  return h("div", { class: "ruler" }, h("div", { class: "ticks", "aria-hidden": "true" }, ticks));
}

const SEEK_KEYS = { ArrowLeft: -SECOND, ArrowRight: SECOND, PageDown: -5 * SECOND, PageUp: 5 * SECOND };

function transitionMark(segment, scale) {
  const { name, duration } = segment.transition;
  const label = `Transition “${name}”, ${formatDuration(duration)}, from “${segment.label}” into the next clip`;
  return h("span", {
    class: "transition-mark", role: "listitem", "aria-label": label, title: label,
    dataset: { segmentId: segment.id },
    style: { left: `${(segment.end / SECOND) * scale}px` },
  }, h("span", { class: "transition-glyph", "aria-hidden": "true", text: "⧓" }));
}

function lane(track, number, scale) {
  const laneName = `${LANE_NAMES[track.type] || track.type} ${number}`;
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
    track.segments.map((segment) => block(segment, scale)),
    track.segments.filter((segment) => segment.transition).map((segment) => transitionMark(segment, scale))));
}

/** Lane numbers that stay put as tracks are added: per type, in the order of stacking layer
 * (the first track made is 1), not in the order lanes are listed. */
function laneNumbers(tracks) {
  const numbers = new Map();
  for (const type of new Set(tracks.map((track) => track.type))) {
    tracks.filter((track) => track.type === type)
      .sort((a, b) => a.layer - b.layer)
      .forEach((track, index) => numbers.set(track, index + 1));
  }
  return numbers;
}

/** The smallest scale (px per second) at which a typical block can still be read. */
function readableScale(tracks) {
  const lengths = tracks.flatMap((track) => track.segments.map((s) => (s.end - s.start) / SECOND))
    .filter((seconds) => seconds > 0).sort((a, b) => a - b);
  if (!lengths.length) return 0;
  const median = lengths[Math.floor(lengths.length / 2)];
  return Math.min(40, MIN_BLOCK_PX / median);
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

/** A timeline component; `update(draft)` redraws it for a new state of the draft,
 * `setPlayhead(us)` moves the player's playhead over it (null hides it), and a click on a lane
 * or the ruler calls `onSeek(us)`. */
export function createTimeline({ onSeek = null } = {}) {
  const state = { fit: true, scale: 40, draft: null, playhead: null, head: 0, ruler: null };
  reported = { version: null, bySegment: new Map() };
  const playhead = h("div", { class: "tl-playhead", id: "playhead", hidden: true, "aria-hidden": "true" });

  function placePlayhead() {
    playhead.hidden = state.playhead === null || !state.draft;
    if (!playhead.hidden) playhead.style.left = `${state.head + (state.playhead / SECOND) * state.scale}px`;
    const ruler = state.ruler;
    if (!ruler) return;
    const at = state.playhead ?? 0;
    ruler.setAttribute("aria-valuenow", (at / SECOND).toFixed(1));
    ruler.setAttribute("aria-valuetext", state.playhead === null
      ? "No player yet: make a preview or a render to play the draft"
      : `Playhead at ${formatDuration(at)}`);
  }

  /** The ruler is a slider for the playhead: arrow keys move the player 1 s (Shift: 0.1 s),
   * Page Up and Page Down 5 s, Home and End to the ends. */
  function makeSeekable(ruler, duration) {
    Object.assign(ruler, { tabIndex: 0 });
    ruler.id = "timeline-ruler";
    ruler.setAttribute("role", "slider");
    ruler.setAttribute("aria-label", "Playhead position (seconds)");
    ruler.setAttribute("aria-valuemin", "0");
    ruler.setAttribute("aria-valuemax", (duration / SECOND).toFixed(1));
    ruler.addEventListener("keydown", (event) => {
      let to = null;
      const at = state.playhead ?? 0;
      if (event.key in SEEK_KEYS) to = at + SEEK_KEYS[event.key] * (event.shiftKey && event.key.startsWith("Arrow") ? 0.1 : 1);
      else if (event.key === "Home") to = 0;
      else if (event.key === "End") to = duration;
      else return;
      event.preventDefault();
      event.stopPropagation();
      onSeek?.(Math.max(0, Math.min(duration, Math.round(to))));
    });
    state.ruler = ruler;
  }
  const scaleLabel = h("span", { class: "scale-label", "aria-live": "polite" });
  const scroller = h("div", { class: "tl-scroll" }, h("p", { class: "loading", text: "Loading timeline…" }));
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
      state.scale = Math.max(available / (viewUs / SECOND), readableScale(draft.tracks));
    }
    scaleLabel.textContent = `${state.scale >= 10 ? Math.round(state.scale) : state.scale.toFixed(1)} px per second`;
    const width = head + (viewUs / SECOND) * state.scale + END_PAD_PX;
    const scrollLeft = scroller.scrollLeft;
    if (!draft.tracks.length) {
      fill(scroller, h("p", { class: "empty" },
        "No tracks yet. Add videos, images, audio or captions through the API and they appear here."));
      return;
    }
    const numbers = laneNumbers(draft.tracks);
    const endLabel = `End ${formatDuration(draft.duration)}`;
    const timeRuler = ruler(viewUs, state.scale);
    if (onSeek) makeSeekable(timeRuler, draft.duration);
    const grid = h("div", { class: "tl-grid", style: { width: `${width}px` } },
      h("div", { class: "tl-row ruler-row" },
        h("div", { class: "lane-head ruler-head", text: "Time" }), timeRuler),
      draft.tracks.map((track) => lane(track, numbers.get(track), state.scale)),
      h("div", {
        class: "tl-end", role: "img", title: endLabel, "aria-label": `The draft ends at ${formatDuration(draft.duration)}`,
        style: { left: `${head + (draft.duration / SECOND) * state.scale}px` },
      }));
    grid.style.setProperty("--head", `${head}px`);
    grid.addEventListener("keydown", moveFocus);
    state.head = head;
    grid.append(playhead);
    placePlayhead();
    if (onSeek) {
      grid.addEventListener("click", (event) => {
        const body = event.target.closest(".lane-body, .ruler");
        if (!body) return;
        const x = event.clientX - body.getBoundingClientRect().left;
        onSeek(Math.max(0, Math.min(draft.duration, (x / state.scale) * SECOND)));
      });
    }
    const focusedId = document.activeElement?.dataset?.segmentId;
    const rulerFocused = document.activeElement?.id === "timeline-ruler";
    fill(scroller, grid);
    scroller.scrollLeft = scrollLeft;
    if (focusedId) grid.querySelector(`[data-segment-id="${CSS.escape(focusedId)}"]`)?.focus();
    if (rulerFocused) timeRuler.focus();
  }

  new ResizeObserver(() => { if (state.fit) draw(); }).observe(scroller);
  scroller.addEventListener("scroll", hideDetails, { passive: true });
  return {
    element: root,
    update(draft) {
      state.draft = draft;
      draw();
    },
    setPlayhead(us) {
      state.playhead = us;
      placePlayhead();
    },
    /** Mark the blocks the render of `version` did not draw exactly (its `report`; null: no
     * completed render). */
    setReport(report, version) {
      const bySegment = new Map();
      for (const entry of report || []) {
        if (entry.drawn === "exact") continue;
        for (const id of entry.segment_ids) bySegment.set(id, [...(bySegment.get(id) || []), entry]);
      }
      const key = (map) => JSON.stringify([...map.entries()].map(([id, entries]) => [id, entries.length]));
      if (reported.version === version && key(reported.bySegment) === key(bySegment)) return;
      reported = { version, bySegment };
      draw();
    },
  };
}
