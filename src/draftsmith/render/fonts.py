"""The fonts captions are drawn with, installed as Python packages, and fontconfig's view of them.

Both are SIL Open Font License 1.1 fonts from Google's Noto project, shipped on PyPI with
their licence in the package metadata:

- `noto-cjk-sans-otc`: Noto Sans CJK Regular (SC, TC, HK, JP, KR faces; Latin, Chinese,
  Japanese and Korean), the caption font.
- `manimgx-fonts`: Noto Emoji (monochrome), Noto Sans Symbols and Noto Sans for other scripts,
  which libass falls back to for characters the caption font lacks.

ffmpeg's libass finds fonts through fontconfig. The runner points fontconfig at a
configuration that lists these directories and nothing else, so a render looks the same on
every machine whatever fonts the system has, and never draws boxes for want of a font.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from xml.sax.saxutils import escape

from draftsmith.errors import RenderFailed

FONT_PACKAGES = ("noto_cjk_sans_otc", "manimgx_fonts")


def _package_dir(package: str) -> Path:
    try:
        root = resources.files(package)
    except ModuleNotFoundError as exc:
        raise RenderFailed(f"font package {package} is not installed") from exc
    return Path(str(root))


def font_dirs() -> tuple[Path, ...]:
    """The directories holding the caption fonts."""
    return tuple(_package_dir(package) for package in FONT_PACKAGES)


def fontconfig_xml(dirs: tuple[Path, ...], cache_dir: Path) -> str:
    """A fontconfig configuration that knows `dirs` only and caches its scan in `cache_dir`."""
    lines = [
        '<?xml version="1.0"?>',
        '<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">',
        "<fontconfig>",
        *(f"  <dir>{escape(str(directory))}</dir>" for directory in dirs),
        f"  <cachedir>{escape(str(cache_dir))}</cachedir>",
        "</fontconfig>",
    ]
    return "\n".join(lines) + "\n"


def write_fontconfig(directory: Path) -> Path:
    """Write fonts.conf (and room for its cache) into `directory`; returns the file."""
    cache = directory / "fontconfig-cache"
    cache.mkdir(exist_ok=True)
    path = directory / "fonts.conf"
    path.write_text(fontconfig_xml(font_dirs(), cache), encoding="utf-8")
    return path
