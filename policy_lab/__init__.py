"""Dev-only tooling for the GP014 policy engine: data sets, training, evaluation.

Not part of the runtime app (`moderation/`): production installs `requirements.txt` only, and
nothing under `moderation/` imports this package. Its libraries (scikit-learn, scipy) are in
`requirements-dev.txt`.
"""
