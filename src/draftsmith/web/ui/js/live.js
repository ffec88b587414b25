// The live save status of one draft: server-sent events read with fetch (so the API key can
// be sent as a header, which EventSource cannot do), reconnecting when the server ends a stream.
// While streaming fails, get_draft_info is polled instead so the status never goes stale.

import { call, draftUrlFor, send } from "./api.js";
import { sleep } from "./dom.js";

const MAX_BACKOFF_MS = 10_000;
// A background stream never asks for an API key: the page's own requests do that.
const QUIET = { prompt: false };

function parseBlock(block) {
  let name = "message";
  const data = [];
  for (const line of block.split("\n")) {
    if (!line || line.startsWith(":")) continue;
    const colon = line.indexOf(":");
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? "" : line.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    if (field === "event") name = value;
    else if (field === "data") data.push(value);
  }
  return data.length ? { name, data: data.join("\n") } : null;
}

async function readEvents(body, onEvent) {
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += value.replace(/\r\n?/g, "\n");
    let end;
    while ((end = buffer.indexOf("\n\n")) >= 0) {
      const event = parseBlock(buffer.slice(0, end));
      buffer = buffer.slice(end + 2);
      if (event && onEvent(event.name, JSON.parse(event.data)) === false) return;
    }
  }
}

/**
 * Call `onHeader(header)` now and whenever the draft's save status changes, `onGone()` when the
 * draft is deleted, `onConnection(live)` when the stream comes and goes. Returns `stop()`.
 */
export function watchDraft(draftId, { onHeader, onGone = () => {}, onConnection = () => {} }) {
  const controller = new AbortController();
  const url = `ui/api/drafts/${encodeURIComponent(draftId)}/events`;
  let stopped = false;

  async function pollOnce() {
    try {
      onHeader(await call("get_draft_info", { draft_url: draftUrlFor(draftId) }, QUIET));
    } catch (error) {
      if (error.status === 404) {
        stopped = true;
        onGone();
      }
    }
  }

  async function run() {
    let failures = 0;
    while (!stopped) {
      try {
        const response = await send(url, {
          signal: controller.signal,
          cache: "no-store",
          headers: { Accept: "text/event-stream" },
        }, QUIET);
        failures = 0;
        onConnection(true);
        await readEvents(response.body, (name, data) => {
          if (name === "header") onHeader(data);
          if (name === "gone") {
            stopped = true;
            onGone();
            return false;
          }
          return true;
        });
      } catch (error) {
        if (stopped || error.name === "AbortError") return;
        failures += 1;
        onConnection(false);
        if (error.status === 404) {
          stopped = true;
          onGone();
          return;
        }
        await pollOnce();
      }
      if (!stopped) await sleep(failures ? Math.min(MAX_BACKOFF_MS, 1000 * failures) : 50);
    }
  }

  run();
  return () => {
    stopped = true;
    controller.abort();
  };
}
