"""The Coze plugin description: capcut-mate's verbs as an OpenAPI 3.0 document that Coze's
"import plugin" takes as it is (GET /openapi/coze-plugin.yaml).

It is made from the server's own OpenAPI document (/openapi.json), so it states the same
request and response models: the capcut-mate verbs are kept, each as one tool named after the
verb, and the JSON Schema of OpenAPI 3.1 is turned into the 3.0 subset plugin importers read
(no `anyOf` with null: `nullable`; no `$ref`: schemas inlined; one type per field).
"""

from __future__ import annotations

from typing import Any

from draftsmith.api.urls import API_PREFIX

OPENAPI_VERSION = "3.0.1"
API_KEY_SCHEME = "api_key"
API_KEY_HEADER = "X-API-Key"

CAPCUT_MATE_VERBS: dict[str, str] = {
    "create_draft": "Create an empty draft of the given canvas size; answers its draft_url.",
    "add_videos": "Add video clips (video_infos) to the draft on a new track.",
    "add_images": "Add images (image_infos) to the draft on a new track.",
    "add_audios": "Add audio clips (audio_infos) to the draft on a new track.",
    "add_captions": "Add captions (text segments, with style and keywords) on a new track.",
    "add_effects": "Add scene or character effects (effect_infos) on a new track.",
    "add_filters": "Add filters (filter_infos) on a new track.",
    "add_masks": "Put a mask on video or image segments of the draft.",
    "add_sticker": "Add one sticker of the editor's library on a new track.",
    "add_keyframes": "Add keyframes (position, scale, rotation, opacity, volume) to segments.",
    "save_draft": "Save the draft: publish its current state as a new numbered version.",
    "get_draft": "Download URLs of every file of a saved version of the draft.",
    "gen_video": "Render the draft to MP4 on the server (saving it first if it has unsaved "
    "changes); answers at once with the job.",
    "gen_video_status": "Status and progress of the draft's render; video_url once completed.",
    "easy_create_material": "Add an audio and optionally a video, an image and a text in one call.",
    "get_audio_duration": "The duration of an audio file, in microseconds.",
    "add_text_style": "Rich-text style runs for a text with its keywords highlighted.",
    "search_sticker": "Stickers whose title contains a keyword.",
    "get_text_effects": "The text effects (花字) add_captions takes.",
    "get_text_animations": "Text intro, outro or loop animations, for captions.",
    "get_image_animations": "Image and video intro, outro or loop animations.",
    "get_url": "Returns its input unchanged (a helper for workflows).",
    "str_to_list": "A string as a one-item list (a helper for workflows).",
    "str_list_to_objs": 'Each string of a list as {"output": string} (a helper for workflows).',
    "objs_to_str_list": "The output field of each object of a list (a helper for workflows).",
    "timelines": "Cut a duration into pieces, equal or at random: timelines for the *_infos verbs.",
    "audio_timelines": "One timeline per audio file, one after the other from 0.",
    "imgs_infos": "image_infos for add_images from image URLs and timelines.",
    "video_infos": "video_infos for add_videos from video URLs and timelines.",
    "audio_infos": "audio_infos for add_audios from audio URLs and timelines.",
    "caption_infos": "captions for add_captions from texts and timelines.",
    "effect_infos": "effect_infos for add_effects from effect names and timelines.",
    "filter_infos": "filter_infos for add_filters from filter names and timelines.",
    "keyframes_infos": "keyframes for add_keyframes from offsets and values.",
}
"""Every verb of capcut-mate's API, with the one-line description its tool gets."""

_NULL = {"type": "null"}
_LIST_NOTE = "A JSON array, or that array encoded as a JSON string."
"""What api/schemas.py says of every list that may come as a JSON string."""
_DROPPED = (
    "title",
    "$schema",
    "contentMediaType",
    "contentSchema",
    "discriminator",
    "examples",
    "const",
)


def coze_plugin(document: dict[str, Any], base_url: str, *, api_key: bool) -> dict[str, Any]:
    """The plugin description for `document` (the app's OpenAPI document) served at
    `base_url`; with `api_key`, tools send the API key in the X-API-Key header."""
    schemas = document.get("components", {}).get("schemas", {})
    convert = _Converter(schemas)
    paths: dict[str, Any] = {}
    for path, item in document.get("paths", {}).items():
        verb = path.removeprefix(f"{API_PREFIX}/")
        if verb not in CAPCUT_MATE_VERBS:
            continue
        for method, operation in item.items():
            if method in ("get", "post"):
                paths.setdefault(path, {})[method] = _operation(verb, operation, convert)
    plugin: dict[str, Any] = {
        "openapi": OPENAPI_VERSION,
        "info": {
            "title": "draftsmith",
            "description": "CapCut/Jianying drafts over capcut-mate's API: build a draft, save "
            "it, download its folder or render it to MP4.",
            "version": str(document.get("info", {}).get("version", "1")),
        },
        "servers": [{"url": base_url}],
        "paths": paths,
    }
    if api_key:
        plugin["components"] = {
            "securitySchemes": {
                API_KEY_SCHEME: {"type": "apiKey", "in": "header", "name": API_KEY_HEADER}
            }
        }
        plugin["security"] = [{API_KEY_SCHEME: []}]
    return plugin


