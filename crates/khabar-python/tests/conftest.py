from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]
SHARED = REPO.parent / "shared"


@pytest.fixture(scope="session")
def nlp():
    import khabar

    return khabar.Pipeline()


@pytest.fixture(scope="session")
def seed_text():
    return (REPO / "examples" / "seed-article.txt").read_text(encoding="utf-8")
