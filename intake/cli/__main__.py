from intake.cli import run

# Guarded: image checks run in child processes that import the parent's main module again.
if __name__ == "__main__":
    run()
