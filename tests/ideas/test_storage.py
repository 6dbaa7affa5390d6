"""Media on S3-compatible storage (django-storages), against a real local S3
server (moto in server mode on the loopback): the same code, another backend."""

import socket
import urllib.request
import uuid

import boto3
import pytest
from django_scopes import scope
from moto.server import ThreadedMotoServer
from PIL import Image

from ideas import services
from ideas.models import Idea, Media
from tests.ideas.conftest import image_bytes, upload

pytestmark = pytest.mark.django_db


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def s3(settings):
    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    credentials = {"aws_access_key_id": "test", "aws_secret_access_key": "test"}
    client = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1", **credentials)
    # moto keeps its state per process: a bucket of its own for each test.
    client.bucket = f"ruche-media-{uuid.uuid4().hex[:12]}"
    client.create_bucket(Bucket=client.bucket)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": client.bucket,
                "endpoint_url": endpoint,
                "region_name": "us-east-1",
                "access_key": "test",
                "secret_key": "test",
                "default_acl": None,
                "querystring_auth": True,
            },
        },
    }
    yield client
    server.stop()


def _keys(client) -> list[str]:
    return sorted(
        o["Key"] for o in client.list_objects_v2(Bucket=client.bucket).get("Contents", [])
    )


def test_an_image_goes_through_s3_storage(ing, submit, s3, django_capture_on_commit_callbacks):
    idea = submit(image=upload(image_bytes(size=(1000, 800))))
    keys = _keys(s3)
    assert len(keys) == 1 and keys[0].startswith(f"ideas/{idea.media.public_id}/")
    assert keys[0].endswith("upload.jpg")
    with scope(tenant=ing):
        row = Media.objects.get(idea=idea)
        with django_capture_on_commit_callbacks(execute=True):
            assert services.media_process(media_id=row.pk) == "ready"
        row.refresh_from_db()
        idea.refresh_from_db()
        card_url = row.share_card.url
    assert idea.state == Idea.State.PUBLISHED
    names = [key.rsplit("/", 1)[1].split("-", 1)[1] for key in _keys(s3)]
    assert sorted(names) == ["detail.jpg", "share_card.jpg", "thumbnail.jpg"]  # upload deleted
    assert card_url.startswith("http://127.0.0.1:") and "Signature" in card_url
    with (
        urllib.request.urlopen(card_url, timeout=10) as response,  # noqa: S310 - local server
        Image.open(response) as card,
    ):
        assert card.size == (1200, 630)


def test_a_refused_upload_leaves_nothing_in_the_bucket(ing, submit, s3):
    with pytest.raises(services.IdeaError):
        submit(image=upload(b"<?php echo 1; ?>", "x.jpg"))
    assert _keys(s3) == []
