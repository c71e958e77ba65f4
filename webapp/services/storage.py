"""File storage: a local directory by default, an S3-compatible bucket when S3_BUCKET is set.

Web and worker reach files only through `get_storage()`, so they can run on different
machines once the files live in a bucket. Keys are random; user file names are metadata.
"""

from __future__ import annotations

import os
import secrets
import shutil
from pathlib import Path
from typing import BinaryIO, Protocol

from flask import current_app


class StorageError(RuntimeError):
    """The file could not be written, read or found."""


class Storage(Protocol):
    def save(self, key: str, stream: BinaryIO) -> int: ...
    def read(self, key: str, max_bytes: int | None = None) -> bytes: ...
    def delete(self, key: str) -> None: ...
    def exists(self, key: str) -> bool: ...


def new_key(kind: str, owner_id: str) -> str:
    """A fresh random key, e.g. `sources/<user id>/<32 hex>`."""
    return f"{kind}/{owner_id}/{secrets.token_hex(16)}"


def _check_key(key: str) -> str:
    parts = key.split("/")
    if not key or key.startswith("/") or any(p in ("", ".", "..") for p in parts):
        raise StorageError(f"invalid storage key {key!r}")
    return key


class LocalStorage:
    """Files under one directory (keep it outside static/)."""

    def __init__(self, root: str | os.PathLike):
        self.root = Path(root)

    def _path(self, key: str) -> Path:
        return self.root / _check_key(key)

    def save(self, key: str, stream: BinaryIO) -> int:
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(path.name + ".part")
        with open(partial, "wb") as handle:
            shutil.copyfileobj(stream, handle, 1024 * 1024)
        os.replace(partial, path)  # never leave a half-written file under the real key
        return path.stat().st_size

    def read(self, key: str, max_bytes: int | None = None) -> bytes:
        try:
            with open(self._path(key), "rb") as handle:
                return handle.read(-1 if max_bytes is None else max_bytes)
        except FileNotFoundError as exc:
            raise StorageError(f"stored file {key} is missing") from exc

    def delete(self, key: str) -> None:
        self._path(key).unlink(missing_ok=True)

    def exists(self, key: str) -> bool:
        return self._path(key).is_file()


class S3Storage:
    """Objects in an S3-compatible bucket (AWS, MinIO, ...), through boto3."""

    def __init__(
        self,
        bucket: str,
        endpoint_url: str | None = None,
        region: str | None = None,
        prefix: str = "",
    ):
        import boto3  # only deployments with a bucket pay for the import
        from botocore.config import Config as BotoConfig

        self.bucket = bucket
        self.prefix = prefix.strip("/") + "/" if prefix.strip("/") else ""
        self.client = boto3.client(
            "s3",
            endpoint_url=endpoint_url,
            region_name=region,
            config=BotoConfig(connect_timeout=5, read_timeout=30, retries={"max_attempts": 3}),
        )

    def _name(self, key: str) -> str:
        return self.prefix + _check_key(key)

    def save(self, key: str, stream: BinaryIO) -> int:
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            self.client.upload_fileobj(stream, self.bucket, self._name(key))
            return self.client.head_object(Bucket=self.bucket, Key=self._name(key))["ContentLength"]
        except (BotoCoreError, ClientError) as exc:
            raise StorageError(f"could not store {key}: {exc}") from exc

    def read(self, key: str, max_bytes: int | None = None) -> bytes:
        from botocore.exceptions import BotoCoreError, ClientError

        extra = {"Range": f"bytes=0-{max_bytes - 1}"} if max_bytes else {}
        try:
            response = self.client.get_object(Bucket=self.bucket, Key=self._name(key), **extra)
            return response["Body"].read()
        except (BotoCoreError, ClientError) as exc:
            raise StorageError(f"stored file {key} could not be read: {exc}") from exc

    def delete(self, key: str) -> None:
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            self.client.delete_object(Bucket=self.bucket, Key=self._name(key))
        except (BotoCoreError, ClientError) as exc:
            raise StorageError(f"could not delete {key}: {exc}") from exc

    def exists(self, key: str) -> bool:
        from botocore.exceptions import ClientError

        try:
            self.client.head_object(Bucket=self.bucket, Key=self._name(key))
            return True
        except ClientError:
            return False


def storage_from_config(config) -> Storage:
    if config.get("S3_BUCKET"):
        return S3Storage(
            config["S3_BUCKET"],
            config.get("S3_ENDPOINT_URL"),
            config.get("S3_REGION"),
            config.get("S3_PREFIX", ""),
        )
    return LocalStorage(config["UPLOAD_DIR"])


def get_storage() -> Storage:
    """The app's storage, built once per app from its configuration."""
    storage = current_app.extensions.get("copydesk_storage")
    if storage is None:
        storage = storage_from_config(current_app.config)
        current_app.extensions["copydesk_storage"] = storage
    return storage
