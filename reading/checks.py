"""System check: the OCR models ship inside the rapidocr wheel, and nothing is ever downloaded."""

from typing import Any

from django.core import checks


@checks.register()
def ocr_models_present(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    from reading import ocr

    missing = [str(path) for path in ocr.model_paths().values() if not path.is_file()]
    if not missing:
        return []
    return [
        checks.Error(
            f"OCR model files missing: {', '.join(missing)}",
            hint="Install the pinned rapidocr wheel (requirements.txt); it ships its models.",
            id="reading.E001",
        )
    ]
