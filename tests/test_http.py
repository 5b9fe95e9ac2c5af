from __future__ import annotations

import gzip


def test_text_pages_are_gzipped_for_clients_that_accept_it(client):
    plain = client.get("/guide")
    packed = client.get("/guide", headers={"Accept-Encoding": "gzip, br"})
    assert "Content-Encoding" not in plain.headers
    assert packed.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed.headers["Vary"]
    assert gzip.decompress(packed.get_data()) == plain.get_data()
    assert len(packed.get_data()) < len(plain.get_data()) / 2


def test_small_bodies_are_sent_as_they_are(client):
    response = client.get("/robots.txt", headers={"Accept-Encoding": "gzip"})
    assert "Content-Encoding" not in response.headers
