from tests.fixtures.speech_run import speech_run  # noqa: F401  (the session's trained recogniser)
