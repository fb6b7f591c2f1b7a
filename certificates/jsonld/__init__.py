"""The JSON-LD contexts that signing needs, shipped with the app so that pyld never touches the network.

The files are verbatim copies of ../shared/jsonld (see that README for their sources and SHA-256 sums).
`document_loader` maps each URL to its file and refuses every other URL.
"""

import json
from functools import cache
from pathlib import Path

from pyld.jsonld import JsonLdError

HERE = Path(__file__).resolve().parent

CREDENTIALS_V2 = "https://www.w3.org/ns/credentials/v2"
OPEN_BADGES_V3 = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
DATA_INTEGRITY_V2 = "https://w3id.org/security/data-integrity/v2"
MULTIKEY_V1 = "https://w3id.org/security/multikey/v1"
DID_V1 = "https://www.w3.org/ns/did/v1"

CONTEXT_FILES = {
    CREDENTIALS_V2: "credentials-v2.jsonld",
    OPEN_BADGES_V3: "ob-v3p0-context-3.0.3.json",
    DATA_INTEGRITY_V2: "data-integrity-v2.jsonld",
    MULTIKEY_V1: "multikey-v1.jsonld",
    DID_V1: "did-v1.jsonld",
}


@cache
def _load(url: str) -> dict:
    return json.loads((HERE / CONTEXT_FILES[url]).read_text(encoding="utf-8"))


def document_loader(url: str, options=None) -> dict:
    """pyld's loader interface; anything but the five shipped contexts is an error, never a fetch."""
    if url not in CONTEXT_FILES:
        raise JsonLdError(
            f"Refusing to load {url!r}: only the shipped contexts are allowed.",
            "jsonld.LoadDocumentError",
            {"url": url},
            code="loading document failed",
        )
    return {"contextUrl": None, "documentUrl": url, "document": _load(url), "contentType": "application/ld+json"}
