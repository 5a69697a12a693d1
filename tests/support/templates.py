"""The project's templates, for tests that read every one of them."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent


def template_files() -> list[Path]:
    roots = [ROOT / "templates", *(ROOT / "onestop").glob("*/templates")]
    return [path for root in roots for path in root.rglob("*.html")]
