"""Uploading an export folder to a Hugging Face Hub dataset repo (`annotate export --push-to-hub`)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from incident_corpus.core.errors import ExportError


def upload(*, folder: Path, repo_id: str, api: Any = None) -> str:
    """Upload an export folder to a Hub dataset repo (created private if missing); return the commit URL.

    The token comes from huggingface_hub's normal lookup (HF_TOKEN, then `hf auth login`).
    """
    if api is None:
        from huggingface_hub import HfApi

        api = HfApi()
    try:
        api.create_repo(repo_id=repo_id, repo_type="dataset", private=True, exist_ok=True)
        info = api.upload_folder(
            repo_id=repo_id,
            folder_path=str(folder),
            repo_type="dataset",
            commit_message="annotate export",
        )
    except Exception as exc:  # huggingface_hub raises HTTP, connection and auth errors of many types
        raise ExportError(
            f"the dataset was written to {folder} but uploading it to the Hub dataset {repo_id!r} failed: "
            f"{type(exc).__name__}: {exc}. Check HF_TOKEN (a token with write access) and the network, then "
            f"re-run the export with --push-to-hub {repo_id}"
        ) from exc
    return str(getattr(info, "commit_url", None) or info)
