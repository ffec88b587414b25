"""The one settings object, read from DRAFTSMITH_* environment variables at start-up."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

MIN_CONFIGURED_KEY_LENGTH = 16
RenderPreset = Literal[
    "ultrafast", "superfast", "veryfast", "faster", "fast", "medium", "slow", "slower", "veryslow"
]


class Settings(BaseSettings):
    """Everything the server can be told. Built once and passed to `create_app`."""

    model_config = SettingsConfigDict(env_prefix="DRAFTSMITH_", extra="ignore")

    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    data_dir: Path = Path("./data")
    public_url: str | None = Field(
        default=None,
        description="Base URL clients reach the server at; defaults to http://host:port.",
    )
    database_url: str | None = Field(
        default=None, description="sqlite:///path or postgresql://...; default: SQLite in data_dir"
    )

    allow_private_urls: bool = Field(
        default=False, description="Let media URLs point at private, loopback or link-local hosts."
    )
    media_max_bytes: int = Field(default=500 * 1024 * 1024, ge=1)
    media_timeout_seconds: float = Field(default=60.0, gt=0)
    media_connect_timeout_seconds: float = Field(default=10.0, gt=0)
    media_max_pixels: int = Field(
        default=8192 * 8192,
        ge=1,
        description="Largest image or video frame accepted, in pixels; a larger one is refused "
        "(media_rejected) from its header, before it is decoded.",
    )
    media_max_side: int = Field(
        default=16384, ge=1, description="Longest side of an image or video frame accepted."
    )
    media_concurrency: int = Field(
        default=4,
        ge=1,
        le=256,
        description="Media files downloaded and probed at once; the others wait their turn "
        "for up to media_timeout_seconds, then get 503.",
    )
    request_concurrency: int = Field(
        default=12,
        ge=1,
        le=256,
        description="Requests whose work runs at once in worker threads; the others wait "
        "their turn in arrival order. Waiting for media does not hold a turn. Python runs one "
        "thread at a time: many more turns than cores only slow every request down.",
    )
    max_body_bytes: int = Field(default=2 * 1024 * 1024, ge=1024)
    max_items_per_request: int = Field(default=500, ge=1)

    save_rate_per_draft: float = Field(
        default=20.0, ge=0, description="save_draft calls per second allowed per draft; 0 = off"
    )
    save_rate_per_client: float = Field(
        default=50.0, ge=0, description="save_draft calls per second allowed per client; 0 = off"
    )
    rate_burst: int = Field(default=40, ge=1)
    keep_versions: int = Field(
        default=0, ge=0, description="Saved versions kept per draft; 0 keeps all"
    )
    maintenance: bool = Field(
        default=False, description="Refuse writes with 503 (read-only maintenance mode)."
    )
    strict: bool = Field(
        default=False,
        description="Refuse with a 400 what capcut-mate would adjust (a segment longer than "
        "its media, an unknown name, a float for a whole number, a left-out field) instead of "
        "adjusting it and reporting it in `warnings`; X-Draftsmith-Strict overrides it.",
    )

    # S3-compatible object storage for blobs; the local data directory is used when no bucket
    # is set. Credentials left unset fall back to boto3's own chain (AWS_* variables, roles).
    s3_bucket: str | None = Field(default=None, description="Keep files in this S3 bucket.")
    s3_endpoint_url: str | None = Field(
        default=None, description="Endpoint of an S3-compatible service (MinIO, R2, ...)."
    )
    s3_region: str | None = None
    s3_access_key_id: str | None = None
    s3_secret_access_key: SecretStr | None = None
    s3_prefix: str = Field(default="", description="Key prefix, e.g. 'draftsmith/'.")

    # Security (docs/security.md): API keys, signed download links, per-key limits.
    api_keys: Annotated[list[SecretStr], NoDecode] = Field(
        default_factory=list,
        description="API keys accepted besides those made by `draftsmith keys create`, comma "
        "separated. Keys are required on every verb as soon as any key is configured or stored.",
    )
    trusted_hosts: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description="Host names requests may be addressed to (the Host header), comma separated; "
        "others get 421, which defeats DNS rebinding. Always trusted: localhost, 127.0.0.1, [::1], "
        "the public URL's host and the address the server listens on. '*' trusts every host.",
    )
    cors_origins: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description="Browser origins (scheme://host[:port]) other than the server's own that may "
        "call the API, comma separated; they get CORS headers. Any other foreign Origin gets 403.",
    )
    trusted_proxies: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description="Addresses of reverse proxies whose X-Forwarded-For and X-Forwarded-Proto are "
        "believed, comma separated; by default none, so the client address cannot be spoofed.",
    )
    signing_secret: SecretStr | None = Field(
        default=None,
        description="Secret that signs download links; default: a random one kept in the store.",
    )
    link_ttl_seconds: int = Field(
        default=24 * 3600, ge=1, le=30 * 24 * 3600, description="How long download links work."
    )
    private_url_allowlist: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description="Testing aid: 'host:port', 'address' or 'CIDR' entries that the first request "
        "of a media fetch may reach although private; redirects are always checked in full.",
    )
    max_segments_per_draft: int = Field(default=5000, ge=1)
    max_caption_chars: int = Field(default=1000, ge=1, le=5000)
    max_drafts_per_key: int = Field(
        default=1000, ge=0, description="Drafts one API key may hold; 0 = no limit"
    )
    max_renders_per_key: int = Field(
        default=2, ge=0, description="Renders one API key may have queued or running; 0 = no limit"
    )

    # Rendering (docs/rendering.md): render jobs queue in the store; workers take them.
    render_workers: int = Field(
        default=1,
        ge=0,
        le=64,
        description="Render worker threads in this process; 0 = render nothing here (API only).",
    )
    render_lease_seconds: float = Field(
        default=30.0,
        ge=1.0,
        le=3600.0,
        description="A job whose worker stopped reporting for this long is taken by another.",
    )
    render_max_attempts: int = Field(
        default=3, ge=1, le=100, description="Times a job is started before it is failed."
    )
    render_preset: RenderPreset = Field(
        default="faster", description="x264 preset of rendered MP4s: slower is smaller."
    )
    # Render budgets (docs/rendering.md): what one render, and one key per hour, may cost.
    render_max_seconds: float = Field(
        default=2 * 3600.0, gt=0, description="Longest draft gen_video renders, in seconds."
    )
    render_max_width: int = Field(default=4096, ge=1, description="Widest canvas rendered.")
    render_max_height: int = Field(default=4096, ge=1, description="Tallest canvas rendered.")
    render_max_pixels: int = Field(
        default=4096 * 4096, ge=1, description="Largest canvas rendered, width x height."
    )
    render_seconds_per_hour: int = Field(
        default=4 * 3600,
        ge=0,
        description="Seconds of video one API key (with keys off: everyone together) may queue "
        "for rendering per hour, counted by draft length; 0 = no budget.",
    )
    render_time_factor: float = Field(
        default=10.0,
        gt=0,
        description="A render is stopped and failed after this many times the draft's length "
        "(but never before render_min_time_seconds).",
    )
    render_min_time_seconds: float = Field(
        default=60.0, ge=0, description="Wall-clock time every render is allowed, however short."
    )
    render_sticker_images: Path | None = Field(
        default=None,
        description="Directory of sticker pictures named by sticker id (7326810673609018675.png, "
        ".webp, .gif or .jpg): renders draw the stickers found there (docs/render.md).",
    )

    # Operator catalogues (docs/api.md): JSON files read once at start-up, each replacing the
    # list shipped with the package.
    sticker_catalogue: Path | None = Field(
        default=None,
        description="JSON list of stickers in capcut-mate's sticker file format, for "
        "search_sticker, instead of the shipped list.",
    )

    text_effect_catalogue: Path | None = Field(
        default=None,
        description='JSON list of text effects (花字) {"id", "title", "is_vip"}, for '
        "get_text_effects and text effect titles in add_captions, instead of the shipped list.",
    )

    # Operations (docs/deploying.md): metrics, readiness, garbage collection.
    metrics_public: bool = Field(
        default=False,
        description="Serve GET /metrics without an API key (by default it takes one while keys "
        "are on, as every verb does).",
    )
    ready_slow_seconds: float = Field(
        default=2.0,
        gt=0,
        description="A dependency /readyz checks (database, file store, render workers) that "
        "takes longer than this to answer makes it 503.",
    )
    gc_grace_seconds: int = Field(
        default=24 * 3600,
        ge=0,
        description="Files no draft, version or render references are deleted by `draftsmith "
        "gc` only once they are this old and their media was not asked for for this long.",
    )
    gc_interval_seconds: int = Field(
        default=0,
        ge=0,
        description="Run the garbage collection in the server this often; 0 = never (run "
        "`draftsmith gc` from a scheduler instead).",
    )
    idempotency_keep_seconds: int = Field(
        default=24 * 3600,
        ge=60,
        description="A state-changing request's Idempotency-Key answers its first response "
        "for this long; older keys are pruned.",
    )

    @field_validator(
        "api_keys",
        "private_url_allowlist",
        "trusted_hosts",
        "cors_origins",
        "trusted_proxies",
        mode="before",
    )
    @classmethod
    def _comma_separated(cls, value: Any) -> Any:
        if isinstance(value, str):
            return [part.strip() for part in value.split(",") if part.strip()]
        return value

    @field_validator("api_keys")
    @classmethod
    def _keys_long_enough(cls, keys: list[SecretStr]) -> list[SecretStr]:
        for key in keys:
            if len(key.get_secret_value()) < MIN_CONFIGURED_KEY_LENGTH:
                raise ValueError(
                    f"every API key must be at least {MIN_CONFIGURED_KEY_LENGTH} characters"
                )
        return keys

    def base_url(self) -> str:
        if self.public_url:
            return self.public_url.rstrip("/")
        return f"http://{self.host}:{self.port}"

    def sqlite_path(self) -> Path:
        url = self.database_url
        if url is None:
            return self.data_dir / "draftsmith.sqlite3"
        if not url.startswith("sqlite:///"):
            raise ValueError(f"not a sqlite URL: {url}")
        return Path(url.removeprefix("sqlite:///"))

    def trusted_host_names(self) -> frozenset[str] | None:
        """Lower-case host names (no port) the Host header may name; None trusts any."""
        if "*" in self.trusted_hosts:
            return None
        names = {"localhost", "127.0.0.1", "::1"}
        names.update(host.lower().strip("[]") for host in self.trusted_hosts)
        if self.host not in ("", "0.0.0.0", "::"):
            names.add(self.host.lower().strip("[]"))
        if self.public_url:
            public = urlsplit(self.public_url).hostname
            if public:
                names.add(public.lower())
        return frozenset(names)
