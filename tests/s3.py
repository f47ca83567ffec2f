"""A real S3-compatible server for the storage tests: moto's server in a process of its own,
spoken to over HTTP by django-storages and boto3 exactly as production speaks to its bucket.
moto is a test dependency, so a server that cannot start fails the tests instead of skipping
them."""

import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from types import SimpleNamespace

import boto3
import pytest

CREDENTIALS = {
    "S3_REGION": "us-east-1",
    "S3_ACCESS_KEY_ID": "testing",
    "S3_SECRET_ACCESS_KEY": "testing",
}


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="session")
def moto_server():
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        if server.poll() is not None:
            raise RuntimeError(f"moto_server exited: {server.stderr.read().decode()[-2000:]}")
        try:
            urllib.request.urlopen(url, timeout=1).close()
            break
        except OSError:  # refused, reset, or a read timing out while moto starts
            if time.monotonic() > deadline:
                server.kill()
                raise RuntimeError("moto_server did not answer within 30 seconds") from None
            time.sleep(0.1)
    yield url
    server.terminate()
    server.wait(timeout=10)


@pytest.fixture
def s3_storages(moto_server, settings, monkeypatch):
    """STORAGES as STORAGE_BACKEND=s3 builds them, with new buckets for this test."""
    from django.core.files.storage import storages

    from certificates.models import Certificate, CertificateExport
    from cms.settings.storage import s3_storages as build

    media, private = f"media-{uuid.uuid4().hex[:12]}", f"private-{uuid.uuid4().hex[:12]}"
    client = boto3.client(
        "s3",
        endpoint_url=moto_server,
        region_name=CREDENTIALS["S3_REGION"],
        aws_access_key_id=CREDENTIALS["S3_ACCESS_KEY_ID"],
        aws_secret_access_key=CREDENTIALS["S3_SECRET_ACCESS_KEY"],
    )
    for bucket in (media, private):
        client.create_bucket(Bucket=bucket)
    environment = {
        **CREDENTIALS,
        "S3_ENDPOINT_URL": moto_server,
        "S3_BUCKET": media,
        "S3_PRIVATE_BUCKET": private,
    }
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    settings.STORAGES = {**build(), "staticfiles": settings.STORAGES["staticfiles"]}
    # The certificate models resolved their storage when they were defined.
    for model, field in ((Certificate, "pdf"), (CertificateExport, "file")):
        monkeypatch.setattr(model._meta.get_field(field), "storage", storages["certificates"])
    return SimpleNamespace(client=client, media=media, private=private)


def keys(client, bucket):
    return [item["Key"] for item in client.list_objects_v2(Bucket=bucket).get("Contents", [])]


def read(client, bucket, key):
    return client.get_object(Bucket=bucket, Key=key)["Body"].read()
