"""The one settings object, read from DRAFTSMITH_* environment variables at start-up."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


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
