"""Part III: imbalanced learning, the bias decomposition and validation-tuned synthetic size."""

__all__: list[str] = []
