"""``python -m cascade …``: the same command as ``cascade …``."""
from cascade.cli import main

main()
