"""Video links: YouTube and Vimeo addresses reduced to the video's id.

Only the provider and the id are stored; pages build the embed address
themselves (youtube-nocookie.com, player.vimeo.com with do-not-track), and load
it only when the visitor clicks (no third-party request before that).
"""

import re
from dataclasses import dataclass
from urllib.parse import parse_qs, urlparse

YOUTUBE_ID = re.compile(r"^[A-Za-z0-9_-]{11}$")
VIMEO_ID = re.compile(r"^[0-9]{1,12}$")
YOUTUBE_HOSTS = {"youtube.com", "www.youtube.com", "m.youtube.com", "music.youtube.com"}
YOUTUBE_SHORT = {"youtu.be", "www.youtu.be"}
NOCOOKIE_HOSTS = {"youtube-nocookie.com", "www.youtube-nocookie.com"}
VIMEO_HOSTS = {"vimeo.com", "www.vimeo.com", "player.vimeo.com"}


@dataclass(frozen=True)
class VideoLink:
    provider: str  # "youtube" or "vimeo"
    ref: str

    @property
    def embed_url(self) -> str:
        return embed_url(self.provider, self.ref)


def parse(url: str) -> VideoLink | None:
    """The YouTube or Vimeo video a link points at, or None."""
    url = (url or "").strip()
    if not url:
        return None
    if "://" not in url:
        url = "https://" + url
    try:
        parsed = urlparse(url)
    except ValueError:
        return None
    if parsed.scheme not in ("http", "https"):
        return None
    host = (parsed.hostname or "").lower()
    parts = [p for p in parsed.path.split("/") if p]
    if host in YOUTUBE_SHORT and parts:
        candidate = parts[0]
    elif host in YOUTUBE_HOSTS | NOCOOKIE_HOSTS:
        if parsed.path == "/watch":
            candidate = (parse_qs(parsed.query).get("v") or [""])[0]
        elif len(parts) >= 2 and parts[0] in ("embed", "shorts", "live", "v"):
            candidate = parts[1]
        else:
            return None
    elif host in VIMEO_HOSTS:
        candidate = next((p for p in reversed(parts) if VIMEO_ID.match(p)), "")
        return VideoLink("vimeo", candidate) if candidate else None
    else:
        return None
    return VideoLink("youtube", candidate) if YOUTUBE_ID.match(candidate) else None


def embed_url(provider: str, ref: str) -> str:
    if provider == "youtube" and YOUTUBE_ID.match(ref):
        return f"https://www.youtube-nocookie.com/embed/{ref}?rel=0"
    if provider == "vimeo" and VIMEO_ID.match(ref):
        return f"https://player.vimeo.com/video/{ref}?dnt=1"
    return ""


def watch_url(provider: str, ref: str) -> str:
    if provider == "youtube" and YOUTUBE_ID.match(ref):
        return f"https://www.youtube.com/watch?v={ref}"
    if provider == "vimeo" and VIMEO_ID.match(ref):
        return f"https://vimeo.com/{ref}"
    return ""
