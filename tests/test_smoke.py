import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/dialoger/",
        "/foresla/",
        "/tillganglighet/",
        "/om/",
        "/personuppgifter/",
        "/konto/logga-in/",
    ],
)
def test_public_pages_render(client, municipality, url):
    response = client.get(url)
    assert response.status_code == 200
    assert b'<html lang="sv">' in response.content
