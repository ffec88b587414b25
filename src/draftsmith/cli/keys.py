"""`draftsmith keys create|list|revoke`: API keys in the configured store, and the warning
`serve` prints when it listens beyond this machine without any."""

from __future__ import annotations

import ipaddress
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import click

from draftsmith.bootstrap import open_store
from draftsmith.cli.options import data_dir_option, database_url_option
from draftsmith.cli.output import Output
from draftsmith.config import Settings
from draftsmith.security.keys import issue_key
from draftsmith.store.port import KeyStore


def _now_us() -> int:
    return time.time_ns() // 1000


def _when(microseconds: int | None) -> str:
    if microseconds is None:
        return "-"
    return datetime.fromtimestamp(microseconds / 1e6, UTC).strftime("%Y-%m-%d %H:%M:%SZ")


@contextmanager
def _key_store(database_url: str | None, data_dir: Path) -> Iterator[KeyStore]:
    """The configured store's API keys, for one command; errors end it with their exit code."""
    with Output().guard():
        store = open_store(Settings(data_dir=data_dir, database_url=database_url))
        try:
            yield store
        finally:
            store.close()


@click.group()
def keys() -> None:
    """Manage API keys. Once any key exists, every API call must present one."""


@keys.command("create")
@click.option("--name", required=True, help="What the key is for, e.g. the workflow using it.")
@database_url_option
@data_dir_option
def create_key(name: str, database_url: str | None, data_dir: Path) -> None:
    """Make a key and print it. It is shown this once: only its hash is stored."""
    with _key_store(database_url, data_dir) as store:
        issued = issue_key(store, name, _now_us())
    click.echo(f"id:  {issued.record.id}", err=True)
    click.echo("key (shown once; send it as 'Authorization: Bearer <key>'):", err=True)
    click.echo(issued.key)


@keys.command("list")
@database_url_option
@data_dir_option
def list_keys(database_url: str | None, data_dir: Path) -> None:
    """List keys: id, name, created, revoked. Keys themselves are never stored or shown."""
    with _key_store(database_url, data_dir) as store:
        records = store.api_keys()
    click.echo(f"{'id':<18}{'created':<22}{'revoked':<22}name")
    for record in records:
        created, revoked = _when(record.created_at_us), _when(record.revoked_at_us)
        click.echo(f"{record.id:<18}{created:<22}{revoked:<22}{record.name}")


@keys.command("revoke")
@click.argument("key_id")
@database_url_option
@data_dir_option
def revoke_key(key_id: str, database_url: str | None, data_dir: Path) -> None:
    """Revoke a key by id: it stops working at once, on every server sharing the store."""
    with _key_store(database_url, data_dir) as store:
        record = store.revoke_api_key(key_id, _now_us())
    click.echo(f"revoked {record.id} ({record.name}) at {_when(record.revoked_at_us)}")


def is_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def exposure_warning(host: str, keys_on: bool) -> str | None:
    """The warning for listening on `host` without API keys, or None when there is no risk."""
    if keys_on or is_loopback(host):
        return None
    bar = "!" * 78
    return (
        f"{bar}\n"
        f"!! WARNING: draftsmith is listening on {host}, beyond this machine, WITHOUT API KEYS.\n"
        "!! Anyone who can reach this port can read, change and delete every draft.\n"
        "!! Create a key with `draftsmith keys create --name NAME` (or set\n"
        "!! DRAFTSMITH_API_KEYS), or listen on 127.0.0.1 only.\n"
        f"{bar}"
    )