def _operation(verb: str, operation: dict[str, Any], convert: _Converter) -> dict[str, Any]:
    description = CAPCUT_MATE_VERBS[verb]
    result: dict[str, Any] = {
        "operationId": verb,
        "summary": description,
        "description": description,
    }
    parameters = [
        {
            "name": parameter["name"],
            "in": parameter["in"],
            "required": bool(parameter.get("required", False)),
            "description": parameter.get("description", parameter["name"]),
            "schema": convert(parameter.get("schema", {})),
        }
        for parameter in operation.get("parameters", [])
        if parameter.get("in") in ("query", "path")
    ]
    if parameters:
        result["parameters"] = parameters
    body = operation.get("requestBody", {}).get("content", {}).get("application/json")
    if body is not None:
        raw = body.get("schema", {})
        # An optional body (`body: X | None = None`) is anyOf [X, null]: the body may be left out.
        optional = _NULL in raw.get("anyOf", ())
        schema = convert(raw)
        schema.pop("nullable", None)
        result["requestBody"] = {
            "required": not optional,
            "content": {"application/json": {"schema": schema}},
        }
    answer = operation.get("responses", {}).get("200", {})
    content = answer.get("content", {}).get("application/json")
    ok: dict[str, Any] = {"description": answer.get("description", "Success")}
    if content is not None:
        ok["content"] = {"application/json": {"schema": convert(content.get("schema", {}))}}
    result["responses"] = {"200": ok}
    return result


class _Converter:
    """JSON Schema (OpenAPI 3.1, as pydantic writes it) to OpenAPI 3.0 schema objects."""

    def __init__(self, schemas: dict[str, Any]) -> None:
        self._schemas = schemas

    def __call__(self, schema: dict[str, Any], seen: tuple[str, ...] = ()) -> dict[str, Any]:
        if "$ref" in schema:
            name = str(schema["$ref"]).rsplit("/", 1)[-1]
            # A model that contains itself cannot be inlined: below the first level it is an
            # object of any shape.
            target = {"type": "object"} if name in seen else self._schemas.get(name, {})
            merged = {**target, **{k: v for k, v in schema.items() if k != "$ref"}}
            return self(merged, (*seen, name))
        for key in ("anyOf", "oneOf"):
            if key in schema:
                return self(self._one_of(schema, key), seen)
        if "allOf" in schema and len(schema["allOf"]) == 1:
            rest = {k: v for k, v in schema.items() if k != "allOf"}
            return self({**schema["allOf"][0], **rest}, seen)
        result: dict[str, Any] = {}
        for key, value in schema.items():
            if key in _DROPPED:
                continue
            if key == "properties":
                result[key] = {name: self(sub, seen) for name, sub in value.items()}
            elif key in ("items", "additionalProperties") and isinstance(value, dict):
                result[key] = self(value, seen)
            elif key in ("exclusiveMinimum", "exclusiveMaximum") and not isinstance(value, bool):
                result["minimum" if key == "exclusiveMinimum" else "maximum"] = value
                result[key] = True
            elif key == "type" and isinstance(value, list):
                kinds = [kind for kind in value if kind != "null"]
                result[key] = kinds[0] if kinds else "string"
                if len(kinds) < len(value):
                    result["nullable"] = True
            else:
                result[key] = value
        if "const" in schema:
            result["enum"] = [schema["const"]]
        if schema.get("examples"):
            result["example"] = schema["examples"][0]
        if "prefixItems" in result:
            del result["prefixItems"]
            result.setdefault("items", {})
        kind = result.pop("type", None)
        if kind is None and "enum" not in result:
            kind = _kind_of(result)
        return result if kind is None else {"type": kind, **result}

    def _one_of(self, schema: dict[str, Any], key: str) -> dict[str, Any]:
        """One schema for a union: null becomes `nullable`, and of a JSON array or that array as
        a JSON string (capcut-mate's lists), the string, which is what capcut-mate's clients and
        its info verbs (video_infos, caption_infos...) send."""
        options = _flattened(schema[key], key)
        nullable = _NULL in options
        options = [option for option in options if option != _NULL]
        strings = [option for option in options if option.get("type") == "string"]
        arrays = [option for option in options if option.get("type") == "array"]
        chosen = strings[0] if strings and arrays else options[0] if options else {}
        rest = {k: v for k, v in schema.items() if k != key}
        merged = {**chosen, **rest}
        if strings and arrays:
            merged["description"] = self._list_description(merged.get("description"), arrays[0])
        if nullable:
            merged["nullable"] = True
        return merged

    def _list_description(self, description: str | None, array: dict[str, Any]) -> str:
        """What a list sent as a JSON string holds, since its string type cannot say it."""
        text = "A JSON array encoded as a JSON string (a plain JSON array is accepted too)."
        items = array.get("items", {})
        if "$ref" in items:
            items = self._schemas.get(str(items["$ref"]).rsplit("/", 1)[-1], {})
        required = set(items.get("required", ()))
        fields = [
            f"{name}{'' if name in required else '?'}" for name in items.get("properties", {})
        ]
        if fields:
            text += f" Each item is an object: {{{', '.join(fields)}}} (?: optional)."
        if description and description != _LIST_NOTE:
            return f"{description} {text}"
        return text


def _flattened(options: list[dict[str, Any]], key: str) -> list[dict[str, Any]]:
    flat: list[dict[str, Any]] = []
    for option in options:
        if set(option) <= {key, "description", "title"} and key in option:
            flat.extend(_flattened(option[key], key))
        else:
            flat.append(option)
    return flat


def _kind_of(schema: dict[str, Any]) -> str:
    """The type of a schema that states none: importers need one. Fields pydantic leaves
    untyped take any JSON; the only ones in the API are draft URLs, which are strings."""
    if "properties" in schema:
        return "object"
    if "items" in schema:
        return "array"
    return "string"
