import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _swedish():
    """A request in English leaves English active in the thread; start every test in Swedish."""
    with translation.override("sv"):
        yield
