"""Allow ``python -m termnews``."""

from termnews.cli.main import run

if __name__ == "__main__":  # guarded: spawned worker processes import this module too
    run()
